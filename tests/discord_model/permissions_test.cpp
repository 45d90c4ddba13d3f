#include "vectobeat/discord/permissions.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace vb::discord {
namespace {

const snowflake guild_id(1000);
const snowflake bot(2000);
const snowflake dj_role(3000);
const snowflake muted_role(3001);
const snowflake other_user(4000);

const permissions everyone_default = permission::view_channel | permission::send_messages | permission::connect |
                                     permission::speak | permission::read_message_history;

TEST(Permissions, ParseAndDescribe) {
  EXPECT_EQ(parse_permissions("3145728")->bits(), (permission::connect | permission::speak).bits());
  EXPECT_FALSE(parse_permissions("12x"));
  EXPECT_FALSE(parse_permissions(""));
  EXPECT_EQ(describe(permission::connect | permission::speak), "connect, speak");
  EXPECT_EQ(describe(permissions(1ULL << 47)), "bit 47");
  EXPECT_EQ(permissions(permission::speak).missing(permission::connect | permission::speak),
            permissions(permission::connect));
}

TEST(Permissions, BasePermissionsOwnerAdministratorAndRoles) {
  const std::vector<permissions> none;
  EXPECT_EQ(base_permissions(true, permissions(), none), permissions::all());
  const std::vector<permissions> admin{permission::administrator};
  EXPECT_EQ(base_permissions(false, permissions(), admin), permissions::all());
  const std::vector<permissions> dj{permission::move_members};
  EXPECT_EQ(base_permissions(false, everyone_default, dj), everyone_default | permission::move_members);
}

TEST(Permissions, EveryoneOverwriteThenRolesThenMember) {
  const std::vector<snowflake> roles{dj_role, muted_role};
  // @everyone loses connect; the DJ role gets it back; muted denies speak; the bot's own
  // overwrite then allows speak again. Role allows win over role denies of the same level.
  std::vector<permission_overwrite> ows{
      {guild_id, overwrite_type::role, permissions(), permission::connect},
      {dj_role, overwrite_type::role, permission::connect, permissions()},
      {muted_role, overwrite_type::role, permissions(), permission::speak | permission::connect},
  };
  auto p = channel_permissions(everyone_default, guild_id, bot, roles, ows, true);
  // Role overwrites combine: deny(connect|speak) then allow(connect) -> connect allowed, speak denied.
  EXPECT_TRUE(p.has(permission::connect));
  EXPECT_FALSE(p.has(permission::speak));

  ows.push_back({bot, overwrite_type::member, permission::speak, permissions()});
  p = channel_permissions(everyone_default, guild_id, bot, roles, ows, true);
  EXPECT_TRUE(p.has(permission::connect | permission::speak));

  // Another member's overwrite and a role the bot lacks change nothing.
  std::vector<permission_overwrite> foreign{{other_user, overwrite_type::member, permissions(), permission::speak},
                                            {snowflake(9999), overwrite_type::role, permissions(), permission::connect}};
  EXPECT_EQ(channel_permissions(everyone_default, guild_id, bot, roles, foreign, true), everyone_default);
}

TEST(Permissions, ImplicitRules) {
  const std::vector<snowflake> no_roles;
  // No view_channel: nothing at all, even with connect granted.
  std::vector<permission_overwrite> hidden{{guild_id, overwrite_type::role, permission::connect, permission::view_channel}};
  EXPECT_TRUE(channel_permissions(everyone_default, guild_id, bot, no_roles, hidden, true).empty());
  // No send_messages: embeds and attachments go too.
  const permissions text = permission::view_channel | permission::embed_links | permission::attach_files;
  EXPECT_EQ(channel_permissions(text, guild_id, bot, no_roles, {}, false), permissions(permission::view_channel));
  // No connect in a voice channel: speak goes too; in a text channel speak stays.
  const permissions voice = permission::view_channel | permission::speak;
  EXPECT_EQ(channel_permissions(voice, guild_id, bot, no_roles, {}, true), permissions(permission::view_channel));
  EXPECT_EQ(channel_permissions(voice, guild_id, bot, no_roles, {}, false), voice);
}

TEST(Permissions, AdministratorIgnoresOverwrites) {
  const std::vector<snowflake> no_roles;
  std::vector<permission_overwrite> deny_all{{guild_id, overwrite_type::role, permissions(), permissions::all()}};
  EXPECT_EQ(channel_permissions(permissions::all(), guild_id, bot, no_roles, deny_all, true), permissions::all());
}

}  // namespace
}  // namespace vb::discord
