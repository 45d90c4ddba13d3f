#include "vectobeat/audio/resampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace vb::audio {
namespace {

constexpr double pi = 3.14159265358979323846;

std::vector<float> sine(double freq, double rate, std::size_t n, double amp = 0.5) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(amp * std::sin(2 * pi * freq * static_cast<double>(i) / rate));
  return v;
}

// Resamples a whole planar signal in blocks of `block` samples, then flushes.
std::vector<float> run(resampler& r, const std::vector<std::vector<float>>& planes, std::size_t block) {
  std::vector<float> out;
  const std::size_t n = planes[0].size();
  for (std::size_t off = 0; off < n; off += block) {
    const std::size_t len = std::min(block, n - off);
    std::vector<const float*> p;
    for (const auto& c : planes) p.push_back(c.data() + off);
    std::vector<float> o(r.max_output(len) * 2);
    o.resize(r.process(p.data(), true, len, o.data()) * 2);
    out.insert(out.end(), o.begin(), o.end());
  }
  std::vector<float> o(r.max_output(0) * 2);
  o.resize(r.flush(o.data()) * 2);
  out.insert(out.end(), o.begin(), o.end());
  return out;
}

std::vector<float> left(const std::vector<float>& lr) {
  std::vector<float> v(lr.size() / 2);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = lr[2 * i];
  return v;
}

// Residual after removing the best-fitting sine at `freq` (THD+N), in dB below that sine,
// over the middle of the signal (the filter's edges excluded).
double thd_n_db(const std::vector<float>& x, double freq, double rate) {
  const std::size_t from = x.size() / 10, to = x.size() - x.size() / 10;
  double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
  for (std::size_t i = from; i < to; ++i) {
    const double s = std::sin(2 * pi * freq * static_cast<double>(i) / rate), c = std::cos(2 * pi * freq * static_cast<double>(i) / rate);
    ss += s * s, sc += s * c, cc += c * c, xs += x[i] * s, xc += x[i] * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
  double sig = 0, res = 0;
  for (std::size_t i = from; i < to; ++i) {
    const double fit = a * std::sin(2 * pi * freq * static_cast<double>(i) / rate) + b * std::cos(2 * pi * freq * static_cast<double>(i) / rate);
    sig += fit * fit;
    res += (x[i] - fit) * (x[i] - fit);
  }
  return 10 * std::log10(res / sig);
}

TEST(AudioResampler, RefusesWhatItCannotDo) {
  EXPECT_FALSE(resampler::create(44056, 2));  // 48000 / gcd = 6000 phases: swresample's job
  EXPECT_FALSE(resampler::create(44100, 3));
  EXPECT_FALSE(resampler::create(44100, 0));
  EXPECT_FALSE(resampler::create(0, 2));
  EXPECT_TRUE(resampler::create(44100, 2));
  EXPECT_TRUE(resampler::create(22050, 1));
  EXPECT_TRUE(resampler::create(96000, 2));
}

TEST(AudioResampler, ToneFrom44100IsCleanInTimeAndOfTheRightLength) {
  for (const double f : {440.0, 1000.0, 5000.0, 15000.0}) {
    auto r = resampler::create(44100, 2);
    ASSERT_TRUE(r);
    const std::size_t n = 44100;
    const auto in = sine(f, 44100, n);
    const auto out = run(*r, {in, in}, 1152);
    // One second in, one second out: ceil(44100 * 160 / 147) samples.
    EXPECT_EQ(out.size() / 2, 48000u) << f;
    const auto l = left(out);
    EXPECT_LT(thd_n_db(l, f, 48000), -90.0) << f;  // swresample's defaults reach the same
    // Not delayed or scaled: the output is the same sine sampled at 48 kHz.
    const auto ideal = sine(f, 48000, l.size());
    double worst = 0;
    for (std::size_t i = 1000; i + 1000 < l.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(l[i] - ideal[i])));
    EXPECT_LT(worst, 1e-3) << f;  // -54 dB below full scale, sample by sample
  }
}

TEST(AudioResampler, ImagesAboveTheSourceBandStayLow) {
  // A 20 kHz tone at 44.1 kHz has its first image at 24.1 kHz, inside the transition band of a
  // 32-tap filter: it stays 30 dB down (35 dB measured; swresample's defaults give 25 dB), and
  // a 10 kHz tone's image (34.1 kHz) is far in the stop band.
  auto r = resampler::create(44100, 1);
  ASSERT_TRUE(r);
  auto out = left(run(*r, {sine(20000, 44100, 44100)}, 1152));
  EXPECT_LT(thd_n_db(out, 20000, 48000), -30.0);
  r = resampler::create(44100, 1);
  out = left(run(*r, {sine(10000, 44100, 44100)}, 1152));
  EXPECT_LT(thd_n_db(out, 10000, 48000), -90.0);
}

TEST(AudioResampler, DownsamplingRemovesWhatWouldAlias) {
  // 96 kHz -> 48 kHz: a 30 kHz tone cannot be represented and would fold to 18 kHz.
  auto r = resampler::create(96000, 1);
  ASSERT_TRUE(r);
  const auto out = left(run(*r, {sine(30000, 96000, 96000)}, 2048));
  EXPECT_EQ(out.size(), 48000u);
  double e = 0;
  for (std::size_t i = 1000; i + 1000 < out.size(); ++i) e += static_cast<double>(out[i]) * out[i];
  const double rms = std::sqrt(e / static_cast<double>(out.size() - 2000));
  EXPECT_LT(20 * std::log10(rms / (0.5 / std::sqrt(2.0))), -70.0);
  // While a 10 kHz tone passes cleanly.
  r = resampler::create(96000, 1);
  const auto pass = left(run(*r, {sine(10000, 96000, 96000)}, 2048));
  EXPECT_LT(thd_n_db(pass, 10000, 48000), -90.0);
}

TEST(AudioResampler, BlockSizesDoNotChangeTheOutput) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(-0.5f, 0.5f);
  std::vector<float> a(20000), b(20000);
  for (auto& x : a) x = d(rng);
  for (auto& x : b) x = d(rng);
  auto r1 = resampler::create(44100, 2);
  auto r2 = resampler::create(44100, 2);
  const auto whole = run(*r1, {a, b}, a.size());
  const auto pieces = run(*r2, {a, b}, 333);
  EXPECT_EQ(whole, pieces);
}

TEST(AudioResampler, InterleavedInputMonoAndIdentity) {
  const auto l = sine(1000, 44100, 4410), rch = sine(3000, 44100, 4410);
  std::vector<float> inter(l.size() * 2);
  for (std::size_t i = 0; i < l.size(); ++i) inter[2 * i] = l[i], inter[2 * i + 1] = rch[i];
  auto planar = resampler::create(44100, 2);
  auto packed = resampler::create(44100, 2);
  const auto a = run(*planar, {l, rch}, 441);
  std::vector<float> b(packed->max_output(l.size()) * 2);
  const float* p = inter.data();
  b.resize(packed->process(&p, false, l.size(), b.data()) * 2);
  std::vector<float> tail(packed->max_output(0) * 2);
  tail.resize(packed->flush(tail.data()) * 2);
  b.insert(b.end(), tail.begin(), tail.end());
  EXPECT_EQ(a, b);

  auto mono = resampler::create(44100, 1);
  const auto m = run(*mono, {l}, 441);
  for (std::size_t i = 0; i < m.size(); i += 2) ASSERT_EQ(m[i], m[i + 1]);  // both channels, unity gain
  EXPECT_LT(thd_n_db(left(m), 1000, 48000), -90.0);

  auto same = resampler::create(48000, 2);  // 48 kHz: interleaved as it is
  const auto s = run(*same, {l, rch}, 960);
  ASSERT_EQ(s.size(), l.size() * 2);
  for (std::size_t i = 0; i < l.size(); ++i) {
    ASSERT_EQ(s[2 * i], l[i]);
    ASSERT_EQ(s[2 * i + 1], rch[i]);
  }
}

TEST(AudioResampler, ResetStartsAFreshStream) {
  auto r = resampler::create(44100, 2);
  const auto in = sine(1000, 44100, 4410);
  const auto first = run(*r, {in, in}, 1152);
  std::vector<float> junk(r->max_output(500) * 2);
  const auto noise = sine(7000, 44100, 500);
  const float* p[2] = {noise.data(), noise.data()};
  (void)r->process(p, true, 500, junk.data());
  r->reset();
  EXPECT_EQ(run(*r, {in, in}, 1152), first);
}

}  // namespace
}  // namespace vb::audio
