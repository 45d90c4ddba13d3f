#include "vectobeat/audio/opus_decoder.hpp"

#include <gtest/gtest.h>

#include "audio/signal.hpp"
#include "vectobeat/audio/opus_encoder.hpp"

namespace vb::audio {
namespace {

std::vector<std::vector<std::uint8_t>> encode_tone(double seconds, int fec_loss_percent = 0) {
  auto enc = opus_encoder::create();
  EXPECT_TRUE(enc);
  (void)fec_loss_percent;
  const auto pcm = test::tone(500.0, 0.5, seconds);
  std::vector<std::vector<std::uint8_t>> packets;
  std::array<float, frame_values> frame{};
  std::array<std::uint8_t, max_opus_packet_bytes> buf{};
  for (std::size_t off = 0; off + frame_values <= pcm.size(); off += frame_values) {
    std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(off), frame_values, frame.begin());
    auto n = enc->encode(frame, buf);
    EXPECT_TRUE(n);
    packets.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  return packets;
}

TEST(audio_opus_decoder, conceals_a_lost_packet_with_plausible_audio) {
  const auto packets = encode_tone(0.5);
  auto dec = opus_decoder::create();
  ASSERT_TRUE(dec);
  std::vector<float> out(max_opus_packet_samples * 2);
  for (std::size_t i = 0; i < 10; ++i) ASSERT_TRUE(dec->decode(packets[i], out));
  auto n = dec->conceal(out);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, frame_samples);
  // Concealment continues the tone rather than going silent.
  EXPECT_GT(test::rms(std::span(out.data(), frame_values)), 0.05);
  auto fec = dec->recover_from_next(packets[12], out);
  ASSERT_TRUE(fec);
  EXPECT_EQ(*fec, frame_samples);
  ASSERT_TRUE(dec->decode(packets[12], out));
}

TEST(audio_opus_decoder, rejects_bad_arguments_and_corrupt_packets) {
  auto dec = opus_decoder::create();
  ASSERT_TRUE(dec);
  std::vector<float> out(max_opus_packet_samples * 2);
  EXPECT_EQ(dec->conceal(out, 100).error(), audio_error::invalid_argument);  // not 2.5 ms multiple
  std::vector<float> small(10);
  EXPECT_EQ(dec->conceal(small).error(), audio_error::invalid_argument);
  EXPECT_EQ(dec->decode(std::span<const std::uint8_t>{}, out).error(), audio_error::invalid_data);
  const std::vector<std::uint8_t> corrupt{0xFF, 0xFF, 0xFF, 0xFF, 0xFF};  // code 3 with a bad count
  auto r = dec->decode(corrupt, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), audio_error::invalid_data);
  EXPECT_FALSE(opus_decoder::packet_samples(corrupt));
  EXPECT_FALSE(opus_decoder::create(3));
}

TEST(audio_opus_decoder, mono_output_and_int16) {
  const auto packets = encode_tone(0.1);
  auto mono = opus_decoder::create(1);
  ASSERT_TRUE(mono);
  EXPECT_EQ(mono->channels(), 1);
  std::vector<std::int16_t> out(max_opus_packet_samples);
  auto n = mono->decode(packets[0], out);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, frame_samples);
  std::vector<std::int16_t> tiny(100);
  EXPECT_FALSE(mono->decode(packets[1], tiny));
}

}  // namespace
}  // namespace vb::audio
