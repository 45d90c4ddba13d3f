#include "vectobeat/lavalink_client/node.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "pool_fixture.hpp"
#include "vectobeat/common/version.hpp"

namespace vb::llc::test {
namespace {

using namespace std::chrono_literals;

// One node on the test strand with callbacks recorded.
class NodeTest : public pool_test {
 protected:
  void make_node(const node_config& cfg, node_options o = {}) {
    o.user_id = bot_user;
    node_callbacks cb;
    cb.on_ready = [this](bool resumed, bool lost) {
      std::lock_guard lk(mu_);
      readies_.push_back({resumed, lost});
    };
    cb.on_lost = [this](const std::string& reason) {
      std::lock_guard lk(mu_);
      losses_.push_back(reason);
    };
    cb.on_message = [this](const lavalink::message&) { ++messages_; };
    node_ = std::make_unique<node>(strand_, clk_, cfg, std::move(o), std::move(cb));
    asio::post(strand_, [this] { node_->start(); });
  }
  void TearDown() override {
    if (node_) asio::post(strand_, [this] { node_->stop(); });
    pool_test::TearDown();
  }
  std::size_t readies() {
    std::lock_guard lk(mu_);
    return readies_.size();
  }
  std::pair<bool, bool> ready(std::size_t i) {
    std::lock_guard lk(mu_);
    return readies_.at(i);
  }
  std::vector<std::string> losses() {
    std::lock_guard lk(mu_);
    return losses_;
  }
  // The node's timers (reconnect backoff, stats watchdog) are waiting on the clock.
  bool timers_waiting(std::size_t n) {
    return eventually([&] { return clk_.waiting_timers() >= n; });
  }

  std::unique_ptr<node> node_;
  std::mutex mu_;
  std::vector<std::pair<bool, bool>> readies_;
  std::vector<std::string> losses_;
  std::atomic<int> messages_{0};
};

TEST_F(NodeTest, HandshakeSendsTheDocumentedHeadersThenEnablesResuming) {
  auto server = make_server("alpha");
  make_node(server->config("alpha"));
  ASSERT_TRUE(eventually([&] { return readies() == 1; }));
  auto hs = server->last_handshake();
  EXPECT_EQ(hs.get("Authorization"), std::optional<std::string_view>("youshallnotpass"));
  EXPECT_EQ(hs.get("User-Id"), std::optional<std::string_view>("1111"));
  EXPECT_EQ(std::string(hs.get("Client-Name").value_or("")), "vectobeat/" + std::string(vb::version));
  EXPECT_FALSE(hs.contains("Session-Id"));
  EXPECT_EQ(ready(0), std::make_pair(false, false));
  EXPECT_EQ(node_->session_id(), server->session_id());
  // After ready: PATCH /v4/sessions/{id} {resuming:true, timeout:60} and GET /v4/info.
  ASSERT_TRUE(eventually([&] { return node_->info().has_value(); }));
  auto patches = server->requests("PATCH", "/v4/sessions/");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0].path, "/v4/sessions/" + *server->session_id());
  EXPECT_EQ(patches[0].body, R"({"resuming":true,"timeout":60})");
  EXPECT_EQ(server->session_config().resuming, true);
  EXPECT_EQ(node_->info()->source_managers, (std::vector<std::string>{"http", "youtube"}));
  EXPECT_TRUE(node_->stats().has_value());
  EXPECT_EQ(node_->status(), node_status::ready);
}

TEST_F(NodeTest, WrongPasswordIsRefusedAndRetriedWithBackoff) {
  auto server = make_server("alpha");
  auto cfg = server->config("alpha");
  cfg.password = "wrong";
  make_node(cfg);
  ASSERT_TRUE(eventually([&] { return server->rejected_handshakes() == 1; }));
  ASSERT_TRUE(timers_waiting(1));  // the backoff
  EXPECT_NE(node_->status(), node_status::ready);
  clk_.advance(999ms);
  EXPECT_EQ(server->rejected_handshakes(), 1);
  clk_.advance(1ms);
  ASSERT_TRUE(eventually([&] { return server->rejected_handshakes() == 2; }));
  EXPECT_EQ(readies(), 0u);
}

TEST_F(NodeTest, DroppedSocketResumesTheSessionWithSessionId) {
  auto server = make_server("alpha");
  make_node(server->config("alpha"));
  // GET /v4/info follows the answer to PATCH /v4/sessions: the client knows resuming is on.
  ASSERT_TRUE(eventually([&] { return readies() == 1 && !server->requests("GET", "/v4/info").empty(); }));
  ASSERT_TRUE(server->session_config().resuming);
  const auto first = *server->session_id();
  server->drop();
  ASSERT_TRUE(eventually([&] { return losses().size() == 1; }));
  EXPECT_NE(node_->status(), node_status::ready);
  ASSERT_TRUE(timers_waiting(1));
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return readies() == 2; }));
  EXPECT_EQ(std::string(server->last_handshake().get("Session-Id").value_or("")), first);
  EXPECT_TRUE(server->last_resumed());
  EXPECT_EQ(ready(1), std::make_pair(true, false));
  EXPECT_EQ(node_->session_id(), std::optional<std::string>(first));
}

TEST_F(NodeTest, RestartedNodeGivesANewSessionAndReportsTheOldOneLost) {
  auto server = make_server("alpha");
  make_node(server->config("alpha"));
  // GET /v4/info follows the answer to PATCH /v4/sessions: the client knows resuming is on.
  ASSERT_TRUE(eventually([&] { return readies() == 1 && !server->requests("GET", "/v4/info").empty(); }));
  ASSERT_TRUE(server->session_config().resuming);
  const auto first = *server->session_id();
  server->forget_sessions();
  ASSERT_TRUE(eventually([&] { return losses().size() == 1; }));
  ASSERT_TRUE(timers_waiting(1));
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return readies() == 2; }));
  EXPECT_EQ(std::string(server->last_handshake().get("Session-Id").value_or("")), first);  // it tried
  EXPECT_FALSE(server->last_resumed());
  EXPECT_EQ(ready(1), std::make_pair(false, true));
  EXPECT_NE(node_->session_id(), std::optional<std::string>(first));
}

TEST_F(NodeTest, NoSessionIdAfterTheResumeWindow) {
  auto server = make_server("alpha");
  node_options o;
  o.resume_timeout = 5s;
  o.reconnect_initial = 8000ms;
  make_node(server->config("alpha"), o);
  // GET /v4/info follows the answer to PATCH /v4/sessions: the client knows resuming is on.
  ASSERT_TRUE(eventually([&] { return readies() == 1 && !server->requests("GET", "/v4/info").empty(); }));
  ASSERT_TRUE(server->session_config().resuming);
  EXPECT_EQ(server->session_config().timeout, 5);
  server->drop();
  ASSERT_TRUE(eventually([&] { return losses().size() == 1; }));
  ASSERT_TRUE(timers_waiting(1));
  clk_.advance(8s);  // the node would have dropped the session by now
  ASSERT_TRUE(eventually([&] { return readies() == 2; }));
  EXPECT_FALSE(server->last_handshake().contains("Session-Id"));
  EXPECT_EQ(ready(1), std::make_pair(false, true));
}

TEST_F(NodeTest, SilenceOfStatsForSeventySecondsIsNodeLoss) {
  auto server = make_server("alpha");
  make_node(server->config("alpha"));
  ASSERT_TRUE(eventually([&] { return readies() == 1; }));
  ASSERT_TRUE(timers_waiting(1));  // the watchdog
  clk_.advance(60s);
  lavalink::stats s;
  s.uptime = 60000;
  server->set_stats(s);
  server->send_stats();
  ASSERT_TRUE(eventually([&] { return node_->stats() && node_->stats()->uptime == 60000; }));
  clk_.advance(69s);  // 69 s after the last stats: still fine
  EXPECT_TRUE(losses().empty());
  EXPECT_EQ(node_->status(), node_status::ready);
  clk_.advance(1s);
  ASSERT_TRUE(eventually([&] { return losses().size() == 1; }));
  EXPECT_EQ(losses()[0], "no stats for 70 s");
  ASSERT_TRUE(eventually([&] { return server->live_connections() == 0; }));
}

TEST_F(NodeTest, MalformedAndUnknownMessagesAreIgnored) {
  auto server = make_server("alpha");
  make_node(server->config("alpha"));
  ASSERT_TRUE(eventually([&] { return readies() == 1; }));
  server->send_text("not json");
  server->send_text(R"({"op":"event","type":"PluginEvent","guildId":"1"})");
  server->send_text(R"({"op":"playerUpdate","guildId":"1","state":{"time":1,"position":"x"}})");
  lavalink::player_update_message u;
  u.guild_id = 1;
  server->send(lavalink::message{u});
  ASSERT_TRUE(eventually([&] { return messages_ == 1; }));
  EXPECT_EQ(node_->status(), node_status::ready);
}

TEST_F(NodeTest, RestErrorsCarryTheNodesMessage) {
  auto server = make_server("alpha");
  make_node(server->config("alpha"));
  ASSERT_TRUE(eventually([&] { return readies() == 1; }));
  auto missing = run(node_->get_player(99));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, client_errc::http_status);
  EXPECT_EQ(missing.error().status, 404);
  EXPECT_EQ(missing.error().message, "Player not found");

  lavalink::player_update bad;
  bad.voice = lavalink::voice_state{"", "x:1", "s", std::string("1")};
  auto refused = run(node_->update_player(99, bad, false));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 400);
  EXPECT_EQ(refused.error().message, lavalink::player_update_errors::incomplete_voice);

  server->fail_next(503, "overloaded", 1, "/v4/loadtracks");
  auto busy = run(node_->load_tracks(std::string("ytsearch:x")));
  ASSERT_FALSE(busy);
  EXPECT_TRUE(busy.error().retryable_elsewhere());
  EXPECT_EQ(busy.error().message, "overloaded");
}

TEST_F(NodeTest, RestCallsUseThePasswordAndDecodeAnswers) {
  auto server = make_server("alpha");
  auto t = make_test_track("dQw4w9WgXcQ", "Song");
  lavalink::load_result r;
  r.data = t;
  server->set_load_result("https://example.com/a b", r);
  make_node(server->config("alpha"));
  ASSERT_TRUE(eventually([&] { return readies() == 1; }));
  auto loaded = run(node_->load_tracks(std::string("https://example.com/a b")));
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_EQ(loaded->type(), lavalink::load_type::track);
  EXPECT_EQ(std::get<lavalink::track>(loaded->data).encoded, t.encoded);
  auto decoded = run(node_->decode_tracks({t.encoded}));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(decoded->at(0).info.title, "Song");
  auto version = run(node_->fetch_version());
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, "4.2.2");
  for (auto& req : server->requests()) {
    EXPECT_EQ(req.headers.get("Authorization"), std::optional<std::string_view>("youshallnotpass")) << req.path;
  }
  auto empty = run(node_->load_tracks(std::string("nothing")));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->type(), lavalink::load_type::empty);
}

}  // namespace
}  // namespace vb::llc::test
