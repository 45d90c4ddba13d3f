#pragma once
// lavaplayer's 15-band equalizer (filter/equalizer/Equalizer.java): per band a two-pole
// band-pass y = alpha*(x - x[n-2]) + gamma*y[n-1] - beta*y[n-2] tuned to the band centres at
// 48 kHz; out = clip(4 * (x/4 + sum(gain_b * y_b))) = clip(x + 4*sum(gain_b * y_b)). Each band
// has unit gain at its centre, so gain 0.25 doubles it and -0.25 cancels it.
// Gains glide over one frame. Bands whose gain is 0 are skipped; a band that comes back starts
// from rest (its gain glides up from 0, so there is no click).
#include <array>
#include <cstddef>

#include "dsp/ramp.hpp"
#include "vectobeat/audio/filter_settings.hpp"

namespace vb::audio::dsp {

class equalizer {
 public:
  using gains = std::array<float, equalizer_band_count>;

  void set(const gains& g, bool glide) noexcept;
  void reset() noexcept;
  // True when every gain is 0 and nothing is gliding: the stage can be skipped.
  bool is_flat() const noexcept;
  void process(float* lr, std::size_t n) noexcept;

 private:
  struct band_state {
    float x1[2], x2[2], y1[2], y2[2];
  };
  std::array<ramp, equalizer_band_count> gain_{};
  std::array<band_state, equalizer_band_count> state_{};
};

}  // namespace vb::audio::dsp
