#include "vectobeat/lavalink/player.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(PlayerJson, DocumentedSample) {
  const auto p = test::golden<player>(R"({
    "guildId": "817327181659111454",
    "track": null,
    "volume": 100,
    "paused": false,
    "state": {"time": 1500467109, "position": 0, "connected": false, "ping": -1},
    "voice": {"token": "", "endpoint": "", "sessionId": "", "channelId": null},
    "filters": {}
  })");
  EXPECT_EQ(p.guild_id, 817327181659111454u);
  EXPECT_FALSE(p.track);
  EXPECT_EQ(p.volume, 100);
  EXPECT_FALSE(p.paused);
  EXPECT_EQ(p.state, (player_state{1500467109, 0, false, -1}));
  EXPECT_EQ(p.voice, voice_state{});
  EXPECT_TRUE(p.filters.empty());
}

TEST(PlayerJson, PlayingWithVoiceAndFilters) {
  const auto p = test::golden<player>(R"({"guildId":"9223372036854775807","track":)" + test::sample_track_json +
                                      R"(,"volume":1000,"paused":true,
    "state":{"time":1700000000000,"position":60000,"connected":true,"ping":50},
    "voice":{"token":"tok","endpoint":"c-ams1.discord.media:443","sessionId":"abc","channelId":"222"},
    "filters":{"timescale":{"speed":1.25,"pitch":1.0,"rate":1.0}}})");
  EXPECT_EQ(p.guild_id, 9223372036854775807u);
  ASSERT_TRUE(p.track);
  EXPECT_EQ(p.track->info.source_name, "youtube");
  EXPECT_EQ(p.voice.channel_id, "222");
  EXPECT_EQ(p.filters.timescale->speed, 1.25);
}

TEST(PlayerJson, SnowflakesAreStrings) {
  const char* tail = R"(,"track":null,"volume":100,"paused":false,"state":{"time":0,"position":0,"connected":false,
    "ping":-1},"voice":{"token":"","endpoint":"","sessionId":"","channelId":null},"filters":{}})";
  const std::string msg = "guildId must be a snowflake (a string holding a 64-bit integer)";
  EXPECT_EQ(test::decode_error<player>(std::string(R"({"guildId":817327181659111454)") + tail), msg);
  EXPECT_EQ(test::decode_error<player>(std::string(R"({"guildId":"abc")") + tail), msg);
  EXPECT_EQ(test::decode_error<player>(std::string(R"({"guildId":"-1")") + tail), msg);
  EXPECT_EQ(test::decode_error<player>(std::string(R"({"guildId":"18446744073709551616")") + tail), msg);
  EXPECT_EQ(test::decode_error<player>(R"({"guildId":"1","track":null,"volume":1001,"paused":false,
    "state":{"time":0,"position":0,"connected":false,"ping":-1},
    "voice":{"token":"","endpoint":"","sessionId":"","channelId":null},"filters":{}})"),
            "volume must be between 0 and 1000");
  EXPECT_EQ(to_json(player{}).at("guildId"), "0");
}

TEST(PlayerStateJson, Golden) {
  EXPECT_EQ(test::golden<player_state>(R"({"time":1500467109,"position":60000,"connected":true,"ping":50})"),
            (player_state{1500467109, 60000, true, 50}));
  EXPECT_EQ(test::decode_error<player_state>(R"({"time":1,"position":0,"connected":1,"ping":0})"),
            "connected must be a boolean");
}

TEST(VoiceStateJson, Golden) {
  const auto v = test::golden<voice_state>(R"({"token":"t","endpoint":"e:443","sessionId":"s","channelId":"1"})");
  EXPECT_EQ(v, (voice_state{"t", "e:443", "s", "1"}));
  // Nodes before 4.2.0 have no channelId.
  auto old = from_json<voice_state>(test::must_parse(R"({"token":"t","endpoint":"e","sessionId":"s"})"));
  ASSERT_TRUE(old) << old.error();
  EXPECT_EQ(old->channel_id, std::nullopt);
}

}  // namespace
}  // namespace vb::lavalink
