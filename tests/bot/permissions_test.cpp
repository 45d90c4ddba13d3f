#include "vectobeat/bot/permissions.hpp"

#include <gtest/gtest.h>

namespace vb::bot {
namespace {

using discord::permission;
using discord::permissions;
using discord::snowflake;

TEST(Permissions, DjRules) {
  const std::set<std::uint64_t> none, djs{42};
  EXPECT_TRUE(is_dj(permissions(), {}, none));  // no DJ roles: everyone
  EXPECT_FALSE(is_dj(permissions(), {snowflake(7)}, djs));
  EXPECT_TRUE(is_dj(permissions(), {snowflake(42)}, djs));
  EXPECT_TRUE(is_dj(permission::manage_guild, {}, djs));
  EXPECT_TRUE(is_dj(permission::administrator, {}, djs));
  EXPECT_TRUE(may_control_track(false, 5, 5));
  EXPECT_FALSE(may_control_track(false, 5, 6));
  EXPECT_TRUE(may_control_track(true, 5, 6));
}

TEST(Permissions, VoicePreflightNamesWhatIsMissing) {
  voice_target t;
  t.bot_perms = permissions(permission::view_channel);
  auto e = voice_preflight(t);
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("Connect"), std::string::npos);
  EXPECT_NE(e->find("Speak"), std::string::npos);
  t.bot_perms = permission::view_channel | permission::connect | permission::speak;
  EXPECT_FALSE(voice_preflight(t));
  t.user_limit = 2;
  t.occupants = 2;
  ASSERT_TRUE(voice_preflight(t));
  EXPECT_NE(voice_preflight(t)->find("full"), std::string::npos);
  t.bot_inside = true;
  EXPECT_FALSE(voice_preflight(t));
}

}  // namespace
}  // namespace vb::bot
