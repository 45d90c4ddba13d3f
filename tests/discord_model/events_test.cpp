#include "vectobeat/discord/events.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "sample_payloads.hpp"

namespace vb::discord {
namespace {

using test::obj;

TEST(Events, GuildCreateKeepsWhatTheBotNeeds) {
  auto e = parse_guild_create(obj(test::guild_create_json(3)));
  ASSERT_TRUE(e) << e.error().message();
  const guild& g = e->g;
  EXPECT_EQ(g.id.value(), test::guild_id(3));
  EXPECT_EQ(g.name, "Community Server 3");
  EXPECT_EQ(g.owner_id.value(), test::user_id(3, 0));
  EXPECT_EQ(g.member_count, 123);
  ASSERT_EQ(g.roles.size(), 10u);
  EXPECT_EQ(g.roles[0].id, g.id);  // @everyone has the guild's id
  EXPECT_EQ(g.roles[0].perms.bits(), 1071698660929ULL);
  EXPECT_TRUE(g.roles[1].perms.has(permission::administrator));
  ASSERT_EQ(g.channels.size(), 20u);
  EXPECT_EQ(g.channels[0].type, channel_type::guild_category);
  EXPECT_EQ(g.channels[19].type, channel_type::guild_stage_voice);
  EXPECT_EQ(g.channels[18].type, channel_type::guild_voice);
  EXPECT_EQ(g.channels[18].user_limit, 10);
  EXPECT_EQ(g.channels[18].guild_id, g.id);  // implied inside GUILD_CREATE, filled in
  ASSERT_EQ(g.channels[3].overwrites.size(), 1u);
  EXPECT_EQ(g.channels[3].overwrites[0].deny, permissions(permission::send_messages));
  ASSERT_EQ(g.voice_states.size(), 3u);
  EXPECT_EQ(g.voice_states[0].guild_id, g.id);
  EXPECT_EQ(g.voice_states[0].channel_id.value(), test::channel_id(3, 18));
  EXPECT_TRUE(g.voice_states[0].self_mute);
  ASSERT_EQ(g.members.size(), 4u);
  EXPECT_EQ(g.members[0].user_id.value(), test::bot_user_id);
  EXPECT_TRUE(g.members[0].user_info->bot);
}

TEST(Events, LenientOnNullsUnknownFieldsAndBadElements) {
  auto e = parse_guild_create(obj(R"({"id":"10","name":null,"owner_id":null,"brand_new_field":{"x":[1,2]},
     "channels":[{"id":"11","type":2,"name":"ok","user_limit":null},{"type":0,"name":"no id"},"not an object",
                 {"id":"12","type":99,"name":"future"}],
     "roles":[{"id":"10","permissions":"not-a-number"},{"id":"10","permissions":"1024"}]})"));
  ASSERT_TRUE(e) << e.error().message();
  EXPECT_EQ(e->g.name, "");
  ASSERT_EQ(e->g.channels.size(), 2u);  // the channel without an id is skipped
  EXPECT_EQ(e->g.channels[0].user_limit, 0);
  EXPECT_EQ(e->g.channels[1].type, channel_type::unknown);  // kept, type unknown
  ASSERT_EQ(e->g.roles.size(), 1u);
  EXPECT_EQ(e->g.roles[0].perms, permissions(permission::view_channel));
  // But a guild without an id is refused.
  auto bad = parse_guild_create(obj(R"({"name":"x"})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, model_error::missing_field);
}

TEST(Events, ReadyAndUnavailableGuilds) {
  auto r = parse_ready(obj(test::ready_json(2, 8, "sess-1", R"([{"id":"77","unavailable":true},{"id":"78","unavailable":true}])")));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->session_id, "sess-1");
  EXPECT_EQ(r->resume_gateway_url, "wss://gateway-us-east1-b.discord.gg");
  EXPECT_EQ(r->self.id.value(), test::bot_user_id);
  EXPECT_EQ(r->guilds, (std::vector<snowflake>{snowflake(77), snowflake(78)}));
  EXPECT_EQ(r->shard, std::make_pair(2, 8));
  EXPECT_EQ(r->application_id.value(), test::application_id);
  EXPECT_FALSE(parse_ready(obj(R"({"user":{"id":"1"}})")));  // no session id
}

TEST(Events, VoiceStateAndServerUpdate) {
  auto v = parse_voice_state_update(obj(test::voice_state_json(10, 20, 30, true, true)));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state.guild_id, snowflake(10));
  EXPECT_EQ(v->state.channel_id, snowflake(20));
  EXPECT_EQ(v->state.session_id, "c0ffee30");
  ASSERT_TRUE(v->state.member_info);
  EXPECT_EQ(v->state.member_info->user_id, snowflake(30));
  // Leaving: channel_id null.
  auto left = parse_voice_state_update(obj(R"({"guild_id":"10","channel_id":null,"user_id":"30","session_id":"x"})"));
  ASSERT_TRUE(left);
  EXPECT_FALSE(left->state.channel_id);

  auto s = parse_voice_server_update(obj(R"({"token":"abc","guild_id":"10","endpoint":"sweetwater-12345.discord.media:2048"})"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->endpoint, "sweetwater-12345.discord.media:2048");
  auto realloc = parse_voice_server_update(obj(R"({"token":"abc","guild_id":"10","endpoint":null})"));
  ASSERT_TRUE(realloc);
  EXPECT_FALSE(realloc->endpoint);  // reallocating: wait for the next one
  EXPECT_FALSE(parse_voice_server_update(obj(R"({"guild_id":"10","endpoint":"x"})")));
}

TEST(Events, RolesChannelsDeletesAndMembers) {
  auto rc = parse_guild_role_update(obj(R"({"guild_id":"1","role":{"id":"2","name":"DJ","permissions":"3145728","position":3}})"));
  ASSERT_TRUE(rc);
  EXPECT_EQ(rc->r.name, "DJ");
  EXPECT_EQ(rc->r.perms, permission::connect | permission::speak);
  auto rd = parse_guild_role_delete(obj(R"({"guild_id":"1","role_id":"2"})"));
  ASSERT_TRUE(rd);
  EXPECT_EQ(rd->role_id, snowflake(2));
  auto gd = parse_guild_delete(obj(R"({"id":"1","unavailable":true})"));
  ASSERT_TRUE(gd);
  EXPECT_TRUE(gd->unavailable);
  auto ch = parse_channel_event(obj(R"({"id":"5","guild_id":"1","type":2,"name":"Music","user_limit":5,
      "permission_overwrites":[{"id":"1","type":0,"allow":"0","deny":"1048576"},{"id":"9","type":"member","allow":"1048576","deny":"0"}]})"));
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->user_limit, 5);
  ASSERT_EQ(ch->overwrites.size(), 2u);
  EXPECT_EQ(ch->overwrites[1].type, overwrite_type::member);  // legacy string type accepted
  auto ma = parse_guild_member_update(obj(R"({"guild_id":"1","user":{"id":"9","username":"bot","bot":true},"roles":["2","3"]})"));
  ASSERT_TRUE(ma);
  EXPECT_EQ(ma->m.roles.size(), 2u);
  auto mr = parse_guild_member_remove(obj(R"({"guild_id":"1","user":{"id":"9","username":"x"}})"));
  ASSERT_TRUE(mr);
  EXPECT_EQ(mr->u.id, snowflake(9));
}

}  // namespace
}  // namespace vb::discord
