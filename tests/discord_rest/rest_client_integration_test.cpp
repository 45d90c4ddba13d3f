#include "vectobeat/discord/rest_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/discord/discord_api.hpp"

namespace vb::discord {
namespace {

using namespace std::chrono_literals;
using sclock = std::chrono::steady_clock;

// A loopback REST server with Discord's rate-limit behaviour: a bucket per (route,
// channel) of `limit` requests per `window`, the X-RateLimit-* headers, a global limit,
// and 429s for whoever goes past them. Real time: the client must pace itself.
class limited_server {
 public:
  limited_server(asio::any_io_executor ex, int limit, std::chrono::milliseconds window, int global_per_second)
      : limit_(limit), window_(window), global_(global_per_second) {
    net::server_options so;
    so.name = "rest-test";
    server_ = std::make_unique<net::http_server>(ex, so, [this](net::http_request& r) -> task<net::http_response> {
      co_return handle(r);
    });
    server_->listen("127.0.0.1", 0);
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/api/v10"; }

  int ok = 0;
  int too_many = 0;
  int unauthorized = 0;
  int force_429 = 0;  // answer the next N requests with a bucket 429

 private:
  struct bucket {
    sclock::time_point start{};
    int used = 0;
  };

  net::http_response handle(net::http_request& r) {
    if (r.headers.get("Authorization") != "Bot integration-token" ||
        !r.headers.get("User-Agent").value_or("").starts_with("DiscordBot (")) {
      ++unauthorized;
      return net::http_response::json(401, R"({"message":"401: Unauthorized","code":0})");
    }
    const auto now = sclock::now();
    std::erase_if(global_sends_, [&](auto t) { return now - t >= 1s; });
    if (static_cast<int>(global_sends_.size()) >= global_) {
      ++too_many;
      auto resp = net::http_response::json(429, R"({"message":"You are being rate limited.","retry_after":1,"global":true})");
      resp.headers.set("X-RateLimit-Global", "true");
      resp.headers.set("X-RateLimit-Scope", "global");
      return resp;
    }
    global_sends_.push_back(now);
    if (force_429 > 0) {
      --force_429;
      ++too_many;
      auto resp = net::http_response::json(429, R"({"message":"You are being rate limited.","retry_after":0.3,"global":false})");
      resp.headers.set("X-RateLimit-Scope", "user");
      return resp;
    }
    auto& b = buckets_[r.method + " " + std::string(r.path())];
    if (now - b.start >= window_) {
      b.start = now;
      b.used = 0;
    }
    const double reset_after = std::chrono::duration<double>(window_ - (now - b.start)).count();
    net::http_response resp;
    if (b.used >= limit_) {
      ++too_many;
      resp = net::http_response::json(429, R"({"message":"You are being rate limited.","retry_after":)" +
                                               std::to_string(reset_after) + R"(,"global":false})");
      resp.headers.set("X-RateLimit-Scope", "user");
    } else {
      ++b.used;
      ++ok;
      resp = net::http_response::json(200, R"({"id":")" + std::to_string(1000 + ok) + R"(","channel_id":"1","content":"x"})");
    }
    resp.headers.set("X-RateLimit-Bucket", "bucket-messages");
    resp.headers.set("X-RateLimit-Limit", std::to_string(limit_));
    resp.headers.set("X-RateLimit-Remaining", std::to_string(std::max(0, limit_ - b.used)));
    resp.headers.set("X-RateLimit-Reset-After", std::to_string(reset_after));
    return resp;
  }

  int limit_;
  std::chrono::milliseconds window_;
  int global_;
  std::map<std::string, bucket> buckets_;
  std::vector<sclock::time_point> global_sends_;
  std::unique_ptr<net::http_server> server_;
};

class RestIntegrationTest : public ::testing::Test {
 protected:
  rest_options options(const limited_server& s) {
    rest_options o;
    o.base_url = s.base();
    o.token = "integration-token";
    return o;
  }
  bool run_until(const std::function<bool()>& done, std::chrono::seconds cap = 30s) {
    const auto end = sclock::now() + cap;
    while (!done()) {
      if (sclock::now() > end) return false;
      ctx_.run_one_for(20ms);
    }
    return true;
  }
  asio::io_context ctx_;
};

TEST_F(RestIntegrationTest, ABurstOf200CallsGetsNo429) {
  // 10 per 500 ms per channel, 50 per second globally: 200 messages over 4 channels
  // need at least ~4 s, and a client that ignored the headers would be refused.
  limited_server server(ctx_.get_executor(), 10, 500ms, 50);
  rest_client rest(ctx_.get_executor(), clock::system(), options(server));
  discord_api api(rest);
  int done = 0, failed = 0;
  const auto start = sclock::now();
  for (int i = 0; i < 200; ++i) {
    auto fn = [&api, &done, &failed, i]() -> task<void> {
      message_payload m;
      m.content = std::string("burst ") + std::to_string(i);
      auto r = co_await api.create_message(snowflake(static_cast<std::uint64_t>(1 + i % 4)), m);
      ++done;
      if (!r) ++failed;
    };
    asio::co_spawn(ctx_, std::move(fn), asio::detached);
  }
  ASSERT_TRUE(run_until([&] { return done == 200; }));
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(server.too_many, 0);
  EXPECT_EQ(server.ok, 200);
  EXPECT_EQ(server.unauthorized, 0);
  EXPECT_GE(sclock::now() - start, 3s);
  EXPECT_EQ(rest.stats().limits.responses_429, 0u);
}

TEST_F(RestIntegrationTest, AForced429IsObeyed) {
  limited_server server(ctx_.get_executor(), 100, 1000ms, 50);
  server.force_429 = 1;
  rest_client rest(ctx_.get_executor(), clock::system(), options(server));
  discord_api api(rest);
  std::optional<rest_result<message>> result;
  const auto start = sclock::now();
  auto fn = [&]() -> task<void> {
    message_payload m;
    m.content = std::string("hello");
    result = co_await api.create_message(snowflake(9), m);
  };
  asio::co_spawn(ctx_, std::move(fn), asio::detached);
  ASSERT_TRUE(run_until([&] { return result.has_value(); }));
  ASSERT_TRUE(*result) << result->error().describe();
  EXPECT_GE(sclock::now() - start, 300ms);  // waited retry_after before retrying
  EXPECT_EQ(server.too_many, 1);
  EXPECT_EQ(server.ok, 1);
  EXPECT_EQ(rest.stats().limits.responses_429, 1u);
}

TEST_F(RestIntegrationTest, AWrongTokenIsATyped401) {
  limited_server server(ctx_.get_executor(), 100, 1000ms, 50);
  auto o = options(server);
  o.token = "wrong";
  rest_client rest(ctx_.get_executor(), clock::system(), o);
  discord_api api(rest);
  std::optional<rest_result<user>> me;
  auto fn = [&]() -> task<void> { me = co_await api.get_current_user(); };
  asio::co_spawn(ctx_, std::move(fn), asio::detached);
  ASSERT_TRUE(run_until([&] { return me.has_value(); }));
  ASSERT_FALSE(*me);
  EXPECT_EQ(me->error().code, rest_errc::unauthorized);
  EXPECT_EQ(me->error().status, 401);
  EXPECT_EQ(server.unauthorized, 1);  // not retried
}

}  // namespace
}  // namespace vb::discord
