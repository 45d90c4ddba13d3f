#include "vectobeat/discord/rest_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <deque>
#include <functional>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/discord/discord_api.hpp"

namespace vb::discord {
namespace {

using namespace std::chrono_literals;

struct sent_request {
  std::string method, url, body;
  net::header_map headers;
  steady_time at;
};

// Answers from a script (or a function); records what was sent and when.
class scripted_transport final : public rest_transport {
 public:
  explicit scripted_transport(clock& c) : clk_(c) {}
  std::function<expected<net::http_response, net::client_error>(const sent_request&)> answer;
  std::vector<sent_request>* log = nullptr;

  task<expected<net::http_response, net::client_error>> send(std::string method, std::string url, net::header_map headers,
                                                             std::string body) override {
    sent_request r{std::move(method), std::move(url), std::move(body), std::move(headers), clk_.now()};
    log->push_back(r);
    co_return answer(r);
  }

 private:
  clock& clk_;
};

net::http_response ok(std::string body = "{}") { return net::http_response::json(200, std::move(body)); }

struct endpoint_results {
  std::optional<rest_result<gateway_bot>> gb;
  std::optional<rest_result<void>> cb;
  std::optional<rest_result<message>> bad, good;
  std::optional<rest_result<std::vector<command_definition>>> cmds;
};

task<void> run_endpoints(discord_api& api, endpoint_results& r) {
  r.gb = co_await api.get_gateway_bot();
  r.cb = co_await api.create_interaction_response(snowflake(5), std::string("tok"), interaction_response::defer(true));
  message_payload m;
  m.content = std::string(2001, 'x');
  r.bad = co_await api.create_message(snowflake(1), m);
  m.content = std::string("ok");
  r.good = co_await api.edit_original_response(snowflake(7), std::string("tok"), m);
  command_definition c;
  c.name = std::string("play");
  c.description = std::string("Play");
  std::vector<command_definition> cs{c};
  r.cmds = co_await api.bulk_overwrite_guild_commands(snowflake(7), snowflake(8), std::move(cs));
}

class RestClientTest : public ::testing::Test {
 protected:
  void make(rest_options o = {}) {
    o.token = "secret-bot-token";
    o.base_url = "https://discord.test/api/v10";
    auto t = std::make_unique<scripted_transport>(clock_);
    transport_ = t.get();
    transport_->log = &sent_;
    transport_->answer = [](const sent_request&) { return expected<net::http_response, net::client_error>(ok()); };
    client_ = std::make_unique<rest_client>(ctx_.get_executor(), clock_, std::move(o), std::move(t));
  }

  // Starts a request; its result lands in results_[index].
  std::size_t start(route r, std::string body = {}) {
    const std::size_t i = results_.size();
    results_.emplace_back();
    auto fn = [this, i, r = std::move(r), b = std::move(body)]() mutable -> task<void> {
      auto res = co_await client_->request(std::move(r), std::move(b));
      results_[i] = std::move(res);
    };
    asio::co_spawn(ctx_, std::move(fn), asio::detached);
    return i;
  }

  // Runs until `done`, advancing the manual clock in small steps when nothing else runs.
  bool drive(const std::function<bool()>& done, std::chrono::milliseconds step = 10ms, int max_steps = 100000) {
    for (int i = 0; i < max_steps; ++i) {
      for (int k = 0; k < 50 && ctx_.poll() > 0; ++k) {
      }
      if (done()) return true;
      clock_.advance(step);
    }
    return done();
  }

  asio::io_context ctx_;
  // Keeps poll() usable between requests (an io_context without work stops).
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(ctx_);
  manual_clock clock_;
  scripted_transport* transport_ = nullptr;
  std::unique_ptr<rest_client> client_;
  std::vector<sent_request> sent_;
  std::vector<std::optional<expected<rest_response, rest_error>>> results_;
};

TEST_F(RestClientTest, SendsAuthUserAgentAndJson) {
  make();
  auto i = start(make_route("POST", "/channels/{channel_id}/messages", {"42"}), R"({"content":"hi"})");
  ASSERT_TRUE(drive([&] { return results_[i].has_value(); }));
  ASSERT_TRUE(*results_[i]);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].method, "POST");
  EXPECT_EQ(sent_[0].url, "https://discord.test/api/v10/channels/42/messages");
  EXPECT_EQ(sent_[0].headers.get("Authorization"), "Bot secret-bot-token");
  EXPECT_EQ(sent_[0].headers.get("User-Agent"), "DiscordBot (https://github.com/vectobeat, 0.1.0)");
  EXPECT_EQ(sent_[0].headers.get("Content-Type"), "application/json");
}

TEST_F(RestClientTest, ABurstInOneBucketIsPacedByItsHeadersWithoutA429) {
  make();
  // The server allows 5 per 5 s per channel and would answer 429 beyond that.
  int in_window = 0;
  steady_time window_start = clock_.now();
  int got_429 = 0;
  transport_->answer = [&](const sent_request& r) -> expected<net::http_response, net::client_error> {
    if (r.at - window_start >= 5s) {
      window_start = r.at;
      in_window = 0;
    }
    if (in_window >= 5) {
      ++got_429;
      auto resp = net::http_response::json(429, R"({"message":"You are being rate limited.","retry_after":1,"global":false})");
      return resp;
    }
    ++in_window;
    auto resp = ok(R"({"id":"1","channel_id":"42"})");
    resp.headers.set("X-RateLimit-Bucket", "msgs");
    resp.headers.set("X-RateLimit-Limit", "5");
    resp.headers.set("X-RateLimit-Remaining", std::to_string(5 - in_window));
    const auto left = std::chrono::duration<double>(5s - (r.at - window_start)).count();
    resp.headers.set("X-RateLimit-Reset-After", std::to_string(left));
    return resp;
  };
  for (int n = 0; n < 40; ++n) start(make_route("POST", "/channels/{channel_id}/messages", {"42"}), "{}");
  ASSERT_TRUE(drive([&] {
    return std::all_of(results_.begin(), results_.end(), [](auto& r) { return r.has_value(); });
  }, 50ms));
  EXPECT_EQ(got_429, 0);
  for (auto& r : results_) EXPECT_TRUE(*r);
  EXPECT_EQ(sent_.size(), 40u);
  // 40 requests at 5 per 5 s take at least 35 s.
  EXPECT_GE(sent_.back().at - sent_.front().at, 35s);
}

TEST_F(RestClientTest, A429IsWaitedOutThenRetried) {
  make();
  int calls = 0;
  transport_->answer = [&](const sent_request&) -> expected<net::http_response, net::client_error> {
    if (++calls == 1) {
      auto r = net::http_response::json(429, R"({"message":"You are being rate limited.","retry_after":2.5,"global":false})");
      r.headers.set("Retry-After", "3");
      return r;
    }
    return ok();
  };
  auto i = start(make_route("PATCH", "/channels/{channel_id}/messages/{message_id}", {"1", "2"}), "{}");
  ASSERT_TRUE(drive([&] { return results_[i].has_value(); }));
  ASSERT_TRUE(*results_[i]);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_GE(sent_[1].at - sent_[0].at, 2500ms);
  EXPECT_LT(sent_[1].at - sent_[0].at, 2600ms);
}

TEST_F(RestClientTest, AGlobal429HoldsEveryRoute) {
  make();
  bool first = true;
  transport_->answer = [&](const sent_request& r) -> expected<net::http_response, net::client_error> {
    if (first && r.url.ends_with("/channels/1")) {
      first = false;
      auto resp = net::http_response::json(429, R"({"message":"global","retry_after":1,"global":true})");
      resp.headers.set("X-RateLimit-Global", "true");
      resp.headers.set("X-RateLimit-Scope", "global");
      return resp;
    }
    return ok();
  };
  auto a = start(make_route("GET", "/channels/{channel_id}", {"1"}));
  ASSERT_TRUE(drive([&] { return sent_.size() == 1; }, 1ms));
  auto b = start(make_route("GET", "/guilds/{guild_id}", {"2"}));
  ASSERT_TRUE(drive([&] { return results_[a].has_value() && results_[b].has_value(); }, 10ms));
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_GE(sent_[1].at - sent_[0].at, 1s);  // the other route waited for the global block
  EXPECT_GE(sent_[2].at - sent_[0].at, 1s);
}

TEST_F(RestClientTest, ServerErrorsAndTimeoutsAreRetriedWithBackoff) {
  rest_options o;
  o.max_attempts = 3;
  make(o);
  int calls = 0;
  transport_->answer = [&](const sent_request&) -> expected<net::http_response, net::client_error> {
    ++calls;
    if (calls == 1) return net::http_response::json(502, "<html>bad gateway</html>");
    if (calls == 2) return unexpected(net::client_error{net::client_errc::timeout, "timed out", 0, {}});
    return ok(R"({"id":"7","username":"bot"})");
  };
  auto i = start(make_route("GET", "/users/@me", {}));
  ASSERT_TRUE(drive([&] { return results_[i].has_value(); }));
  ASSERT_TRUE(*results_[i]);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(sent_[1].at - sent_[0].at, 500ms);
  EXPECT_EQ(sent_[2].at - sent_[1].at, 1000ms);
  EXPECT_EQ(client_->stats().retries, 2u);

  // Always failing: the last error is reported after max_attempts.
  transport_->answer = [&](const sent_request&) -> expected<net::http_response, net::client_error> {
    return net::http_response::json(503, R"({"message":"unavailable","code":0})");
  };
  auto j = start(make_route("GET", "/users/@me", {}));
  ASSERT_TRUE(drive([&] { return results_[j].has_value(); }));
  ASSERT_FALSE(*results_[j]);
  EXPECT_EQ(results_[j]->error().code, rest_errc::server_error);
  EXPECT_EQ(results_[j]->error().status, 503);
  EXPECT_EQ(sent_.size(), 6u);
}

TEST_F(RestClientTest, ClientErrorsAreTypedAndNotRetried) {
  make();
  transport_->answer = [&](const sent_request&) -> expected<net::http_response, net::client_error> {
    return net::http_response::json(404, R"({"message":"Unknown Message","code":10008})");
  };
  auto i = start(make_route("DELETE", "/channels/{channel_id}/messages/{message_id}", {"1", "2"}));
  ASSERT_TRUE(drive([&] { return results_[i].has_value(); }));
  ASSERT_FALSE(*results_[i]);
  const auto& e = results_[i]->error();
  EXPECT_EQ(e.code, rest_errc::not_found);
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.discord_code, 10008);
  EXPECT_EQ(e.message, "Unknown Message");
  EXPECT_EQ(e.describe(), "not_found (404, code 10008): Unknown Message [DELETE /channels/{channel_id}/messages/{message_id}]");
  EXPECT_EQ(sent_.size(), 1u);
}

TEST_F(RestClientTest, TheInvalidRequestBudgetStopsSendingBeforeDiscordBansUs) {
  rest_options o;
  o.limits.invalid_request_budget = 5;
  make(o);
  transport_->answer = [&](const sent_request&) -> expected<net::http_response, net::client_error> {
    return net::http_response::json(403, R"({"message":"Missing Permissions","code":50013})");
  };
  for (int n = 0; n < 8; ++n) start(make_route("POST", "/channels/{channel_id}/messages", {std::to_string(n + 1)}), "{}");
  ASSERT_TRUE(drive([&] { return std::all_of(results_.begin(), results_.end(), [](auto& r) { return r.has_value(); }); }));
  EXPECT_EQ(sent_.size(), 5u);
  int refused = 0;
  for (auto& r : results_) refused += !*r && r->error().code == rest_errc::invalid_request_budget;
  EXPECT_EQ(refused, 3);
}

TEST_F(RestClientTest, TypedEndpointsValidateBeforeSendingAndParseAnswers) {
  make();
  discord_api api(*client_);
  transport_->answer = [&](const sent_request& r) -> expected<net::http_response, net::client_error> {
    if (r.url.ends_with("/gateway/bot"))
      return ok(R"({"url":"wss://gateway.discord.gg","shards":3,"session_start_limit":{"total":1000,"remaining":990,"reset_after":1000,"max_concurrency":2}})");
    if (r.url.ends_with("/callback")) return net::http_response::empty(204);
    if (r.url.find("/commands") != std::string::npos)
      return ok(R"([{"id":"11","type":1,"name":"play","description":"Play","options":[]}])");
    return ok(R"({"id":"99","channel_id":"1","content":"ok"})");
  };
  endpoint_results res;
  auto& [gb, cb, bad, good, cmds] = res;
  auto fn = run_endpoints(api, res);
  asio::co_spawn(ctx_, std::move(fn), asio::detached);
  ASSERT_TRUE(drive([&] { return res.cmds.has_value(); }));
  ASSERT_TRUE(*gb);
  EXPECT_EQ((*gb)->shards, 3);
  EXPECT_EQ((*gb)->limit.max_concurrency, 2);
  EXPECT_TRUE(*cb);
  ASSERT_FALSE(*bad);
  EXPECT_EQ(bad->error().code, rest_errc::invalid_argument);
  ASSERT_TRUE(*good);
  EXPECT_EQ((*good)->id, snowflake(99));
  ASSERT_TRUE(*cmds);
  EXPECT_EQ((*cmds)->at(0).id, snowflake(11));
  ASSERT_EQ(sent_.size(), 4u);  // the invalid message never left
  EXPECT_EQ(sent_[1].url, "https://discord.test/api/v10/interactions/5/tok/callback");
  EXPECT_EQ(sent_[1].body, R"({"type":5,"data":{"flags":64}})");
  EXPECT_EQ(sent_[2].method, "PATCH");
  EXPECT_EQ(sent_[2].url, "https://discord.test/api/v10/webhooks/7/tok/messages/@original");
  EXPECT_EQ(sent_[3].method, "PUT");
  EXPECT_EQ(sent_[3].url, "https://discord.test/api/v10/applications/7/guilds/8/commands");
}

TEST_F(RestClientTest, StopFailsWaitingRequests) {
  make();
  transport_->answer = [&](const sent_request&) -> expected<net::http_response, net::client_error> {
    auto r = ok();
    r.headers.set("X-RateLimit-Bucket", "b");
    r.headers.set("X-RateLimit-Limit", "1");
    r.headers.set("X-RateLimit-Remaining", "0");
    r.headers.set("X-RateLimit-Reset-After", "60");
    return r;
  };
  auto a = start(make_route("GET", "/channels/{channel_id}", {"1"}));
  auto b = start(make_route("GET", "/channels/{channel_id}", {"1"}));
  auto c = start(make_route("GET", "/channels/{channel_id}", {"1"}));
  ASSERT_TRUE(drive([&] { return results_[a].has_value(); }, 1ms, 100));
  client_->stop();
  ASSERT_TRUE(drive([&] { return results_[b].has_value() && results_[c].has_value(); }, 1ms, 100));
  EXPECT_EQ(results_[b]->error().code, rest_errc::stopped);
  EXPECT_EQ(results_[c]->error().code, rest_errc::stopped);
  EXPECT_EQ(sent_.size(), 1u);
}

}  // namespace
}  // namespace vb::discord
