#include "vectobeat/discord/snowflake.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

namespace vb::discord {
namespace {

TEST(Snowflake, ParsesDecimalIdsAndRefusesGarbage) {
  EXPECT_EQ(parse_snowflake("41771983423143937")->value(), 41771983423143937ULL);
  EXPECT_EQ(parse_snowflake("18446744073709551615")->value(), 18446744073709551615ULL);
  for (const char* bad : {"", "0", "-1", "+5", " 1", "1 ", "12a", "18446744073709551616", "123456789012345678901"})
    EXPECT_FALSE(parse_snowflake(bad)) << bad;
}

TEST(Snowflake, TimestampAndShardFollowTheDocumentedLayout) {
  // DDOCS reference example: 175928847299117063 was created 2016-04-30T11:18:25.796Z.
  const snowflake s(175928847299117063ULL);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(s.timestamp().time_since_epoch()).count(),
            1462015105796LL);
  // shard_id = (guild_id >> 22) % num_shards.
  const snowflake guild(41771983423143937ULL);
  EXPECT_EQ(guild.shard_for(1), 0);
  EXPECT_EQ(guild.shard_for(8), static_cast<int>((41771983423143937ULL >> 22) % 8));
  EXPECT_EQ(guild.shard_for(0), 0);
}

TEST(Snowflake, IsOrderedHashableAndFormattable) {
  EXPECT_LT(snowflake(1), snowflake(2));
  EXPECT_FALSE(snowflake());
  std::unordered_set<snowflake> set{snowflake(5), snowflake(5), snowflake(6)};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(fmt::format("guild {}", snowflake(42)), "guild 42");
  EXPECT_EQ(snowflake(42).str(), "42");
}

}  // namespace
}  // namespace vb::discord
