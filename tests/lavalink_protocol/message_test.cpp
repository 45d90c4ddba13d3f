#include "vectobeat/lavalink/message.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

std::string event(std::string_view type, std::string_view extra) {
  return std::string(R"({"op":"event","type":")") + std::string(type) +
         R"(","guildId":"817327181659111454","track":)" + test::sample_track_json + std::string(extra) + "}";
}

TEST(MessageJson, Ready) {
  const auto m = test::golden<message>(R"({"op": "ready", "resumed": false, "sessionId": "xtaug914v9k5032f"})");
  ASSERT_TRUE(std::holds_alternative<ready_message>(m));
  EXPECT_EQ(std::get<ready_message>(m), (ready_message{false, "xtaug914v9k5032f"}));
  EXPECT_TRUE(std::get<ready_message>(test::golden<message>(R"({"op":"ready","resumed":true,"sessionId":"a"})")).resumed);
}

TEST(MessageJson, PlayerUpdate) {
  const auto m = test::golden<message>(R"({"op": "playerUpdate", "guildId": "817327181659111454",
    "state": {"time": 1500467109, "position": 60000, "connected": true, "ping": 50}})");
  const auto& u = std::get<player_update_message>(m);
  EXPECT_EQ(u.guild_id, 817327181659111454u);
  EXPECT_EQ(u.state, (player_state{1500467109, 60000, true, 50}));
}

TEST(MessageJson, Stats) {
  const auto m = test::golden<message>(R"({"op":"stats","players":1,"playingPlayers":1,"uptime":123456789,
    "memory":{"free":123456789,"used":123456789,"allocated":123456789,"reservable":123456789},
    "cpu":{"cores":4,"systemLoad":0.5,"lavalinkLoad":0.5},"frameStats":{"sent":6000,"nulled":10,"deficit":-3010}})");
  const auto& s = std::get<stats_message>(m).stats;
  EXPECT_EQ(s.cpu.cores, 4);
  EXPECT_EQ(s.frame_stats->deficit, -3010);
}

TEST(MessageJson, TrackStartEvent) {
  const auto m = test::golden<message>(event("TrackStartEvent", ""));
  const auto& e = std::get<track_start_event>(m);
  EXPECT_EQ(e.guild_id, 817327181659111454u);
  EXPECT_EQ(e.track.info.identifier, "dQw4w9WgXcQ");
}

TEST(MessageJson, TrackEndEventEveryReason) {
  struct reason_case {
    const char* name;
    track_end_reason reason;
    bool may_start_next;
  };
  for (const auto& c : {reason_case{"finished", track_end_reason::finished, true},
                        reason_case{"loadFailed", track_end_reason::load_failed, true},
                        reason_case{"stopped", track_end_reason::stopped, false},
                        reason_case{"replaced", track_end_reason::replaced, false},
                        reason_case{"cleanup", track_end_reason::cleanup, false}}) {
    const auto m = test::golden<message>(event("TrackEndEvent", std::string(R"(,"reason":")") + c.name + "\""));
    const auto& e = std::get<track_end_event>(m);
    EXPECT_EQ(e.reason, c.reason) << c.name;
    EXPECT_EQ(may_start_next(e.reason), c.may_start_next) << c.name;
    EXPECT_EQ(to_string(c.reason), c.name);
  }
  EXPECT_EQ(parse_track_end_reason("LOAD_FAILED"), track_end_reason::load_failed);  // v3 spelling
  EXPECT_EQ(parse_track_end_reason("FINISHED"), track_end_reason::finished);
  EXPECT_EQ(parse_track_end_reason("done"), std::nullopt);
  EXPECT_EQ(parse_track_end_reason("loadFailedX"), std::nullopt);
  EXPECT_EQ(parse_track_end_reason(""), std::nullopt);
}

TEST(MessageJson, TrackExceptionEvent) {
  const auto m = test::golden<message>(event("TrackExceptionEvent", R"(,"exception":{"message":"Something broke",
    "severity":"suspicious","cause":"java.io.IOException: Something broke","causeStackTrace":"at x"})"));
  const auto& e = std::get<track_exception_event>(m);
  EXPECT_EQ(e.exception.message, "Something broke");
  EXPECT_EQ(e.exception.severity, exception_severity::suspicious);
}

TEST(MessageJson, TrackStuckEvent) {
  const auto m = test::golden<message>(event("TrackStuckEvent", R"(,"thresholdMs":10000)"));
  EXPECT_EQ(std::get<track_stuck_event>(m).threshold_ms, 10000);
}

TEST(MessageJson, WebSocketClosedEvent) {
  const auto m = test::golden<message>(R"({"op":"event","type":"WebSocketClosedEvent","guildId":"817327181659111454",
    "code":4006,"reason":"Your session is no longer valid.","byRemote":true})");
  EXPECT_EQ(std::get<websocket_closed_event>(m),
            (websocket_closed_event{817327181659111454u, 4006, "Your session is no longer valid.", true}));
}

TEST(MessageJson, UnknownOpsAndEventsAreKeptNotRejected) {
  const auto plugin = test::golden<message>(R"({"op":"event","type":"LyricsFoundEvent","guildId":"1","lyrics":{}})");
  const auto& u = std::get<unknown_message>(plugin);
  EXPECT_EQ(u.op, "event");
  EXPECT_EQ(u.type, "LyricsFoundEvent");
  EXPECT_EQ(u.raw.at("guildId"), "1");
  const auto no_guild = test::golden<message>(R"({"op":"event","type":"NodeWideEvent"})");
  EXPECT_EQ(std::get<unknown_message>(no_guild).type, "NodeWideEvent");
  const auto op = test::golden<message>(R"({"op":"somethingNew","x":1})");
  EXPECT_EQ(std::get<unknown_message>(op).op, "somethingNew");
  EXPECT_EQ(std::get<unknown_message>(op).type, "");
}

TEST(MessageJson, Errors) {
  EXPECT_EQ(test::decode_error<message>(R"({"resumed":true})"), "op is missing");
  EXPECT_EQ(test::decode_error<message>(R"({"op":5})"), "op must be a string");
  EXPECT_EQ(test::decode_error<message>(R"({"op":"ready","resumed":"no","sessionId":"a"})"),
            "resumed must be a boolean");
  EXPECT_EQ(test::decode_error<message>(R"({"op":"event","guildId":"1"})"), "type is missing");
  EXPECT_EQ(test::decode_error<message>(R"({"op":"event","type":"TrackEndEvent","guildId":"1","track":{}})"),
            "track.encoded is missing");
  EXPECT_EQ(test::decode_error<message>(event("TrackEndEvent", R"(,"reason":"done")")),
            "reason must be one of finished, loadFailed, stopped, replaced, cleanup");
  EXPECT_EQ(test::decode_error<message>(R"({"op":"playerUpdate","guildId":1,"state":{}})"),
            "guildId must be a snowflake (a string holding a 64-bit integer)");
  EXPECT_EQ(test::decode_error<message>("[1]"), "JSON value must be an object");
  EXPECT_FALSE(parse_message("{"));
  EXPECT_TRUE(parse_message(R"({"op":"ready","resumed":false,"sessionId":"a"})"));
}

}  // namespace
}  // namespace vb::lavalink
