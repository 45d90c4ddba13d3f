#pragma once
// Signal generators and measurements for the audio tests (48 kHz interleaved stereo floats).
#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::test {

// `seconds` of a sine per channel; amplitude 0 silences a channel.
std::vector<float> stereo_tone(double freq_left, double amp_left, double freq_right, double amp_right, double seconds);
inline std::vector<float> tone(double freq, double amp, double seconds) { return stereo_tone(freq, amp, freq, amp, seconds); }

// One channel (0 = left, 1 = right) of interleaved stereo.
std::vector<float> channel(std::span<const float> lr, int c);
double rms(std::span<const float> mono);
double db(double ratio);
// Frequency from interpolated zero crossings; accurate to well under 0.1 % for a clean tone.
double zero_crossing_frequency(std::span<const float> mono, double rate = sample_rate);
// Magnitude of one frequency component (Goertzel), normalised so a unit sine gives ~0.5.
double goertzel(std::span<const float> mono, double freq, double rate = sample_rate);
// RMS over consecutive blocks of `block` samples.
std::vector<float> block_rms(std::span<const float> mono, std::size_t block);

// Runs a whole interleaved signal through `process(frame)->pull` helpers in 20 ms frames.
template <class Chain>
std::vector<float> run_chain(Chain& chain, std::span<const float> lr, bool flush = true) {
  std::vector<float> out;
  std::array<float, frame_values> in{}, o{};
  for (std::size_t off = 0; off + frame_values <= lr.size(); off += frame_values) {
    std::copy_n(lr.data() + off, frame_values, in.begin());
    chain.process(in);
    while (chain.pull(o)) out.insert(out.end(), o.begin(), o.end());
  }
  if (flush) {
    chain.flush();
    while (chain.pull(o)) out.insert(out.end(), o.begin(), o.end());
  }
  return out;
}

}  // namespace vb::audio::test
