#include "vectobeat/discord/gateway_cache.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "discord_model/sample_payloads.hpp"

namespace vb::discord {
namespace {

const snowflake bot(test::bot_user_id);

guild sample(std::uint64_t g) {
  return parse_guild(boost::json::parse(test::guild_create_json(g)).as_object()).value();
}

class GatewayCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_.set_self_user(bot);
    g_ = sample(1);
    cache_.upsert_guild(g_);
  }
  gateway_cache cache_;
  guild g_;
};

TEST_F(GatewayCacheTest, GuildCreateIsReadBack) {
  auto info = cache_.guild_info(g_.id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->name, "Community Server 1");
  EXPECT_EQ(info->channel_count, 20u);
  EXPECT_EQ(info->role_count, 10u);
  EXPECT_EQ(info->voice_state_count, 3u);
  auto ch = cache_.channel_info(g_.id, snowflake(test::channel_id(1, 18)));
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->name, "Voice 18");
  EXPECT_EQ(ch->type, channel_type::guild_voice);
  EXPECT_EQ(ch->user_limit, 10);
  EXPECT_EQ(cache_.channels(g_.id).size(), 20u);
  EXPECT_EQ(cache_.voice_channel_of(g_.id, snowflake(test::user_id(1, 10))), snowflake(test::channel_id(1, 18)));
  EXPECT_EQ(cache_.voice_states(g_.id, snowflake(test::channel_id(1, 18))).size(), 1u);
  EXPECT_EQ(cache_.guild_count(), 1u);
  EXPECT_FALSE(cache_.guild_info(snowflake(12345)));
}

TEST_F(GatewayCacheTest, BotPermissionsMatchTheReferenceAlgorithm) {
  // The bot has role 2 (from its member in GUILD_CREATE). Compute the expected values
  // from the full parsed guild with the model's algorithm and compare for every channel.
  std::vector<permissions> my_role_perms;
  std::vector<snowflake> my_roles{snowflake(test::role_id(1, 2))};
  permissions everyone;
  for (const auto& r : g_.roles) {
    if (r.id == g_.id) everyone = r.perms;
    if (r.id == my_roles[0]) my_role_perms.push_back(r.perms);
  }
  const permissions base = base_permissions(false, everyone, my_role_perms);
  EXPECT_EQ(cache_.bot_permissions(g_.id), base);
  for (const auto& c : g_.channels) {
    const auto expected = channel_permissions(base, g_.id, bot, my_roles, c.overwrites, is_voice(c.type));
    EXPECT_EQ(cache_.bot_permissions(g_.id, c.id), expected) << c.name;
  }
  // Channel 3 denies send_messages to @everyone; channel 0/15 give role 2 connect|speak.
  EXPECT_FALSE(cache_.bot_permissions(g_.id, snowflake(test::channel_id(1, 3)))->has(permission::send_messages));
}

TEST_F(GatewayCacheTest, RoleChannelAndMemberUpdatesChangePermissions) {
  const snowflake music(test::channel_id(1, 18));
  // A new channel that hides itself from @everyone but lets the DJ role in.
  channel priv;
  priv.id = snowflake(777);
  priv.guild_id = g_.id;
  priv.type = channel_type::guild_voice;
  priv.name = "Private";
  priv.overwrites = {{g_.id, overwrite_type::role, permissions(), permission::view_channel},
                     {snowflake(test::role_id(1, 5)), overwrite_type::role, permission::view_channel | permission::connect, permissions()}};
  cache_.upsert_channel(priv);
  EXPECT_TRUE(cache_.bot_permissions(g_.id, priv.id)->empty());
  // The bot gets role 5: the overwrite for it was kept although the bot lacked the role.
  member me;
  me.user_id = bot;
  me.roles = {snowflake(test::role_id(1, 2)), snowflake(test::role_id(1, 5))};
  cache_.member_updated(g_.id, me);
  EXPECT_TRUE(cache_.bot_permissions(g_.id, priv.id)->has(permission::view_channel | permission::connect));
  // Role 5 is deleted: its overwrite goes with it.
  cache_.remove_role(g_.id, snowflake(test::role_id(1, 5)));
  EXPECT_TRUE(cache_.bot_permissions(g_.id, priv.id)->empty());
  // Administrator on @everyone makes everything visible.
  role everyone{g_.id, "@everyone", permission::administrator, 0, 0, false};
  cache_.upsert_role(g_.id, everyone);
  EXPECT_EQ(cache_.bot_permissions(g_.id, priv.id), permissions::all());
  EXPECT_EQ(cache_.bot_permissions(g_.id, music), permissions::all());
  // Renaming and deleting channels.
  channel renamed = priv;
  renamed.name = "Renamed";
  cache_.upsert_channel(renamed);
  EXPECT_EQ(cache_.channel_info(g_.id, priv.id)->name, "Renamed");
  for (int i = 0; i < 50; ++i) cache_.upsert_channel(renamed);  // the name buffer is compacted, names stay right
  EXPECT_EQ(cache_.channel_info(g_.id, snowflake(test::channel_id(1, 5)))->name, "text-channel-5");
  cache_.remove_channel(g_.id, priv.id);
  EXPECT_FALSE(cache_.channel_info(g_.id, priv.id));
  EXPECT_EQ(cache_.channels(g_.id).size(), 20u);
}

TEST_F(GatewayCacheTest, OwnerHasEverything) {
  guild mine = sample(2);
  mine.owner_id = bot;
  cache_.upsert_guild(mine);
  EXPECT_EQ(cache_.bot_permissions(mine.id, snowflake(test::channel_id(2, 3))), permissions::all());
}

TEST_F(GatewayCacheTest, VoiceStatesAndTheBotsOwnSession) {
  voice_state v;
  v.guild_id = g_.id;
  v.user_id = bot;
  v.channel_id = snowflake(test::channel_id(1, 17));
  v.session_id = "bot-session";
  cache_.update_voice_state(v);
  auto self = cache_.self_voice(g_.id);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->session_id, "bot-session");
  EXPECT_EQ(self->channel_id, v.channel_id);
  EXPECT_EQ(cache_.voice_states(g_.id, v.channel_id).size(), 2u);  // user 11 is there too
  v.channel_id = snowflake();  // the bot leaves
  cache_.update_voice_state(v);
  EXPECT_FALSE(cache_.self_voice(g_.id));
  EXPECT_EQ(cache_.voice_states(g_.id, snowflake(test::channel_id(1, 17))).size(), 1u);
  // A user moves.
  voice_state u;
  u.guild_id = g_.id;
  u.user_id = snowflake(test::user_id(1, 10));
  u.channel_id = snowflake(test::channel_id(1, 17));
  u.self_deaf = true;
  cache_.update_voice_state(u);
  EXPECT_EQ(cache_.voice_channel_of(g_.id, u.user_id), u.channel_id);
  bool found = false;
  for (const auto& s : cache_.voice_states(g_.id, u.channel_id))
    if (s.user_id == u.user_id) found = s.self_deaf;
  EXPECT_TRUE(found);
}

TEST_F(GatewayCacheTest, OutagesReadyAndRemoval) {
  cache_.remove_guild(g_.id, true);  // outage: kept, marked
  ASSERT_TRUE(cache_.guild_info(g_.id));
  EXPECT_TRUE(cache_.guild_info(g_.id)->unavailable);
  cache_.upsert_guild(g_);
  EXPECT_FALSE(cache_.guild_info(g_.id)->unavailable);
  // A new READY on the guild's shard that no longer lists it: dropped.
  const int shard = g_.id.shard_for(4);
  cache_.on_ready((shard + 1) % 4, 4, {});
  EXPECT_TRUE(cache_.guild_info(g_.id));  // another shard's READY changes nothing here
  cache_.on_ready(shard, 4, {});
  EXPECT_FALSE(cache_.guild_info(g_.id));
  cache_.upsert_guild(g_);
  cache_.remove_guild(g_.id, false);  // kicked
  EXPECT_FALSE(cache_.guild_info(g_.id));
  EXPECT_FALSE(cache_.bot_permissions(g_.id));
}

}  // namespace
}  // namespace vb::discord
