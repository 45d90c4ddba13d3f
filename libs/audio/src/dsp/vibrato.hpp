#pragma once
// lavadsp VibratoConverter: a delay line modulated by a sine LFO, read with 4-point 3rd-order
// Hermite interpolation. delay = lfo * depth * 96 + 3 samples, lfo = (1 + sin(phase)) / 2
// (96 = 2 ms at 48 kHz, the base delay). Depth glides; frequency changes keep the phase.
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>

#include "dsp/oscillator.hpp"
#include "dsp/ramp.hpp"
#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {

class vibrato {
 public:
  void set(float frequency, float depth, bool glide) noexcept {
    lfo_.set_step(2.0 * std::numbers::pi * frequency / sample_rate);
    glide ? depth_.glide(depth) : depth_.jump(depth);
  }
  void reset() noexcept {
    lfo_.reset();
    depth_.finish();
    buf_ = {};
    write_ = 0;
  }

  void process(float* lr, std::size_t n) noexcept {
    constexpr float max_delay = 0.002f * sample_rate;  // 96 samples
    constexpr float extra_delay = 3.0f;
    for (std::size_t i = 0; i < n; ++i) {
      const float lfo = static_cast<float>((lfo_.next() + 1.0) * 0.5);
      const float delay = lfo * depth_.next() * max_delay + extra_delay;
      // Read at `delay` samples behind the newest stored sample (the current one not yet stored,
      // as in lavadsp: it reads before it writes).
      const float pos = static_cast<float>(write_) - 1.0f - delay + static_cast<float>(size);
      const auto base = static_cast<std::size_t>(pos);
      const float frac = pos - static_cast<float>(base);
      for (std::size_t c = 0; c < 2; ++c) {
        const float y0 = at(base - 1, c), y1 = at(base, c), y2 = at(base + 1, c), y3 = at(base + 2, c);
        buf_[write_][c] = lr[2 * i + c];
        lr[2 * i + c] = hermite(frac, y0, y1, y2, y3);
      }
      write_ = (write_ + 1) & mask;
    }
    lfo_.end_block(n);
  }

 private:
  static constexpr std::size_t size = 256;  // power of two > max delay + interpolation taps
  static constexpr std::size_t mask = size - 1;

  float at(std::size_t index, std::size_t c) const noexcept { return buf_[index & mask][c]; }
  static float hermite(float x, float y0, float y1, float y2, float y3) noexcept {
    const float c1 = 0.5f * (y2 - y0);
    const float c2 = y0 - 2.5f * y1 + 2.0f * y2 - 0.5f * y3;
    const float c3 = 0.5f * (y3 - y0) + 1.5f * (y1 - y2);
    return ((c3 * x + c2) * x + c1) * x + y1;
  }

  oscillator lfo_;
  ramp depth_{0.5f};
  std::array<std::array<float, 2>, size> buf_{};
  std::size_t write_ = 0;
};

}  // namespace vb::audio::dsp
