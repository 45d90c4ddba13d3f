#include "vectobeat/bot/time_format.hpp"

#include <gtest/gtest.h>

namespace vb::bot {
namespace {

TEST(TimeFormat, ParsesWhatUsersType) {
  EXPECT_EQ(parse_timestamp("1:30"), 90'000);
  EXPECT_EQ(parse_timestamp("0:05"), 5'000);
  EXPECT_EQ(parse_timestamp("75"), 75'000);
  EXPECT_EQ(parse_timestamp("1:02:03"), 3'723'000);
  EXPECT_EQ(parse_timestamp(" 2:00 "), 120'000);
}

TEST(TimeFormat, RefusesNonsense) {
  for (auto bad : {"", "abc", "1:60", "1::2", "-1", "1:2:3:4", "99999999999", "25:00:00", "1:3a"})
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
}

TEST(TimeFormat, FormatsDurations) {
  EXPECT_EQ(format_duration(65'000), "1:05");
  EXPECT_EQ(format_duration(3'723'000), "1:02:03");
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(std::numeric_limits<std::int64_t>::max()), "live");
}

}  // namespace
}  // namespace vb::bot
