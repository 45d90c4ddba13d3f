#include "vectobeat/lavalink/source_registry.hpp"

#include <gtest/gtest.h>

namespace vb::lavalink {
namespace {

TEST(SourceRegistry, BuiltinSources) {
  const auto& r = builtin_sources();
  for (const char* name : {"youtube", "soundcloud", "bandcamp", "twitch", "vimeo", "niconico", "yandex-music"}) {
    const auto* l = r.find(name);
    ASSERT_NE(l, nullptr) << name;
    EXPECT_TRUE(l->details.empty()) << name;
  }
  for (const char* name : {"http", "local"}) {
    const auto* l = r.find(name);
    ASSERT_NE(l, nullptr) << name;
    EXPECT_EQ(l->details, std::vector<detail_kind>{detail_kind::utf});
  }
  EXPECT_EQ(r.find("spotify"), nullptr);
  EXPECT_EQ(r.find(""), nullptr);
  EXPECT_EQ(r.find("YouTube"), nullptr);  // names are exact
}

TEST(SourceRegistry, AddReplacesByName) {
  source_registry r;
  EXPECT_EQ(r.find("deezer"), nullptr);
  r.add({"deezer", {detail_kind::nullable_utf}});
  r.add({"deezer", {detail_kind::boolean, detail_kind::int64}});
  ASSERT_NE(r.find("deezer"), nullptr);
  EXPECT_EQ(r.find("deezer")->details, (std::vector<detail_kind>{detail_kind::boolean, detail_kind::int64}));
  EXPECT_EQ(r.layouts().size(), 1u);
}

TEST(SourceRegistry, DetailKindMatchesTheVariantIndex) {
  EXPECT_EQ(kind_of(source_detail(std::in_place_index<0>, "x")), detail_kind::utf);
  EXPECT_EQ(kind_of(source_detail(std::in_place_index<1>, std::nullopt)), detail_kind::nullable_utf);
  EXPECT_EQ(kind_of(source_detail(true)), detail_kind::boolean);
  EXPECT_EQ(kind_of(source_detail(std::int64_t{5})), detail_kind::int64);
}

}  // namespace
}  // namespace vb::lavalink
