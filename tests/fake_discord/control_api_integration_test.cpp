// The control API over HTTP: world building, scripted users in voice, interactions with
// waits, faults, and its error answers.
#include "vectobeat/fake_discord/server.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <thread>

#include "fake_fixture.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using test::FakeTest;

using test::str;

class ControlTest : public FakeTest {
 protected:
  net::http_response call(const std::string& method, const std::string& route, const json::value& b = nullptr) {
    net::header_map h;
    std::string text;
    if (!b.is_null()) {
      h.set("Content-Type", "application/json");
      text = json::serialize(b);
    }
    return test::http(pool.executor(), method, fake->control_base() + route, text, h);
  }
  json::value ok(const std::string& method, const std::string& route, const json::value& b = nullptr) {
    auto r = call(method, route, b);
    EXPECT_LT(r.status, 300) << method << " " << route << ": " << r.body;
    return r.body.empty() ? json::value(nullptr) : json::parse(r.body);
  }
};

TEST_F(ControlTest, BuildsAWorldTheGatewaySees) {
  start();
  auto gw = identify(0, 1, 129 | 2);
  auto info = ok("GET", "/info").as_object();
  EXPECT_EQ(str(info, "rest"), fake->rest_base());
  EXPECT_EQ(str(info.at("demo").as_object(), "guild"), std::to_string(demo().guild));

  const auto owner = str(ok("POST", "/users", json::object{{"username", "erin"}}).as_object(), "id");
  const auto guild = str(ok("POST", "/guilds", json::object{{"name", "Erin's"}, {"owner_id", owner}}).as_object(), "id");
  auto gc = gw->next_dispatch("GUILD_CREATE");
  while (gc && str(gc->at("d").as_object(), "id") != guild) gc = gw->next_dispatch("GUILD_CREATE");
  ASSERT_TRUE(gc) << "the bot joined the new guild";
  const auto voice = str(ok("POST", "/guilds/" + guild + "/channels", json::object{{"name", "Stage"}, {"type", "voice"}, {"user_limit", 5}}).as_object(), "id");
  ASSERT_TRUE(gw->next_dispatch("CHANNEL_CREATE"));
  const auto role = str(ok("POST", "/guilds/" + guild + "/roles", json::object{{"name", "DJ"}, {"permissions", "16777216"}}).as_object(), "id");
  const auto user = str(ok("POST", "/users", json::object{{"username", "frank"}}).as_object(), "id");
  ok("PUT", "/guilds/" + guild + "/members/" + user, json::object{{"roles", json::array{json::value(role)}}});
  auto add = gw->next_dispatch("GUILD_MEMBER_ADD");
  ASSERT_TRUE(add);
  EXPECT_EQ(add->at("d").at("roles").as_array()[0].as_string(), role);
  ok("PUT", "/guilds/" + guild + "/voice/" + user, json::object{{"channel_id", voice}, {"self_mute", true}});
  auto vsu = gw->next_dispatch("VOICE_STATE_UPDATE");
  ASSERT_TRUE(vsu);
  EXPECT_EQ(vsu->at("d").at("self_mute"), true);
  auto g = ok("GET", "/guilds/" + guild).as_object();
  EXPECT_EQ(g.at("voice_states").as_array().size(), 1u);
  EXPECT_EQ(g.at("members").as_array().size(), 3u);  // bot, erin, frank
  ok("PUT", "/guilds/" + guild + "/voice/" + user, json::object{{"channel_id", nullptr}});
  ok("DELETE", "/guilds/" + guild + "/members/" + user);
  EXPECT_EQ(ok("GET", "/guilds/" + guild).at("members").as_array().size(), 2u);

  EXPECT_EQ(call("GET", "/guilds/42").status, 404);
  EXPECT_EQ(call("POST", "/guilds/" + guild + "/channels", json::object{{"name", "x"}, {"type", "forum"}}).status, 400);
  EXPECT_EQ(call("PUT", "/guilds/" + guild + "/voice/" + user, json::object{{"channel_id", voice}}).status, 400) << "not a member";
  EXPECT_EQ(call("POST", "/users", json::object{{"username", ""}}).status, 400);
  auto bad_json = test::http(pool.executor(), "POST", fake->control_base() + "/users", "{", {});
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(str(json::parse(bad_json.body).as_object(), "path"), "/control/v1/users") << "the project's error shape";
  EXPECT_EQ(call("GET", "/nope").status, 404);
}

TEST_F(ControlTest, InteractionsWithWaitAndTheRecordedReply) {
  start();
  auto gw = identify();
  auto r = rest("PUT", "/applications/" + std::to_string(fake->application_id()) + "/commands",
                json::array{json::object{{"name", "queue"}, {"description", "Show the queue"}}});
  ASSERT_EQ(r.status, 200);
  std::thread bot([&] {
    auto ev = gw->next_dispatch("INTERACTION_CREATE");
    if (!ev) return;
    auto& d = ev->at("d").as_object();
    json::array rows{json::object{{"type", 1}, {"components", json::array{json::object{{"type", 2}, {"style", 2}, {"label", "Next"}, {"custom_id", "next"}}}}}};
    rest("POST", "/interactions/" + str(d, "id") + "/" + str(d, "token") + "/callback",
         json::object{{"type", 4}, {"data", json::object{{"content", "1. Song"}, {"components", rows}}}});
    auto press = gw->next_dispatch("INTERACTION_CREATE");
    if (!press) return;
    auto& p = press->at("d").as_object();
    rest("POST", "/interactions/" + str(p, "id") + "/" + str(p, "token") + "/callback", json::object{{"type", 6}});
  });
  auto i = ok("POST", "/interactions/commands", json::object{{"user_id", std::to_string(demo().carol)}, {"name", "queue"}, {"wait", true}}).as_object();
  EXPECT_EQ(i.at("callback_type"), 4);
  EXPECT_EQ(i.at("expired"), false);
  const auto msg = str(i, "message_id");
  auto messages = ok("GET", "/channels/" + std::to_string(demo().general) + "/messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(str(messages[0].as_object(), "content"), "1. Song");
  EXPECT_EQ(messages[0].at("components").as_array().size(), 1u);
  auto press = ok("POST", "/interactions/components",
                  json::object{{"message_id", msg}, {"user_id", std::to_string(demo().bob)}, {"custom_id", "next"}, {"wait", 5000}}).as_object();
  bot.join();
  EXPECT_EQ(press.at("callback_type"), 6);
  auto again = ok("GET", "/interactions/" + str(press, "id") + "?wait_ms=10").as_object();
  EXPECT_EQ(again.at("callback_type"), 6);
  EXPECT_EQ(call("POST", "/interactions/commands", json::object{{"user_id", std::to_string(demo().carol)}, {"name", "nope"}}).status, 404);
  EXPECT_EQ(call("GET", "/interactions/12345").status, 404);
  auto cmds = ok("GET", "/commands").as_array();
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_EQ(str(cmds[0].as_object(), "name"), "queue");
}

TEST_F(ControlTest, UnansweredInteractionsExpireAfterTheDeadline) {
  start(defaults(), &mclock);
  ASSERT_EQ(rest("PUT", "/applications/" + std::to_string(fake->application_id()) + "/commands",
                 json::array{json::object{{"name", "slow"}, {"description", "Never answered"}}})
                .status,
            200);
  auto i = ok("POST", "/interactions/commands", json::object{{"user_id", std::to_string(demo().carol)}, {"name", "slow"}}).as_object();
  EXPECT_TRUE(i.at("callback_type").is_null());
  mclock.advance(3s);
  auto later = ok("GET", "/interactions/" + str(i, "id") + "?wait_ms=0").as_object();
  EXPECT_EQ(later.at("expired"), true);
}

TEST_F(ControlTest, GatewayFaultsHeartbeatStallsAndRawDispatch) {
  start();
  auto gw = identify();
  EXPECT_EQ(ok("POST", "/gateway/shards/0/faults", json::object{{"type", "reconnect"}}).at("affected"), 1);
  EXPECT_TRUE(gw->next_op(7));
  ok("POST", "/gateway/heartbeat-acks", json::object{{"stalled", true}});
  gw->send(json::object{{"op", 1}, {"d", nullptr}});
  ok("POST", "/gateway/dispatch", json::object{{"guild_id", std::to_string(demo().guild)}, {"event", "TEST_EVENT"}, {"d", json::object{{"n", 7}}}});
  auto next = gw->next();
  while (next && str(*next, "t") == "GUILD_CREATE") next = gw->next();
  ASSERT_TRUE(next);
  EXPECT_EQ(str(*next, "t"), "TEST_EVENT") << "no ACK while stalled";
  auto sessions = ok("GET", "/gateway/sessions").as_array();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].at("connected"), true);
  EXPECT_EQ(call("POST", "/gateway/shards/0/faults", json::object{{"type", "explode"}}).status, 400);
  EXPECT_EQ(ok("POST", "/gateway/shards/0/faults", json::object{{"type", "close"}, {"code", 4000}}).at("affected"), 1);
  EXPECT_EQ(gw->wait_close(), 4000);
}

TEST_F(ControlTest, RestLimitsAndStats) {
  start();
  ok("PUT", "/rest/limits", json::object{{"route", "GET /users/@me"}, {"limit", 1}, {"window_ms", 60000}});
  EXPECT_EQ(rest("GET", "/users/@me").status, 200);
  EXPECT_EQ(rest("GET", "/users/@me").status, 429);
  ok("POST", "/rest/rate-limits", json::object{{"route", "GET /gateway/bot"}, {"count", 1}, {"retry_after", 0.5}, {"scope", "user"}});
  EXPECT_EQ(rest("GET", "/gateway/bot").status, 429);
  EXPECT_EQ(rest("GET", "/gateway/bot").status, 200);
  auto stats = ok("GET", "/rest/stats").as_object();
  EXPECT_EQ(stats.at("rate_limited"), 2);
  EXPECT_EQ(stats.at("requests"), 4);
  EXPECT_EQ(call("POST", "/rest/rate-limits", json::object{{"scope", "planet"}}).status, 400);
}

}  // namespace
}  // namespace vb::fake
