#include "vectobeat/lavalink/player_update.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

using namespace std::string_literals;

player_update decode_ok(std::string_view text) {
  auto u = parse_player_update(text);
  if (!u) {
    ADD_FAILURE() << u.error() << " for " << text;
    return {};
  }
  // Round trip: the client-side encoder reproduces an equal update.
  auto again = decode_player_update(to_json(*u));
  EXPECT_TRUE(again && *again == *u) << to_json_text(*u);
  return *u;
}

std::string decode_fail(std::string_view text) {
  auto u = parse_player_update(text);
  if (u) {
    ADD_FAILURE() << "expected an error for " << text;
    return "";
  }
  return u.error();
}

TEST(PlayerUpdate, EmptyBodyChangesNothing) {
  const auto u = decode_ok("{}");
  EXPECT_EQ(u, player_update{});
  EXPECT_FALSE(u.starts_track());
  EXPECT_EQ(to_json(u), boost::json::object());
}

TEST(PlayerUpdate, ShoukakuPlay) {
  const auto u = decode_ok(R"({"track":{"encoded":"QAAAjQIAJVJp"}})");
  ASSERT_TRUE(u.track);
  ASSERT_TRUE(u.track->encoded);
  EXPECT_EQ(*u.track->encoded, "QAAAjQIAJVJp");
  EXPECT_TRUE(u.track->identifier.omitted());
  EXPECT_TRUE(u.track->user_data.omitted());
  EXPECT_TRUE(u.starts_track());
  EXPECT_TRUE(u.paused.omitted());
  EXPECT_TRUE(u.position.omitted());
  EXPECT_TRUE(u.volume.omitted());
}

TEST(PlayerUpdate, LavalinkClientPlay) {
  const auto u = decode_ok(R"({"track":{"encoded":"QAAAjQIAJVJp","userData":{"requester":{"id":"1","username":"ann"}}},
    "volume":100,"position":0})");
  ASSERT_TRUE(u.track);
  EXPECT_EQ(*u.track->encoded, "QAAAjQIAJVJp");
  ASSERT_TRUE(u.track->user_data);
  EXPECT_EQ(u.track->user_data->at("requester").at("username"), "ann");
  EXPECT_EQ(u.volume, 100);
  EXPECT_EQ(u.position, 0);
  EXPECT_TRUE(u.end_time.omitted());
}

TEST(PlayerUpdate, Voice) {
  const auto u = decode_ok(R"({"voice":{"token":"abc","endpoint":"c-ams1.discord.media:443","sessionId":"s1",
    "channelId":"222"}})");
  ASSERT_TRUE(u.voice);
  EXPECT_EQ(*u.voice, (voice_state{"abc", "c-ams1.discord.media:443", "s1", "222"}));
  EXPECT_FALSE(u.starts_track());
}

TEST(PlayerUpdate, PauseSeekVolume) {
  EXPECT_EQ(decode_ok(R"({"paused":true})").paused, true);
  EXPECT_EQ(decode_ok(R"({"paused":false})").paused, false);
  EXPECT_EQ(decode_ok(R"({"position":60000})").position, 60000);
  EXPECT_EQ(decode_ok(R"({"volume":0})").volume, 0);
  EXPECT_EQ(decode_ok(R"({"volume":1000})").volume, 1000);
  // Negative positions (a failover "last position - 1000 ms") start at 0.
  EXPECT_EQ(decode_ok(R"({"position":-1000})").position, 0);
}

TEST(PlayerUpdate, StopWithEncodedNull) {
  const auto u = decode_ok(R"({"track":{"encoded":null}})");
  ASSERT_TRUE(u.track);
  ASSERT_TRUE(u.track->encoded.present());
  EXPECT_FALSE(u.track->encoded->has_value());
  EXPECT_TRUE(u.starts_track());
  EXPECT_EQ(to_json(u), test::must_parse(R"({"track":{"encoded":null}})"));
}

TEST(PlayerUpdate, DeprecatedFieldsMapOntoTrack) {
  const auto stop = decode_ok(R"({"encodedTrack":null})");
  const auto t = stop.effective_track();
  ASSERT_TRUE(t.encoded.present());
  EXPECT_FALSE(t.encoded->has_value());
  const auto play = decode_ok(R"({"encodedTrack":"QAAA","noReplace":true})");
  EXPECT_EQ(*play.effective_track().encoded, std::optional<std::string>("QAAA"));
  const auto id = decode_ok(R"({"identifier":"ytsearch:never gonna"})");
  EXPECT_EQ(id.effective_track().identifier, "ytsearch:never gonna"s);
  EXPECT_TRUE(id.starts_track());
}

TEST(PlayerUpdate, IdentifierAndUserDataOnly) {
  const auto id = decode_ok(R"({"track":{"identifier":"https://example.com/a.mp3"},"paused":true})");
  EXPECT_EQ(id.track->identifier, "https://example.com/a.mp3"s);
  EXPECT_TRUE(id.starts_track());
  const auto ud = decode_ok(R"({"track":{"userData":{"k":1}}})");
  EXPECT_FALSE(ud.starts_track());  // replaces the current track's userData
  EXPECT_EQ(ud.track->user_data->at("k"), 1);
}

TEST(PlayerUpdate, EndTime) {
  EXPECT_EQ(decode_ok(R"({"endTime":120000})").end_time, std::optional<std::int64_t>(120000));
  const auto reset = decode_ok(R"({"endTime":null})");
  ASSERT_TRUE(reset.end_time.present());
  EXPECT_FALSE(reset.end_time->has_value());
  EXPECT_EQ(decode_fail(R"({"endTime":0})"), "End time must be greater than 0");
  EXPECT_EQ(decode_fail(R"({"endTime":-5})"), "End time must be greater than 0");
  EXPECT_EQ(decode_fail(R"({"endTime":"10"})"), "endTime must be an integer or null");
}

TEST(PlayerUpdate, FiltersAndEverythingAtOnce) {
  const auto u = decode_ok(R"({"track":{"encoded":"QAAA","userData":{}},"position":5000,"endTime":60000,"volume":80,
    "paused":false,"filters":{"volume":0.5,"rotation":{"rotationHz":0.2}},
    "voice":{"token":"t","endpoint":"e","sessionId":"s","channelId":"c"}})");
  ASSERT_TRUE(u.filters);
  EXPECT_EQ(u.filters->volume, 0.5);
  EXPECT_EQ(u.filters->rotation->rotation_hz, 0.2);
  EXPECT_EQ(set_filter_names(*u.filters), (std::vector<std::string>{"volume", "rotation"}));
}

TEST(PlayerUpdate, ExclusivityRules) {
  EXPECT_EQ(decode_fail(R"({"track":{"encoded":"QAAA"},"encodedTrack":"QAAA"})"),
            "Cannot specify both track and encodedTrack/identifier");
  EXPECT_EQ(decode_fail(R"({"track":{},"identifier":"x"})"), "Cannot specify both track and encodedTrack/identifier");
  EXPECT_EQ(decode_fail(R"({"track":{"encoded":null},"encodedTrack":null})"),
            "Cannot specify both track and encodedTrack/identifier");
  EXPECT_EQ(decode_fail(R"({"track":{"encoded":"QAAA","identifier":"x"}})"),
            "Cannot specify both encodedTrack and identifier");
  EXPECT_EQ(decode_fail(R"({"encodedTrack":"QAAA","identifier":"x"})"),
            "Cannot specify both encodedTrack and identifier");
  EXPECT_EQ(decode_fail(R"({"encodedTrack":null,"identifier":"x"})"),
            "Cannot specify both encodedTrack and identifier");
}

TEST(PlayerUpdate, VoiceMustBeComplete) {
  const std::string msg = "token, endpoint, sessionId and channelId must be provided in voice state";
  for (const char* voice : {
           R"({"token":"t","endpoint":"e","sessionId":"s"})",  // a pre-4.2.0 client
           R"({"token":"t","endpoint":"e","sessionId":"s","channelId":null})",
           R"({"token":"t","endpoint":"e","sessionId":"s","channelId":""})",
           R"({"token":"","endpoint":"e","sessionId":"s","channelId":"c"})",
           R"({"token":"t","endpoint":" ","sessionId":"s","channelId":"c"})",
           R"({"token":"t","endpoint":"e","sessionId":"\t\n","channelId":"c"})",
           R"({"token":null,"endpoint":"e","sessionId":"s","channelId":"c"})",
           R"({})",
       }) {
    EXPECT_EQ(decode_fail(std::string(R"({"voice":)") + voice + "}"), msg) << voice;
  }
  EXPECT_EQ(decode_fail(R"({"voice":{"token":5,"endpoint":"e","sessionId":"s","channelId":"c"}})"),
            "voice.token must be a string or null");
  EXPECT_EQ(decode_fail(R"({"voice":null})"), "voice must be an object");
}

TEST(PlayerUpdate, TypeErrors) {
  EXPECT_EQ(decode_fail(R"({"volume":"100"})"), "volume must be an integer");
  EXPECT_EQ(decode_fail(R"({"volume":50.5})"), "volume must be an integer");
  EXPECT_EQ(decode_fail(R"({"volume":100.0})"), "volume must be an integer");
  EXPECT_EQ(decode_fail(R"({"volume":null})"), "volume must be an integer");
  // Out-of-range volumes are clamped, as Lavalink does, not refused.
  EXPECT_EQ(decode_ok(R"({"volume":1001})").volume, 1000);
  EXPECT_EQ(decode_ok(R"({"volume":-1})").volume, 0);
  EXPECT_EQ(decode_ok(R"({"volume":9223372036854775807})").volume, 1000);
  EXPECT_EQ(decode_fail(R"({"volume":18446744073709551615})"), "volume must be an integer");
  EXPECT_EQ(decode_fail(R"({"paused":"true"})"), "paused must be a boolean");
  EXPECT_EQ(decode_fail(R"({"paused":null})"), "paused must be a boolean");
  EXPECT_EQ(decode_fail(R"({"position":"0"})"), "position must be an integer");
  EXPECT_EQ(decode_fail(R"({"position":null})"), "position must be an integer");
  EXPECT_EQ(decode_fail(R"({"track":null})"), "track must be an object");
  EXPECT_EQ(decode_fail(R"({"track":"QAAA"})"), "track must be an object");
  EXPECT_EQ(decode_fail(R"({"track":{"encoded":5}})"), "track.encoded must be a string or null");
  EXPECT_EQ(decode_fail(R"({"track":{"identifier":null}})"), "track.identifier must be a string");
  EXPECT_EQ(decode_fail(R"({"track":{"userData":null}})"), "track.userData must be an object");
  EXPECT_EQ(decode_fail(R"({"identifier":null})"), "identifier must be a string");
  EXPECT_EQ(decode_fail(R"({"encodedTrack":1})"), "encodedTrack must be a string or null");
  EXPECT_EQ(decode_fail(R"({"filters":null})"), "filters must be an object");
  EXPECT_EQ(decode_fail(R"({"filters":{"equalizer":[{"band":99,"gain":0}]}})"),
            "filters.equalizer[0].band must be an integer between 0 and 14");
  EXPECT_EQ(decode_fail(R"({"filters":{"timescale":{"pitch":"high"}}})"), "filters.timescale.pitch must be a number");
  EXPECT_EQ(decode_fail("[]"), "Request body must be a JSON object");
  EXPECT_EQ(decode_fail("null"), "Request body must be a JSON object");
  EXPECT_EQ(decode_fail(R"({"volume":)").rfind("invalid JSON", 0), 0u);
}

TEST(PlayerUpdate, UnknownFieldsAreIgnored) {
  const auto u = decode_ok(R"({"guildId":"1","noReplace":false,"somethingNew":{"a":[1,2]},"paused":true})");
  EXPECT_EQ(u.paused, true);
}

TEST(PlayerUpdate, ClientEncodingWritesOnlyPresentFields) {
  player_update u;
  u.track.emplace().encoded = std::optional<std::string>("QAAA");
  u.volume = 100;
  u.end_time = std::optional<std::int64_t>();
  u.voice = voice_state{"t", "e", "s", "c"};
  EXPECT_EQ(to_json(u), test::must_parse(R"({"track":{"encoded":"QAAA"},"volume":100,"endTime":null,
    "voice":{"token":"t","endpoint":"e","sessionId":"s","channelId":"c"}})"));
  auto back = decode_player_update(to_json(u));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(*back, u);
}

}  // namespace
}  // namespace vb::lavalink
