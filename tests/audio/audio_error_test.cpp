#include "vectobeat/audio/audio_error.hpp"

#include <gtest/gtest.h>

namespace vb::audio {
namespace {

TEST(audio_error, has_a_category_and_names) {
  const std::error_code ec = audio_error::invalid_data;
  EXPECT_EQ(ec.category().name(), std::string("vb.audio"));
  EXPECT_EQ(ec.message(), "invalid_data");
  EXPECT_EQ(to_string(audio_error::not_opus), "not_opus");
}

}  // namespace
}  // namespace vb::audio
