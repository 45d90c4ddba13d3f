// The gateway over loopback: lifecycle, close codes, resume, compression, sharding, voice
// state flow. Protocol time comes from a manual clock where a test depends on it.
#include "vectobeat/fake_discord/server.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <zlib.h>

#include <set>

#include "fake_fixture.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using test::FakeTest;
using test::transport;
using test::ws_client;

using test::str;
const json::object& d_of(const json::object& m) { return m.at("d").as_object(); }

class GatewayTest : public FakeTest {
 protected:
  std::unique_ptr<ws_client> connect_raw(const std::string& query = "/?v=10&encoding=json") {
    auto c = ws_client::connect(pool.executor(), fake->gateway_url() + query);
    return c;
  }
  // Hello, then `payload`; returns the close code.
  std::uint16_t close_code_after(const std::string& payload, bool binary = false) {
    auto c = connect_raw();
    EXPECT_TRUE(c->next_op(10));
    c->send_raw(payload, binary);
    return c->wait_close();
  }
};

TEST_F(GatewayTest, HelloIdentifyReadyThenGuildCreateWithChannelsRolesAndVoiceStates) {
  start();
  auto d = demo();
  ASSERT_FALSE(fake->set_user_voice(d.guild, d.bob, d.music));
  auto c = connect_raw();
  auto hello = c->next_op(10);
  ASSERT_TRUE(hello);
  EXPECT_EQ(vb::json::get_int(d_of(*hello), "heartbeat_interval"), 41250);
  c->send(identify_payload(0, 1, 129));
  auto ready = c->next_dispatch("READY");
  ASSERT_TRUE(ready);
  EXPECT_EQ(vb::json::get_int(*ready, "s"), 1);
  auto& r = d_of(*ready);
  EXPECT_EQ(vb::json::get_int(r, "v"), 10);
  EXPECT_EQ(str(r, "resume_gateway_url"), fake->gateway_url());
  EXPECT_EQ(str(r.at("user").as_object(), "id"), std::to_string(fake->bot_user_id()));
  EXPECT_EQ(str(r.at("application").as_object(), "id"), std::to_string(fake->application_id()));
  ASSERT_EQ(r.at("guilds").as_array().size(), 1u);
  EXPECT_EQ(r.at("guilds").as_array()[0].at("unavailable"), true);
  EXPECT_EQ(str(r, "session_id").size(), 32u);

  auto gc = c->next_dispatch("GUILD_CREATE");
  ASSERT_TRUE(gc);
  EXPECT_EQ(vb::json::get_int(*gc, "s"), 2);
  auto& g = d_of(*gc);
  EXPECT_EQ(str(g, "id"), std::to_string(d.guild));
  EXPECT_EQ(str(g, "name"), "VectoBeat Demo");
  EXPECT_EQ(str(g, "owner_id"), std::to_string(d.alice));
  std::set<std::string> channels, roles;
  for (auto& ch : g.at("channels").as_array()) channels.insert(str(ch.as_object(), "name"));
  for (auto& ro : g.at("roles").as_array()) roles.insert(str(ro.as_object(), "name"));
  EXPECT_EQ(channels, (std::set<std::string>{"general", "Music", "Lounge"}));
  EXPECT_EQ(roles, (std::set<std::string>{"@everyone", "DJ"}));
  // Intents 129 (no GUILD_MEMBERS): the bot itself and members in voice only.
  std::set<std::string> members;
  for (auto& m : g.at("members").as_array()) members.insert(str(m.at("user").as_object(), "username"));
  EXPECT_EQ(members, (std::set<std::string>{"VectoBeat", "bob"}));
  ASSERT_EQ(g.at("voice_states").as_array().size(), 1u);
  EXPECT_EQ(str(g.at("voice_states").as_array()[0].as_object(), "channel_id"), std::to_string(d.music));
  EXPECT_TRUE(fake->wait_for_identify(0, 5s));
}

TEST_F(GatewayTest, GuildMembersIntentSendsEveryMember) {
  start();
  auto c = identify(0, 1, 129 | 2);
  auto gc = c->next_dispatch("GUILD_CREATE");
  ASSERT_TRUE(gc);
  EXPECT_EQ(d_of(*gc).at("members").as_array().size(), 4u);  // bot, alice, bob, carol
  fake->create_user("dave");
  auto dave = fake->create_user("dave2");
  ASSERT_FALSE(fake->add_member(demo().guild, dave));
  auto add = c->next_dispatch("GUILD_MEMBER_ADD");
  ASSERT_TRUE(add);
  EXPECT_EQ(str(d_of(*add).at("user").as_object(), "username"), "dave2");
}

TEST_F(GatewayTest, HeartbeatIsAcknowledgedUnlessAcksAreStalled) {
  start();
  auto c = identify();
  c->send(json::object{{"op", 1}, {"d", c->last_seq()}});
  auto ack = c->next();
  while (ack && vb::json::get_int(*ack, "op") == 0) ack = c->next();
  ASSERT_TRUE(ack);
  EXPECT_EQ(vb::json::get_int(*ack, "op"), 11);

  fake->stall_heartbeat_acks(0, true);
  c->send(json::object{{"op", 1}, {"d", c->last_seq()}});
  // The next frame after the stalled heartbeat is the answer to op 8, not an ACK.
  c->send(json::object{{"op", 8}, {"d", json::object{{"guild_id", std::to_string(demo().guild)}, {"query", ""}, {"limit", 0}}}});
  auto next = c->next();
  ASSERT_TRUE(next);
  EXPECT_EQ(str(*next, "t"), "GUILD_MEMBERS_CHUNK");
  fake->stall_heartbeat_acks(0, false);
  c->send(json::object{{"op", 1}, {"d", c->last_seq()}});
  EXPECT_TRUE(c->next_op(11));
}

TEST_F(GatewayTest, ClientWithoutHeartbeatsIsClosedWith4009AndCannotResume) {
  auto opts = defaults();
  opts.heartbeat_interval = 1000ms;
  start(opts, &mclock);
  json::object ready;
  auto c = identify(0, 1, 129, transport::plain, &ready);
  mclock.advance(1499ms);
  c->send(json::object{{"op", 1}, {"d", nullptr}});  // in time: the deadline moves
  ASSERT_TRUE(c->next_op(11));
  mclock.advance(1499ms);
  c->send(json::object{{"op", 1}, {"d", nullptr}});
  ASSERT_TRUE(c->next_op(11));
  mclock.advance(1500ms);
  EXPECT_EQ(c->wait_close(), 4009);

  auto again = connect_raw();
  ASSERT_TRUE(again->next_op(10));
  again->send(json::object{{"op", 6}, {"d", json::object{{"token", "test-token"}, {"session_id", d_of(ready).at("session_id")}, {"seq", 2}}}});
  auto invalid = again->next_op(9);
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->at("d"), false);
}

TEST_F(GatewayTest, BadInputGetsDiscordCloseCodes) {
  auto opts = defaults();
  opts.enabled_privileged_intents = 0;
  start(opts);
  const auto ident = [&](json::object d) {
    auto p = identify_payload(0, 1, 129);
    for (auto& [k, v] : d) p["d"].as_object()[k] = v;
    return json::serialize(p);
  };
  EXPECT_EQ(close_code_after("{\"op\": 2, \"d\": {"), 4002) << "malformed JSON";
  EXPECT_EQ(close_code_after("[1, 2]"), 4002) << "not an object";
  EXPECT_EQ(close_code_after(R"({"op": 1, "d": ")" + std::string(5000, 'x') + "\"}"), 4002) << "over 4096 bytes";
  EXPECT_EQ(close_code_after("\x01\x02", true), 4002) << "binary with encoding=json";
  EXPECT_EQ(close_code_after(R"({"op": 99, "d": null})"), 4001) << "unknown opcode";
  EXPECT_EQ(close_code_after(R"({"op": 4, "d": {"guild_id": "1", "channel_id": null}})"), 4003) << "op 4 before Identify";
  EXPECT_EQ(close_code_after(ident({{"token", "wrong"}})), 4004) << "wrong token";
  EXPECT_EQ(close_code_after(ident({{"shard", json::array{1, 1}}})), 4010) << "shard id out of range";
  EXPECT_EQ(close_code_after(ident({{"shard", json::array{0, 0}}})), 4010) << "zero shards";
  EXPECT_EQ(close_code_after(ident({{"intents", 1 << 30}})), 4013) << "undefined intent bit";
  EXPECT_EQ(close_code_after(ident({{"intents", 1 | 2}})), 4014) << "privileged intent not enabled";
  EXPECT_EQ(close_code_after(R"({"op": 2, "d": "token"})"), 4002) << "Identify without an object";

  auto second = identify();
  second->send(identify_payload(0, 1, 129));
  EXPECT_EQ(second->wait_close(), 4005) << "second Identify";

  auto v9 = connect_raw("/?v=6&encoding=json");
  EXPECT_EQ(v9->wait_close(), 4012);
  auto etf = connect_raw("/?v=10&encoding=etf");
  EXPECT_EQ(etf->wait_close(), 4002);
}

TEST_F(GatewayTest, ShardingRequiredWhenAShardWouldHoldTooManyGuilds) {
  auto opts = defaults();
  opts.max_guilds_per_shard = 2;
  start(opts);
  fake->create_guild("two");
  fake->create_guild("three");
  auto c = connect_raw();
  ASSERT_TRUE(c->next_op(10));
  c->send(identify_payload(0, 1, 129));
  EXPECT_EQ(c->wait_close(), 4011);
}

TEST_F(GatewayTest, SendingMoreThanTheLimitPerMinuteCloses4008) {
  auto opts = defaults();
  opts.gateway_sends_per_minute = 3;
  start(opts, &mclock);
  auto c = identify();  // 1
  c->send(json::object{{"op", 1}, {"d", nullptr}});  // 2
  c->send(json::object{{"op", 1}, {"d", nullptr}});  // 3
  ASSERT_TRUE(c->next_op(11));
  ASSERT_TRUE(c->next_op(11));
  mclock.advance(60s);  // a new window
  c->send(json::object{{"op", 1}, {"d", nullptr}});
  c->send(json::object{{"op", 1}, {"d", nullptr}});
  c->send(json::object{{"op", 1}, {"d", nullptr}});
  c->send(json::object{{"op", 1}, {"d", nullptr}});  // 4th in the window
  EXPECT_EQ(c->wait_close(), 4008);
}

TEST_F(GatewayTest, IdentifyConcurrencyAnswersOp9UntilTheWindowPassed) {
  auto opts = defaults();
  opts.identify_window = 5000ms;
  opts.max_concurrency = 2;
  start(opts, &mclock);
  auto first = identify(0, 2);
  auto other_bucket = identify(1, 2);  // key 1: allowed in the same window
  auto c = connect_raw();
  ASSERT_TRUE(c->next_op(10));
  c->send(identify_payload(0, 2, 129));  // key 0 again within 5 s
  auto op9 = c->next_op(9);
  ASSERT_TRUE(op9);
  EXPECT_EQ(op9->at("d"), false);
  mclock.advance(5s);
  c->send(identify_payload(0, 2, 129));
  EXPECT_TRUE(c->next_dispatch("READY"));
}

TEST_F(GatewayTest, ResumeReplaysTheDispatchesMissedWhileDisconnected) {
  start();
  json::object ready;
  auto c = identify(0, 1, 129, transport::plain, &ready);
  ASSERT_TRUE(c->next_dispatch("GUILD_CREATE"));
  const auto seq = c->last_seq();
  ASSERT_EQ(fake->inject_gateway_fault(0, gateway_fault::abort_tcp), 1);
  EXPECT_EQ(c->wait_close(), 1006);
  ASSERT_TRUE(fake->create_channel(demo().guild, "missed-1", channel_type::guild_text));
  ASSERT_TRUE(fake->create_channel(demo().guild, "missed-2", channel_type::guild_text));

  auto again = connect_raw();
  ASSERT_TRUE(again->next_op(10));
  again->send(json::object{{"op", 6}, {"d", json::object{{"token", "test-token"}, {"session_id", d_of(ready).at("session_id")}, {"seq", seq}}}});
  for (const char* name : {"missed-1", "missed-2"}) {
    auto m = again->next();
    ASSERT_TRUE(m);
    EXPECT_EQ(str(*m, "t"), "CHANNEL_CREATE");
    EXPECT_EQ(str(d_of(*m), "name"), name);
    EXPECT_EQ(vb::json::get_int(*m, "s"), seq + (std::string(name) == "missed-1" ? 1 : 2));
  }
  auto resumed = again->next();
  ASSERT_TRUE(resumed);
  EXPECT_EQ(str(*resumed, "t"), "RESUMED");
  EXPECT_EQ(vb::json::get_int(*resumed, "s"), seq + 3);
  EXPECT_TRUE(fake->wait_for_resume(0, 5s));
  // Live again: a new dispatch arrives with the next sequence number.
  ASSERT_TRUE(fake->create_channel(demo().guild, "live", channel_type::guild_text));
  auto live = again->next_dispatch("CHANNEL_CREATE");
  ASSERT_TRUE(live);
  EXPECT_EQ(vb::json::get_int(*live, "s"), seq + 4);
}

TEST_F(GatewayTest, ResumeRulesInvalidSeqCleanCloseAndUnknownSession) {
  start();
  json::object ready;
  auto c = identify(0, 1, 129, transport::plain, &ready);
  const auto sid = d_of(ready).at("session_id");
  auto resume = [&](json::value session, std::int64_t seq) {
    auto r = connect_raw();
    EXPECT_TRUE(r->next_op(10));
    r->send(json::object{{"op", 6}, {"d", json::object{{"token", "test-token"}, {"session_id", session}, {"seq", seq}}}});
    return r;
  };
  c->close(4000);  // keeps the session resumable
  EXPECT_EQ(c->wait_close(), 4000);
  EXPECT_EQ(resume(sid, 500)->wait_close(), 4007) << "seq beyond the session's";
  auto unknown = resume(json::value("no-such-session"), 1)->next_op(9);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->at("d"), false);

  auto ok = resume(sid, 1);
  ASSERT_TRUE(ok->next_dispatch("RESUMED"));
  ok->close(1000);  // a clean close ends the session
  EXPECT_EQ(ok->wait_close(), 1000);
  auto after = resume(sid, 1)->next_op(9);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->at("d"), false);
}

TEST_F(GatewayTest, ReconnectAndInvalidSessionFaults) {
  start();
  auto c = identify();
  ASSERT_EQ(fake->inject_gateway_fault(0, gateway_fault::reconnect), 1);
  EXPECT_TRUE(c->next_op(7));
  ASSERT_EQ(fake->inject_gateway_fault(0, gateway_fault::invalid_session_resumable), 1);
  auto op9 = c->next_op(9);
  ASSERT_TRUE(op9);
  EXPECT_EQ(op9->at("d"), true);
  ASSERT_EQ(fake->inject_gateway_fault(0, gateway_fault::invalid_session), 1);
  op9 = c->next_op(9);
  ASSERT_TRUE(op9);
  EXPECT_EQ(op9->at("d"), false);
  EXPECT_EQ(fake->inject_gateway_fault(3, gateway_fault::reconnect), 0) << "no connection on shard 3";
  ASSERT_EQ(fake->inject_gateway_fault(0, gateway_fault::close, 4000), 1);
  EXPECT_EQ(c->wait_close(), 4000);
}

TEST_F(GatewayTest, TransportCompressionZlibAndZstdStreams) {
  start();
  for (auto t : {transport::zlib, transport::zstd}) {
    json::object ready;
    auto c = identify(0, 1, 129, t, &ready);
    EXPECT_EQ(str(d_of(ready), "session_id").size(), 32u);
    auto gc = c->next_dispatch("GUILD_CREATE");
    ASSERT_TRUE(gc);
    EXPECT_EQ(str(d_of(*gc), "name"), "VectoBeat Demo");
    c->send(json::object{{"op", 1}, {"d", nullptr}});
    EXPECT_TRUE(c->next_op(11));
    EXPECT_GE(c->binary_frames(), 4u);  // Hello, READY, GUILD_CREATE, ACK: all compressed
  }
  auto sessions = fake->gateway_sessions();
  std::set<std::string> kinds;
  for (auto& s : sessions) kinds.insert(s.compression);
  EXPECT_EQ(kinds, (std::set<std::string>{"zlib-stream", "zstd-stream"}));
}

TEST_F(GatewayTest, PayloadCompressionCompressesEveryPayloadAfterIdentify) {
  start();
  auto c = ws_client::connect(pool.executor(), fake->gateway_url() + "/?v=10&encoding=json");
  ASSERT_TRUE(c->next_op(10));
  auto p = identify_payload(0, 1, 129);
  p["d"].as_object()["compress"] = true;
  c->send(p);
  auto ready = c->next_dispatch("READY");  // inflated by the test client
  ASSERT_TRUE(ready);
  EXPECT_EQ(str(d_of(*ready), "session_id").size(), 32u);
  EXPECT_GE(c->binary_frames(), 1u);
  auto sessions = fake->gateway_sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].compression, "payload");
}

TEST_F(GatewayTest, GuildEventsGoToTheShardThatOwnsTheGuild) {
  start(defaults(), &mclock);  // a frozen clock: guild ids take consecutive milliseconds
  std::vector<snowflake> guilds{demo().guild};
  for (int i = 0; i < 7; ++i) guilds.push_back(fake->create_guild("g" + std::to_string(i)));
  std::vector<std::unique_ptr<ws_client>> shards;
  std::vector<std::set<std::string>> got(3);
  for (int s = 0; s < 3; ++s) {
    json::object ready;
    shards.push_back(identify(s, 3, 129, transport::plain, &ready));
    for (auto& g : d_of(ready).at("guilds").as_array()) got[s].insert(str(g.as_object(), "id"));
  }
  std::set<std::string> all;
  for (int s = 0; s < 3; ++s) {
    for (auto& id : got[s]) {
      EXPECT_EQ((std::stoull(id) >> 22) % 3, static_cast<unsigned>(s));
      all.insert(id);
      auto gc = shards[s]->next_dispatch("GUILD_CREATE");
      ASSERT_TRUE(gc);
      EXPECT_TRUE(got[s].count(str(d_of(*gc), "id")));
    }
  }
  EXPECT_EQ(all.size(), guilds.size());
  // Consecutive guilds spread over all shards.
  for (auto& g : got) EXPECT_FALSE(g.empty());
  // A channel created later reaches the owner only.
  const auto target = guilds[3];
  const int owner = static_cast<int>((target >> 22) % 3);
  ASSERT_TRUE(fake->create_channel(target, "routed", channel_type::guild_text));
  auto cc = shards[owner]->next_dispatch("CHANNEL_CREATE");
  ASSERT_TRUE(cc);
  EXPECT_EQ(str(d_of(*cc), "guild_id"), std::to_string(target));
  for (int s = 0; s < 3; ++s) {
    if (s == owner) continue;
    // Nothing queued for the other shards: their next frame is the answer to a heartbeat.
    shards[s]->send(json::object{{"op", 1}, {"d", nullptr}});
    auto m = shards[s]->next();
    while (m && str(*m, "t") == "GUILD_CREATE") m = shards[s]->next();
    ASSERT_TRUE(m);
    EXPECT_EQ(vb::json::get_int(*m, "op"), 11);
  }
}

TEST_F(GatewayTest, VoiceStateUpdateJoinsMovesAndLeavesWithServerUpdates) {
  start();
  auto d = demo();
  json::object ready;
  auto c = identify(0, 1, 129, transport::plain, &ready);
  const auto session_id = str(d_of(ready), "session_id");
  auto op4 = [&](snowflake channel) {
    json::object p{{"guild_id", std::to_string(d.guild)}, {"self_mute", false}, {"self_deaf", true}};
    p["channel_id"] = channel ? json::value(std::to_string(channel)) : json::value(nullptr);
    c->send(json::object{{"op", 4}, {"d", std::move(p)}});
  };
  op4(d.music);
  auto vsu = c->next_dispatch("VOICE_STATE_UPDATE");
  ASSERT_TRUE(vsu);
  EXPECT_EQ(str(d_of(*vsu), "channel_id"), std::to_string(d.music));
  EXPECT_EQ(str(d_of(*vsu), "user_id"), std::to_string(fake->bot_user_id()));
  EXPECT_EQ(str(d_of(*vsu), "session_id"), session_id);
  EXPECT_EQ(d_of(*vsu).at("self_deaf"), true);
  auto vsrv = c->next_dispatch("VOICE_SERVER_UPDATE");
  ASSERT_TRUE(vsrv);
  EXPECT_EQ(str(d_of(*vsrv), "endpoint"), fake->voice_endpoint());
  const auto token1 = str(d_of(*vsrv), "token");
  EXPECT_FALSE(token1.empty());
  auto state = fake->wait_for_voice_state(d.guild, 5s);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->channel_id, d.music);

  op4(d.lounge);  // a move: a new token
  ASSERT_TRUE(c->next_dispatch("VOICE_STATE_UPDATE"));
  vsrv = c->next_dispatch("VOICE_SERVER_UPDATE");
  ASSERT_TRUE(vsrv);
  EXPECT_NE(str(d_of(*vsrv), "token"), token1);

  op4(0);
  vsu = c->next_dispatch("VOICE_STATE_UPDATE");
  ASSERT_TRUE(vsu);
  EXPECT_TRUE(d_of(*vsu).at("channel_id").is_null());
  EXPECT_TRUE(fake->wait_for_voice_state(d.guild, 5s, [](const voice_state& v) { return v.channel_id == 0; }));
}

TEST_F(GatewayTest, FullVoiceChannelProducesNoEventsAndOtherUsersAreAnnounced) {
  start();
  auto d = demo();
  auto small = fake->create_channel(d.guild, "Booth", channel_type::guild_voice, 1);
  ASSERT_TRUE(small);
  auto c = identify();
  ASSERT_FALSE(fake->set_user_voice(d.guild, d.carol, *small));
  auto other = c->next_dispatch("VOICE_STATE_UPDATE");
  ASSERT_TRUE(other);
  EXPECT_EQ(str(d_of(*other), "user_id"), std::to_string(d.carol));
  EXPECT_EQ(str(d_of(*other).at("member").as_object().at("user").as_object(), "username"), "carol");
  EXPECT_EQ(fake->set_user_voice(d.guild, d.bob, *small), make_error_code(fake_error::channel_full));

  c->send(json::object{{"op", 4}, {"d", json::object{{"guild_id", std::to_string(d.guild)}, {"channel_id", std::to_string(*small)}}}});
  c->send(json::object{{"op", 1}, {"d", nullptr}});
  auto next = c->next();  // the heartbeat ACK comes first: no voice events for a full channel
  ASSERT_TRUE(next);
  EXPECT_EQ(vb::json::get_int(*next, "op"), 11);
  EXPECT_FALSE(fake->bot_voice_state(d.guild));
}

TEST_F(GatewayTest, PushDispatchReachesTheOwningShard) {
  start();
  auto c = identify();
  fake->push_dispatch(demo().guild, "CUSTOM_EVENT", json::object{{"x", 1}});
  auto m = c->next_dispatch("CUSTOM_EVENT");
  ASSERT_TRUE(m);
  EXPECT_EQ(d_of(*m).at("x"), 1);
}

}  // namespace
}  // namespace vb::fake
