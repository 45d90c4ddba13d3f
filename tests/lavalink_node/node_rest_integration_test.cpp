// The node's REST API and WebSocket handshake against lavalink-v4.md §2-§6 (no voice).
#include "vectobeat/node/node_server.hpp"

#include <gmock/gmock.h>

#include "lavalink_node/node_fixture.hpp"

namespace vb::node::test {
namespace {

using ::testing::HasSubstr;

class NodeRest : public node_fixture {
 protected:
  void SetUp() override {
    start_node();
    ASSERT_TRUE(client_->connect());
    ASSERT_EQ(client_->session_id().size(), 16u);
  }
};

TEST_F(NodeRest, AuthorizationIsTheRawPassword401Or403) {
  auto missing = client_->call("GET", "/v4/info", {}, std::string());
  EXPECT_EQ(missing.status, 401);
  EXPECT_TRUE(missing.body.empty());
  EXPECT_EQ(missing.headers.get("Lavalink-Api-Version"), "4");
  auto wrong = client_->call("GET", "/version", {}, std::string("Bearer pw"));
  EXPECT_EQ(wrong.status, 403);
  EXPECT_TRUE(wrong.body.empty());
  auto ok = client_->call("GET", "/version");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "4.2.2");
  EXPECT_EQ(ok.headers.get("Lavalink-Api-Version"), "4");
}

TEST_F(NodeRest, InfoListsSourcesAndEnabledFilters) {
  auto v = client_->call_json("GET", "/v4/info?trace=true&unknown=1");
  const auto& o = v.as_object();
  EXPECT_EQ(json::serialize(*json::find(o, "sourceManagers")), R"(["http"])");
  auto filters = json::serialize(*json::find(o, "filters"));
  EXPECT_THAT(filters, HasSubstr("\"channelMix\""));
  EXPECT_THAT(filters, ::testing::Not(HasSubstr("karaoke")));  // disabled in the config
  EXPECT_EQ(json::get_int(*json::get_object(o, "version"), "major"), 4);
  EXPECT_TRUE(json::get_array(o, "plugins"));
}

TEST_F(NodeRest, StatsWithoutFrameStats) {
  auto v = client_->call_json("GET", "/v4/stats");
  const auto& o = v.as_object();
  EXPECT_EQ(json::get_int(o, "players"), 0);
  EXPECT_EQ(json::get_int(o, "playingPlayers"), 0);
  EXPECT_GT(json::get_int(*json::get_object(o, "memory"), "used").value_or(0), 0);
  EXPECT_GE(json::get_int(*json::get_object(o, "cpu"), "cores").value_or(0), 1);
  EXPECT_FALSE(json::find(o, "frameStats"));
}

TEST_F(NodeRest, ErrorsHaveLavalinksShapeAndTraceOnRequest) {
  auto r = client_->call("GET", "/v4/sessions/nope/players?trace=true");
  EXPECT_EQ(r.status, 404);
  auto v = json::parse(r.body);
  ASSERT_TRUE(v);
  const auto& o = v->as_object();
  EXPECT_EQ(str(o, "message"), "Session not found");
  EXPECT_EQ(str(o, "error"), "Not Found");
  EXPECT_EQ(str(o, "path"), "/v4/sessions/nope/players");
  EXPECT_EQ(json::get_int(o, "status"), 404);
  EXPECT_GT(json::get_int(o, "timestamp").value_or(0), 0);
  EXPECT_TRUE(json::find(o, "trace"));
  auto plain = json::parse(client_->call("GET", "/v4/sessions/nope/players").body);
  EXPECT_FALSE(json::find(plain->as_object(), "trace"));
  EXPECT_EQ(client_->call("GET", "/v4/nothing").status, 404);
  EXPECT_EQ(client_->call("POST", "/v4/info").status, 405);
  EXPECT_EQ(client_->call("GET", "/v3/loadtracks").status, 404);
}

TEST_F(NodeRest, DecodeTrackAndTracks) {
  const std::string rick =
      "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0"
      "dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==";
  auto t = client_->call_json("GET", "/v4/decodetrack?encodedTrack=" + net::url_encode(rick));
  EXPECT_EQ(str(*json::get_object(t.as_object(), "info"), "title"), "Rick Astley - Never Gonna Give You Up");
  auto t2 = client_->call_json("GET", "/v4/decodetrack?track=" + net::url_encode(rick));  // the alias
  EXPECT_EQ(t2, t);
  auto many = client_->call_json("POST", "/v4/decodetracks", "[\"" + rick + "\",\"" + rick + "\"]");
  EXPECT_EQ(many.as_array().size(), 2u);
  auto none = json::parse(client_->call("GET", "/v4/decodetrack").body);
  EXPECT_EQ(str(none->as_object(), "message"), "No track to decode provided");
  EXPECT_EQ(str(json::parse(client_->call("POST", "/v4/decodetracks", "[]").body)->as_object(), "message"),
            "No tracks to decode provided");
  auto bad = client_->call("GET", "/v4/decodetrack?encodedTrack=AAAA");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("Failed to decode track"));
}

TEST_F(NodeRest, LoadTracksIsAlways200) {
  auto missing = client_->call("GET", "/v4/loadtracks");
  EXPECT_EQ(missing.status, 400);
  auto empty = client_->call_json("GET", "/v4/loadtracks?identifier=ytsearch%3Afoo");  // youtube not enabled
  EXPECT_EQ(str(empty.as_object(), "loadType"), "empty");
  auto error = client_->call_json("GET", "/v4/loadtracks?identifier=" + net::url_encode(media_.url("/missing.mp3")));
  EXPECT_EQ(str(error.as_object(), "loadType"), "error");
  EXPECT_EQ(str(*json::get_object(error.as_object(), "data"), "severity"), "suspicious");
}

TEST_F(NodeRest, RoutePlannerIsAbsent) {
  EXPECT_EQ(client_->call("GET", "/v4/routeplanner/status").status, 204);
  auto r = client_->call("POST", "/v4/routeplanner/free/all");
  EXPECT_EQ(r.status, 500);
  EXPECT_THAT(r.body, HasSubstr("Can't access disabled route planner"));
}

TEST_F(NodeRest, SessionPatchUpdatesResuming) {
  auto v = client_->call_json("PATCH", "/v4/sessions/" + client_->session_id(), R"({"resuming":true,"timeout":30})");
  EXPECT_EQ(json::serialize(v), R"({"resuming":true,"timeout":30})");
  v = client_->call_json("PATCH", "/v4/sessions/" + client_->session_id(), R"({"timeout":45})");
  EXPECT_EQ(json::serialize(v), R"({"resuming":true,"timeout":45})");  // absent fields unchanged
  EXPECT_EQ(client_->call("PATCH", "/v4/sessions/nope", "{}").status, 404);
  EXPECT_EQ(client_->call("PATCH", "/v4/sessions/" + client_->session_id(), R"({"timeout":-1})").status, 400);
}

TEST_F(NodeRest, PlayerLifecycleAndValidation) {
  const auto base = "/v4/sessions/" + client_->session_id() + "/players";
  EXPECT_EQ(client_->call_json("GET", base), boost::json::array());
  auto missing = client_->call("GET", base + "/123");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body, HasSubstr("Player not found"));
  EXPECT_EQ(client_->call("GET", base + "/notanumber").status, 400);

  auto p = patch(guild_a, R"({"volume":80,"paused":true,"unknownField":1})");
  const auto& o = p.as_object();
  EXPECT_EQ(str(o, "guildId"), std::to_string(guild_a));
  EXPECT_TRUE(json::find(o, "track")->is_null());
  EXPECT_EQ(json::get_int(o, "volume"), 80);
  EXPECT_EQ(json::get_bool(o, "paused"), true);
  EXPECT_EQ(json::serialize(*json::find(o, "voice")), R"({"token":"","endpoint":"","sessionId":"","channelId":null})");
  EXPECT_EQ(json::serialize(*json::find(o, "filters")), "{}");
  const auto& state = *json::get_object(o, "state");
  EXPECT_EQ(json::get_bool(state, "connected"), false);
  EXPECT_EQ(json::get_int(state, "ping"), -1);
  EXPECT_EQ(json::get_int(state, "time"), clock_.unix_ms());

  EXPECT_EQ(json::get_int(patch(guild_a, R"({"volume":5000})").as_object(), "volume"), 1000);  // clamped
  auto no_channel = client_->call("PATCH", players_path(guild_a),
                                  R"({"voice":{"token":"t","endpoint":"e:1","sessionId":"s"}})");
  EXPECT_EQ(no_channel.status, 400);
  EXPECT_THAT(no_channel.body, HasSubstr("token, endpoint, sessionId and channelId must be provided in voice state"));
  auto disabled = client_->call("PATCH", players_path(guild_a), R"({"filters":{"karaoke":{},"volume":2.0}})");
  EXPECT_EQ(disabled.status, 400);
  EXPECT_THAT(disabled.body, HasSubstr("Following filters are disabled in the config: karaoke"));
  auto both = client_->call("PATCH", players_path(guild_a), R"({"track":{"encoded":null},"encodedTrack":null})");
  EXPECT_THAT(both.body, HasSubstr("Cannot specify both track and encodedTrack/identifier"));
  auto end0 = client_->call("PATCH", players_path(guild_a), R"({"endTime":0})");
  EXPECT_THAT(end0.body, HasSubstr("End time must be greater than 0"));
  auto not_found = client_->call("PATCH", players_path(guild_a), R"({"track":{"identifier":"nothing matches this"}})");
  EXPECT_EQ(not_found.status, 400);
  EXPECT_THAT(not_found.body, HasSubstr("No matches found for identifier"));

  auto f = patch(guild_a, R"({"filters":{"volume":1.0,"timescale":{"speed":1.2},"lowPass":{"smoothing":20.0}}})");
  EXPECT_EQ(json::serialize(*json::find(f.as_object(), "filters")),
            R"({"volume":1E0,"timescale":{"speed":1.2E0,"pitch":1E0,"rate":1E0},"lowPass":{"smoothing":2E1}})");
  EXPECT_EQ(client_->call_json("GET", base).as_array().size(), 1u);
  EXPECT_EQ(client_->call("DELETE", base + "/" + std::to_string(guild_a)).status, 204);
  EXPECT_EQ(client_->call("DELETE", base + "/" + std::to_string(guild_a)).status, 204);  // no player: still 204
  EXPECT_EQ(client_->call("GET", base + "/" + std::to_string(guild_a)).status, 404);
  EXPECT_EQ(client_->call("DELETE", "/v4/sessions/nope/players/1").status, 404);
}

TEST_F(NodeRest, WebSocketHandshake) {
  auto ws = client_->socket();
  EXPECT_EQ(ws->handshake_headers().get("Session-Resumed"), "false");
  EXPECT_EQ(ws->handshake_headers().get("Lavalink-Api-Version"), "4");
  auto first = client_->messages().at(0);
  EXPECT_EQ(str(first, "op"), "ready");
  EXPECT_EQ(json::get_bool(first, "resumed"), false);
  const auto sid = str(first, "sessionId");
  EXPECT_EQ(sid.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
  auto stats = client_->messages().wait(0, op_is("stats"));
  ASSERT_TRUE(stats);  // at connection time, not only after 60 s
  EXPECT_FALSE(json::find(client_->messages().at(*stats), "frameStats"));
  const auto before = client_->messages().size();
  clock_.advance(std::chrono::seconds(60));
  EXPECT_TRUE(client_->messages().wait(before, op_is("stats")));
  ws->send_text("{\"op\":\"voiceUpdate\"}");  // v3 message: ignored, the socket stays open
  EXPECT_EQ(client_->call("GET", "/v4/sessions/" + sid + "/players").status, 200);

  node_client other(ex(), port_, "pw");
  auto bad_auth = other.connect(std::nullopt, std::string("wrong"));
  ASSERT_FALSE(bad_auth);
  EXPECT_EQ(bad_auth.error().http_status, 401);
  auto no_user = other.connect(std::nullopt, std::nullopt, false);
  ASSERT_FALSE(no_user);
  EXPECT_EQ(no_user.error().http_status, 400);
  auto not_resumable = other.connect(sid);  // resuming is off: a new session
  ASSERT_TRUE(not_resumable);
  EXPECT_EQ((*not_resumable)->handshake_headers().get("Session-Resumed"), "false");
  EXPECT_NE(other.session_id(), sid);
  EXPECT_EQ(node_->session_count(), 2u);
}

}  // namespace
}  // namespace vb::node::test
