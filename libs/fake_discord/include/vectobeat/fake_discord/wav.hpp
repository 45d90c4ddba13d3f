#pragma once
// RIFF/WAVE with 16-bit PCM: what the voice recorder writes, and a reader for tests.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vectobeat/common/expected.hpp"

namespace vb::fake {

struct wav_audio {
  int sample_rate = 48000;
  int channels = 2;
  std::vector<std::int16_t> samples;  // interleaved

  std::size_t frames() const { return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0; }
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0.0; }
};

// A complete file: 44-byte header + little-endian samples.
std::string encode_wav(std::span<const std::int16_t> interleaved, int sample_rate = 48000, int channels = 2);
// Accepts PCM 16-bit files (skips unknown chunks); the error text names the problem.
expected<wav_audio, std::string> decode_wav(std::string_view bytes);

}  // namespace vb::fake
