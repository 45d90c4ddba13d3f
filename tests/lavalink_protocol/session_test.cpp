#include "vectobeat/lavalink/session.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(SessionJson, UpdateBodies) {
  const auto both = test::golden<session_update>(R"({"resuming":true,"timeout":60})");
  EXPECT_EQ(both.resuming, true);
  EXPECT_EQ(both.timeout, std::int64_t{60});
  const auto only_resuming = test::golden<session_update>(R"({"resuming":false})");
  EXPECT_EQ(only_resuming.resuming, false);
  EXPECT_TRUE(only_resuming.timeout.omitted());
  EXPECT_EQ(test::golden<session_update>("{}"), session_update{});
}

TEST(SessionJson, UpdateErrors) {
  EXPECT_EQ(test::decode_error<session_update>(R"({"resuming":"yes"})"), "resuming must be a boolean");
  EXPECT_EQ(test::decode_error<session_update>(R"({"timeout":1.5})"), "timeout must be an integer");
  EXPECT_EQ(test::decode_error<session_update>(R"({"timeout":-1})"), "timeout must not be negative");
}

TEST(SessionJson, Response) {
  EXPECT_EQ(test::golden<session_info>(R"({"resuming":true,"timeout":120})"), (session_info{true, 120}));
  EXPECT_EQ(to_json(session_info{}), test::must_parse(R"({"resuming":false,"timeout":60})"));
}

}  // namespace
}  // namespace vb::lavalink
