#include "vectobeat/bot/status_api.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace vb::bot {
namespace {

class StatusApiTest : public ::testing::Test {
 protected:
  StatusApiTest() {
    status_api_settings st;
    st.api_key = "s3cret-key";
    status_provider p;
    p.status_json = []() -> task<std::string> { co_return std::string(R"({"guildCount":1})"); };
    p.metrics_text = []() -> task<std::string> { co_return std::string("vectobeat_guilds 1\n"); };
    p.reconcile = [this](std::string route, std::uint64_t guild) -> task<std::string> {
      reconciled_.push_back(route + ":" + std::to_string(guild));
      co_return std::string(R"({"ok":true})");
    };
    server_ = std::make_unique<status_server>(ctx_.get_executor(), st, metrics_settings{}, std::move(p));
  }

  net::http_response call(net::http_request req) {
    auto fn = [](status_server* s, net::http_request r) -> task<net::http_response> { co_return co_await s->handle_status(r); };
    auto fut = asio::co_spawn(ctx_, fn(server_.get(), std::move(req)), asio::use_future);
    ctx_.restart();
    ctx_.run();
    return fut.get();
  }

  static net::http_request get(std::string target) {
    net::http_request r;
    r.method = "GET";
    r.target = std::move(target);
    return r;
  }

  asio::io_context ctx_;
  std::vector<std::string> reconciled_;
  std::unique_ptr<status_server> server_;
};

TEST_F(StatusApiTest, BearerOrApiKeyHeaderOnly) {
  EXPECT_EQ(call(get("/status")).status, 401);
  auto bearer = get("/status");
  bearer.headers.set("Authorization", "Bearer s3cret-key");
  auto ok = call(bearer);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"guildCount":1})");
  auto key = get("/");
  key.headers.set("x-api-key", "s3cret-key");
  EXPECT_EQ(call(key).status, 200);
  // Query-string tokens are never read; wrong keys and other schemes fail.
  EXPECT_EQ(call(get("/status?token=s3cret-key")).status, 401);
  EXPECT_EQ(call(get("/status?api_key=s3cret-key")).status, 401);
  auto wrong = get("/status");
  wrong.headers.set("Authorization", "Bearer s3cret-kez");
  EXPECT_EQ(call(wrong).status, 401);
  auto basic = get("/status");
  basic.headers.set("Authorization", "Basic s3cret-key");
  EXPECT_EQ(call(basic).status, 401);
}

TEST_F(StatusApiTest, ReconcileNeedsAGuildAndThereIsNoControlRoute) {
  auto post = [](std::string target, std::string body) {
    net::http_request r;
    r.method = "POST";
    r.target = std::move(target);
    r.body = std::move(body);
    r.headers.set("Authorization", "Bearer s3cret-key");
    return r;
  };
  auto ok = call(post("/reconcile-settings", R"({"guildId":"123"})"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"ok":true})");
  EXPECT_EQ(call(post("/reconcile-routing", "{}")).status, 400);
  EXPECT_EQ(call(post("/reconcile-routing", "not json")).status, 400);
  EXPECT_EQ(call(post("/control/restart", "{}")).status, 404);
  EXPECT_EQ(reconciled_, (std::vector<std::string>{"reconcile-settings:123"}));
}

}  // namespace
}  // namespace vb::bot
