#pragma once
// lavadsp DistortionConverter: per sample s,
//   out = clip(offset + scale * (sinOffset + sin(s*sinScale)) * (cosOffset + cos(s*cosScale))
//                             * (tanOffset + tan(s*tanScale)))
// (lavadsp enables all three terms; its enable flags are all tested against SIN).
#include <array>
#include <cmath>
#include <cstddef>

#include "dsp/ramp.hpp"
#include "vectobeat/audio/filter_settings.hpp"

namespace vb::audio::dsp {

class distortion {
 public:
  void set(const distortion_settings& s, bool glide) noexcept {
    const std::array<float, 8> v{s.sin_offset, s.sin_scale, s.cos_offset, s.cos_scale,
                                 s.tan_offset, s.tan_scale, s.offset,     s.scale};
    for (std::size_t i = 0; i < v.size(); ++i) glide ? p_[i].glide(v[i]) : p_[i].jump(v[i]);
  }
  void reset() noexcept {
    for (auto& p : p_) p.finish();
  }

  void process(float* x, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      const float so = p_[0].next(), ss = p_[1].next(), co = p_[2].next(), cs = p_[3].next();
      const float to = p_[4].next(), ts = p_[5].next(), o = p_[6].next(), sc = p_[7].next();
      for (std::size_t c = 0; c < 2; ++c) {
        const float s = x[2 * i + c];
        const float r = o + sc * (so + std::sin(s * ss)) * (co + std::cos(s * cs)) * (to + std::tan(s * ts));
        x[2 * i + c] = std::fmin(std::fmax(r, -1.0f), 1.0f);  // fmax maps NaN to -1
      }
    }
  }

 private:
  std::array<ramp, 8> p_{ramp{0}, ramp{1}, ramp{0}, ramp{1}, ramp{0}, ramp{1}, ramp{0}, ramp{1}};
};

}  // namespace vb::audio::dsp
