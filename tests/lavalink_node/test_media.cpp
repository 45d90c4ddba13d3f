#include "lavalink_node/test_media.hpp"

#include <algorithm>
#include <cmath>

#include "audio/signal.hpp"
#include "vectobeat/audio/opus_decoder.hpp"

namespace vb::node::test {

namespace {
void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
  v.push_back(static_cast<std::uint8_t>(x & 0xFF));
  v.push_back(static_cast<std::uint8_t>(x >> 8));
}
void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  put16(v, static_cast<std::uint16_t>(x & 0xFFFF));
  put16(v, static_cast<std::uint16_t>(x >> 16));
}
}  // namespace

namespace {

// A 16-bit stereo PCM WAV file of `samples` frames; `sample(i, channel)` in [-1, 1].
template <class F>
std::vector<std::uint8_t> wav_of(std::uint32_t samples, int rate, F&& sample) {
  const std::uint32_t data_bytes = samples * 4;
  std::vector<std::uint8_t> v;
  v.reserve(44 + data_bytes);
  for (char c : std::string_view("RIFF")) v.push_back(static_cast<std::uint8_t>(c));
  put32(v, 36 + data_bytes);
  for (char c : std::string_view("WAVEfmt ")) v.push_back(static_cast<std::uint8_t>(c));
  put32(v, 16);
  put16(v, 1);  // PCM
  put16(v, 2);
  put32(v, static_cast<std::uint32_t>(rate));
  put32(v, static_cast<std::uint32_t>(rate) * 4);
  put16(v, 4);
  put16(v, 16);
  for (char c : std::string_view("data")) v.push_back(static_cast<std::uint8_t>(c));
  put32(v, data_bytes);
  for (std::uint32_t i = 0; i < samples; ++i) {
    for (int ch = 0; ch < 2; ++ch) {
      const auto s = static_cast<std::int16_t>(std::lround(32767 * std::clamp(sample(i, ch), -1.0, 1.0)));
      put16(v, static_cast<std::uint16_t>(s));
    }
  }
  return v;
}

}  // namespace

std::vector<std::uint8_t> wav_tone(double freq, double seconds, int rate, double amplitude) {
  return wav_of(static_cast<std::uint32_t>(seconds * rate), rate,
                [&](std::uint32_t i, int) { return amplitude * std::sin(2 * M_PI * freq * i / rate); });
}

std::vector<std::uint8_t> wav_noise(double seconds, int rate, double amplitude) {
  std::uint32_t seed = 0x12345678;
  return wav_of(static_cast<std::uint32_t>(seconds * rate), rate, [&](std::uint32_t, int) {
    seed = seed * 1664525u + 1013904223u;
    return amplitude * (static_cast<double>(seed >> 8) / static_cast<double>(1u << 23) - 1.0);
  });
}

std::vector<float> decode_left(const std::vector<std::vector<std::uint8_t>>& frames) {
  auto dec = audio::opus_decoder::create(2);
  std::vector<float> left;
  if (!dec) return left;
  std::vector<float> pcm(audio::max_opus_packet_samples * 2);
  for (auto& f : frames) {
    auto n = dec->decode(f, pcm);
    const std::size_t count = n ? *n : 960;
    for (std::size_t i = 0; i < count; ++i) left.push_back(n ? pcm[2 * i] : 0.0f);
  }
  return left;
}

tone_analysis analyse_left(std::span<const float> left) {
  tone_analysis a;
  // Trim silence: 5 ms blocks under -40 dBFS at either end.
  constexpr std::size_t block = 240;
  const auto rms = audio::test::block_rms(left, block);
  std::size_t first = 0, last = rms.size();
  while (first < rms.size() && rms[first] < 0.01f) ++first;
  while (last > first && rms[last - 1] < 0.01f) --last;
  if (first >= last) return a;
  auto body = left.subspan(first * block, std::min((last - first) * block, left.size() - first * block));
  a.duration_ms = static_cast<double>(body.size()) / 48.0;
  // Measure away from the edges (Opus's onset and tail).
  const std::size_t margin = std::min<std::size_t>(body.size() / 10, 4800);
  auto core = body.subspan(margin, body.size() - 2 * margin);
  a.frequency_hz = audio::test::zero_crossing_frequency(core);
  a.rms = audio::test::rms(core);
  return a;
}

tone_analysis analyse_opus(const std::vector<std::vector<std::uint8_t>>& frames) {
  auto left = decode_left(frames);
  auto a = analyse_left(left);
  a.frames = frames.size();
  return a;
}

}  // namespace vb::node::test
