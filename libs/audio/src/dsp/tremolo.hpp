#pragma once
// lavadsp TremoloConverter: out = x * ((1 - d) + d * sin(phase)), d = depth / 2, the phase
// advancing by 2*pi*frequency/48000 per sample (one phase for both channels, as lavadsp's two
// identical per-channel converters). Depth glides; frequency changes keep the phase.
#include <cmath>
#include <cstddef>
#include <numbers>

#include "dsp/oscillator.hpp"
#include "dsp/ramp.hpp"
#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {

class tremolo {
 public:
  void set(float frequency, float depth, bool glide) noexcept {
    phase_.set_step(2.0 * std::numbers::pi * frequency / sample_rate);
    glide ? depth_.glide(depth * 0.5f) : depth_.jump(depth * 0.5f);
  }
  void reset() noexcept {
    phase_.reset();
    depth_.finish();
  }

  void process(float* lr, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      const float d = depth_.next();
      const float m = (1.0f - d) + d * static_cast<float>(phase_.next());
      lr[2 * i] *= m;
      lr[2 * i + 1] *= m;
    }
    phase_.end_block(n);
  }

 private:
  oscillator phase_;
  ramp depth_{0.25f};
};

}  // namespace vb::audio::dsp
