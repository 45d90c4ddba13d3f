#pragma once
// lavadsp ChannelMixPcmAudioFilter: L' = ll*L + rl*R, R' = lr*L + rr*R, clipped to [-1, 1].
// Coefficient changes glide over one frame.
#include <algorithm>
#include <cstddef>

#include "dsp/ramp.hpp"

namespace vb::audio::dsp {

class channel_mix {
 public:
  void set(float ll, float lr, float rl, float rr, bool glide) noexcept {
    if (glide) {
      ll_.glide(ll), lr_.glide(lr), rl_.glide(rl), rr_.glide(rr);
    } else {
      ll_.jump(ll), lr_.jump(lr), rl_.jump(rl), rr_.jump(rr);
    }
  }
  void reset() noexcept { ll_.finish(), lr_.finish(), rl_.finish(), rr_.finish(); }

  void process(float* x, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      const float l = x[2 * i], r = x[2 * i + 1];
      const float ll = ll_.next(), lr = lr_.next(), rl = rl_.next(), rr = rr_.next();
      x[2 * i] = std::clamp(ll * l + rl * r, -1.0f, 1.0f);
      x[2 * i + 1] = std::clamp(lr * l + rr * r, -1.0f, 1.0f);
    }
  }

 private:
  ramp ll_{1.0f}, lr_{0.0f}, rl_{0.0f}, rr_{1.0f};
};

}  // namespace vb::audio::dsp
