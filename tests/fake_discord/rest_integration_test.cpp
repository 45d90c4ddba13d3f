// REST v10 over loopback: authentication, rate limits, commands, messages, and the
// interaction callback/webhook flows driven through the C++ test API.
#include "vectobeat/fake_discord/server.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fake_fixture.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using test::FakeTest;

using test::str;
json::value body(const net::http_response& r) { return r.body.empty() ? json::value(nullptr) : json::parse(r.body); }
std::int64_t code(const net::http_response& r) { return body(r).as_object().at("code").as_int64(); }

class RestTest : public FakeTest {
 protected:
  std::string app() const { return std::to_string(fake->application_id()); }
  std::string guild_commands() const { return "/applications/" + app() + "/guilds/" + std::to_string(demo().guild) + "/commands"; }

  void register_commands() {
    json::array cmds{
        json::object{{"name", "play"},
                     {"description", "Queue a track"},
                     {"options", json::array{json::object{{"type", 3}, {"name", "query"}, {"description", "What"}, {"required", true}, {"autocomplete", true}},
                                             json::object{{"type", 6}, {"name", "for"}, {"description", "Who"}}}}},
        json::object{{"name", "settings"}, {"description", "Open the settings"}}};
    auto r = rest("PUT", guild_commands(), cmds);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  command_invocation play(std::string query) const {
    command_invocation inv;
    inv.guild_id = demo().guild;
    inv.channel_id = demo().general;
    inv.user_id = demo().alice;
    inv.name = "play";
    inv.options.push_back({"query", json::value(query)});
    return inv;
  }

  net::http_response callback(const interaction& i, const json::value& b, const std::string& query = {}) {
    return rest("POST", "/interactions/" + std::to_string(i.id) + "/" + i.token + "/callback" + query, b);
  }
  std::string webhook(const interaction& i) const { return "/webhooks/" + app() + "/" + i.token; }
};

TEST_F(RestTest, AuthorizationAndUserAgentAreRequired) {
  start();
  auto url = fake->rest_base() + "/users/@me";
  net::header_map ua;
  ua.set("User-Agent", "DiscordBot (https://x.test, 1)");
  EXPECT_EQ(test::http(pool.executor(), "GET", url, {}, ua).status, 401);
  auto wrong = ua;
  wrong.set("Authorization", "Bot nope");
  auto r = test::http(pool.executor(), "GET", url, {}, wrong);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(str(body(r).as_object(), "message"), "401: Unauthorized");
  net::header_map no_ua;
  no_ua.set("Authorization", "Bot test-token");
  no_ua.set("User-Agent", "curl/8");
  EXPECT_EQ(test::http(pool.executor(), "GET", url, {}, no_ua).status, 400);
  r = rest("GET", "/users/@me");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(body(r).as_object(), "id"), std::to_string(fake->bot_user_id()));
  EXPECT_EQ(body(r).as_object().at("bot"), true);
  EXPECT_EQ(fake->rest_statistics().unauthorized, 2u);
  EXPECT_EQ(fake->rest_statistics().invalid_requests, 2u);
}

TEST_F(RestTest, GatewayBotDescribesShardsAndSessionStartLimit) {
  auto opts = defaults();
  opts.recommended_shards = 4;
  opts.max_concurrency = 2;
  start(opts);
  auto r = rest("GET", "/gateway/bot");
  ASSERT_EQ(r.status, 200);
  auto o = body(r).as_object();
  EXPECT_EQ(str(o, "url"), fake->gateway_url());
  EXPECT_EQ(o.at("shards"), 4);
  EXPECT_EQ(o.at("session_start_limit").at("max_concurrency"), 2);
  EXPECT_EQ(o.at("session_start_limit").at("remaining"), 1000);
  auto c = identify();
  EXPECT_EQ(body(rest("GET", "/gateway/bot")).at("session_start_limit").at("remaining"), 999);
  net::header_map ua;
  ua.set("User-Agent", "DiscordBot (https://x.test, 1)");
  EXPECT_EQ(test::http(pool.executor(), "GET", fake->rest_base() + "/gateway", {}, ua).status, 200) << "no auth needed";
}

TEST_F(RestTest, GuildChannelMemberAndRoleReads) {
  start();
  auto d = demo();
  const auto g = "/guilds/" + std::to_string(d.guild);
  auto r = rest("GET", g);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(body(r).as_object(), "name"), "VectoBeat Demo");
  EXPECT_EQ(body(rest("GET", g + "/channels")).as_array().size(), 3u);
  EXPECT_EQ(body(rest("GET", g + "/roles")).as_array().size(), 2u);
  r = rest("GET", g + "/members/" + std::to_string(d.bob));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body(r).at("roles").as_array()[0].as_string(), std::to_string(d.dj_role));
  EXPECT_EQ(body(rest("GET", g + "/members?limit=10")).as_array().size(), 4u);
  EXPECT_EQ(rest("GET", "/channels/" + std::to_string(d.music)).status, 200);
  r = rest("GET", "/guilds/123456789012345678");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), 10004);
  r = rest("GET", "/channels/not-a-number");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), 50035);
  EXPECT_EQ(rest("POST", g).status, 405);
}

TEST_F(RestTest, RouteBucketsAnswer429WithDiscordHeadersUntilTheWindowResets) {
  auto opts = defaults();
  opts.route_limits.push_back({"POST /channels/{channel_id}/messages", 2, 5000ms});
  start(opts, &mclock);
  const auto route = "/channels/" + std::to_string(demo().general) + "/messages";
  json::object msg{{"content", "hi"}};
  auto r1 = rest("POST", route, msg);
  ASSERT_EQ(r1.status, 200);
  EXPECT_EQ(r1.headers.get("X-RateLimit-Limit"), "2");
  EXPECT_EQ(r1.headers.get("X-RateLimit-Remaining"), "1");
  EXPECT_EQ(r1.headers.get("X-RateLimit-Reset-After"), "5.000");
  ASSERT_TRUE(r1.headers.get("X-RateLimit-Bucket"));
  EXPECT_EQ(r1.headers.get("X-RateLimit-Bucket")->size(), 32u);
  mclock.advance(1500ms);
  auto r2 = rest("POST", route, msg);
  EXPECT_EQ(r2.headers.get("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(r2.headers.get("X-RateLimit-Reset-After"), "3.500");
  auto r3 = rest("POST", route, msg);
  ASSERT_EQ(r3.status, 429);
  EXPECT_EQ(r3.headers.get("Retry-After"), "4");
  EXPECT_EQ(r3.headers.get("X-RateLimit-Scope"), "user");
  EXPECT_FALSE(r3.headers.get("X-RateLimit-Global"));
  auto b = body(r3).as_object();
  EXPECT_DOUBLE_EQ(b.at("retry_after").to_number<double>(), 3.5);
  EXPECT_EQ(b.at("global"), false);
  // Another channel is another major parameter: its own bucket.
  const auto other = fake->create_channel(demo().guild, "other", channel_type::guild_text);
  EXPECT_EQ(rest("POST", "/channels/" + std::to_string(*other) + "/messages", msg).status, 200);
  mclock.advance(3500ms);
  EXPECT_EQ(rest("POST", route, msg).status, 200);
  EXPECT_EQ(fake->rest_statistics().rate_limited, 1u);
  EXPECT_EQ(fake->messages(demo().general).size(), 3u);
}

TEST_F(RestTest, GlobalLimitSparesInteractionRoutes) {
  auto opts = defaults();
  opts.global_requests_per_second = 3;
  start(opts, &mclock);
  register_commands();  // 1
  EXPECT_EQ(rest("GET", "/users/@me").status, 200);  // 2
  auto i = fake->start_command(play("x"));
  ASSERT_TRUE(i);
  EXPECT_EQ(rest("GET", "/users/@me").status, 200);  // 3
  auto r = rest("GET", "/users/@me");
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("X-RateLimit-Global"), "true");
  EXPECT_EQ(r.headers.get("X-RateLimit-Scope"), "global");
  EXPECT_EQ(body(r).at("global"), true);
  EXPECT_EQ(callback(*i, json::object{{"type", 4}, {"data", json::object{{"content", "ok"}}}}).status, 204);
  mclock.advance(1s);
  EXPECT_EQ(rest("GET", "/users/@me").status, 200);
}

TEST_F(RestTest, ScriptedRateLimitsAndTheInvalidRequestCount) {
  start();
  fake->force_rate_limit({"GET /users/@me", 2, 0.25, "shared"});
  fake->force_rate_limit({"*", 1, 2.0, "global"});
  auto r = rest("GET", "/users/@me");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("X-RateLimit-Scope"), "shared");
  EXPECT_EQ(r.headers.get("Retry-After"), "1");
  r = rest("GET", "/users/@me");
  EXPECT_EQ(r.headers.get("X-RateLimit-Scope"), "shared");
  r = rest("GET", "/users/@me");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("X-RateLimit-Global"), "true");
  EXPECT_EQ(rest("GET", "/users/@me").status, 200);
  auto s = fake->rest_statistics();
  EXPECT_EQ(s.rate_limited, 3u);
  EXPECT_EQ(s.invalid_requests, 1u) << "shared-scope 429s do not count";
}

TEST_F(RestTest, BulkOverwriteValidatesAndKeepsCommandIds) {
  start();
  register_commands();
  auto listed = body(rest("GET", guild_commands())).as_array();
  ASSERT_EQ(listed.size(), 2u);
  const auto play_id = str(listed[0].as_object(), "id");
  EXPECT_EQ(str(listed[0].as_object(), "application_id"), app());
  EXPECT_EQ(str(listed[0].as_object(), "guild_id"), std::to_string(demo().guild));
  // Overwrite with play changed and settings dropped: play keeps its id.
  auto r = rest("PUT", guild_commands(), json::array{json::object{{"name", "play"}, {"description", "Play now"}}});
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(body(r).as_array().size(), 1u);
  EXPECT_EQ(str(body(r).as_array()[0].as_object(), "id"), play_id);
  EXPECT_EQ(fake->commands(demo().guild).size(), 1u);
  EXPECT_TRUE(fake->commands(0).empty());

  auto invalid = [&](json::value cmds, std::string_view path) {
    auto res = rest("PUT", guild_commands(), cmds);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(code(res), 50035);
    // errors.<path>._errors exists
    json::value full = body(res);
    const json::value* at = &full.as_object().at("errors");
    std::string p(path);
    for (std::size_t i = 0; i <= p.size();) {
      auto dot = p.find('.', i);
      auto key = p.substr(i, dot == std::string::npos ? std::string::npos : dot - i);
      ASSERT_TRUE(at->is_object() && at->as_object().contains(key)) << "missing " << key << " in " << res.body;
      at = &at->as_object().at(key);
      if (dot == std::string::npos) break;
      i = dot + 1;
    }
    EXPECT_TRUE(at->as_object().contains("_errors")) << res.body;
  };
  invalid(json::array{json::object{{"name", "Play"}, {"description", "x"}}}, "0.name");
  invalid(json::array{json::object{{"name", "play now"}, {"description", "x"}}}, "0.name");
  invalid(json::array{json::object{{"name", "play"}}}, "0.description");
  invalid(json::array{json::object{{"name", "a"}, {"description", "x"}}, json::object{{"name", "a"}, {"description", "y"}}}, "1.name");
  json::array many;
  for (int i = 0; i < 26; ++i) many.push_back(json::object{{"type", 3}, {"name", "o" + std::to_string(i)}, {"description", "d"}});
  invalid(json::array{json::object{{"name", "big"}, {"description", "x"}, {"options", many}}}, "0.options");
  invalid(json::array{json::object{{"name", "ac"}, {"description", "x"},
                                   {"options", json::array{json::object{{"type", 3}, {"name", "q"}, {"description", "d"}, {"autocomplete", true},
                                                                        {"choices", json::array{json::object{{"name", "a"}, {"value", "a"}}}}}}}}},
          "0.options.0.autocomplete");
  invalid(json::array{json::object{{"name", "order"}, {"description", "x"},
                                   {"options", json::array{json::object{{"type", 3}, {"name", "a"}, {"description", "d"}},
                                                           json::object{{"type", 3}, {"name", "b"}, {"description", "d"}, {"required", true}}}}}},
          "0.options.1.required");
  invalid(json::array{json::object{{"type", 2}, {"name", "User Info"}, {"description", "not allowed"}}}, "0.description");
  EXPECT_EQ(fake->commands(demo().guild).size(), 1u) << "a failed overwrite changes nothing";
  EXPECT_EQ(rest("PUT", "/applications/1/commands", json::array{}).status, 403) << "someone else's application";
}

TEST_F(RestTest, GlobalCommandCreateGetEditDelete) {
  start();
  const auto base = "/applications/" + app() + "/commands";
  auto r = rest("POST", base, json::object{{"name", "help"}, {"description", "Help"}});
  ASSERT_EQ(r.status, 201);
  const auto id = str(body(r).as_object(), "id");
  EXPECT_EQ(rest("POST", base, json::object{{"name", "help"}, {"description", "Help!"}}).status, 200) << "same name: overwrite";
  r = rest("PATCH", base + "/" + id, json::object{{"description", "Help me"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(str(body(r).as_object(), "description"), "Help me");
  EXPECT_EQ(str(body(rest("GET", base + "/" + id)).as_object(), "name"), "help");
  EXPECT_EQ(rest("DELETE", base + "/" + id).status, 204);
  r = rest("GET", base + "/" + id);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), 10063);
}

TEST_F(RestTest, ChannelMessagesCreateEditDeleteAndDispatch) {
  start();
  auto gw = identify(0, 1, 129 | (1 << 9));
  const auto route = "/channels/" + std::to_string(demo().general) + "/messages";
  auto r = rest("POST", route, json::object{{"content", "Now playing"}, {"embeds", json::array{json::object{{"title", "Song"}}}}});
  ASSERT_EQ(r.status, 200);
  const auto id = str(body(r).as_object(), "id");
  auto created = gw->next_dispatch("MESSAGE_CREATE");
  ASSERT_TRUE(created);
  EXPECT_EQ(str(created->at("d").as_object(), "content"), "Now playing");
  r = rest("PATCH", route + "/" + id, json::object{{"content", "Now playing (edited)"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(body(r).at("edited_timestamp").is_null());
  ASSERT_TRUE(gw->next_dispatch("MESSAGE_UPDATE"));
  EXPECT_EQ(str(body(rest("GET", route + "/" + id)).as_object(), "content"), "Now playing (edited)");
  EXPECT_EQ(body(rest("GET", route + "?limit=5")).as_array().size(), 1u);
  EXPECT_EQ(rest("DELETE", route + "/" + id).status, 204);
  ASSERT_TRUE(gw->next_dispatch("MESSAGE_DELETE"));
  r = rest("GET", route + "/" + id);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), 10008);
  auto recorded = fake->messages(demo().general);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_TRUE(recorded[0].deleted);
  EXPECT_EQ(recorded[0].edits, 1);

  r = rest("POST", route, json::object{{"content", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), 50006);
  r = rest("POST", route, json::object{{"content", std::string(2001, 'x')}});
  EXPECT_EQ(code(r), 50035);
  json::array eleven(11, json::object{{"title", "t"}});
  EXPECT_EQ(code(rest("POST", route, json::object{{"embeds", eleven}})), 50035);
  r = rest("POST", route, std::string("{\"content\": "));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), 50109);
  EXPECT_EQ(code(rest("POST", "/channels/" + std::to_string(demo().guild + 99) + "/messages", json::object{{"content", "x"}})), 10003);
}

TEST_F(RestTest, InteractionReplyIsRecordedAndASecondResponseRefused) {
  start();
  register_commands();
  auto gw = identify();
  auto inv = play("never gonna");
  inv.options.push_back({"for", json::value(std::to_string(demo().bob))});
  auto i = fake->start_command(inv);
  ASSERT_TRUE(i);
  auto ev = gw->next_dispatch("INTERACTION_CREATE");
  ASSERT_TRUE(ev);
  auto& d = ev->at("d").as_object();
  EXPECT_EQ(str(d, "token"), i->token);
  EXPECT_EQ(d.at("type"), 2);
  EXPECT_EQ(d.at("version"), 1);
  EXPECT_EQ(str(d.at("data").as_object(), "name"), "play");
  EXPECT_EQ(d.at("data").at("options").as_array()[0].at("type"), 3) << "type from the registered command";
  EXPECT_TRUE(d.at("data").at("resolved").at("users").as_object().contains(std::to_string(demo().bob)));
  EXPECT_EQ(str(d.at("member").as_object(), "permissions"), std::to_string(permission::all)) << "alice owns the guild";
  EXPECT_FALSE(str(d, "app_permissions").empty());

  auto r = callback(*i, json::object{{"type", 4}, {"data", json::object{{"content", "Queued"}, {"flags", 64}}}});
  EXPECT_EQ(r.status, 204);
  auto done = fake->wait_for_response(i->id, 1s);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->callback_type, 4);
  ASSERT_TRUE(done->response_time);
  auto m = fake->find_message(done->message_id);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->content, "Queued");
  EXPECT_TRUE(m->ephemeral());
  EXPECT_EQ(m->type, 20);
  r = callback(*i, json::object{{"type", 4}, {"data", json::object{{"content", "again"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), 40060);
  r = rest("POST", "/interactions/" + std::to_string(i->id) + "/wrong-token/callback", json::object{{"type", 4}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), 10062);
  EXPECT_EQ(fake->start_command(play("x")).has_value(), true);
  command_invocation unknown = play("x");
  unknown.name = "nope";
  EXPECT_EQ(fake->start_command(unknown).error(), make_error_code(fake_error::unknown_command));
}

TEST_F(RestTest, DeferredReplyThenEditOriginalFollowUpsAndDelete) {
  start();
  register_commands();
  auto i = fake->start_command(play("x"));
  ASSERT_TRUE(i);
  auto r = callback(*i, json::object{{"type", 5}, {"data", json::object{{"flags", 64}}}}, "?with_response=true");
  ASSERT_EQ(r.status, 200);
  auto b = body(r).as_object();
  EXPECT_EQ(b.at("interaction").at("response_message_loading"), true);
  EXPECT_EQ(b.at("interaction").at("response_message_ephemeral"), true);
  auto original = fake->find_message(fake->find_interaction(i->id)->message_id);
  ASSERT_TRUE(original);
  EXPECT_TRUE(original->flags & message_flag_loading);

  r = rest("PATCH", webhook(*i) + "/messages/@original", json::object{{"content", "Now playing x"}});
  ASSERT_EQ(r.status, 200);
  original = fake->find_message(original->id);
  EXPECT_EQ(original->content, "Now playing x");
  EXPECT_FALSE(original->flags & message_flag_loading);
  EXPECT_TRUE(original->ephemeral());
  EXPECT_EQ(str(body(rest("GET", webhook(*i) + "/messages/@original")).as_object(), "content"), "Now playing x");

  r = rest("POST", webhook(*i), json::object{{"content", "follow-up"}});
  ASSERT_EQ(r.status, 200);
  const auto followup = str(body(r).as_object(), "id");
  EXPECT_EQ(rest("PATCH", webhook(*i) + "/messages/" + followup, json::object{{"content", "edited"}}).status, 200);
  EXPECT_EQ(fake->find_message(std::stoull(followup))->content, "edited");
  EXPECT_EQ(rest("DELETE", webhook(*i) + "/messages/@original").status, 204);
  EXPECT_EQ(rest("GET", webhook(*i) + "/messages/@original").status, 404);
  EXPECT_EQ(code(rest("POST", "/webhooks/1/" + i->token, json::object{{"content", "x"}})), 10015) << "wrong application";
  auto other = fake->start_command(play("y"));
  EXPECT_EQ(code(rest("PATCH", webhook(*other) + "/messages/" + followup, json::object{{"content", "x"}})), 10015)
      << "not acknowledged yet";
}

TEST_F(RestTest, FirstFollowUpCompletesADeferredReply) {
  start();
  register_commands();
  auto i = fake->start_command(play("x"));
  ASSERT_EQ(callback(*i, json::object{{"type", 5}}).status, 204);
  auto r = rest("POST", webhook(*i), json::object{{"content", "done"}});
  ASSERT_EQ(r.status, 200);
  auto after = fake->find_interaction(i->id);
  EXPECT_EQ(str(body(r).as_object(), "id"), std::to_string(after->message_id));
  EXPECT_TRUE(after->followups.empty());
  EXPECT_EQ(fake->find_message(after->message_id)->content, "done");
}

TEST_F(RestTest, LateCallbacksFailAndTokensExpireAfterFifteenMinutes) {
  start(defaults(), &mclock);
  register_commands();
  auto late = fake->start_command(play("late"));
  mclock.advance(3001ms);
  auto expired = fake->wait_for_response(late->id, 5s);
  ASSERT_TRUE(expired);
  EXPECT_TRUE(expired->expired);
  EXPECT_FALSE(expired->callback_type);
  auto r = callback(*late, json::object{{"type", 4}, {"data", json::object{{"content", "too late"}}}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), 10062);
  EXPECT_EQ(fake->find_interaction(late->id)->last_rejection, "Unknown interaction");

  auto i = fake->start_command(play("ok"));
  mclock.advance(2999ms);
  ASSERT_EQ(callback(*i, json::object{{"type", 5}}).status, 204);
  mclock.advance(std::chrono::minutes(14));
  EXPECT_EQ(rest("PATCH", webhook(*i) + "/messages/@original", json::object{{"content", "in time"}}).status, 200);
  mclock.advance(std::chrono::minutes(1));
  r = rest("PATCH", webhook(*i) + "/messages/@original", json::object{{"content", "too late"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code(r), 50027);
}

TEST_F(RestTest, ButtonsUpdateTheirMessageAndAutocompleteAndModalsWork) {
  start();
  register_commands();
  // The bot posts a message with a button.
  json::array rows{json::object{{"type", 1}, {"components", json::array{json::object{{"type", 2}, {"style", 1}, {"label", "Skip"}, {"custom_id", "skip"}}}}}};
  auto posted = rest("POST", "/channels/" + std::to_string(demo().general) + "/messages",
                     json::object{{"content", "Now playing"}, {"components", rows}});
  ASSERT_EQ(posted.status, 200);
  const auto msg_id = std::stoull(str(body(posted).as_object(), "id"));
  EXPECT_EQ(fake->start_component({msg_id, demo().bob, "nope", {}}).error(), make_error_code(fake_error::invalid_argument));
  auto press = fake->start_component({msg_id, demo().bob, "skip", {}});
  ASSERT_TRUE(press);
  EXPECT_EQ(callback(*press, json::object{{"type", 8}, {"data", json::object{{"choices", json::array{}}}}}).status, 400)
      << "autocomplete result for a button";
  ASSERT_EQ(callback(*press, json::object{{"type", 7}, {"data", json::object{{"content", "Skipped"}, {"components", json::array{}}}}}).status, 204);
  auto updated = fake->find_message(msg_id);
  EXPECT_EQ(updated->content, "Skipped");
  EXPECT_TRUE(updated->components.empty());
  EXPECT_EQ(updated->edits, 1);

  auto inv = play("nev");
  inv.options[0].focused = true;
  auto ac = fake->start_autocomplete(inv);
  ASSERT_TRUE(ac);
  EXPECT_EQ(callback(*ac, json::object{{"type", 4}, {"data", json::object{{"content", "x"}}}}).status, 400);
  json::array choices{json::object{{"name", "Never Gonna Give You Up"}, {"value", "nggyu"}}};
  ASSERT_EQ(callback(*ac, json::object{{"type", 8}, {"data", json::object{{"choices", choices}}}}).status, 204);
  EXPECT_EQ(fake->find_interaction(ac->id)->callback_data.at("choices").as_array().size(), 1u);

  command_invocation settings{demo().guild, demo().general, demo().alice, "settings", {}, {}, "en-US"};
  auto open = fake->start_command(settings);
  json::object modal{{"custom_id", "settings-modal"}, {"title", "Settings"},
                     {"components", json::array{json::object{{"type", 1}, {"components", json::array{json::object{{"type", 4}, {"custom_id", "volume"}, {"label", "Volume"}, {"style", 1}}}}}}}};
  ASSERT_EQ(callback(*open, json::object{{"type", 9}, {"data", modal}}).status, 204);
  auto submit = fake->start_modal_submit({open->id, 0, {{"volume", "80"}}});
  ASSERT_TRUE(submit);
  EXPECT_EQ(submit->type, interaction_type::modal_submit);
  EXPECT_EQ(submit->data.at("components").at(0).at("components").at(0).at("value"), "80");
  EXPECT_EQ(callback(*submit, json::object{{"type", 4}, {"data", json::object{{"content", "Saved"}}}}).status, 204);
  EXPECT_EQ(callback(*open, json::object{{"type", 9}, {"data", modal}}).status, 400) << "already answered";
}

TEST_F(RestTest, InvokeCommandWaitsForTheBotsAnswer) {
  start();
  register_commands();
  auto gw = identify();
  // A "bot" on another thread: answers the INTERACTION_CREATE it receives.
  std::thread bot([&] {
    auto ev = gw->next_dispatch("INTERACTION_CREATE");
    if (!ev) return;
    auto& d = ev->at("d").as_object();
    rest("POST", "/interactions/" + str(d, "id") + "/" + str(d, "token") + "/callback",
         json::object{{"type", 4}, {"data", json::object{{"content", "pong"}}}});
  });
  auto r = fake->invoke_command(play("x"));
  bot.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->callback_type, 4);
  EXPECT_EQ(r->callback_data.at("content"), "pong");
  auto m = fake->wait_for_message(demo().general, [](const message& m) { return m.content == "pong"; }, 1s);
  EXPECT_TRUE(m);
}

}  // namespace
}  // namespace vb::fake
