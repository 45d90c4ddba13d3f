#pragma once
// lavaplayer's 15-band equalizer (filter/equalizer/Equalizer.java): per band a two-pole
// band-pass y = alpha*(x - x[n-2]) + gamma*y[n-1] - beta*y[n-2] tuned to the band centres at
// 48 kHz; out = clip(4 * (x/4 + sum(gain_b * y_b))) = clip(x + 4*sum(gain_b * y_b)). Each band
// has unit gain at its centre, so gain 0.25 doubles it and -0.25 cancels it.
//
// The 15 bands run side by side in four 4-lane vectors (a 16th lane is a silent pad), both
// channels in one pass: about 3x faster than band by band. Gains glide over one frame.
#include <array>
#include <cstddef>

#include "vectobeat/audio/filter_settings.hpp"

namespace vb::audio::dsp {

class equalizer {
 public:
  using gains = std::array<float, equalizer_band_count>;

  void set(const gains& g, bool glide) noexcept;
  void reset() noexcept;
  // True when every gain is 0 and nothing is gliding: the stage can be skipped.
  bool is_flat() const noexcept { return flat_; }
  void process(float* lr, std::size_t n) noexcept;

  using vec = float __attribute__((vector_size(16)));
  static constexpr std::size_t vecs = 4;  // 16 lanes

 private:
  struct channel_state {
    std::array<vec, vecs> x1{}, x2{}, y1{}, y2{};
  };
  std::array<vec, vecs> gain_{};    // current gain per band
  std::array<vec, vecs> step_{};    // per-sample glide increment
  std::array<vec, vecs> target_{};
  std::size_t glide_left_ = 0;
  bool flat_ = true;
  std::array<channel_state, 2> state_{};
};

}  // namespace vb::audio::dsp
