#include "recorder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "vectobeat/audio/opus_encoder.hpp"

namespace vb::fake::detail {
namespace {

using namespace std::chrono_literals;
using bytes = std::vector<std::uint8_t>;

std::vector<bytes> tone(int frames, double hz = 440.0) {
  auto enc = audio::opus_encoder::create();
  std::vector<bytes> out;
  std::array<float, audio::frame_values> pcm{};
  std::size_t n = 0;
  for (int f = 0; f < frames; ++f) {
    for (std::size_t i = 0; i < audio::frame_samples; ++i, ++n)
      pcm[2 * i] = pcm[2 * i + 1] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * hz * static_cast<double>(n) / 48000.0));
    bytes p(audio::max_opus_packet_bytes);
    p.resize(*enc->encode(audio::const_pcm_frame_view(pcm), p));
    out.push_back(std::move(p));
  }
  return out;
}

const steady_time t0{std::chrono::seconds(1000)};

TEST(VoiceRecorder, CountsLossesDuplicatesAndReorderingAcrossTheSequenceWrap) {
  voice_recorder rec(1000);
  rec.set_speaking(1);
  auto p = tone(8);
  // Sequence 65534, 65535, 0, (1 lost), 3, 2 (late), 2 (duplicate), 4.
  const std::uint16_t seqs[] = {65534, 65535, 0, 3, 2, 2, 4};
  const int frames[] = {0, 1, 2, 4, 3, 3, 5};
  for (int i = 0; i < 7; ++i)
    rec.on_packet(seqs[i], static_cast<std::uint32_t>(0xFFFFF000u + 960u * static_cast<unsigned>(frames[i])), t0 + i * 20ms,
                  p[static_cast<std::size_t>(frames[i])]);
  auto s = rec.stats();
  EXPECT_EQ(s.packets, 6u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.out_of_order, 1u);
  EXPECT_EQ(s.lost, 1u) << "seq 1 never came; seq 2 came late";
  EXPECT_EQ(s.before_speaking, 0u);
}

TEST(VoiceRecorder, SilenceFramesSpeakingAndInvalidOpus) {
  voice_recorder rec(100);
  const bytes silence{0xF8, 0xFF, 0xFE};
  rec.on_packet(1, 960, t0, silence);  // before op 5
  rec.set_speaking(1);
  rec.on_packet(2, 1920, t0 + 20ms, silence);
  rec.on_packet(3, 2880, t0 + 40ms, bytes{});  // empty payload: not Opus
  rec.on_decrypt_failure();
  rec.on_keep_alive();
  auto s = rec.stats();
  EXPECT_EQ(s.silence_frames, 2u);
  EXPECT_EQ(s.before_speaking, 1u);
  EXPECT_EQ(s.invalid_opus, 1u);
  EXPECT_EQ(s.decrypt_failures, 1u);
  EXPECT_EQ(s.keep_alives, 1u);
  EXPECT_EQ(s.speaking, 1u);
}

TEST(VoiceRecorder, LatenessAndJitterAgainstThe20msCadence) {
  voice_recorder rec(1000);
  rec.set_speaking(1);
  auto p = tone(100);
  for (int i = 0; i < 100; ++i) {
    // Every tenth frame arrives 15 ms late; the others exactly on time.
    auto arrival = t0 + i * 20ms + (i % 10 == 5 ? 15ms : 0ms);
    rec.on_packet(static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(960 * i), arrival, p[static_cast<std::size_t>(i)]);
  }
  auto s = rec.stats();
  EXPECT_NEAR(s.lateness_p50_ms, 0.0, 0.01);
  EXPECT_NEAR(s.lateness_p99_ms, 15.0, 0.01);
  EXPECT_NEAR(s.jitter_p50_ms, 0.0, 0.01);
  EXPECT_NEAR(s.jitter_p99_ms, 15.0, 0.01);
  EXPECT_EQ(s.recorded, 2000ms);
}

TEST(VoiceRecorder, APauseStartsANewTalkSpurtInsteadOfMakingEveryFrameLate) {
  voice_recorder rec(1000);
  rec.set_speaking(1);
  auto p = tone(20);
  for (int i = 0; i < 20; ++i) {
    // Timestamps continue across the 5 s pause (as senders do), arrival times do not.
    auto arrival = t0 + i * 20ms + (i >= 10 ? 5s : 0s);
    rec.on_packet(static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(960 * i), arrival, p[static_cast<std::size_t>(i)]);
  }
  EXPECT_NEAR(rec.stats().lateness_p99_ms, 0.0, 0.01);
}

TEST(VoiceRecorder, RenderDecodesInTimestampOrderAndConcealsALostFrame) {
  voice_recorder rec(1000);
  rec.set_speaking(1);
  auto p = tone(50);
  for (int i = 0; i < 50; ++i) {
    if (i == 20) continue;  // lost
    const int at = i == 21 ? 22 : i == 22 ? 21 : i;  // 21 and 22 swapped in arrival
    rec.on_packet(static_cast<std::uint16_t>(at), static_cast<std::uint32_t>(960 * at), t0 + i * 20ms, p[static_cast<std::size_t>(at)]);
  }
  auto pcm = rec.render();
  EXPECT_EQ(pcm.size(), 50u * 960 * 2) << "the lost frame is concealed, so the length is kept";
  // The concealed frame is not silence.
  double energy = 0;
  for (std::size_t i = 20 * 960 * 2; i < 21 * 960 * 2; ++i) energy += std::abs(pcm[i]);
  EXPECT_GT(energy / (960 * 2), 100.0);
}

TEST(VoiceRecorder, TheRecordingIsBoundedButStatisticsGoOn) {
  voice_recorder rec(10);
  rec.set_speaking(1);
  auto p = tone(15);
  for (int i = 0; i < 15; ++i)
    rec.on_packet(static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(960 * i), t0 + i * 20ms, p[static_cast<std::size_t>(i)]);
  auto s = rec.stats();
  EXPECT_EQ(s.packets, 15u);
  EXPECT_EQ(s.truncated, 5u);
  EXPECT_EQ(rec.render().size(), 10u * 960 * 2);
}

}  // namespace
}  // namespace vb::fake::detail
