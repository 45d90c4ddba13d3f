#pragma once
// lavadsp KaraokeConverter: removes centre-panned content (usually vocals) by subtracting one
// channel from the other, then adds back a band-passed mono signal (filterBand +- filterWidth,
// to keep the bass). Per sample, with a two-pole resonator y over m = (L + R) / 2:
//   y = A*m - B*y1 - C*y2;  o = y * monoLevel * level;  L' = L - R*level + o;  R' = R - L*level + o
// Levels glide; a new band/width keeps the resonator state.
#include <cmath>
#include <cstddef>
#include <numbers>

#include "dsp/ramp.hpp"
#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {

class karaoke {
 public:
  void set(float level, float mono_level, float band, float width, bool glide) noexcept {
    glide ? level_.glide(level) : level_.jump(level);
    glide ? mono_.glide(mono_level) : mono_.jump(mono_level);
    const double c = std::exp(-2.0 * std::numbers::pi * width / sample_rate);
    const double b = -4.0 * c / (1.0 + c) * std::cos(2.0 * std::numbers::pi * band / sample_rate);
    const double a = std::sqrt(std::fmax(0.0, 1.0 - b * b / (4.0 * c))) * (1.0 - c);
    a_ = static_cast<float>(a);
    b_ = static_cast<float>(b);
    c_ = static_cast<float>(c);
  }
  void reset() noexcept {
    y1_ = y2_ = 0.0f;
    level_.finish();
    mono_.finish();
  }

  void process(float* lr, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      const float l = lr[2 * i], r = lr[2 * i + 1];
      const float level = level_.next();
      const float y = a_ * ((l + r) * 0.5f) - b_ * y1_ - c_ * y2_;
      y2_ = y1_;
      y1_ = y;
      const float o = y * mono_.next() * level;
      lr[2 * i] = l - r * level + o;
      lr[2 * i + 1] = r - l * level + o;
    }
    if (std::fabs(y1_) < 1e-20f && std::fabs(y2_) < 1e-20f) y1_ = y2_ = 0.0f;  // no denormals
  }

 private:
  ramp level_{1.0f};
  ramp mono_{1.0f};
  float a_ = 0.0f, b_ = 0.0f, c_ = 0.0f;
  float y1_ = 0.0f, y2_ = 0.0f;
};

}  // namespace vb::audio::dsp
