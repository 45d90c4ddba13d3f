#include "world.hpp"

#include <gtest/gtest.h>

#include <set>

#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {
namespace {

TEST(World, SnowflakesCarryTheClockAndAreUnique) {
  manual_clock clk;
  world w(clk);
  std::set<snowflake> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(w.new_id());  // more than 4096 per millisecond
  EXPECT_EQ(ids.size(), 10000u);
  const auto ms = static_cast<std::int64_t>(*ids.begin() >> 22) + discord_epoch_ms;
  EXPECT_EQ(ms, clk.unix_ms());
}

TEST(World, GuildsCreatedInABurstSpreadOverShards) {
  manual_clock clk;  // frozen: every guild id still gets its own millisecond
  world w(clk);
  std::vector<int> per_shard(10);
  for (int i = 0; i < 1000; ++i) ++per_shard[shard_of(w.add_guild("g", 1).id, 10)];
  for (int n : per_shard) EXPECT_EQ(n, 100);
}

TEST(World, PermissionsOwnerRolesAndAdministrator) {
  manual_clock clk;
  world w(clk);
  auto owner = w.add_user("owner", false).id;
  auto user = w.add_user("user", false).id;
  auto admin = w.add_user("admin", false).id;
  auto& g = w.add_guild("g", owner);
  auto dj = w.add_role(g, "DJ", permission::move_members).id;
  auto adm = w.add_role(g, "Admin", permission::administrator).id;
  w.add_member(g, owner, {});
  w.add_member(g, user, {dj});
  w.add_member(g, admin, {adm});
  EXPECT_EQ(w.permissions(g, owner), permission::all);
  EXPECT_EQ(w.permissions(g, user), permission::everyone_default | permission::move_members);
  EXPECT_EQ(w.permissions(g, admin), permission::all);
  EXPECT_EQ(w.permissions(g, 12345), 0u);
}

TEST(World, GuildCreateJsonFollowsIntents) {
  manual_clock clk;
  world w(clk);
  w.bot_id = w.add_user("bot", true).id;
  auto alice = w.add_user("alice", false).id;
  auto& g = w.add_guild("g", alice);
  w.add_member(g, w.bot_id, {});
  w.add_member(g, alice, {});
  auto& voice = w.add_channel(g, "v", channel_type::guild_voice, 0);
  g.voice_states[alice] = voice_state{g.id, alice, voice.id, "s", false, false};
  auto minimal = guild_create_json(w, g, intent::guilds);
  EXPECT_EQ(minimal.at("members").as_array().size(), 1u);
  EXPECT_TRUE(minimal.at("voice_states").as_array().empty());
  auto with_voice = guild_create_json(w, g, intent::guilds | intent::guild_voice_states);
  EXPECT_EQ(with_voice.at("members").as_array().size(), 2u) << "members in voice come along";
  EXPECT_EQ(with_voice.at("voice_states").as_array().size(), 1u);
  EXPECT_EQ(with_voice.at("unavailable"), false);
  EXPECT_EQ(with_voice.at("channels").as_array()[0].at("user_limit"), 0);
  EXPECT_EQ(iso8601(system_time{}), "1970-01-01T00:00:00.000000+00:00");
}

}  // namespace
}  // namespace vb::fake::detail
