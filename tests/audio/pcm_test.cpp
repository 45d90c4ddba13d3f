#include "vectobeat/audio/pcm.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace vb::audio {
namespace {

TEST(audio_pcm, frame_constants) {
  EXPECT_EQ(frame_samples * 1000 / sample_rate, 20u);
  EXPECT_EQ(frame_values, 1920u);
  EXPECT_EQ(frame_duration.count(), 20);
}

TEST(audio_pcm, float_to_int16_rounds_and_saturates) {
  const std::array<float, 7> in{0.0f, 1.0f, -1.0f, 2.0f, -3.0f, 0.5f, NAN};
  std::array<std::int16_t, 7> out{};
  float_to_int16(in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 32767);
  EXPECT_EQ(out[2], -32767);
  EXPECT_EQ(out[3], 32767);
  EXPECT_EQ(out[4], -32767);
  EXPECT_EQ(out[5], 16384);  // 16383.5 rounds to even
  EXPECT_EQ(out[6], 0);      // NaN becomes silence

  std::array<float, 7> back{};
  int16_to_float(out, back);
  EXPECT_FLOAT_EQ(back[1], 1.0f);
  EXPECT_NEAR(back[5], 0.5f, 1e-4f);
}

}  // namespace
}  // namespace vb::audio
