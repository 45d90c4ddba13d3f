#include "vectobeat/bot/interaction_router.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include <functional>
#include <stdexcept>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/discord/rest_client.hpp"

namespace vb::bot {
namespace {

using namespace std::chrono_literals;

struct sent {
  std::string method, url, body;
};

// Records every request and answers like Discord would.
class recording_transport final : public discord::rest_transport {
 public:
  explicit recording_transport(std::vector<sent>& log) : log_(log) {}
  task<expected<net::http_response, net::client_error>> send(std::string method, std::string url, net::header_map,
                                                             std::string body) override {
    log_.push_back({method, url, body});
    net::http_response r;
    if (url.find("/callback") != std::string::npos) {
      r.status = 204;
    } else if (method == "DELETE") {
      r.status = 204;
    } else {
      r.status = 200;
      r.body = R"({"id":"900","channel_id":"20","content":"","author":{"id":"1","username":"bot"}})";
      r.headers.set("Content-Type", "application/json");
    }
    co_return r;
  }

 private:
  std::vector<sent>& log_;
};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    discord::rest_options o;
    o.base_url = "http://discord.test/api/v10";
    o.token = "t";
    rest_ = std::make_unique<discord::rest_client>(ctx_.get_executor(), clock_, o,
                                                   std::make_unique<recording_transport>(log_));
    api_ = std::make_unique<discord::discord_api>(*rest_);
    router_ = std::make_unique<interaction_router>(ctx_.get_executor(), clock_, *api_, registry_, router_options{1500ms});
  }

  discord::interaction command(std::string name) {
    discord::interaction in;
    in.id = discord::snowflake(77);
    in.application_id = discord::snowflake(1);
    in.type = discord::interaction_type::application_command;
    in.token = "tok";
    in.guild_id = discord::snowflake(10);
    in.channel_id = discord::snowflake(20);
    discord::member m;
    m.user_id = discord::snowflake(30);
    in.member_info = m;
    discord::command_data d;
    d.name = std::move(name);
    in.data = d;
    return in;
  }

  void start(discord::interaction in) { spawn(ctx_.get_executor(), router_->handle(std::move(in)), "test interaction"); }

  bool run_until(const std::function<bool()>& done) {
    for (int i = 0; i < 10000 && !done(); ++i) {
      if (ctx_.stopped()) ctx_.restart();
      ctx_.run_for(1ms);
    }
    return done();
  }

  int callback_type(const sent& s) {
    auto v = boost::json::parse(s.body);
    return static_cast<int>(v.as_object().at("type").to_number<int>());
  }

  asio::io_context ctx_;
  manual_clock clock_;
  std::vector<sent> log_;
  command_registry registry_;
  std::unique_ptr<discord::rest_client> rest_;
  std::unique_ptr<discord::discord_api> api_;
  std::unique_ptr<interaction_router> router_;
};

TEST_F(RouterTest, FastHandlerIsAnsweredDirectly) {
  registry_.add({"ping", "Pong.", "Info", {}, gate::none, false, false,
                 [](command_context&) -> task<reply> { co_return reply::text("pong"); }, {}});
  std::vector<std::pair<std::string, bool>> results;
  router_->set_result_observer([&](const std::string& n, bool ok) { results.push_back({n, ok}); });
  start(command("ping"));
  ASSERT_TRUE(run_until([&] { return !results.empty(); }));
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].url.find("/interactions/77/tok/callback"), std::string::npos);
  EXPECT_EQ(callback_type(log_[0]), 4);
  EXPECT_NE(log_[0].body.find("pong"), std::string::npos);
  EXPECT_EQ(results[0], std::make_pair(std::string("ping"), true));
}

TEST_F(RouterTest, SlowHandlerIsDeferredBeforeTheDeadlineThenEdited) {
  auto gate_timer = std::make_shared<asio::steady_timer>(ctx_, asio::steady_timer::time_point::max());
  registry_.add({"slow", "Slow.", "Info", {}, gate::none, false, false,
                 [gate_timer](command_context&) -> task<reply> {
                   boost::system::error_code ec;
                   co_await gate_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
                   co_return reply::text("done");
                 },
                 {}});
  start(command("slow"));
  run_until([&] { return clock_.waiting_timers() > 0; });
  EXPECT_TRUE(log_.empty());
  clock_.advance(1500ms);  // the handler is still running at the deferral point
  ASSERT_TRUE(run_until([&] { return log_.size() == 1; }));
  EXPECT_EQ(callback_type(log_[0]), 5);
  gate_timer->cancel();
  ASSERT_TRUE(run_until([&] { return log_.size() == 2; }));
  EXPECT_EQ(log_[1].method, "PATCH");
  EXPECT_NE(log_[1].url.find("/webhooks/1/tok/messages/@original"), std::string::npos);
  EXPECT_NE(log_[1].body.find("done"), std::string::npos);
}

TEST_F(RouterTest, DeclaredSlowCommandsAreDeferredAtOnce) {
  registry_.add({"play", "Play.", "Music", {}, gate::none, true, false,
                 [](command_context&) -> task<reply> { co_return reply::text("playing"); }, {}});
  start(command("play"));
  ASSERT_TRUE(run_until([&] { return log_.size() == 2; }));
  EXPECT_EQ(callback_type(log_[0]), 5);
  EXPECT_EQ(log_[1].method, "PATCH");
}

TEST_F(RouterTest, ErrorsAreEphemeralAndNeverSilent) {
  registry_.add({"boom", "Throws.", "Info", {}, gate::none, false, false,
                 [](command_context&) -> task<reply> {
                   throw std::runtime_error("kaputt");
                   co_return reply::text("never");
                 },
                 {}});
  registry_.add({"guarded", "Gated.", "Info", {}, gate::dj, false, false,
                 [](command_context&) -> task<reply> { co_return reply::text("never"); }, {}});
  router_->set_gate_checker([](const command_spec& spec, command_context&) -> task<std::optional<std::string>> {
    if (!(spec.gates & gate::dj)) co_return std::nullopt;
    co_return std::optional<std::string>("Only DJs may do that.");
  });
  std::vector<bool> oks;
  router_->set_result_observer([&](const std::string&, bool ok) { oks.push_back(ok); });
  start(command("boom"));
  ASSERT_TRUE(run_until([&] { return oks.size() == 1; }));
  start(command("guarded"));
  ASSERT_TRUE(run_until([&] { return oks.size() == 2; }));
  start(command("nosuchcommand"));
  ASSERT_TRUE(run_until([&] { return oks.size() == 3; }));
  ASSERT_EQ(log_.size(), 3u);
  for (auto& s : log_) {
    EXPECT_EQ(callback_type(s), 4);
    EXPECT_NE(s.body.find("\"flags\":64"), std::string::npos) << s.body;
  }
  EXPECT_NE(log_[0].body.find("Something went wrong"), std::string::npos) << log_[0].body;
  EXPECT_EQ(log_[0].body.find("kaputt"), std::string::npos);  // internals are logged, not shown
  EXPECT_NE(log_[1].body.find("Only DJs"), std::string::npos);
  EXPECT_NE(log_[2].body.find("nosuchcommand"), std::string::npos);
  EXPECT_EQ(oks, (std::vector<bool>{false, false, false}));
}

}  // namespace
}  // namespace vb::bot
