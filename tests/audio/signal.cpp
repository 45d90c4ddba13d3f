#include "audio/signal.hpp"

#include <cmath>
#include <numbers>

namespace vb::audio::test {

std::vector<float> stereo_tone(double fl, double al, double fr, double ar, double seconds) {
  const auto n = static_cast<std::size_t>(seconds * sample_rate);
  std::vector<float> out(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    out[2 * i] = static_cast<float>(al * std::sin(2 * std::numbers::pi * fl * t));
    out[2 * i + 1] = static_cast<float>(ar * std::sin(2 * std::numbers::pi * fr * t));
  }
  return out;
}

std::vector<float> channel(std::span<const float> lr, int c) {
  std::vector<float> out(lr.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = lr[2 * i + static_cast<std::size_t>(c)];
  return out;
}

double rms(std::span<const float> x) {
  if (x.empty()) return 0.0;
  double s = 0;
  for (float v : x) s += static_cast<double>(v) * v;
  return std::sqrt(s / static_cast<double>(x.size()));
}

double db(double ratio) { return 20.0 * std::log10(ratio); }

double zero_crossing_frequency(std::span<const float> x, double rate) {
  double first = -1, last = -1;
  int crossings = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) {  // rising crossings only: one per period
      const double t = static_cast<double>(i - 1) + x[i - 1] / static_cast<double>(x[i - 1] - x[i]);
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  if (crossings < 2) return 0.0;
  return (crossings - 1) * rate / (last - first);
}

double goertzel(std::span<const float> x, double freq, double rate) {
  const double w = 2 * std::numbers::pi * freq / rate;
  const double coeff = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  for (float v : x) {
    const double s0 = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return std::sqrt(std::max(power, 0.0)) / static_cast<double>(x.size());
}

std::vector<float> block_rms(std::span<const float> x, std::size_t block) {
  std::vector<float> out;
  for (std::size_t off = 0; off + block <= x.size(); off += block) {
    out.push_back(static_cast<float>(rms(x.subspan(off, block))));
  }
  return out;
}

}  // namespace vb::audio::test
