#include "vectobeat/discord/snowflake.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <string>
#include <unordered_set>

namespace vb::discord {
namespace {

TEST(Snowflake, ParsesDecimalIdsAndRefusesGarbage) {
  EXPECT_EQ(parse_snowflake("41771983423143937")->value(), 41771983423143937ULL);
  EXPECT_EQ(parse_snowflake("18446744073709551615")->value(), 18446744073709551615ULL);
  for (const char* bad : {"", "0", "-1", "+5", " 1", "1 ", "12a", "18446744073709551616", "123456789012345678901"})
    EXPECT_FALSE(parse_snowflake(bad)) << bad;
}

// The reference rule: 1-20 decimal digits, nothing else, non-zero, within uint64.
std::optional<std::uint64_t> reference_parse(const std::string& s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0) return std::nullopt;
  return v;
}

TEST(Snowflake, AgreesWithTheReferenceOnEveryLengthAndBadByte) {
  std::mt19937_64 rng(42);
  const std::string odd = std::string("/:") + '\0' + "\x7f\xb0\xff a-+.";
  for (int round = 0; round < 20000; ++round) {
    const std::size_t len = rng() % 22;
    std::string s;
    for (std::size_t i = 0; i < len; ++i) s += static_cast<char>('0' + rng() % 10);
    if (len == 20 && round % 2) s[0] = '1';  // near 2^64 = 18446744073709551616
    if (len == 20 && round % 3 == 0) s = std::to_string(18446744073709551615ULL - rng() % 3);
    if (!s.empty() && round % 4 == 0) s[rng() % s.size()] = odd[rng() % odd.size()];
    if (round % 50 == 0) s = std::string(len, '0');
    const auto got = parse_snowflake(s);
    const auto want = reference_parse(s);
    ASSERT_EQ(got.has_value(), want.has_value()) << s;
    if (got) {
      ASSERT_EQ(got->value(), *want) << s;
    }
  }
  EXPECT_FALSE(parse_snowflake("18446744073709551616"));
  EXPECT_FALSE(parse_snowflake("99999999999999999999"));
  EXPECT_EQ(parse_snowflake("00000000000000000001")->value(), 1u);
  EXPECT_EQ(parse_snowflake("12345678")->value(), 12345678u);
  EXPECT_FALSE(parse_snowflake("1234567:"));
  EXPECT_FALSE(parse_snowflake("/2345678"));
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
