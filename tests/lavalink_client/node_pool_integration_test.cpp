#include "vectobeat/lavalink_client/node_pool.hpp"

#include <gtest/gtest.h>

#include <future>

#include "pool_fixture.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::llc::test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t guild = 10;

lavalink::stats busy_stats(int playing) {
  lavalink::stats s;
  s.players = playing;
  s.playing_players = playing;
  s.cpu.cores = 2;
  s.cpu.system_load = 0.5;
  return s;
}

// PATCHes of the guild's player with a track in them, on that server.
std::vector<recorded_request> track_patches(const scripted_lavalink_server& s, std::uint64_t g = guild) {
  std::vector<recorded_request> out;
  for (auto& r : s.requests("PATCH", "/v4/sessions/"))
    if (r.path.ends_with("/players/" + std::to_string(g)) && r.body.find("\"track\"") != std::string::npos)
      out.push_back(r);
  return out;
}

std::vector<recorded_request> voice_patches(const scripted_lavalink_server& s, std::uint64_t g = guild) {
  std::vector<recorded_request> out;
  for (auto& r : s.requests("PATCH", "/v4/sessions/"))
    if (r.path.ends_with("/players/" + std::to_string(g)) && r.body.find("\"voice\"") != std::string::npos)
      out.push_back(r);
  return out;
}

boost::json::object body_of(const recorded_request& r) {
  auto v = vb::json::parse(r.body);
  EXPECT_TRUE(v && v->is_object()) << r.body;
  return v && v->is_object() ? v->as_object() : boost::json::object{};
}

class NodePoolTest : public pool_test {
 protected:
  // Two nodes; beta is busier so new players land on alpha.
  void start_two() {
    a_ = make_server("alpha");
    b_ = make_server("beta");
    b_->set_stats(busy_stats(20));
    start_pool({a_->config("alpha", "eu"), b_->config("beta", "us")}, options());
    ASSERT_TRUE(node_ready("alpha"));
    ASSERT_TRUE(node_ready("beta"));
    ASSERT_TRUE(resuming_known(*a_));
    ASSERT_TRUE(resuming_known(*b_));
  }

  void start_one() {
    a_ = make_server("alpha");
    start_pool({a_->config("alpha", "eu")}, options());
    ASSERT_TRUE(node_ready("alpha"));
    ASSERT_TRUE(resuming_known(*a_));
  }

  // A playing player at `position` ms on its node, with paused/volume/filters set.
  void playing_at(std::int64_t position, scripted_lavalink_server& on) {
    join_voice(guild);
    track_ = make_test_track("abc", "Song", 300000);
    track_.user_data["requester"] = "555";
    auto r = run(pool_->play(guild, track_, play_options{}));
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_TRUE(eventually([&] { return events_.count<track_started>() == 1; }));
    on.set_player_position(guild, position);  // PATCH answers carry the live position
    lavalink::player_update_message u;
    u.guild_id = guild;
    u.state = {0, position, true, 20};
    on.send(lavalink::message{u});
    ASSERT_TRUE(eventually([&] { return events_.count<player_updated>() >= 1; }));
  }

  std::optional<player_snapshot> snap() { return run(pool_->player(guild)); }

  std::unique_ptr<scripted_lavalink_server> a_, b_;
  lavalink::track track_;
};

TEST_F(NodePoolTest, NewPlayerGoesToTheLowestPenaltyNode) {
  start_two();
  join_voice(guild);
  EXPECT_EQ(snap()->node, "alpha");
  EXPECT_EQ(voice_patches(*a_).size(), 1u);
  EXPECT_TRUE(voice_patches(*b_).empty());
  EXPECT_EQ(pool_->best_node(""), std::optional<std::string>("alpha"));
}

TEST_F(NodePoolTest, GuildRegionWinsOverPenalty) {
  start_two();
  run(pool_->set_region(guild, std::string("us")));
  join_voice(guild);
  EXPECT_EQ(snap()->node, "beta");  // busier, but in the guild's region
  EXPECT_EQ(pool_->best_node("US"), std::optional<std::string>("beta"));
  EXPECT_EQ(pool_->best_node("apac"), std::optional<std::string>("alpha"));  // none there: any
}

TEST_F(NodePoolTest, VoiceIsForwardedWithAllFourFieldsOnceComplete) {
  start_one();
  ASSERT_TRUE(run(pool_->voice_state_update(guild, std::string("vs-1"), 500)));
  EXPECT_TRUE(voice_patches(*a_).empty());
  ASSERT_TRUE(run(pool_->voice_server_update(guild, std::string("tok-1"), std::string("eu1.discord.media:443"))));
  auto sent = voice_patches(*a_);
  ASSERT_EQ(sent.size(), 1u);
  auto voice = body_of(sent[0]).at("voice").as_object();
  EXPECT_EQ(voice.at("token"), "tok-1");
  EXPECT_EQ(voice.at("endpoint"), "eu1.discord.media:443");
  EXPECT_EQ(voice.at("sessionId"), "vs-1");
  EXPECT_EQ(voice.at("channelId"), "500");
  EXPECT_EQ(a_->players().at(guild).voice.channel_id, std::optional<std::string>("500"));

  // The voice server is being reallocated: nothing, then the new server.
  ASSERT_TRUE(run(pool_->voice_server_update(guild, std::string("tok-2"), std::nullopt)));
  EXPECT_EQ(voice_patches(*a_).size(), 1u);
  ASSERT_TRUE(run(pool_->voice_server_update(guild, std::string("tok-3"), std::string("eu2.discord.media:443"))));
  ASSERT_EQ(voice_patches(*a_).size(), 2u);
  EXPECT_EQ(body_of(voice_patches(*a_)[1]).at("voice").as_object().at("token"), "tok-3");
  // Same endpoint, new token (a channel move): sent again.
  ASSERT_TRUE(run(pool_->voice_server_update(guild, std::string("tok-4"), std::string("eu2.discord.media:443"))));
  EXPECT_EQ(voice_patches(*a_).size(), 3u);
}

TEST_F(NodePoolTest, PlayBeforeVoiceIsSentTogetherWithTheVoice) {
  start_one();
  auto t = make_test_track("abc", "Song");
  auto r = run(pool_->play(guild, t, play_options{}));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(track_patches(*a_).empty());
  join_voice(guild);
  auto sent = a_->requests("PATCH", "/v4/sessions/" + *a_->session_id() + "/players/");
  ASSERT_EQ(sent.size(), 1u);
  auto body = body_of(sent[0]);
  EXPECT_TRUE(body.contains("voice"));
  EXPECT_EQ(body.at("track").as_object().at("encoded"), boost::json::value(t.encoded));
  ASSERT_TRUE(eventually([&] { return events_.count<track_started>() == 1; }));
}

TEST_F(NodePoolTest, EventsAreDecodedAndEveryEndedTrackAdvancesExactlyOnce) {
  start_one();
  playing_at(1000, *a_);
  a_->send(lavalink::message{lavalink::track_stuck_event{guild, track_, 10000}});
  lavalink::exception_info ex;
  ex.message = "boom";
  ex.severity = lavalink::exception_severity::suspicious;
  ex.cause = "java.io.IOException: boom";
  a_->send(lavalink::message{lavalink::track_exception_event{guild, track_, ex}});
  a_->send(lavalink::message{lavalink::track_end_event{guild, track_, lavalink::track_end_reason::finished}});
  a_->send(lavalink::message{lavalink::track_end_event{guild, track_, lavalink::track_end_reason::finished}});
  a_->send(lavalink::message{lavalink::websocket_closed_event{guild, 4006, "Session is no longer valid.", true}});
  ASSERT_TRUE(eventually([&] { return events_.count<voice_closed>() == 1; }));
  auto stuck = events_.of<track_stuck>();
  ASSERT_EQ(stuck.size(), 1u);
  EXPECT_EQ(stuck[0].threshold_ms, 10000);
  auto exc = events_.of<track_exception>();
  ASSERT_EQ(exc.size(), 1u);
  EXPECT_EQ(exc[0].exception.message, std::optional<std::string>("boom"));
  auto ended = events_.of<track_ended>();
  ASSERT_EQ(ended.size(), 1u);  // the repeated end was dropped
  EXPECT_TRUE(ended[0].may_start_next);
  EXPECT_EQ(ended[0].track.user_data.at("requester"), "555");
  EXPECT_EQ(events_.of<voice_closed>()[0].code, 4006);
  auto started = events_.of<track_started>();
  ASSERT_EQ(started.size(), 1u);
  EXPECT_FALSE(started[0].replayed);
  EXPECT_EQ(events_.of<player_updated>().at(0).position, 1000);
}

TEST_F(NodePoolTest, SkippingAStuckTrackIsTheOnlyAdvance) {
  start_one();
  playing_at(1000, *a_);
  a_->send(lavalink::message{lavalink::track_stuck_event{guild, track_, 10000}});
  ASSERT_TRUE(eventually([&] { return events_.count<track_stuck>() == 1; }));
  auto next = make_test_track("def", "Next");
  ASSERT_TRUE(run(pool_->play(guild, next, play_options{})));  // the bot's skip
  ASSERT_TRUE(eventually([&] { return events_.count<track_started>() == 2; }));
  auto ended = events_.of<track_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].reason, lavalink::track_end_reason::replaced);
  EXPECT_FALSE(ended[0].may_start_next);
}

TEST_F(NodePoolTest, FailoverReplaysEveryPlayerOnTheOtherNodeWithItsState) {
  start_two();
  playing_at(30000, *a_);
  ASSERT_TRUE(run(pool_->set_volume(guild, 80)));
  lavalink::filters f;
  f.timescale = lavalink::timescale_filter{1.0, 1.2, 1.0};
  ASSERT_TRUE(run(pool_->set_filters(guild, f)));
  ASSERT_TRUE(run(pool_->pause(guild, true)));
  const auto b_session = *b_->session_id();

  const auto lost_at = clk_.now();
  const auto wall = std::chrono::steady_clock::now();
  a_->drop();
  ASSERT_TRUE(eventually([&] { return !track_patches(*b_).empty(); }));
  std::cout << "[ measure  ] socket drop to replay PATCH on the other node: "
            << std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - wall).count()
            << " us (wall clock, loopback)\n";
  auto sent = track_patches(*b_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].path, "/v4/sessions/" + b_session + "/players/10");
  EXPECT_LE(sent[0].at - lost_at, 2s);
  auto body = body_of(sent[0]);
  auto voice = body.at("voice").as_object();
  EXPECT_EQ(voice.at("token"), "voice-token");
  EXPECT_EQ(voice.at("endpoint"), "voice.example:443");
  EXPECT_EQ(voice.at("sessionId"), "voice-session");
  EXPECT_EQ(voice.at("channelId"), "500");
  EXPECT_EQ(body.at("track").as_object().at("encoded"), boost::json::value(track_.encoded));
  EXPECT_EQ(body.at("track").as_object().at("userData").as_object().at("requester"), "555");
  EXPECT_EQ(body.at("position"), 29000);
  EXPECT_EQ(body.at("paused"), true);
  EXPECT_EQ(body.at("volume"), 80);
  EXPECT_EQ(body.at("filters").as_object().at("timescale").as_object().at("pitch"), 1.2);

  ASSERT_TRUE(eventually([&] { return events_.count<player_moved>() == 1; }));
  auto moved = events_.of<player_moved>()[0];
  EXPECT_EQ(moved.guild_id, guild);
  EXPECT_EQ(moved.from, "alpha");
  EXPECT_EQ(moved.to, "beta");
  EXPECT_EQ(events_.of<node_down>().at(0).node, "alpha");
  // beta's TrackStart is the replay, not a new track.
  ASSERT_TRUE(eventually([&] { return events_.count<track_started>() == 2; }));
  EXPECT_TRUE(events_.of<track_started>()[1].replayed);
  EXPECT_EQ(events_.of<track_started>()[1].node, "beta");
  auto s = snap();
  EXPECT_EQ(s->node, "beta");
  EXPECT_EQ(s->position, 29000);
  EXPECT_TRUE(s->paused);
  EXPECT_EQ(events_.count<track_ended>(), 0u);  // the queue does not move

  // alpha comes back and resumes its session: its copy of the player is deleted.
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return !a_->requests("DELETE", "/v4/sessions/").empty(); }));
  EXPECT_TRUE(a_->last_resumed());
  EXPECT_TRUE(a_->players().empty());
  EXPECT_EQ(snap()->node, "beta");
  // Late messages from alpha about the guild are ignored.
  a_->send(lavalink::message{lavalink::track_end_event{guild, track_, lavalink::track_end_reason::finished}});
  b_->send(lavalink::message{lavalink::player_update_message{guild, {0, 29500, true, 20}}});
  ASSERT_TRUE(eventually([&] { return snap()->position == 29500; }));
  EXPECT_EQ(events_.count<track_ended>(), 0u);
}

TEST_F(NodePoolTest, StaleStatsMoveThePlayersOff) {
  start_two();
  playing_at(5000, *a_);
  ASSERT_TRUE(eventually([&] { return clk_.waiting_timers() >= 2; }));  // both watchdogs
  clk_.advance(60s);
  auto fresh = busy_stats(20);
  fresh.uptime = 60000;
  b_->set_stats(fresh);
  b_->send_stats();
  ASSERT_TRUE(eventually([&] {
    for (auto& v : run(pool_->nodes()))
      if (v.name == "beta" && v.stats && v.stats->uptime == 60000) return true;
    return false;
  }));
  EXPECT_TRUE(track_patches(*b_).empty());
  clk_.advance(10s);  // alpha: 70 s without stats
  ASSERT_TRUE(eventually([&] { return events_.count<player_moved>() == 1; }));
  EXPECT_EQ(events_.of<node_down>().at(0).reason, "no stats for 70 s");
  auto sent = track_patches(*b_);
  ASSERT_EQ(sent.size(), 1u);
  // Extrapolated: 5000 + 70 s of playing, minus the 1 s rewind.
  EXPECT_EQ(body_of(sent[0]).at("position"), 74000);
}

TEST_F(NodePoolTest, WithoutAnyNodeTheBotIsToldToLeaveVoiceAfterTheGrace) {
  start_one();
  playing_at(20000, *a_);
  a_->refuse_connections(true);
  a_->drop();
  ASSERT_TRUE(eventually([&] { return events_.count<node_down>() == 1; }));
  clk_.advance(9s);
  EXPECT_EQ(events_.count<leave_voice>(), 0u);
  auto during = run(pool_->pause(guild, true));
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, client_errc::no_node);
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return events_.count<leave_voice>() == 1; }));
  auto leave = events_.of<leave_voice>()[0];
  EXPECT_EQ(leave.guild_id, guild);
  EXPECT_EQ(leave.node, "alpha");
  ASSERT_TRUE(leave.last.track.has_value());
  EXPECT_EQ(leave.last.track->encoded, track_.encoded);
  EXPECT_EQ(leave.last.position, 19000);
  EXPECT_TRUE(leave.last.paused);  // the pause asked for during the outage is kept
  EXPECT_FALSE(snap().has_value());
}

TEST_F(NodePoolTest, ANodeThatResumesWithinTheGraceKeepsItsPlayersPlaying) {
  start_one();
  playing_at(20000, *a_);
  const auto patches_before = a_->requests("PATCH", "/v4/sessions/").size();
  a_->drop();
  ASSERT_TRUE(eventually([&] { return events_.count<node_down>() == 1; }));
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return events_.count<node_up>() == 2; }));
  EXPECT_TRUE(events_.of<node_up>()[1].resumed);
  clk_.advance(20s);
  EXPECT_EQ(events_.count<leave_voice>(), 0u);
  EXPECT_EQ(events_.count<player_moved>(), 0u);
  // The resumed session is configured again (PATCH /v4/sessions/{id}, then GET /v4/info).
  ASSERT_TRUE(eventually([&] { return a_->requests("GET", "/v4/info").size() == 2; }));
  // Nothing was replayed: the node kept playing (only the resumed session's PATCH).
  EXPECT_EQ(a_->requests("PATCH", "/v4/sessions/").size(), patches_before + 1);
  EXPECT_EQ(snap()->node, "alpha");
}

TEST_F(NodePoolTest, ARestartedNodeGetsItsPlayersBack) {
  start_one();
  playing_at(20000, *a_);
  a_->forget_sessions();
  ASSERT_TRUE(eventually([&] { return events_.count<node_down>() == 1; }));
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return track_patches(*a_).size() == 2; }));
  auto replay = track_patches(*a_)[1];
  EXPECT_EQ(replay.path, "/v4/sessions/" + *a_->session_id() + "/players/10");
  auto body = body_of(replay);
  EXPECT_EQ(body.at("position"), 19000);
  EXPECT_TRUE(body.contains("voice"));
  ASSERT_TRUE(eventually([&] { return events_.count<track_started>() == 2; }));
  EXPECT_TRUE(events_.of<track_started>()[1].replayed);
  EXPECT_EQ(events_.count<player_moved>(), 0u);
  EXPECT_EQ(events_.count<leave_voice>(), 0u);
}

TEST_F(NodePoolTest, LoadTracksSkipsANodeThatFails) {
  start_two();
  lavalink::load_result r;
  r.data = lavalink::search_result{{make_test_track("x", "X")}};
  b_->set_load_result("ytsearch:x", r);
  a_->fail_next(503, "overloaded", 1, "/v4/loadtracks");
  auto loaded = run(pool_->load_tracks(std::string("ytsearch:x"), std::string()));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->type(), lavalink::load_type::search);
  EXPECT_EQ(a_->requests("GET", "/v4/loadtracks").size(), 1u);
  EXPECT_EQ(b_->requests("GET", "/v4/loadtracks").size(), 1u);

  a_->fail_next(400, "bad identifier", 1, "/v4/loadtracks");
  auto refused = run(pool_->load_tracks(std::string("ytsearch:x"), std::string()));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "bad identifier");
  EXPECT_EQ(b_->requests("GET", "/v4/loadtracks").size(), 1u);  // a 4xx is not retried elsewhere
}

TEST_F(NodePoolTest, RefusedFiltersAreNotReplayedOnFailover) {
  start_two();
  playing_at(1000, *a_);
  a_->fail_next(400, "Following filters are disabled in the config: karaoke", 1, "/v4/sessions/");
  lavalink::filters f;
  f.karaoke = lavalink::karaoke_filter{};
  auto r = run(pool_->set_filters(guild, f));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 400);
  EXPECT_TRUE(snap()->filters.empty());
  a_->drop();
  ASSERT_TRUE(eventually([&] { return track_patches(*b_).size() == 1; }));
  EXPECT_FALSE(body_of(track_patches(*b_)[0]).contains("filters"));
}

TEST_F(NodePoolTest, MoveReplaysOnTheTargetAndDeletesTheOldCopy) {
  start_two();
  playing_at(42000, *a_);
  auto r = run(pool_->move(guild, std::string("beta")));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->node, "beta");
  auto sent = track_patches(*b_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(body_of(sent[0]).at("position"), 42000);
  ASSERT_TRUE(eventually([&] { return a_->requests("DELETE", "/v4/sessions/").size() == 1; }));
  EXPECT_EQ(events_.count<player_moved>(), 1u);
  auto missing = run(pool_->move(guild, std::string("gamma")));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, client_errc::no_node);
}

TEST_F(NodePoolTest, OperationsValidateTheirArguments) {
  start_one();
  EXPECT_EQ(run(pool_->pause(77, true)).error().code, client_errc::player_not_found);
  join_voice(guild);
  EXPECT_EQ(run(pool_->set_volume(guild, 1001)).error().code, client_errc::invalid_argument);
  EXPECT_EQ(run(pool_->seek(guild, 1000)).error().code, client_errc::invalid_argument);  // nothing plays
  play_options o;
  o.end_time = 0;
  EXPECT_EQ(run(pool_->play(guild, make_test_track("a", "A"), o)).error().code, client_errc::invalid_argument);
  ASSERT_TRUE(run(pool_->destroy(guild)));
  EXPECT_EQ(a_->requests("DELETE", "/v4/sessions/").size(), 1u);
  EXPECT_FALSE(snap().has_value());
}

TEST_F(NodePoolTest, ABotRestartResumesTheSessionAndKeepsWhatThenodePlays) {
  start_one();
  playing_at(50000, *a_);
  a_->set_player_position(guild, 50000);
  auto saved = *snap();
  auto sessions = pool_->resume_sessions();
  ASSERT_EQ(sessions.size(), 1u);
  pool_->stop();
  ASSERT_TRUE(eventually([&] { return a_->live_connections() == 0; }));
  const auto track_patches_before = track_patches(*a_).size();

  // The new process: restore the saved player, then resume the node's session.
  event_recorder second;
  auto next = std::make_unique<node_pool>(strand_, clk_, std::vector<node_config>{a_->config("alpha", "eu")}, options());
  next->on_event([&second](const event& e) { second(e); });
  run(next->restore(saved));
  next->start(bot_user, sessions);
  ASSERT_TRUE(eventually([&] { return second.count<node_up>() == 1; }));
  EXPECT_TRUE(second.of<node_up>()[0].resumed);
  EXPECT_EQ(std::string(a_->last_handshake().get("Session-Id").value_or("")), sessions.at("alpha"));
  ASSERT_TRUE(eventually([&] { return !a_->requests("GET", "/v4/sessions/").empty(); }));
  // The bot rejoins voice: only the voice goes out, the track keeps playing.
  ASSERT_TRUE(eventually([&] {
    auto p = run(next->player(guild));
    return p && p->position == 50000;
  }));
  ASSERT_TRUE(run(next->voice_state_update(guild, std::string("voice-session-2"), 500)));
  ASSERT_TRUE(run(next->voice_server_update(guild, std::string("voice-token-2"), std::string("voice.example:443"))));
  EXPECT_EQ(track_patches(*a_).size(), track_patches_before);
  EXPECT_EQ(body_of(voice_patches(*a_).back()).at("voice").as_object().at("token"), "voice-token-2");
  next->stop();
  pool_.reset();
  stop_io();
}

TEST_F(NodePoolTest, ARestoredPlayerIsReplayedOnceTheVoiceIsBack) {
  start_one();
  player_snapshot saved;
  saved.guild_id = guild;
  saved.node = "gone";
  saved.track = make_test_track("abc", "Song", 300000);
  saved.position = 123000;
  saved.volume = 70;
  run(pool_->restore(saved));
  EXPECT_TRUE(a_->requests("PATCH", "/v4/sessions/" + *a_->session_id() + "/players").empty());
  join_voice(guild);
  auto sent = track_patches(*a_);
  ASSERT_EQ(sent.size(), 1u);
  auto body = body_of(sent[0]);
  EXPECT_EQ(body.at("position"), 123000);
  EXPECT_EQ(body.at("volume"), 70);
  EXPECT_TRUE(body.contains("voice"));
  ASSERT_TRUE(eventually([&] { return events_.count<track_started>() == 1; }));
  EXPECT_TRUE(events_.of<track_started>()[0].replayed);  // announced before the restart
}


TEST_F(NodePoolTest, ConcurrentChangesReachTheNodeInOrder) {
  start_one();
  playing_at(1000, *a_);
  std::vector<std::future<void>> done;
  for (int v = 1; v <= 40; ++v) {
    auto change = [this](int volume) -> task<void> {
      auto r = co_await pool_->set_volume(guild, volume);
      EXPECT_TRUE(r);
    };
    done.push_back(std::async(std::launch::async, [this, v, change] { run(change(v)); }));
  }
  for (auto& d : done) d.get();
  // Whatever order they arrived in, the node has what the pool believes.
  EXPECT_EQ(a_->players().at(guild).volume, snap()->volume);
}

TEST_F(NodePoolTest, FiftyPlayersMoveTogether) {
  start_two();
  constexpr int players = 50;
  for (int g = 1; g <= players; ++g) {
    join_voice(static_cast<std::uint64_t>(g));
    ASSERT_TRUE(run(pool_->play(static_cast<std::uint64_t>(g), make_test_track("t" + std::to_string(g), "T"),
                                play_options{})));
  }
  ASSERT_EQ(a_->players().size(), static_cast<std::size_t>(players));
  const auto wall = std::chrono::steady_clock::now();
  a_->drop();
  ASSERT_TRUE(eventually([&] { return events_.count<player_moved>() == players; }));
  std::cout << "[ measure  ] " << players << " players moved after a node loss in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wall).count()
            << " ms (wall clock, loopback)\n";
  EXPECT_EQ(b_->players().size(), static_cast<std::size_t>(players));
  for (auto& [g, p] : b_->players()) EXPECT_TRUE(p.track.has_value()) << g;
}

}  // namespace
}  // namespace vb::llc::test
