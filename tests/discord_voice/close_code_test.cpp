#include "vectobeat/voice/close_code.hpp"

#include <gtest/gtest.h>

namespace vb::voice {
namespace {

TEST(CloseCode, NamesEveryDocumentedCode) {
  EXPECT_EQ(close_code_name(4006), "session_no_longer_valid");
  EXPECT_EQ(close_code_name(4014), "disconnected");
  EXPECT_EQ(close_code_name(4017), "dave_protocol_required");
  EXPECT_EQ(close_code_name(4022), "call_terminated");
  EXPECT_EQ(close_code_name(1006), "abnormal_closure");
  EXPECT_EQ(close_code_name(4007), "unknown");
  for (int c : {4001, 4002, 4003, 4004, 4005, 4006, 4009, 4011, 4012, 4014, 4015, 4016, 4017, 4020, 4021, 4022})
    EXPECT_NE(close_code_name(static_cast<std::uint16_t>(c)), "unknown") << c;
}

TEST(CloseCode, ReconnectAndResumeFollowTheTable) {
  // Resume: network-level drops and a crashed voice server.
  for (int c : {1000, 1001, 1006, 1011, 4015}) {
    EXPECT_TRUE(should_reconnect(static_cast<std::uint16_t>(c))) << c;
    EXPECT_TRUE(may_resume(static_cast<std::uint16_t>(c))) << c;
  }
  // New Identify.
  for (int c : {4009, 4011}) {
    EXPECT_TRUE(should_reconnect(static_cast<std::uint16_t>(c))) << c;
    EXPECT_FALSE(may_resume(static_cast<std::uint16_t>(c))) << c;
  }
  // The owner must act (fresh op 4, fix the client) or must not reconnect at all.
  for (int c : {4001, 4002, 4003, 4004, 4005, 4006, 4012, 4014, 4016, 4017, 4020, 4021, 4022}) {
    EXPECT_FALSE(should_reconnect(static_cast<std::uint16_t>(c))) << c;
    EXPECT_FALSE(may_resume(static_cast<std::uint16_t>(c))) << c;
  }
  EXPECT_TRUE(should_reconnect(4999));  // undocumented: re-identify, bounded by attempts
  EXPECT_FALSE(may_resume(4999));
}

}  // namespace
}  // namespace vb::voice
