#pragma once
// A parameter that glides linearly to a new value over one frame, so a settings change never
// steps the signal (no clicks). Plain value type; next() never allocates.
#include <cstddef>

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {

class ramp {
 public:
  ramp() noexcept : ramp(0.0f) {}
  explicit ramp(float v) noexcept : value_(v), target_(v) {}

  void jump(float v) noexcept {
    value_ = target_ = v;
    left_ = 0;
  }
  void glide(float v, std::size_t samples = frame_samples) noexcept {
    if (v == target_ && (left_ > 0 || v == value_)) return;
    target_ = v;
    left_ = samples;
    step_ = (target_ - value_) / static_cast<float>(samples);
  }
  // Value for the next sample.
  float next() noexcept {
    if (left_ > 0) {
      value_ += step_;
      if (--left_ == 0) value_ = target_;
    }
    return value_;
  }
  void finish() noexcept { jump(target_); }
  float value() const noexcept { return value_; }
  float target() const noexcept { return target_; }
  bool moving() const noexcept { return left_ > 0; }

 private:
  float value_;
  float target_;
  float step_ = 0.0f;
  std::size_t left_ = 0;
};

}  // namespace vb::audio::dsp
