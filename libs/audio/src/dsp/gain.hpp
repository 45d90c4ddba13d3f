#pragma once
// A gain stage with saturation at [-1, 1]: the volume filter (lavadsp VolumeConverter clips)
// and the player volume (lavaplayer saturates int16). Gain changes glide over one frame.
#include <algorithm>
#include <cstddef>

#include "dsp/ramp.hpp"

namespace vb::audio::dsp {

class gain {
 public:
  void set(float g, bool glide) noexcept { glide ? g_.glide(g) : g_.jump(g); }
  void reset() noexcept { g_.finish(); }
  bool is_unity() const noexcept { return !g_.moving() && g_.value() == 1.0f; }
  float target() const noexcept { return g_.target(); }

  void process(float* x, std::size_t n) noexcept {
    if (is_unity()) return;
    if (!g_.moving()) {
      const float g = g_.value();
      for (std::size_t i = 0; i < 2 * n; ++i) x[i] = std::clamp(x[i] * g, -1.0f, 1.0f);
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const float g = g_.next();
      x[2 * i] = std::clamp(x[2 * i] * g, -1.0f, 1.0f);
      x[2 * i + 1] = std::clamp(x[2 * i + 1] * g, -1.0f, 1.0f);
    }
  }

 private:
  ramp g_{1.0f};
};

}  // namespace vb::audio::dsp
