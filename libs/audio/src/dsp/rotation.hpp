#pragma once
// lavadsp RotationPcmAudioFilter: the source circles the listener. With x advancing by
// 2*pi*rotationHz/48000 per sample: L *= (1 + sin x) / 2, R *= (1 - sin x) / 2.
#include <cmath>
#include <cstddef>
#include <numbers>

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {

class rotation {
 public:
  void set(double hz) noexcept { step_ = 2.0 * std::numbers::pi * hz / sample_rate; }
  void reset() noexcept { x_ = 0.0; }

  void process(float* lr, std::size_t n) noexcept {
    constexpr double two_pi = 2.0 * std::numbers::pi;
    for (std::size_t i = 0; i < n; ++i) {
      const auto s = static_cast<float>(std::sin(x_));
      lr[2 * i] *= (1.0f + s) * 0.5f;
      lr[2 * i + 1] *= (1.0f - s) * 0.5f;
      x_ += step_;
    }
    x_ = std::fmod(x_, two_pi);  // keep precision over long tracks
  }

 private:
  double step_ = 0.0;
  double x_ = 0.0;
};

}  // namespace vb::audio::dsp
