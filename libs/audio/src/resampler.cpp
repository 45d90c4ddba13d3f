#include "vectobeat/audio/resampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <numeric>
#include <utility>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio {

namespace {

// libswresample's defaults: filter_size 32, kaiser_beta 9, cutoff 0.97.
constexpr int base_taps = 32;
constexpr double kaiser_beta = 9.0;
constexpr double cutoff = 0.97;
constexpr int max_taps = 256;  // downsampling by more than 8x is refused
constexpr int min_rate = 1000;
constexpr int max_rate = 384000;

double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 64; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

// Phase p of L, tap j of T: h[p * T + j] = g(T/2 - 1 - j + p / L), g the windowed sinc.
struct resampler::bank {
  int l = 1;  // output step (phases)
  int m = 1;  // input step
  int t = base_taps;
  std::vector<float> h;
};

namespace {

std::shared_ptr<const resampler::bank> build_bank(int l, int m, int t) {
  auto b = std::make_shared<resampler::bank>();
  b->l = l;
  b->m = m;
  b->t = t;
  b->h.resize(static_cast<std::size_t>(l) * static_cast<std::size_t>(t));
  // Cutoff relative to the input rate's Nyquist frequency (the lower of the two Nyquists).
  const double fc = cutoff * std::min(1.0, static_cast<double>(l) / m);
  const double half = t / 2.0;
  const double i0b = bessel_i0(kaiser_beta);
  constexpr double pi = 3.14159265358979323846;
  for (int p = 0; p < l; ++p) {
    double sum = 0;
    float* row = b->h.data() + static_cast<std::size_t>(p) * t;
    std::vector<double> v(static_cast<std::size_t>(t));
    for (int j = 0; j < t; ++j) {
      const double x = half - 1 - j + static_cast<double>(p) / l;
      const double s = x == 0 ? fc : std::sin(pi * fc * x) / (pi * x);
      const double r = x / half;
      const double w = std::abs(r) >= 1 ? 0.0 : bessel_i0(kaiser_beta * std::sqrt(1 - r * r)) / i0b;
      v[static_cast<std::size_t>(j)] = s * w;
      sum += s * w;
    }
    for (int j = 0; j < t; ++j) row[j] = static_cast<float>(v[static_cast<std::size_t>(j)] / sum);  // unity DC gain
  }
  return b;
}

// One bank per ratio, shared while any resampler uses it.
std::shared_ptr<const resampler::bank> shared_bank(int l, int m, int t) {
  static std::mutex mu;
  static std::map<std::pair<int, int>, std::weak_ptr<const resampler::bank>> banks;
  std::lock_guard lk(mu);
  auto& slot = banks[{l, m}];
  if (auto b = slot.lock()) return b;
  auto b = build_bank(l, m, t);
  slot = b;
  return b;
}

// The inner products, both channels at once (they share the taps). T is a multiple of 16.
// SSE is the x86-64 baseline; AVX2 + FMA is chosen at run time where the CPU has it.
#if defined(__x86_64__)
inline float hsum(__m128 v) noexcept {
  v = _mm_add_ps(v, _mm_movehl_ps(v, v));
  v = _mm_add_ss(v, _mm_shuffle_ps(v, v, 1));
  return _mm_cvtss_f32(v);
}

void dot2_sse(const float* h, const float* x0, const float* x1, int t, float* ab) noexcept {
  __m128 a0 = _mm_setzero_ps(), a1 = _mm_setzero_ps(), b0 = _mm_setzero_ps(), b1 = _mm_setzero_ps();
  for (int j = 0; j < t; j += 8) {
    const __m128 h0 = _mm_loadu_ps(h + j), h1 = _mm_loadu_ps(h + j + 4);
    a0 = _mm_add_ps(a0, _mm_mul_ps(h0, _mm_loadu_ps(x0 + j)));
    a1 = _mm_add_ps(a1, _mm_mul_ps(h1, _mm_loadu_ps(x0 + j + 4)));
    b0 = _mm_add_ps(b0, _mm_mul_ps(h0, _mm_loadu_ps(x1 + j)));
    b1 = _mm_add_ps(b1, _mm_mul_ps(h1, _mm_loadu_ps(x1 + j + 4)));
  }
  ab[0] = hsum(_mm_add_ps(a0, a1));
  ab[1] = hsum(_mm_add_ps(b0, b1));
}

// Two accumulators per channel (short dependency chains) and one reduction for both channels;
// writes a and b next to each other (the interleaved output pair).
__attribute__((target("avx2,fma"))) void dot2_avx2(const float* h, const float* x0, const float* x1, int t,
                                                   float* ab) noexcept {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
  for (int j = 0; j < t; j += 16) {
    const __m256 h0 = _mm256_loadu_ps(h + j), h1 = _mm256_loadu_ps(h + j + 8);
    a0 = _mm256_fmadd_ps(h0, _mm256_loadu_ps(x0 + j), a0);
    b0 = _mm256_fmadd_ps(h0, _mm256_loadu_ps(x1 + j), b0);
    a1 = _mm256_fmadd_ps(h1, _mm256_loadu_ps(x0 + j + 8), a1);
    b1 = _mm256_fmadd_ps(h1, _mm256_loadu_ps(x1 + j + 8), b1);
  }
  const __m256 av = _mm256_add_ps(a0, a1), bv = _mm256_add_ps(b0, b1);
  const __m128 al = _mm_add_ps(_mm256_castps256_ps128(av), _mm256_extractf128_ps(av, 1));
  const __m128 bl = _mm_add_ps(_mm256_castps256_ps128(bv), _mm256_extractf128_ps(bv, 1));
  __m128 s = _mm_hadd_ps(al, bl);  // a01 a23 b01 b23
  s = _mm_hadd_ps(s, s);           // a b a b
  _mm_storel_pi(reinterpret_cast<__m64*>(ab), s);
}

using dot2_fn = void (*)(const float*, const float*, const float*, int, float*) noexcept;
dot2_fn pick_dot2() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &dot2_avx2 : &dot2_sse;
}
#else
void dot2_plain(const float* h, const float* x0, const float* x1, int t, float* ab) noexcept {
  float p[8] = {}, q[8] = {};
  for (int j = 0; j < t; j += 8)
    for (int k = 0; k < 8; ++k) p[k] += h[j + k] * x0[j + k], q[k] += h[j + k] * x1[j + k];
  ab[0] = ((p[0] + p[4]) + (p[1] + p[5])) + ((p[2] + p[6]) + (p[3] + p[7]));
  ab[1] = ((q[0] + q[4]) + (q[1] + q[5])) + ((q[2] + q[6]) + (q[3] + q[7]));
}
using dot2_fn = void (*)(const float*, const float*, const float*, int, float*) noexcept;
dot2_fn pick_dot2() noexcept { return &dot2_plain; }
#endif

const dot2_fn dot2 = pick_dot2();

}  // namespace

std::optional<resampler> resampler::create(int in_rate, int channels) {
  if (channels < 1 || channels > max_channels || in_rate < min_rate || in_rate > max_rate) return std::nullopt;
  const int g = std::gcd(in_rate, sample_rate);
  const int l = sample_rate / g, m = in_rate / g;
  if (l > max_phases) return std::nullopt;
  // Downsampling widens the filter in proportion (as swresample does), in multiples of 16.
  int t = base_taps;
  if (m > l) t = static_cast<int>(std::ceil(static_cast<double>(base_taps) * m / l / 16.0)) * 16;
  if (t > max_taps) return std::nullopt;
  return resampler(in_rate, channels, shared_bank(l, m, t));
}

resampler::resampler(int in_rate, int channels, std::shared_ptr<const bank> b)
    : in_rate_(in_rate), channels_(channels), bank_(std::move(b)) {
  reset();
}

int resampler::taps() const noexcept { return bank_->t; }

void resampler::reset() noexcept {
  const auto zeros = static_cast<std::size_t>(bank_->t / 2 - 1);  // centres output 0 on input 0
  for (int c = 0; c < channels_; ++c) {
    auto& h = hist_[c];
    if (h.size() < zeros) h.resize(zeros);  // grows to the largest block in process()
    std::fill(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(zeros), 0.0f);
  }
  avail_ = zeros;
  pos_ = 0;
  frac_ = 0;
  in_total_ = 0;
  next_in_ = 0;
}

std::size_t resampler::max_output(std::size_t n) const noexcept {
  // Outputs are produced up to the input written so far plus the flushed tail.
  const auto l = static_cast<std::size_t>(bank_->l), m = static_cast<std::size_t>(bank_->m);
  return (n + static_cast<std::size_t>(bank_->t)) * l / m + 2;
}

std::size_t resampler::run(float* out, std::int64_t limit) {
  const int t = bank_->t, l = bank_->l, m = bank_->m;
  const float* h = bank_->h.data();
  const float* x0 = hist_[0].data();
  const float* x1 = hist_[channels_ > 1 ? 1 : 0].data();
  std::size_t n = 0;
  while (pos_ + static_cast<std::size_t>(t) <= avail_ && next_in_ < limit) {
    const float* row = h + static_cast<std::size_t>(frac_) * static_cast<std::size_t>(t);
    dot2(row, x0 + pos_, x1 + pos_, t, out + 2 * n);  // mono: x1 == x0
    ++n;
    frac_ += m;
    const int step = frac_ / l;
    frac_ -= step * l;
    pos_ += static_cast<std::size_t>(step);
    next_in_ += step;
  }
  // Keep what later outputs still need at the front.
  const std::size_t keep_from = std::min(pos_, avail_);
  if (keep_from > 0) {
    for (int c = 0; c < channels_; ++c) {
      auto& v = hist_[c];
      std::memmove(v.data(), v.data() + keep_from, (avail_ - keep_from) * sizeof(float));
    }
    avail_ -= keep_from;
    pos_ -= keep_from;
  }
  return n;
}

std::size_t resampler::process(const float* const* planes, bool planar, std::size_t n, float* out) {
  if (n == 0) return 0;
  if (bank_->l == 1 && bank_->m == 1) {  // already 48 kHz: interleave (or duplicate mono) only
    for (std::size_t i = 0; i < n; ++i) {
      for (int c = 0; c < channel_count; ++c) {
        const int src = std::min(c, channels_ - 1);
        out[i * static_cast<std::size_t>(channel_count) + static_cast<std::size_t>(c)] =
            planar ? planes[src][i] : planes[0][i * static_cast<std::size_t>(channels_) + static_cast<std::size_t>(src)];
      }
    }
    return n;
  }
  for (int c = 0; c < channels_; ++c) {
    auto& v = hist_[c];
    if (v.size() < avail_ + n) v.resize(avail_ + n);
    float* dst = v.data() + avail_;
    if (planar) {
      std::memcpy(dst, planes[c], n * sizeof(float));
    } else {
      const float* src = planes[0] + c;
      for (std::size_t i = 0; i < n; ++i) dst[i] = src[i * static_cast<std::size_t>(channels_)];
    }
  }
  avail_ += n;
  in_total_ += static_cast<std::int64_t>(n);
  return run(out, INT64_MAX);
}

std::size_t resampler::flush(float* out) {
  if (bank_->l == 1 && bank_->m == 1) return 0;
  const auto pad = static_cast<std::size_t>(bank_->t / 2 + 1);
  for (int c = 0; c < channels_; ++c) {
    auto& v = hist_[c];
    if (v.size() < avail_ + pad) v.resize(avail_ + pad);
    std::fill(v.begin() + static_cast<std::ptrdiff_t>(avail_), v.begin() + static_cast<std::ptrdiff_t>(avail_ + pad), 0.0f);
  }
  avail_ += pad;
  const auto n = run(out, in_total_);
  reset();
  return n;
}

}  // namespace vb::audio
