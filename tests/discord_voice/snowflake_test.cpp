#include "vectobeat/voice/snowflake.hpp"

#include <gtest/gtest.h>

namespace vb::voice {
namespace {

TEST(Snowflake, ParsesDecimalStrings) {
  EXPECT_EQ(parse_snowflake("41771983423143937"), 41771983423143937u);
  EXPECT_EQ(parse_snowflake("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(to_string(snowflake{80351110224678912}), "80351110224678912");
}

TEST(Snowflake, RejectsEverythingElse) {
  for (const char* bad : {"", "0", "-1", "+1", " 1", "1 ", "1a", "0x10", "18446744073709551616", "123456789012345678901"})
    EXPECT_FALSE(parse_snowflake(bad)) << bad;
}

}  // namespace
}  // namespace vb::voice
