// The node end to end: tracks played into a loopback Discord voice server, events in order
// with the right reasons, pause/seek/volume/filters, stuck tracks, voice closes, resuming.
#include "vectobeat/node/node_server.hpp"

#include <gmock/gmock.h>

#include "discord_voice/test_certificate.hpp"
#include "lavalink_node/node_fixture.hpp"

namespace vb::node::test {
namespace {

using namespace std::chrono_literals;

class NodePlayback : public node_fixture {
 protected:
  void SetUp() override {
    if (!audio::test::ffmpeg_available()) GTEST_SKIP() << "ffmpeg CLI not installed";
  }

  void start_all(node_config c = base_config()) {
    start_voice();
    start_node(std::move(c));
    ASSERT_TRUE(client_->connect());
  }

  std::string fixture_track(const std::string& file, const std::string& content_type) {
    auto bytes = audio::test::read_bytes(audio::test::fixture(file));
    return serve_and_load("/fx/" + file, std::string(bytes.begin(), bytes.end()), content_type);
  }

  boost::json::value play(std::uint64_t guild, const std::string& encoded, std::string extra = {}, bool no_replace = false) {
    return patch(guild, R"({"track":{"encoded":")" + encoded + R"(","userData":{"requester":"u1"}})" + extra + "}", no_replace);
  }

  // Index of the next event of `type` for `guild` after `from`.
  std::size_t next_event(std::size_t from, const std::string& type, std::chrono::milliseconds limit = 20s) {
    auto i = client_->messages().wait(from, event_is(type), limit);
    if (!i) throw std::runtime_error("no " + type + " after message " + std::to_string(from));
    return *i;
  }
  json::object msg(std::size_t i) { return client_->messages().at(i); }
  static std::string reason(const json::object& o) { return str(o, "reason"); }
  static json::object track_of(const json::object& o) { return *json::get_object(o, "track"); }
};

TEST_F(NodePlayback, TheAudioThatArrivesIsTheAudioThatWasSent) {
  // Production-like: wss to the voice server with a test CA.
  voice::test::test_certificate cert;
  loopback_voice_options vo;
  vo.tls = net::tls_files{cert.cert_file(), cert.key_file()};
  start_voice(vo);
  auto c = base_config();
  c.voice_tls = true;
  c.voice_ca_file = cert.cert_file();
  start_node(c);
  ASSERT_TRUE(client_->connect());
  join(guild_a);
  EXPECT_EQ(voice_->mode(guild_a), "aead_aes256_gcm_rtpsize");
  const auto encoded = fixture_track("tone.mp3", "audio/mpeg");  // 3 s, 1 kHz, 44.1 kHz
  const auto from = client_->messages().size();
  auto p = play(guild_a, encoded);
  EXPECT_EQ(str(track_of(p.as_object()), "encoded"), encoded);
  EXPECT_EQ(json::serialize(*json::find(track_of(p.as_object()), "userData")), R"({"requester":"u1"})");
  const auto start = next_event(from, "TrackStartEvent");
  EXPECT_EQ(str(msg(start), "guildId"), std::to_string(guild_a));
  EXPECT_EQ(str(track_of(msg(start)), "encoded"), encoded);
  const auto end = next_event(start, "TrackEndEvent");
  EXPECT_EQ(reason(msg(end)), "finished");
  EXPECT_FALSE(client_->messages().wait(from, event_is("TrackExceptionEvent"), 0ms));
  // (The trailing silence frames are paced by the manual clock here: they do not come.)
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= 150; }));
  std::vector<std::vector<std::uint8_t>> opus;
  for (auto& f : voice_->frames(guild_a)) opus.push_back(f.opus);
  auto a = analyse_opus(opus);
  EXPECT_NEAR(a.frequency_hz, 1000.0, 10.0);  // within 1 %
  EXPECT_NEAR(a.duration_ms, 3000.0, 60.0);   // within 60 ms
  auto frames = voice_->frames(guild_a);
  for (std::size_t i = 1; i < frames.size(); ++i) {
    EXPECT_EQ(static_cast<std::uint16_t>(frames[i].sequence - frames[i - 1].sequence), 1u);
    EXPECT_EQ(frames[i].timestamp - frames[i - 1].timestamp, 960u);
  }
  // Paced at 20 ms: 150 frames take about 3 s, not a burst.
  const auto span = frames[149].arrival - frames[0].arrival;
  EXPECT_GT(span, 2800ms);
  EXPECT_LT(span, 3400ms);
  EXPECT_EQ(voice_->undecryptable(), 0u);
}

TEST_F(NodePlayback, ReplaceNoReplaceAndStopEndWithTheRightReasons) {
  start_all();
  join(guild_a);
  const auto long_a = tone_track("/a.wav", 30);
  const auto long_b = tone_track("/b.wav", 30, 500);
  auto from = client_->messages().size();
  play(guild_a, long_a);
  auto s1 = next_event(from, "TrackStartEvent");
  play(guild_a, long_b);  // replaces A
  auto e1 = next_event(s1, "TrackEndEvent");
  EXPECT_EQ(reason(msg(e1)), "replaced");
  EXPECT_EQ(str(track_of(msg(e1)), "encoded"), long_a);
  auto s2 = next_event(e1, "TrackStartEvent");
  EXPECT_EQ(str(track_of(msg(s2)), "encoded"), long_b);
  auto kept = play(guild_a, long_a, "", true);  // noReplace with a track playing: ignored
  EXPECT_EQ(str(track_of(kept.as_object()), "encoded"), long_b);
  auto stopped = patch(guild_a, R"({"track":{"encoded":null}})");
  EXPECT_TRUE(json::find(stopped.as_object(), "track")->is_null());
  auto e2 = next_event(s2, "TrackEndEvent");
  EXPECT_EQ(reason(msg(e2)), "stopped");
  EXPECT_EQ(str(track_of(msg(e2)), "encoded"), long_b);
  auto started = play(guild_a, long_a, "", true);  // noReplace with nothing playing: plays
  EXPECT_EQ(str(track_of(started.as_object()), "encoded"), long_a);
  auto s3 = next_event(e2, "TrackStartEvent");
  EXPECT_EQ(client_->call("DELETE", "/v4/sessions/" + client_->session_id() + "/players/" + std::to_string(guild_a)).status, 204);
  auto e3 = next_event(s3, "TrackEndEvent");
  EXPECT_EQ(reason(msg(e3)), "stopped");
}

// A track whose HTTP source hangs while it opens (a header and then no body while the decoder
// probes, or no answer at all) is replaced: the replacement plays at once even with a single
// loader thread, and the node then stops promptly with such opens still in flight (and, under
// LeakSanitizer, leaves nothing behind).
TEST_F(NodePlayback, ReplacingATrackThatHangsWhileOpeningPlaysTheNextAndStopsPromptly) {
  auto c = base_config();
  c.loader_threads = 1;          // a probe stuck on the only loader thread would hold every other open
  c.http.probe_timeout = 30s;    // beyond every bound below: only cancellation ends the probe
  c.http.read_timeout = 30s;
  start_all(c);
  join(guild_a);
  join(guild_b);
  const auto wav = wav_tone(500, 30);
  const auto stuck_body = tone_track("/stuck-body.wav", 30, 500);
  const auto stuck_head = tone_track("/stuck-head.wav", 30, 500);
  const auto good = tone_track("/good.wav", 2);  // 1 kHz
  media_route body;
  body.content_type = "audio/wav";
  body.body.assign(wav.begin(), wav.end());
  body.stall_after_bytes = 0;  // the header, then nothing: the probe waits on the loader
  media_.add("/stuck-body.wav", body);
  media_route head;
  head.no_response = true;  // not even a header: the open waits on the network
  media_.add("/stuck-head.wav", head);

  auto from = client_->messages().size();
  play(guild_a, stuck_body);
  ASSERT_TRUE(eventually([&] { return media_.requests("/stuck-body.wav") >= 2; }));  // loaded, then opened
  play(guild_a, stuck_head);  // replaces the probing track
  ASSERT_TRUE(eventually([&] { return media_.requests("/stuck-head.wav") >= 2; }));
  const auto frames_before = voice_->frame_count(guild_a);
  const auto before_good = client_->messages().size();
  play(guild_a, good);  // replaces the track waiting for its header
  auto e1 = next_event(from, "TrackEndEvent");
  EXPECT_EQ(reason(msg(e1)), "replaced");
  EXPECT_EQ(str(track_of(msg(e1)), "encoded"), stuck_body);
  auto e2 = next_event(e1 + 1, "TrackEndEvent");
  EXPECT_EQ(reason(msg(e2)), "replaced");
  EXPECT_EQ(str(track_of(msg(e2)), "encoded"), stuck_head);
  // The stuck tracks may announce their own start late (after `before_good`): the replacement's
  // start is the first TrackStartEvent that carries it.
  auto s = next_event(before_good, "TrackStartEvent");
  while (str(track_of(msg(s)), "encoded") != good) s = next_event(s + 1, "TrackStartEvent");
  EXPECT_EQ(str(track_of(msg(s)), "encoded"), good);
  // The replacement plays to its end, well before the stuck opens could time out.
  auto e3 = next_event(s, "TrackEndEvent", 10s);
  EXPECT_EQ(reason(msg(e3)), "finished");
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= frames_before + 100; }));
  std::vector<std::vector<std::uint8_t>> opus;
  auto frames = voice_->frames(guild_a);
  for (std::size_t i = frames_before; i < frames.size(); ++i) opus.push_back(frames[i].opus);
  auto a = analyse_opus(opus);
  EXPECT_NEAR(a.frequency_hz, 1000.0, 10.0);
  EXPECT_NEAR(a.duration_ms, 2000.0, 60.0);
  EXPECT_FALSE(client_->messages().wait(from, event_is("TrackExceptionEvent"), 0ms));

  // Stop with both kinds of hanging open in flight.
  play(guild_a, stuck_body);
  play(guild_b, stuck_head);
  ASSERT_TRUE(eventually([&] {
    return media_.requests("/stuck-body.wav") >= 3 && media_.requests("/stuck-head.wav") >= 3;
  }));
  const auto t0 = std::chrono::steady_clock::now();
  node_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST_F(NodePlayback, PauseSeekVolumeFiltersAndEndTime) {
  start_all();
  join(guild_a);
  const auto t = tone_track("/ten.wav", 10);
  auto from = client_->messages().size();
  play(guild_a, t, R"(,"position":1000,"endTime":9000,"volume":100)");
  next_event(from, "TrackStartEvent");
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= 25; }));
  auto paused = patch(guild_a, R"({"paused":true})");
  EXPECT_EQ(json::get_bool(paused.as_object(), "paused"), true);
  std::this_thread::sleep_for(200ms);  // let in-flight frames land before counting
  const auto at_pause = voice_->frame_count(guild_a);
  std::this_thread::sleep_for(300ms);
  EXPECT_LE(voice_->frame_count(guild_a), at_pause + 6);  // at most the trailing silence frames
  patch(guild_a, R"({"paused":false})");
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= at_pause + 20; }));

  const auto before_seek = client_->messages().size();
  auto sought = patch(guild_a, R"({"position":7000})");
  EXPECT_GE(json::get_int(*json::get_object(sought.as_object(), "state"), "position").value_or(0), 7000);
  auto upd = client_->messages().wait(before_seek, op_is("playerUpdate"));
  ASSERT_TRUE(upd);  // a seek pushes a playerUpdate at once
  EXPECT_GE(json::get_int(*json::get_object(client_->messages().at(*upd), "state"), "position").value_or(0), 7000);

  auto f = patch(guild_a, R"({"volume":50,"filters":{"timescale":{"speed":1.25},"equalizer":[{"band":0,"gain":0.2}]}})");
  EXPECT_EQ(json::get_int(f.as_object(), "volume"), 50);
  EXPECT_TRUE(json::get_object(*json::get_object(f.as_object(), "filters"), "timescale"));
  // endTime 9000 stops the track early with `finished`.
  auto end = next_event(from, "TrackEndEvent", 15s);
  EXPECT_EQ(reason(msg(end)), "finished");
  EXPECT_LE(json::get_int(*json::get_object(track_of(msg(end)), "info"), "position").value_or(0), 9100);
}

TEST_F(NodePlayback, ALoadFailureReportsTheExceptionThenLoadFailed) {
  start_all();
  join(guild_a);
  const auto t = tone_track("/gone.wav", 3);
  media_route gone;
  gone.status = 404;
  media_.add("/gone.wav", gone);  // vanished between loading and playing
  auto from = client_->messages().size();
  play(guild_a, t);
  auto s = next_event(from, "TrackStartEvent");
  auto x = next_event(s, "TrackExceptionEvent");
  const auto xm = msg(x);
  const auto ex = *json::get_object(xm, "exception");
  EXPECT_THAT(str(ex, "message"), ::testing::HasSubstr("HTTP 404"));
  EXPECT_EQ(str(ex, "severity"), "suspicious");
  EXPECT_FALSE(str(ex, "cause").empty());
  auto e = next_event(x, "TrackEndEvent");
  EXPECT_EQ(reason(msg(e)), "loadFailed");
}

TEST_F(NodePlayback, AStalledStreamIsReportedStuck) {
  start_all();
  join(guild_a);
  auto wav = wav_tone(1000, 30);
  media_route stall;
  stall.content_type = "audio/wav";
  stall.body = std::string(wav.begin(), wav.end());
  stall.stall_after_bytes = 300 * 1024;  // ~1.6 s of audio, then silence on the wire
  stall.accept_ranges = false;
  media_.add("/stall.wav", stall);
  auto v = client_->call_json("GET", "/v4/loadtracks?identifier=" + net::url_encode(media_.url("/stall.wav")));
  const auto encoded = str(*json::get_object(v.as_object(), "data"), "encoded");
  auto from = client_->messages().size();
  play(guild_a, encoded);
  auto s = next_event(from, "TrackStartEvent");
  auto stuck = next_event(s, "TrackStuckEvent", 20s);
  EXPECT_EQ(json::get_int(msg(stuck), "thresholdMs"), 1000);
  EXPECT_FALSE(client_->messages().wait(s, event_is("TrackEndEvent"), 0ms));  // stuck does not end the track
  auto st = client_->call_json("GET", "/v4/stats");
  EXPECT_EQ(json::get_int(st.as_object(), "playingPlayers"), 1);
}

TEST_F(NodePlayback, VoiceClosesBecomeWebSocketClosedEvents) {
  start_all();
  join(guild_a);
  auto from = client_->messages().size();
  voice_->close_guild(guild_a, 4006, "Session is no longer valid");
  auto i = next_event(from, "WebSocketClosedEvent");
  EXPECT_EQ(json::get_int(msg(i), "code"), 4006);
  EXPECT_EQ(str(msg(i), "reason"), "Session is no longer valid");
  EXPECT_EQ(json::get_bool(msg(i), "byRemote"), true);
  auto p = client_->call_json("GET", "/v4/sessions/" + client_->session_id() + "/players/" + std::to_string(guild_a));
  EXPECT_EQ(json::get_bool(*json::get_object(p.as_object(), "state"), "connected"), false);
  // The client re-sends its voice state: the node connects again.
  join(guild_a);
  EXPECT_TRUE(eventually([&] { return voice_->identified(guild_a) >= 2; }));
}

TEST_F(NodePlayback, PlayerUpdatesFollowTheInterval) {
  start_all();
  join(guild_a);
  const auto t = tone_track("/long.wav", 30);
  auto from = client_->messages().size();
  play(guild_a, t);
  next_event(from, "TrackStartEvent");
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= 10; }));
  const auto before = client_->messages().size();
  clock_.advance(5s);
  auto u = client_->messages().wait(before, op_is("playerUpdate"));
  ASSERT_TRUE(u);
  const auto um = client_->messages().at(*u);
  const auto state = *json::get_object(um, "state");
  EXPECT_EQ(json::get_bool(state, "connected"), true);
  EXPECT_GT(json::get_int(state, "position").value_or(0), 0);
  EXPECT_EQ(json::get_int(state, "time"), clock_.unix_ms());
  EXPECT_FALSE(client_->messages().wait(*u + 1, op_is("playerUpdate"), 200ms));  // one per interval
  // Once a voice heartbeat was acknowledged the state carries its round trip.
  const auto player_path = "/v4/sessions/" + client_->session_id() + "/players/" + std::to_string(guild_a);
  EXPECT_TRUE(eventually([&] {
    clock_.advance(1s);
    auto p = client_->call_json("GET", player_path);
    return json::get_int(*json::get_object(p.as_object(), "state"), "ping").value_or(-1) >= 0;
  }));
  auto stats = client_->call_json("GET", "/v4/stats");
  EXPECT_EQ(json::get_int(stats.as_object(), "players"), 1);
  EXPECT_EQ(json::get_int(stats.as_object(), "playingPlayers"), 1);
}

TEST_F(NodePlayback, OpusIsPassedThroughAtFullVolumeWithoutFilters) {
  start_all();
  join(guild_a);
  const auto t = fixture_track("tone.webm", "audio/webm");
  auto from = client_->messages().size();
  play(guild_a, t);
  next_event(from, "TrackStartEvent");
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= 20; }));
  EXPECT_EQ(node_->totals().passthrough_players, 1u);
  patch(guild_a, R"({"volume":70})");
  ASSERT_TRUE(eventually([&] { return node_->totals().passthrough_players == 0; }));
  auto end = next_event(from, "TrackEndEvent");
  EXPECT_EQ(reason(msg(end)), "finished");
}

TEST_F(NodePlayback, AResumedSessionKeepsItsPlayersAndGetsWhatItMissed) {
  start_all();
  join(guild_a);
  client_->call_json("PATCH", "/v4/sessions/" + client_->session_id(), R"({"resuming":true,"timeout":60})");
  const auto t = tone_track("/short.wav", 1.0);
  auto from = client_->messages().size();
  play(guild_a, t);
  next_event(from, "TrackStartEvent");
  const auto sid = client_->session_id();
  client_->drop();
  ASSERT_TRUE(eventually([&] { return voice_->frame_count(guild_a) >= 50; }));  // played on while we were away
  std::this_thread::sleep_for(300ms);  // the TrackEndEvent is queued meanwhile
  auto ws = client_->connect(sid);
  ASSERT_TRUE(ws);
  EXPECT_EQ((*ws)->handshake_headers().get("Session-Resumed"), "true");
  auto first = client_->messages().at(0);
  EXPECT_EQ(str(first, "op"), "ready");
  EXPECT_EQ(json::get_bool(first, "resumed"), true);
  EXPECT_EQ(str(first, "sessionId"), sid);
  auto end = next_event(0, "TrackEndEvent");
  EXPECT_EQ(reason(msg(end)), "finished");
  EXPECT_TRUE(client_->messages().wait(end, op_is("playerUpdate")));
  auto players = client_->call_json("GET", "/v4/sessions/" + sid + "/players");
  EXPECT_EQ(players.as_array().size(), 1u);
  EXPECT_EQ(node_->session_count(), 1u);

  // Gone for longer than the window: the session and its players are destroyed.
  client_->drop();
  ASSERT_TRUE(eventually([&] {
    clock_.advance(61s);  // until the resume window (armed when the node notices the drop) has passed
    return node_->session_count() == 0;
  }));
  EXPECT_EQ(node_->player_count(), 0u);
  EXPECT_EQ(client_->call("GET", "/v4/sessions/" + sid + "/players").status, 404);
}

TEST_F(NodePlayback, ANonResumingSessionTakesItsPlayersWithIt) {
  start_all();
  join(guild_a);
  join(guild_b);
  EXPECT_EQ(node_->player_count(), 2u);
  client_->drop();
  ASSERT_TRUE(eventually([&] { return node_->session_count() == 0; }));
  EXPECT_EQ(node_->player_count(), 0u);
}

}  // namespace
}  // namespace vb::node::test
