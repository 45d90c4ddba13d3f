#include "vectobeat/discord/shard_session.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <functional>

#include "discord_model/sample_payloads.hpp"
#include "scripted_gateway.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/discord/event_dispatcher.hpp"

namespace vb::discord {
namespace {

using namespace std::chrono_literals;

class ShardSessionTest : public ::testing::Test {
 protected:
  void TearDown() override {
    session_.reset();
    if (server_) server_->stop();
    for (int i = 0; i < 20; ++i) ctx_.poll();
  }

  void start_server(test::scripted_gateway_options o = {}) {
    server_ = std::make_unique<test::scripted_gateway>(ctx_.get_executor(), std::move(o));
  }

  shard_session_options options(gateway_compression c = gateway_compression::none) {
    shard_session_options o;
    o.token = "test-token";
    o.gateway_url = server_->url();
    o.compression = c;
    o.random = [] { return 0.5; };  // heartbeat jitter 0.5, op-9 delay 3 s
    return o;
  }

  void start(shard_session_options o) {
    shard_callbacks cb;
    cb.identify_gate = [this](int) -> task<void> {
      ++gate_calls_;
      co_return;
    };
    cb.on_dispatch = [this](std::string_view t, const boost::json::value& d, std::int64_t seq) {
      names_.emplace_back(t);
      seqs_.push_back(seq);
      dispatcher_.dispatch(t, d, {0, seq});
    };
    cb.on_state = [this](shard_state s) { states_.push_back(s); };
    cb.on_fatal = [this](std::error_code ec) { fatal_ = ec; };
    session_ = std::make_unique<shard_session>(ctx_.get_executor(), clock_, std::move(o), std::move(cb));
    session_->start();
  }

  bool run_until(const std::function<bool()>& done) {
    const auto cap = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > cap) return false;
      ctx_.run_one_for(20ms);
    }
    return true;
  }

  bool ready() { return session_->status().state == shard_state::ready; }

  std::size_t count(std::string_view name) const {
    return static_cast<std::size_t>(std::count(names_.begin(), names_.end(), name));
  }

  asio::io_context ctx_;
  manual_clock clock_;
  std::unique_ptr<test::scripted_gateway> server_;
  std::unique_ptr<shard_session> session_;
  gateway_cache cache_;
  event_bus bus_;
  event_dispatcher dispatcher_{cache_, bus_};
  std::vector<std::string> names_;
  std::vector<std::int64_t> seqs_;
  std::vector<shard_state> states_;
  std::error_code fatal_;
  int gate_calls_ = 0;
};

TEST_F(ShardSessionTest, IdentifyReadyAndGuildsIntoTheCacheOverZlibStream) {
  test::scripted_gateway_options so;
  for (std::uint64_t g = 0; g < 3; ++g) so.guilds.push_back(test::guild_create_json(g));
  start_server(so);
  start(options(gateway_compression::zlib_stream));
  ASSERT_TRUE(run_until([&] { return cache_.guild_count() == 3; }));
  EXPECT_TRUE(ready());
  EXPECT_EQ(gate_calls_, 1);
  ASSERT_EQ(server_->targets().size(), 1u);
  EXPECT_EQ(server_->targets()[0], "/?v=10&encoding=json&compress=zlib-stream");
  const auto* id = server_->last(2);
  ASSERT_TRUE(id);
  const auto& d = id->frame.at("d").as_object();
  EXPECT_EQ(d.at("token").as_string(), "test-token");
  EXPECT_EQ(d.at("intents").as_int64(), 129);
  EXPECT_EQ(d.at("shard").as_array()[0].as_int64(), 0);
  EXPECT_EQ(d.at("shard").as_array()[1].as_int64(), 1);
  EXPECT_EQ(names_, (std::vector<std::string>{"READY", "GUILD_CREATE", "GUILD_CREATE", "GUILD_CREATE"}));
  EXPECT_EQ(session_->status().seq, 4);
  EXPECT_EQ(session_->status().identifies, 1u);
  EXPECT_EQ(cache_.guild_info(snowflake(test::guild_id(1)))->name, "Community Server 1");
  EXPECT_EQ(states_.front(), shard_state::connecting);
  EXPECT_EQ(states_.back(), shard_state::ready);
}

TEST_F(ShardSessionTest, ZstdStreamWorksToo) {
  test::scripted_gateway_options so;
  so.guilds.push_back(test::guild_create_json(5));
  start_server(so);
  start(options(gateway_compression::zstd_stream));
  ASSERT_TRUE(run_until([&] { return cache_.guild_count() == 1; }));
  EXPECT_EQ(server_->targets()[0], "/?v=10&encoding=json&compress=zstd-stream");
}

TEST_F(ShardSessionTest, HeartbeatsWithJitterCarryTheSequenceAndMeasureLatency) {
  start_server();
  start(options());
  ASSERT_TRUE(run_until([&] { return ready(); }));
  EXPECT_EQ(server_->count(1), 0u);
  clock_.advance(19'999ms);  // jitter 0.5 x 40 s
  for (int i = 0; i < 50; ++i) ctx_.poll();
  EXPECT_EQ(server_->count(1), 0u);
  clock_.advance(1ms);
  ASSERT_TRUE(run_until([&] { return server_->count(1) == 1; }));
  EXPECT_EQ(server_->last(1)->frame.at("d").as_int64(), 1);  // READY was seq 1
  ASSERT_TRUE(run_until([&] { return session_->status().latency_ms == 0; }));
  server_->dispatch("VOICE_SERVER_UPDATE", R"({"token":"x","guild_id":"1","endpoint":"e:1"})");
  ASSERT_TRUE(run_until([&] { return session_->status().seq == 2; }));
  clock_.advance(40'000ms);
  ASSERT_TRUE(run_until([&] { return server_->count(1) == 2; }));
  EXPECT_EQ(server_->last(1)->frame.at("d").as_int64(), 2);
  // The server asks for an immediate heartbeat (op 1).
  server_->send_op(1, "null");
  ASSERT_TRUE(run_until([&] { return server_->count(1) == 3; }));
}

TEST_F(ShardSessionTest, ZombieConnectionIsClosedWithANon1000CodeAndResumed) {
  test::scripted_gateway_options so;
  so.ack_heartbeats = false;
  start_server(so);
  start(options());
  ASSERT_TRUE(run_until([&] { return ready(); }));
  clock_.advance(20'000ms);
  ASSERT_TRUE(run_until([&] { return server_->count(1) == 1; }));
  clock_.advance(40'000ms);  // no ACK before the next beat: zombie
  ASSERT_TRUE(run_until([&] { return server_->count(6) == 1 && ready(); }));
  ASSERT_EQ(server_->client_close_codes().size(), 1u);
  EXPECT_NE(server_->client_close_codes()[0], 1000);
  EXPECT_NE(server_->client_close_codes()[0], 1001);
  const auto& resume = server_->last(6)->frame.at("d").as_object();
  EXPECT_EQ(resume.at("session_id").as_string(), "session-1");
  EXPECT_EQ(resume.at("seq").as_int64(), 1);
  EXPECT_EQ(session_->status().zombies, 1u);
  EXPECT_EQ(session_->status().resumes, 1u);
  EXPECT_EQ(server_->count(2), 1u);  // no second IDENTIFY
}

TEST_F(ShardSessionTest, ResumeAfterADropReplaysMissedDispatchesExactlyOnce) {
  test::scripted_gateway_options so;
  so.guilds.push_back(test::guild_create_json(0));
  start_server(so);
  start(options(gateway_compression::zlib_stream));
  ASSERT_TRUE(run_until([&] { return cache_.guild_count() == 1; }));
  const snowflake g(test::guild_id(0));
  server_->dispatch("VOICE_STATE_UPDATE", test::voice_state_json(g.value(), test::channel_id(0, 14), 501, true, false));
  ASSERT_TRUE(run_until([&] { return session_->status().seq == 3; }));
  server_->abort_current();
  // While the shard is away, a user joins voice and an interaction arrives.
  server_->record_missed("VOICE_STATE_UPDATE", test::voice_state_json(g.value(), test::channel_id(0, 15), 502, true, false));
  server_->record_missed("INTERACTION_CREATE", test::interaction_json(0, 1, test::play_command_data(0)));
  ASSERT_TRUE(run_until([&] { return count("RESUMED") == 1; }));
  EXPECT_EQ(server_->count(2), 1u);
  EXPECT_EQ(server_->last(6)->frame.at("d").as_object().at("seq").as_int64(), 3);
  EXPECT_EQ(seqs_, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(names_[3], "VOICE_STATE_UPDATE");
  EXPECT_EQ(names_[4], "INTERACTION_CREATE");
  EXPECT_EQ(cache_.voice_channel_of(g, snowflake(502)), snowflake(test::channel_id(0, 15)));
  ASSERT_EQ(server_->targets().size(), 2u);
  EXPECT_EQ(server_->targets()[1], "/resume/?v=10&encoding=json&compress=zlib-stream");  // resume_gateway_url
}

TEST_F(ShardSessionTest, ReconnectRequestAndInvalidSessions) {
  start_server();
  start(options());
  ASSERT_TRUE(run_until([&] { return ready(); }));
  server_->send_op(7, "null");  // RECONNECT -> resume
  ASSERT_TRUE(run_until([&] { return server_->count(6) == 1 && ready(); }));
  EXPECT_EQ(server_->count(2), 1u);

  server_->send_op(9, "true");  // resumable: resume again after 1-5 s
  ASSERT_TRUE(run_until([&] { return session_->status().state == shard_state::reconnecting; }));
  clock_.advance(2'999ms);
  for (int i = 0; i < 50; ++i) ctx_.poll();
  EXPECT_EQ(server_->count(6), 1u);
  clock_.advance(1ms);  // 3 s with random 0.5
  ASSERT_TRUE(run_until([&] { return server_->count(6) == 2 && ready(); }));
  EXPECT_EQ(server_->count(2), 1u);

  server_->send_op(9, "false");  // not resumable: a new IDENTIFY through the gate
  ASSERT_TRUE(run_until([&] { return session_->status().state == shard_state::reconnecting; }));
  clock_.advance(3'000ms);
  ASSERT_TRUE(run_until([&] { return server_->count(2) == 2 && ready(); }));
  EXPECT_EQ(gate_calls_, 2);
  EXPECT_EQ(count("READY"), 2u);
  EXPECT_EQ(session_->status().identifies, 2u);
}

TEST_F(ShardSessionTest, FatalCloseCodesStopAndAreReported) {
  test::scripted_gateway_options so;
  so.token = "another-token";  // the server answers 4004
  start_server(so);
  start(options());
  ASSERT_TRUE(run_until([&] { return session_->status().state == shard_state::failed; }));
  EXPECT_EQ(fatal_, gateway_error::authentication_failed);
  EXPECT_EQ(session_->status().error, gateway_error::authentication_failed);
  clock_.advance(600s);
  for (int i = 0; i < 50; ++i) ctx_.poll();
  EXPECT_EQ(server_->connections(), 1);  // never retried
}

TEST_F(ShardSessionTest, DisallowedIntentsAreFatalButOtherCodesReconnect) {
  start_server();
  start(options());
  ASSERT_TRUE(run_until([&] { return ready(); }));
  server_->close_current(4000);  // unknown error: resume
  ASSERT_TRUE(run_until([&] { return server_->count(6) == 1 && ready(); }));
  server_->close_current(4009);  // session timed out: new session
  ASSERT_TRUE(run_until([&] { return server_->count(2) == 2 && ready(); }));
  server_->close_current(4014);
  ASSERT_TRUE(run_until([&] { return session_->status().state == shard_state::failed; }));
  EXPECT_EQ(fatal_, gateway_error::disallowed_intents);
}

TEST_F(ShardSessionTest, SendsWaitForReadyAndRespectTheRateLimitWithAHeartbeatReserve) {
  start_server();
  auto o = options();
  o.send_limit = 10;
  o.heartbeat_reserve = 3;
  start(o);
  // Queued before the session is ready: sent after READY, in order.
  for (int i = 0; i < 9; ++i)
    ASSERT_FALSE(session_->send(encode_voice_state_update(snowflake(100 + static_cast<std::uint64_t>(i)), snowflake(5), false, true)));
  ASSERT_TRUE(run_until([&] { return ready(); }));
  // IDENTIFY used one slot of 10; 3 are kept back: 6 voice updates go now.
  ASSERT_TRUE(run_until([&] { return server_->count(4) == 6; }));
  for (int i = 0; i < 50; ++i) ctx_.poll();
  EXPECT_EQ(server_->count(4), 6u);
  // Heartbeats still go out (from the reserve).
  clock_.advance(20'000ms);
  ASSERT_TRUE(run_until([&] { return server_->count(1) == 1; }));
  clock_.advance(40'000ms);  // the window moved past the first sends
  ASSERT_TRUE(run_until([&] { return server_->count(4) == 9; }));
  std::vector<std::string> guilds;
  for (const auto& f : server_->received())
    if (f.op() == 4) guilds.emplace_back(f.frame.at("d").as_object().at("guild_id").as_string());
  EXPECT_EQ(guilds.front(), "100");
  EXPECT_EQ(guilds.back(), "108");
  session_->stop();
  EXPECT_EQ(session_->send("{}"), gateway_error::stopped);
}

TEST_F(ShardSessionTest, StopClosesWith1000) {
  start_server();
  start(options());
  ASSERT_TRUE(run_until([&] { return ready(); }));
  session_->stop();
  ASSERT_TRUE(run_until([&] { return server_->live_connections() == 0; }));
  EXPECT_EQ(server_->client_close_codes(), (std::vector<std::uint16_t>{1000}));
  EXPECT_EQ(session_->status().state, shard_state::stopped);
}

}  // namespace
}  // namespace vb::discord
