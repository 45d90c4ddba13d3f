#include "vectobeat/lavalink/patch_field.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace vb::lavalink {
namespace {

TEST(PatchField, DefaultIsOmitted) {
  patch_field<int> f;
  EXPECT_TRUE(f.omitted());
  EXPECT_FALSE(f.present());
  EXPECT_FALSE(f);
  EXPECT_EQ(f.get(), nullptr);
  EXPECT_EQ(f.value_or(7), 7);
}

TEST(PatchField, PresentHoldsValue) {
  patch_field<int> f = 50;
  EXPECT_TRUE(f.present());
  EXPECT_EQ(*f, 50);
  EXPECT_EQ(f.value_or(7), 50);
  f.reset();
  EXPECT_TRUE(f.omitted());
}

TEST(PatchField, NullableDistinguishesAbsentNullAndValue) {
  patch_field<std::optional<std::string>> absent;
  patch_field<std::optional<std::string>> null = std::optional<std::string>();
  patch_field<std::optional<std::string>> value = std::optional<std::string>("QAAA");
  EXPECT_TRUE(absent.omitted());
  ASSERT_TRUE(null.present());
  EXPECT_FALSE(null->has_value());
  ASSERT_TRUE(value.present());
  EXPECT_EQ(**value, "QAAA");
  EXPECT_NE(absent, null);
  EXPECT_NE(null, value);
  EXPECT_EQ(null, patch_field<std::optional<std::string>>(std::nullopt));
}

TEST(PatchField, Emplace) {
  patch_field<std::string> f;
  f.emplace(3, 'x');
  EXPECT_EQ(*f, "xxx");
}

}  // namespace
}  // namespace vb::lavalink
