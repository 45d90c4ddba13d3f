#include "vectobeat/audio/opus_encoder.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "audio/signal.hpp"
#include "vectobeat/audio/opus_decoder.hpp"

namespace vb::audio {
namespace {

// Encodes `pcm` frame by frame and decodes it back; returns the decoded PCM.
std::vector<float> round_trip(opus_encoder& enc, const std::vector<float>& pcm, std::vector<std::size_t>* sizes = nullptr) {
  auto dec = opus_decoder::create();
  EXPECT_TRUE(dec);
  std::vector<float> out;
  std::array<std::uint8_t, max_opus_packet_bytes> packet{};
  std::array<float, frame_values> frame{};
  std::vector<float> buf(max_opus_packet_samples * 2);
  for (std::size_t off = 0; off + frame_values <= pcm.size(); off += frame_values) {
    std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(off), frame_values, frame.begin());
    auto n = enc.encode(frame, packet);
    EXPECT_TRUE(n);
    if (sizes) sizes->push_back(*n);
    auto m = dec->decode(std::span(packet.data(), *n), buf);
    EXPECT_TRUE(m);
    EXPECT_EQ(*m, frame_samples);
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(frame_values));
  }
  return out;
}

TEST(audio_opus_encoder, defaults_match_the_spec) {
  auto enc = opus_encoder::create();
  ASSERT_TRUE(enc);
  EXPECT_EQ(enc->bitrate(), 64000);
  EXPECT_EQ(enc->complexity(), 10);
}

TEST(audio_opus_encoder, tone_survives_a_round_trip) {
  auto enc = opus_encoder::create();
  ASSERT_TRUE(enc);
  const auto in = test::tone(1000.0, 0.5, 2.0);
  std::vector<std::size_t> sizes;
  const auto out = round_trip(*enc, in, &sizes);
  ASSERT_EQ(out.size(), in.size());
  // Skip the codec's start-up (look-ahead and convergence) and compare the steady state.
  const std::size_t skip = 10 * frame_values;
  const std::vector<float> steady(out.begin() + static_cast<std::ptrdiff_t>(skip), out.end());
  for (int c = 0; c < 2; ++c) {
    const auto mono = test::channel(steady, c);
    EXPECT_NEAR(test::zero_crossing_frequency(mono), 1000.0, 10.0);
    EXPECT_NEAR(test::db(test::rms(mono) / (0.5 / std::sqrt(2.0))), 0.0, 1.0);
  }
  // 64 kb/s VBR: about 160 bytes per 20 ms.
  double mean = 0;
  for (auto s : sizes) mean += static_cast<double>(s);
  mean /= static_cast<double>(sizes.size());
  EXPECT_GT(mean, 80.0);
  EXPECT_LT(mean, 260.0);
}

TEST(audio_opus_encoder, int16_input_works) {
  auto enc = opus_encoder::create();
  ASSERT_TRUE(enc);
  const auto tone = test::tone(440.0, 0.5, 0.02);
  std::array<std::int16_t, frame_values> pcm{};
  float_to_int16(tone, pcm);
  std::array<std::uint8_t, max_opus_packet_bytes> out{};
  auto n = enc->encode(pcm, out);
  ASSERT_TRUE(n);
  EXPECT_GT(*n, 0u);
}

TEST(audio_opus_encoder, honours_complexity) {
  auto low = opus_encoder::create({.bitrate = 64000, .complexity = 0});
  auto high = opus_encoder::create({.bitrate = 64000, .complexity = 10});
  ASSERT_TRUE(low && high);
  EXPECT_EQ(low->complexity(), 0);
  EXPECT_EQ(high->complexity(), 10);
  // The same input encodes differently at complexity 0 and 10 (the encoder is deterministic).
  const auto in = test::stereo_tone(1000.0, 0.4, 3000.0, 0.3, 0.2);
  std::vector<std::size_t> a, b;
  const auto out_low = round_trip(*low, in, &a);
  const auto out_high = round_trip(*high, in, &b);
  EXPECT_NE(out_low, out_high);

  ASSERT_TRUE(low->set_complexity(5));
  EXPECT_EQ(low->complexity(), 5);
  auto bad = low->set_complexity(11);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), audio_error::invalid_argument);
  EXPECT_EQ(low->complexity(), 5);

  ASSERT_TRUE(low->set_bitrate(128000));
  EXPECT_EQ(low->bitrate(), 128000);
  EXPECT_FALSE(low->set_bitrate(1000));
  EXPECT_FALSE(opus_encoder::create({.bitrate = 64000, .complexity = -1}));
  EXPECT_FALSE(opus_encoder::create({.bitrate = 0, .complexity = 10}));
}

TEST(audio_opus_encoder, small_output_buffers_degrade_instead_of_overflowing) {
  auto enc = opus_encoder::create();
  ASSERT_TRUE(enc);
  const auto tone = test::tone(1000.0, 0.9, 0.02);
  std::array<float, frame_values> frame{};
  std::copy_n(tone.begin(), frame_values, frame.begin());
  // libopus fits what it can: one byte is a valid (empty) 20 ms packet.
  std::array<std::uint8_t, 1> tiny{};
  auto r = enc->encode(frame, tiny);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 1u);
  auto none = enc->encode(frame, std::span<std::uint8_t>{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error(), audio_error::invalid_argument);
}

TEST(audio_opus_encoder, silence_frame_is_20ms_of_silence) {
  EXPECT_EQ(opus_silence_frame.size(), 3u);
  EXPECT_EQ(opus_silence_frame[0], 0xF8);
  auto samples = opus_decoder::packet_samples(opus_silence_frame);
  ASSERT_TRUE(samples);
  EXPECT_EQ(*samples, 960);
  auto dec = opus_decoder::create();
  ASSERT_TRUE(dec);
  std::vector<float> out(frame_values, 1.0f);
  auto n = dec->decode(opus_silence_frame, out);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, frame_samples);
  EXPECT_LT(test::rms(out), 1e-4);
}

}  // namespace
}  // namespace vb::audio
