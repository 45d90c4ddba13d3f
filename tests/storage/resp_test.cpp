#include "vectobeat/storage/redis_connection.hpp"

#include <gtest/gtest.h>

namespace vb::storage {
namespace {

redis_reply parse_ok(std::string_view s, std::size_t* consumed = nullptr) {
  redis_reply r;
  auto o = parse_reply(s, r);
  EXPECT_EQ(o.status, parse_status::complete) << s << " " << o.error;
  if (consumed) *consumed = o.consumed;
  return r;
}

TEST(Resp, EncodesCommandsAsBulkArrays) {
  EXPECT_EQ(encode_command({"SET", "k", "a b\r\n"}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na b\r\n\r\n");
  EXPECT_EQ(encode_command({"GET", ""}), "*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
}

TEST(Resp, ParsesEveryReplyType) {
  EXPECT_EQ(parse_ok("+OK\r\n").str, "OK");
  auto err = parse_ok("-WRONGTYPE Operation\r\n");
  EXPECT_TRUE(err.is_error());
  EXPECT_EQ(err.str, "WRONGTYPE Operation");
  EXPECT_EQ(parse_ok(":-42\r\n").integer, -42);
  EXPECT_EQ(parse_ok("$5\r\nhe\r\no\r\n").str, "he\r\no");
  EXPECT_TRUE(parse_ok("$-1\r\n").is_nil());
  EXPECT_TRUE(parse_ok("*-1\r\n").is_nil());
  std::size_t used = 0;
  auto arr = parse_ok("*3\r\n$1\r\na\r\n*1\r\n:1\r\n$-1\r\n+next\r\n", &used);
  ASSERT_EQ(arr.elements.size(), 3u);
  EXPECT_EQ(arr.elements[1].elements[0].integer, 1);
  EXPECT_TRUE(arr.elements[2].is_nil());
  EXPECT_EQ(used, std::string_view("*3\r\n$1\r\na\r\n*1\r\n:1\r\n$-1\r\n").size());
}

TEST(Resp, IncompleteInputWaitsForMore) {
  const std::string full = "*2\r\n$3\r\nabc\r\n:7\r\n";
  for (std::size_t n = 0; n < full.size(); ++n) {
    redis_reply r;
    EXPECT_EQ(parse_reply(std::string_view(full).substr(0, n), r).status, parse_status::incomplete) << n;
  }
  parse_ok(full);
}

TEST(Resp, HostileRepliesAreRefusedWithoutAllocatingTheirClaims) {
  resp_limits small;
  small.max_reply_bytes = 1024;
  small.max_elements = 10;
  small.max_depth = 3;
  redis_reply r;
  EXPECT_EQ(parse_reply("$999999999999\r\n", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply("*2000000000\r\n", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply("$3\r\nabcXY", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply("?x\r\n", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply(":12a\r\n", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply("$-2\r\n", r, small).status, parse_status::invalid);
  EXPECT_EQ(parse_reply(std::string(70 * 1024, 'x'), r, small).status, parse_status::invalid);  // no line end
}

}  // namespace
}  // namespace vb::storage
