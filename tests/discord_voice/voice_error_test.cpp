#include "vectobeat/voice/voice_error.hpp"

#include <gtest/gtest.h>

namespace vb::voice {
namespace {

TEST(VoiceError, IsAnErrorCodeWithNamesAndMessages) {
  std::error_code ec = voice_error::decrypt_failed;
  EXPECT_EQ(ec.category(), voice_category());
  EXPECT_STREQ(ec.category().name(), "vb.voice");
  EXPECT_EQ(ec.message(), "packet authentication failed");
  EXPECT_EQ(ec, voice_error::decrypt_failed);
  EXPECT_NE(ec, voice_error::truncated);
  EXPECT_EQ(to_string(voice_error::no_supported_mode), "no_supported_mode");
  for (int e = static_cast<int>(voice_error::truncated); e <= static_cast<int>(voice_error::closed); ++e) {
    EXPECT_NE(to_string(static_cast<voice_error>(e)), "unknown") << e;
    EXPECT_EQ(make_error_code(static_cast<voice_error>(e)).message().find("unknown voice error"), std::string::npos) << e;
  }
  EXPECT_FALSE(std::error_code());
}

}  // namespace
}  // namespace vb::voice
