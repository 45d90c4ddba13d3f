#pragma once
// sin(phase) sample by sample without a libm call per sample: a rotating phasor (one complex
// multiply per sample), resynchronised from the exact phase at the end of every block so it
// never drifts. Frequency changes keep the phase (no discontinuity).
#include <cmath>
#include <cstddef>
#include <numbers>

namespace vb::audio::dsp {

class oscillator {
 public:
  void set_step(double radians_per_sample) noexcept {
    step_ = radians_per_sample;
    cos_step_ = std::cos(step_);
    sin_step_ = std::sin(step_);
  }
  void reset() noexcept { sync(0.0); }

  // sin of the current phase, then advances one sample.
  double next() noexcept {
    const double v = s_;
    const double c = c_ * cos_step_ - s_ * sin_step_;
    s_ = s_ * cos_step_ + c_ * sin_step_;
    c_ = c;
    return v;
  }
  // Call after `n` next() calls: snaps the phasor to the exact phase.
  void end_block(std::size_t n) noexcept { sync(std::fmod(phase_ + static_cast<double>(n) * step_, 2.0 * std::numbers::pi)); }

 private:
  void sync(double phase) noexcept {
    phase_ = phase;
    c_ = std::cos(phase);
    s_ = std::sin(phase);
  }

  double step_ = 0.0, cos_step_ = 1.0, sin_step_ = 0.0;
  double phase_ = 0.0, c_ = 1.0, s_ = 0.0;
};

}  // namespace vb::audio::dsp
