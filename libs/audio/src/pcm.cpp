#include "vectobeat/audio/pcm.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace vb::audio {

void float_to_int16(std::span<const float> in, std::span<std::int16_t> out) noexcept {
  assert(out.size() >= in.size());
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) {
    float v = in[i];
    v = std::isnan(v) ? 0.0f : std::clamp(v, -1.0f, 1.0f);
    out[i] = static_cast<std::int16_t>(std::lrintf(v * 32767.0f));
  }
}

void int16_to_float(std::span<const std::int16_t> in, std::span<float> out) noexcept {
  assert(out.size() >= in.size());
  const std::size_t n = std::min(in.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]) * (1.0f / 32767.0f);
}

}  // namespace vb::audio
