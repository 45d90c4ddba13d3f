#include "vectobeat/lavalink/info.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(InfoJson, DocumentedSample) {
  const auto i = test::golden<info>(R"({
    "version": {"semver": "4.2.2", "major": 4, "minor": 2, "patch": 2, "preRelease": null, "build": null},
    "buildTime": 1664223916812,
    "git": {"branch": "master", "commit": "85c5ab5", "commitTime": 1664223916812},
    "jvm": "21.0.2",
    "lavaplayer": "2.2.6",
    "sourceManagers": ["youtube", "soundcloud", "bandcamp", "twitch", "vimeo", "http"],
    "filters": ["volume", "equalizer", "karaoke", "timescale", "tremolo", "vibrato", "distortion", "rotation", "channelMix", "lowPass"],
    "plugins": [{"name": "some-plugin", "version": "1.0.0"}]
  })");
  EXPECT_EQ(i.version.semver, "4.2.2");
  EXPECT_EQ(i.version.major, 4);
  EXPECT_EQ(i.version.minor, 2);
  EXPECT_EQ(i.version.patch, 2);
  EXPECT_EQ(i.version.pre_release, std::nullopt);
  EXPECT_EQ(i.build_time, 1664223916812);
  EXPECT_EQ(i.git, (git_info{"master", "85c5ab5", 1664223916812}));
  EXPECT_EQ(i.jvm, "21.0.2");
  EXPECT_EQ(i.lavaplayer, "2.2.6");
  EXPECT_EQ(i.source_managers.size(), 6u);
  EXPECT_EQ(i.source_managers.back(), "http");
  EXPECT_EQ(i.filters.size(), 10u);
  ASSERT_EQ(i.plugins.size(), 1u);
  EXPECT_EQ(i.plugins[0], (plugin_info{"some-plugin", "1.0.0"}));
}

TEST(InfoJson, PreReleaseAndNoBuildField) {
  auto i = from_json<info>(test::must_parse(R"({"version":{"semver":"4.0.0-beta.1","major":4,"minor":0,"patch":0,
    "preRelease":"beta.1"},"buildTime":0,"git":{"branch":"dev","commit":"abc","commitTime":0},"jvm":"native",
    "lavaplayer":"vectobeat","sourceManagers":[],"filters":[],"plugins":[]})"));
  ASSERT_TRUE(i) << i.error();
  EXPECT_EQ(i->version.pre_release, "beta.1");
  EXPECT_EQ(i->version.build, std::nullopt);
}

TEST(InfoJson, Errors) {
  EXPECT_EQ(test::decode_error<info>(R"({"version":{"semver":"4","major":4,"minor":0,"patch":0},"buildTime":0,
    "git":{"branch":"","commit":"","commitTime":0},"jvm":"","lavaplayer":"","sourceManagers":["youtube",3],
    "filters":[],"plugins":[]})"), "sourceManagers[1] must be a string");
  EXPECT_EQ(test::decode_error<info>(R"({"version":{"semver":"4","major":4,"minor":0,"patch":0},"buildTime":0,
    "git":{"branch":"","commit":"","commitTime":0},"jvm":"","lavaplayer":"","sourceManagers":[],
    "filters":[],"plugins":[{"name":"x"}]})"), "plugins[0].version is missing");
}

}  // namespace
}  // namespace vb::lavalink
