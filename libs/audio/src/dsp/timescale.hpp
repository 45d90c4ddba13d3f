#pragma once
// Time-stretch and pitch shift through SoundTouch (as lavadsp's TimescalePcmAudioFilter), one
// stereo instance instead of lavadsp's one per channel, so both channels stay sample-aligned.
//
// Allocation: the constructor runs a signal through SoundTouch at the corners of an envelope
// [1/e, e] of speed, pitch and rate so its internal FIFOs reach their largest size for any
// setting inside it; afterwards put/receive/flush/clear do not allocate. set() may allocate
// (SoundTouch rebuilds its anti-alias filter when the rate changes). Wider envelopes cost memory
// (measured: e = 1.5: 0.28 MB, 2: 0.43 MB, 4: 1.5 MB), so callers pick the smallest tier that
// covers their settings and move up only when needed.
#include <cstddef>
#include <memory>
#include <vector>

namespace soundtouch {
class SoundTouch;
}

namespace vb::audio::dsp {

class timescale {
 public:
  // Each of speed, pitch and rate is clamped to this range.
  static constexpr double min_factor = 0.25;
  static constexpr double max_factor = 4.0;

  // The smallest envelope tier (1.5, 2 or 4) holding the (clamped) factors.
  static double envelope_for(double speed, double pitch, double rate) noexcept;

  explicit timescale(double envelope);
  double envelope() const noexcept { return envelope_; }
  ~timescale();
  timescale(const timescale&) = delete;
  timescale& operator=(const timescale&) = delete;

  void set(double speed, double pitch, double rate);
  void put(const float* lr, std::size_t samples) noexcept;
  std::size_t available() const noexcept;
  std::size_t receive(float* lr, std::size_t max_samples) noexcept;
  // End of input: pushes silence until every sample still owed is out (SoundTouch::flush
  // without its temporary allocation), then drops the padding beyond the owed count.
  void flush() noexcept;
  void clear() noexcept;

 private:
  double envelope_;
  std::unique_ptr<soundtouch::SoundTouch> st_;
  std::vector<float> zeros_;
  double ratio_ = 1.0;         // output samples per input sample
  double expected_out_ = 0.0;  // output owed for the input since the last clear()
  double received_ = 0.0;
};

}  // namespace vb::audio::dsp
