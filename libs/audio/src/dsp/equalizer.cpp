#include "dsp/equalizer.hpp"

#include <algorithm>
#include <cmath>

#include "vectobeat/audio/pcm.hpp"

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

using vec = equalizer::vec;
constexpr std::size_t vecs = equalizer::vecs;

struct lane_coefficients {
  std::array<vec, vecs> alpha{}, beta{}, gamma{};
};

const lane_coefficients& lanes() {
  static const lane_coefficients k = [] {
    lane_coefficients c;
    for (std::size_t b = 0; b < equalizer_band_count; ++b) {
      c.alpha[b / 4][b % 4] = coeffs[b].alpha;
      c.beta[b / 4][b % 4] = coeffs[b].beta;
      c.gamma[b / 4][b % 4] = coeffs[b].gamma;
    }
    return c;  // lane 15 stays all-zero: a silent band
  }();
  return k;
}

float hsum(vec v) { return (v[0] + v[1]) + (v[2] + v[3]); }

bool all_zero(const std::array<vec, vecs>& a) {
  for (const vec& v : a) {
    for (int i = 0; i < 4; ++i) {
      if (v[i] != 0.0f) return false;
    }
  }
  return true;
}

}  // namespace

void equalizer::set(const gains& g, bool glide) noexcept {
  std::array<vec, vecs> target{};
  for (std::size_t b = 0; b < equalizer_band_count; ++b) target[b / 4][b % 4] = g[b];
  const bool silent_now = flat_;
  const bool silent_next = all_zero(target);
  if (silent_now && !silent_next) state_ = {};  // stale history: restart from rest, gains glide from 0
  target_ = target;
  if (glide && !(silent_now && silent_next)) {
    glide_left_ = frame_samples;
    for (std::size_t v = 0; v < vecs; ++v) step_[v] = (target_[v] - gain_[v]) / static_cast<float>(frame_samples);
  } else {
    gain_ = target_;
    glide_left_ = 0;
  }
  flat_ = silent_next && glide_left_ == 0;
}

void equalizer::reset() noexcept {
  state_ = {};
  gain_ = target_;
  glide_left_ = 0;
  flat_ = all_zero(gain_);
}

void equalizer::process(float* lr, std::size_t n) noexcept {
  const lane_coefficients& k = lanes();
  channel_state l = state_[0], r = state_[1];
  for (std::size_t i = 0; i < n; ++i) {
    if (glide_left_ > 0) {
      for (std::size_t v = 0; v < vecs; ++v) gain_[v] += step_[v];
      if (--glide_left_ == 0) gain_ = target_;
    }
    const float in_l = lr[2 * i], in_r = lr[2 * i + 1];
    vec acc_l{}, acc_r{};
    for (std::size_t v = 0; v < vecs; ++v) {
      const vec yl = k.alpha[v] * (in_l - l.x2[v]) + k.gamma[v] * l.y1[v] - k.beta[v] * l.y2[v];
      const vec yr = k.alpha[v] * (in_r - r.x2[v]) + k.gamma[v] * r.y1[v] - k.beta[v] * r.y2[v];
      l.x2[v] = l.x1[v];
      r.x2[v] = r.x1[v];
      l.x1[v] = vec{} + in_l;
      r.x1[v] = vec{} + in_r;
      l.y2[v] = l.y1[v];
      r.y2[v] = r.y1[v];
      l.y1[v] = yl;
      r.y1[v] = yr;
      acc_l += yl * gain_[v];
      acc_r += yr * gain_[v];
    }
    lr[2 * i] = std::clamp(in_l + 4.0f * hsum(acc_l), -1.0f, 1.0f);
    lr[2 * i + 1] = std::clamp(in_r + 4.0f * hsum(acc_r), -1.0f, 1.0f);
  }
  // Flush decaying state to zero before it turns denormal (slow on x86) in silence.
  for (channel_state* s : {&l, &r}) {
    bool tiny = true;
    for (std::size_t v = 0; v < vecs && tiny; ++v) {
      for (int j = 0; j < 4; ++j) tiny = tiny && std::fabs(s->y1[v][j]) < 1e-20f && std::fabs(s->y2[v][j]) < 1e-20f;
    }
    if (tiny) {
      for (std::size_t v = 0; v < vecs; ++v) s->y1[v] = s->y2[v] = vec{};
    }
  }
  state_ = {l, r};
  if (glide_left_ == 0 && all_zero(gain_)) flat_ = true;
}

}  // namespace vb::audio::dsp
