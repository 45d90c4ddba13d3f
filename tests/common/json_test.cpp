#include "vectobeat/common/json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>


namespace vb::json {
namespace {

using ::testing::StartsWith;

TEST(Json, ParsesAndSerializes) {
  auto v = parse(R"({"op":0,"d":{"guild_id":"81384788765712384","list":[1,2.5,true,null]}})");
  ASSERT_TRUE(v);
  EXPECT_EQ(serialize(*v), R"({"op":0,"d":{"guild_id":"81384788765712384","list":[1,2.5E0,true,null]}})");
}

TEST(Json, RejectsInvalidInputWithAPeerSafeMessage) {
  for (std::string_view bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\":1} trailing", "nul"}) {
    auto v = parse(bad);
    ASSERT_FALSE(v) << bad;
    EXPECT_THAT(v.error(), StartsWith("invalid JSON: ")) << bad;
  }
}

TEST(Json, EnforcesSizeAndDepthLimits) {
  EXPECT_TRUE(parse("[1,2,3]", {.max_bytes = 7}));
  auto big = parse("[1,2,3]", {.max_bytes = 6});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), "JSON body too large");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(parse(deep));  // default depth limit is 64
  EXPECT_TRUE(parse(deep, {.max_bytes = 1024, .max_depth = 128}));
  EXPECT_TRUE(parse(std::string(64, '[') + std::string(64, ']')));
}

TEST(Json, TypedLookupsNeverThrow) {
  auto v = parse(R"({"s":"text","i":-5,"u":18446744073709551615,"d":2.0,"f":2.5,"b":true,"o":{"k":1},"a":[1],"n":null})");
  ASSERT_TRUE(v);
  auto& o = v->as_object();
  EXPECT_EQ(get_string(o, "s"), "text");
  EXPECT_EQ(get_string(o, "i"), std::nullopt);
  EXPECT_EQ(get_int(o, "i"), -5);
  EXPECT_EQ(get_int(o, "d"), 2);  // integral doubles are accepted
  EXPECT_EQ(get_int(o, "f"), std::nullopt);
  EXPECT_EQ(get_int(o, "u"), std::nullopt);  // does not fit
  EXPECT_EQ(get_int(o, "s"), std::nullopt);
  EXPECT_EQ(get_int(o, "missing"), std::nullopt);
  EXPECT_EQ(get_number(o, "f"), 2.5);
  EXPECT_EQ(get_number(o, "i"), -5.0);
  EXPECT_EQ(get_number(o, "b"), std::nullopt);
  EXPECT_EQ(get_bool(o, "b"), true);
  EXPECT_EQ(get_bool(o, "i"), std::nullopt);
  ASSERT_NE(get_object(o, "o"), nullptr);
  EXPECT_EQ(get_object(o, "a"), nullptr);
  ASSERT_NE(get_array(o, "a"), nullptr);
  EXPECT_EQ(get_array(o, "a")->size(), 1u);
  EXPECT_EQ(get_array(o, "n"), nullptr);
  ASSERT_NE(find(o, "n"), nullptr);
  EXPECT_TRUE(find(o, "n")->is_null());
  EXPECT_EQ(find(o, "missing"), nullptr);
}

TEST(Json, Snowflakes) {
  auto v = parse(R"({"str":"81384788765712384","num":81384788765712384,"zero":"0","neg":-1,"junk":"12a",
                    "big":"18446744073709551615","over":"18446744073709551616","empty":"","float":1.5})");
  ASSERT_TRUE(v);
  auto& o = v->as_object();
  EXPECT_EQ(get_snowflake(o, "str"), 81384788765712384u);
  EXPECT_EQ(get_snowflake(o, "num"), 81384788765712384u);
  EXPECT_EQ(get_snowflake(o, "big"), 18446744073709551615u);
  for (auto key : {"zero", "neg", "junk", "over", "empty", "float", "missing"})
    EXPECT_EQ(get_snowflake(o, key), std::nullopt) << key;
}

TEST(Json, ParsesIntegersStrictly) {
  EXPECT_EQ(parse_u64("0"), 0u);
  EXPECT_EQ(parse_u64("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(parse_u64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_u64("-1"), std::nullopt);
  EXPECT_EQ(parse_u64(" 1"), std::nullopt);
  EXPECT_EQ(parse_u64("1 "), std::nullopt);
  EXPECT_EQ(parse_u64(""), std::nullopt);
  EXPECT_EQ(parse_i64("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(parse_i64("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse_i64("12x"), std::nullopt);
  EXPECT_EQ(parse_i64("0x10"), std::nullopt);
}

}  // namespace
}  // namespace vb::json
