#include "dsp/equalizer.hpp"

#include <algorithm>
#include <cmath>

namespace vb::audio::dsp {
namespace {

struct coefficients {
  float beta, alpha, gamma;
};

// lavaplayer Equalizer.coefficients48000 (beta, alpha, gamma) for bands 25 Hz .. 16 kHz.
constexpr std::array<coefficients, equalizer_band_count> coeffs{{
    {9.9847546664e-01f, 7.6226668143e-04f, 1.9984647656e+00f},
    {9.9756184654e-01f, 1.2190767289e-03f, 1.9975344645e+00f},
    {9.9616261379e-01f, 1.9186931041e-03f, 1.9960947369e+00f},
    {9.9391578543e-01f, 3.0421072865e-03f, 1.9937449618e+00f},
    {9.9028307215e-01f, 4.8584639242e-03f, 1.9898465702e+00f},
    {9.8485897264e-01f, 7.5705136795e-03f, 1.9837962543e+00f},
    {9.7588512657e-01f, 1.2057436715e-02f, 1.9731772447e+00f},
    {9.6228521814e-01f, 1.8857390928e-02f, 1.9556164694e+00f},
    {9.4080933132e-01f, 2.9595334338e-02f, 1.9242054384e+00f},
    {9.0702059196e-01f, 4.6489704022e-02f, 1.8653476166e+00f},
    {8.5868004289e-01f, 7.0659978553e-02f, 1.7600401337e+00f},
    {7.8409610788e-01f, 1.0795194606e-01f, 1.5450725522e+00f},
    {6.8332861002e-01f, 1.5833569499e-01f, 1.1426447155e+00f},
    {5.5267518228e-01f, 2.2366240886e-01f, 4.0186190803e-01f},
    {4.1811888447e-01f, 2.9094055777e-01f, -7.0905944223e-01f},
}};

}  // namespace

void equalizer::set(const gains& g, bool glide) noexcept {
  for (std::size_t b = 0; b < equalizer_band_count; ++b) {
    const bool was_silent = gain_[b].value() == 0.0f && !gain_[b].moving();
    if (was_silent && g[b] != 0.0f) state_[b] = {};  // rejoining band starts from rest
    glide ? gain_[b].glide(g[b]) : gain_[b].jump(g[b]);
  }
}

void equalizer::reset() noexcept {
  state_ = {};
  for (auto& g : gain_) g.finish();
}

bool equalizer::is_flat() const noexcept {
  return std::all_of(gain_.begin(), gain_.end(), [](const ramp& r) { return !r.moving() && r.value() == 0.0f; });
}

void equalizer::process(float* lr, std::size_t n) noexcept {
  // Accumulate 4 * sum(gain_b * y_b) band by band into a per-sample sum, then add the input.
  // Processing band-major keeps each band's state in registers.
  std::array<float, 2 * frame_samples> acc{};
  for (std::size_t start = 0; start < n; start += frame_samples) {
    const std::size_t len = std::min(frame_samples, n - start);
    float* x = lr + 2 * start;
    std::fill(acc.begin(), acc.begin() + static_cast<std::ptrdiff_t>(2 * len), 0.0f);
    for (std::size_t b = 0; b < equalizer_band_count; ++b) {
      ramp& g = gain_[b];
      if (!g.moving() && g.value() == 0.0f) continue;
      const coefficients k = coeffs[b];
      band_state& s = state_[b];
      for (std::size_t c = 0; c < 2; ++c) {
        float x1 = s.x1[c], x2 = s.x2[c], y1 = s.y1[c], y2 = s.y2[c];
        ramp gc = g;  // both channels follow the same glide
        for (std::size_t i = 0; i < len; ++i) {
          const float in = x[2 * i + c];
          const float y = k.alpha * (in - x2) + k.gamma * y1 - k.beta * y2;
          x2 = x1;
          x1 = in;
          y2 = y1;
          y1 = y;
          acc[2 * i + c] += y * gc.next();
        }
        // Flush decaying state to zero before it turns denormal (slow on x86) in silence.
        if (std::fabs(y1) < 1e-20f && std::fabs(y2) < 1e-20f) y1 = y2 = 0.0f;
        s.x1[c] = x1, s.x2[c] = x2, s.y1[c] = y1, s.y2[c] = y2;
        if (c == 1) g = gc;
      }
    }
    for (std::size_t i = 0; i < 2 * len; ++i) x[i] = std::clamp(x[i] + 4.0f * acc[i], -1.0f, 1.0f);
  }
}

}  // namespace vb::audio::dsp
