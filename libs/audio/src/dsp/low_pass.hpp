#pragma once
// lavadsp LowPassConverter: a one-pole smoother per channel, v += (x - v) / smoothing, whose
// state starts at the first sample it sees. Gain at frequency w (radians/sample), a = 1/s:
// |H| = a / sqrt(1 - 2(1-a)cos w + (1-a)^2).
#include <array>
#include <cstddef>

namespace vb::audio::dsp {

class low_pass {
 public:
  void set(float smoothing) noexcept { smoothing_ = smoothing > 1.0f ? smoothing : 1.0f; }
  void reset() noexcept { initialized_ = false; }

  void process(float* lr, std::size_t n) noexcept {
    if (n == 0) return;
    if (!initialized_) {
      value_ = {lr[0], lr[1]};
      initialized_ = true;
    }
    const float inv = 1.0f / smoothing_;
    float l = value_[0], r = value_[1];
    for (std::size_t i = 0; i < n; ++i) {
      l += (lr[2 * i] - l) * inv;
      r += (lr[2 * i + 1] - r) * inv;
      lr[2 * i] = l;
      lr[2 * i + 1] = r;
    }
    value_ = {l, r};
  }

 private:
  float smoothing_ = 20.0f;
  std::array<float, 2> value_{};
  bool initialized_ = false;
};

}  // namespace vb::audio::dsp
