#pragma once
// A small-state resampler from float PCM at a common rate to the node's 48 kHz interleaved
// stereo: a polyphase windowed-sinc filter with libswresample's default design (Kaiser window,
// beta 9, 32 taps per phase when upsampling, cutoff at 0.97 of the lower Nyquist frequency), so
// the quality matches swresample. What it saves is memory: a swresample context is ~170 KB
// per player; here the state is the tap history (a few KB) and the filter bank is shared by
// every resampler of the same ratio.
//
// It handles one or two channels (mono is copied to both channels at unity gain) and rates
// whose ratio to 48 kHz needs at most max_phases phases (44.1, 22.05, 11.025, 32, 16, 8,
// 24, 96 kHz, ...); create() returns nullopt otherwise and the caller uses swresample.
//
// Threading: one resampler per stream, used from one thread at a time. process() and flush()
// allocate only when a block larger than every earlier one arrives.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace vb::audio {

class resampler {
 public:
  static constexpr int max_phases = 512;
  static constexpr int max_channels = 2;

  // nullopt for channels outside [1, 2], rates outside [1000, 384000] or too many phases.
  static std::optional<resampler> create(int in_rate, int channels);

  // Output samples per channel that process() of `n` input samples (or flush()) writes at most.
  std::size_t max_output(std::size_t n) const noexcept;
  // Resamples `n` samples: planes[c][i] when `planar`, else planes[0][i * channels + c].
  // Writes interleaved stereo to `out` (room for max_output(n) samples); returns the count.
  std::size_t process(const float* const* planes, bool planar, std::size_t n, float* out);
  // The end of the input: writes the last samples still in the filter; returns the count.
  std::size_t flush(float* out);
  // Forgets the history (after a seek); the next sample starts a new stream.
  void reset() noexcept;

  int in_rate() const noexcept { return in_rate_; }
  int channels() const noexcept { return channels_; }
  int taps() const noexcept;

  struct bank;

 private:
  resampler(int in_rate, int channels, std::shared_ptr<const bank> b);
  std::size_t run(float* out, std::int64_t limit);

  int in_rate_ = 0;
  int channels_ = 0;
  std::shared_ptr<const bank> bank_;
  std::vector<float> hist_[max_channels];  // history then new input, per channel
  std::size_t avail_ = 0;                  // samples in hist_ (per channel)
  std::size_t pos_ = 0;                    // first tap of the next output, in hist_
  int frac_ = 0;                           // phase of the next output, in [0, L)
  std::int64_t in_total_ = 0;              // input samples since the start
  std::int64_t next_in_ = 0;               // input sample at the centre of the next output
};

}  // namespace vb::audio
