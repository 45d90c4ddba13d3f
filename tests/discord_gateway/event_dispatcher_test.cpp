#include "vectobeat/discord/event_dispatcher.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "discord_model/sample_payloads.hpp"
#include "vectobeat/common/log.hpp"

namespace vb::discord {
namespace {

class EventDispatcherTest : public ::testing::Test {
 protected:
  void feed(const std::string& t, const std::string& d, std::int64_t seq = 1) {
    auto v = boost::json::parse(d);
    dispatcher_.dispatch(t, v, {0, seq});
  }
  gateway_cache cache_;
  event_bus bus_;
  event_dispatcher dispatcher_{cache_, bus_};
};

TEST_F(EventDispatcherTest, TypedEventsReachSubscribersAfterTheCacheIsUpdated) {
  std::vector<std::string> seen;
  auto s1 = bus_.on<ready_event>([&](const ready_event& e, const event_context& c) {
    seen.push_back("READY " + e.session_id + " shard " + std::to_string(c.shard_id));
  });
  auto s2 = bus_.on<guild_create_event>([&](const guild_create_event& e, const event_context&) {
    // The cache already has the guild when listeners run.
    ASSERT_TRUE(cache_.guild_info(e.g.id));
    seen.push_back("GUILD_CREATE " + e.g.name);
  });
  auto s3 = bus_.on<voice_state_update_event>([&](const voice_state_update_event& e, const event_context& c) {
    EXPECT_EQ(cache_.voice_channel_of(e.state.guild_id, e.state.user_id), e.state.channel_id);
    seen.push_back("VOICE " + std::to_string(c.seq));
  });
  auto s4 = bus_.on<interaction_create_event>([&](const interaction_create_event& e, const event_context&) {
    seen.push_back("INTERACTION " + e.in.command()->full_name());
  });
  auto s5 = bus_.on<voice_server_update_event>([&](const voice_server_update_event& e, const event_context&) {
    seen.push_back("SERVER " + e.endpoint.value_or("null"));
  });
  feed("READY", test::ready_json(0, 1, "s1", R"([{"id":"1","unavailable":true}])"));
  EXPECT_EQ(cache_.self_user().value(), test::bot_user_id);
  feed("GUILD_CREATE", test::guild_create_json(4));
  feed("VOICE_STATE_UPDATE", test::voice_state_json(test::guild_id(4), test::channel_id(4, 14), 99, true, true), 7);
  feed("INTERACTION_CREATE", test::interaction_json(4, 1, test::play_command_data(4)));
  feed("VOICE_SERVER_UPDATE", R"({"token":"t","guild_id":"5","endpoint":null})");
  EXPECT_EQ(seen, (std::vector<std::string>{"READY s1 shard 0", "GUILD_CREATE Community Server 4", "VOICE 7",
                                            "INTERACTION play", "SERVER null"}));
  EXPECT_EQ(dispatcher_.stats().dispatched, 5u);
}

TEST_F(EventDispatcherTest, UnknownAndBrokenEventsAreCountedNotFatal) {
  log::capture_for_test(true);
  int guilds = 0;
  auto s = bus_.on<guild_create_event>([&](const auto&, const auto&) { ++guilds; });
  feed("SOME_FUTURE_EVENT", R"({"x":1})");
  feed("TYPING_START", R"({"channel_id":"1"})");
  feed("GUILD_CREATE", R"({"name":"no id"})");
  feed("GUILD_CREATE", R"([1,2,3])");
  feed("CHANNEL_CREATE", R"({"id":"5"})");  // no type
  feed("GUILD_CREATE", test::guild_create_json(9));
  const auto st = dispatcher_.stats();
  EXPECT_EQ(st.unknown, 2u);
  EXPECT_EQ(st.parse_failures, 3u);
  EXPECT_EQ(guilds, 1);
  EXPECT_EQ(cache_.guild_count(), 1u);
  log::capture_for_test(false);
}

TEST_F(EventDispatcherTest, ListenersThatThrowDoNotStopOthersAndUnsubscribeWorks) {
  int calls = 0;
  auto bad = bus_.on<guild_delete_event>([&](const auto&, const auto&) { throw std::runtime_error("boom"); });
  auto good = bus_.on<guild_delete_event>([&](const auto&, const auto&) { ++calls; });
  feed("GUILD_DELETE", R"({"id":"1"})");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(bus_.listener_failures(), 1u);
  good.reset();
  feed("GUILD_DELETE", R"({"id":"1"})");
  EXPECT_EQ(calls, 1);
  // Raw listeners see everything, including unknown events.
  std::vector<std::string> raw;
  auto r = bus_.on_raw([&](std::string_view n, const boost::json::value&, const event_context&) { raw.emplace_back(n); });
  feed("SOME_FUTURE_EVENT", "{}");
  feed("GUILD_DELETE", R"({"id":"2"})");
  EXPECT_EQ(raw, (std::vector<std::string>{"SOME_FUTURE_EVENT", "GUILD_DELETE"}));
}

TEST_F(EventDispatcherTest, RolesChannelsAndMembersFlowIntoTheCache) {
  feed("READY", test::ready_json(0, 1, "s1", "[]"));
  feed("GUILD_CREATE", test::guild_create_json(3));
  const snowflake g(test::guild_id(3));
  feed("CHANNEL_CREATE", R"({"id":"900","guild_id":")" + g.str() + R"(","type":2,"name":"New Voice","user_limit":4})");
  EXPECT_EQ(cache_.channel_info(g, snowflake(900))->user_limit, 4);
  feed("CHANNEL_DELETE", R"({"id":"900","guild_id":")" + g.str() + R"(","type":2})");
  EXPECT_FALSE(cache_.channel_info(g, snowflake(900)));
  feed("GUILD_ROLE_UPDATE", R"({"guild_id":")" + g.str() + R"(","role":{"id":")" + g.str() + R"(","permissions":"8"}})");
  EXPECT_EQ(cache_.bot_permissions(g), permissions::all());
  feed("GUILD_MEMBER_ADD", R"({"guild_id":")" + g.str() + R"(","user":{"id":"42","username":"new"},"roles":[]})");
  EXPECT_EQ(cache_.guild_info(g)->member_count, 124);
  feed("GUILD_MEMBER_REMOVE", R"({"guild_id":")" + g.str() + R"(","user":{"id":"42","username":"new"}})");
  EXPECT_EQ(cache_.guild_info(g)->member_count, 123);
  feed("GUILD_UPDATE", R"({"id":")" + g.str() + R"(","name":"Renamed Server","owner_id":"5"})");
  EXPECT_EQ(cache_.guild_info(g)->name, "Renamed Server");
  EXPECT_EQ(cache_.channel_info(g, snowflake(test::channel_id(3, 2)))->name, "text-channel-2");
}

}  // namespace
}  // namespace vb::discord
