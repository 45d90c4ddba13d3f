#pragma once
// lavadsp RotationPcmAudioFilter: the source circles the listener. With x advancing by
// 2*pi*rotationHz/48000 per sample: L *= (1 + sin x) / 2, R *= (1 - sin x) / 2.
#include <cmath>
#include <cstddef>
#include <numbers>

#include "dsp/oscillator.hpp"
#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {

class rotation {
 public:
  void set(double hz) noexcept { x_.set_step(2.0 * std::numbers::pi * hz / sample_rate); }
  void reset() noexcept { x_.reset(); }

  void process(float* lr, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      const auto s = static_cast<float>(x_.next());
      lr[2 * i] *= (1.0f + s) * 0.5f;
      lr[2 * i + 1] *= (1.0f - s) * 0.5f;
    }
    x_.end_block(n);
  }

 private:
  oscillator x_;
};

}  // namespace vb::audio::dsp
