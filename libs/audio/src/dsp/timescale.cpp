#include "dsp/timescale.hpp"

#include <SoundTouch.h>

#include <algorithm>
#include <cmath>

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::dsp {
namespace {

constexpr std::size_t flush_block = 128;  // as SoundTouch::flush
constexpr int max_flush_blocks = 200;

double sane(double v) { return std::isfinite(v) ? std::clamp(v, timescale::min_factor, timescale::max_factor) : 1.0; }

constexpr double tiers[] = {1.5, 2.0, timescale::max_factor};

}  // namespace

double timescale::envelope_for(double speed, double pitch, double rate) noexcept {
  double need = 1.0;
  for (double v : {sane(speed), sane(pitch), sane(rate)}) need = std::max(need, std::max(v, 1.0 / v));
  for (double t : tiers) {
    if (need <= t) return t;
  }
  return max_factor;
}

timescale::timescale(double envelope)
    : envelope_(std::clamp(envelope, 1.0, max_factor)),
      st_(std::make_unique<soundtouch::SoundTouch>()),
      zeros_(flush_block * channel_count, 0.0f) {
  st_->setSampleRate(sample_rate);
  st_->setChannels(channel_count);
  // Grow every internal buffer to its worst case now, off the frame path: at each corner of the
  // parameter space, feed a signal frame by frame and take output in frames as the chain does
  // (leaving up to one frame behind), then feed one extra frame unread for margin.
  std::vector<float> in(frame_values);
  for (std::size_t i = 0; i < frame_samples; ++i) {
    const auto v = static_cast<float>(0.5 * std::sin(0.001 * static_cast<double>(i * i)));  // a chirp
    in[2 * i] = v;
    in[2 * i + 1] = -v;
  }
  std::vector<float> out(frame_values);
  const double lo = 1.0 / envelope_, hi = envelope_;
  for (double speed : {lo, hi}) {
    for (double pitch : {lo, hi}) {
      for (double rate : {lo, hi}) {
        set(speed, pitch, rate);
        for (int i = 0; i < 6; ++i) {
          put(in.data(), frame_samples);
          while (available() >= frame_samples) receive(out.data(), frame_samples);
        }
        put(in.data(), frame_samples);
        flush();
        clear();
      }
    }
  }
  set(1.0, 1.0, 1.0);
  clear();
}

timescale::~timescale() = default;

void timescale::set(double speed, double pitch, double rate) {
  st_->setTempo(sane(speed));
  st_->setPitch(sane(pitch));
  st_->setRate(sane(rate));
  ratio_ = st_->getInputOutputSampleRatio();
}

void timescale::put(const float* lr, std::size_t samples) noexcept {
  st_->putSamples(lr, static_cast<unsigned>(samples));
  expected_out_ += static_cast<double>(samples) * ratio_;
}

std::size_t timescale::available() const noexcept { return st_->numSamples(); }

std::size_t timescale::receive(float* lr, std::size_t max_samples) noexcept {
  const std::size_t n = st_->receiveSamples(lr, static_cast<unsigned>(max_samples));
  received_ += static_cast<double>(n);
  return n;
}

void timescale::flush() noexcept {
  const auto owed = static_cast<long long>(std::llround(expected_out_ - received_));
  if (owed <= 0) {
    st_->clear();
    return;
  }
  for (int i = 0; i < max_flush_blocks && owed > static_cast<long long>(st_->numSamples()); ++i) {
    st_->putSamples(zeros_.data(), flush_block);
  }
  st_->adjustAmountOfSamples(static_cast<unsigned>(owed));
}

void timescale::clear() noexcept {
  st_->clear();
  expected_out_ = received_ = 0.0;
}

}  // namespace vb::audio::dsp
