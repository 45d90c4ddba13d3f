#include "vectobeat/lavalink/stats.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(StatsJson, DocumentedSample) {
  const auto s = test::golden<stats>(R"({
    "players": 1,
    "playingPlayers": 1,
    "uptime": 123456789,
    "memory": {"free": 123456789, "used": 123456789, "allocated": 123456789, "reservable": 123456789},
    "cpu": {"cores": 4, "systemLoad": 0.5, "lavalinkLoad": 0.5},
    "frameStats": {"sent": 6000, "nulled": 10, "deficit": -3010}
  })");
  EXPECT_EQ(s.players, 1);
  EXPECT_EQ(s.playing_players, 1);
  EXPECT_EQ(s.uptime, 123456789);
  EXPECT_EQ(s.memory, (memory_stats{123456789, 123456789, 123456789, 123456789}));
  EXPECT_EQ(s.cpu, (cpu_stats{4, 0.5, 0.5}));
  ASSERT_TRUE(s.frame_stats);
  EXPECT_EQ(*s.frame_stats, (frame_stats{6000, 10, -3010}));
}

TEST(StatsJson, FrameStatsAbsentOrNull) {
  const auto rest = test::golden<stats>(R"({"players":0,"playingPlayers":0,"uptime":5,
    "memory":{"free":1,"used":2,"allocated":3,"reservable":4},"cpu":{"cores":2,"systemLoad":0.25,"lavalinkLoad":0.125}})");
  EXPECT_FALSE(rest.frame_stats);
  EXPECT_FALSE(to_json(rest).as_object().contains("frameStats"));
  auto null = from_json<stats>(test::must_parse(R"({"players":0,"playingPlayers":0,"uptime":5,
    "memory":{"free":1,"used":2,"allocated":3,"reservable":4},"cpu":{"cores":2,"systemLoad":0,"lavalinkLoad":0},
    "frameStats":null})"));
  ASSERT_TRUE(null) << null.error();
  EXPECT_FALSE(null->frame_stats);
}

TEST(StatsJson, Errors) {
  EXPECT_EQ(test::decode_error<stats>(R"({"players":0,"playingPlayers":0,"uptime":5,"memory":{"free":1}})"),
            "memory.used is missing");
  EXPECT_EQ(test::decode_error<stats>(R"({"players":0,"playingPlayers":0,"uptime":5,
    "memory":{"free":1,"used":2,"allocated":3,"reservable":4},"cpu":{"cores":2,"systemLoad":"high","lavalinkLoad":0}})"),
            "cpu.systemLoad must be a number");
  EXPECT_EQ(test::decode_error<stats>(R"({"players":4294967296})"), "players must be a 32-bit integer");
}

}  // namespace
}  // namespace vb::lavalink
