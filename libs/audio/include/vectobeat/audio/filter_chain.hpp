#pragma once
// Lavalink's filter chain over the engine's 20 ms frames, plus the player volume.
//
// Order, as Lavalink's FilterChain builds it (first filter sees the decoded audio):
//   lowPass -> channelMix -> rotation -> distortion -> vibrato -> tremolo -> timescale
//   -> karaoke -> equalizer -> volume (filter) -> player volume
// A filter runs only when Lavalink considers it enabled (filter_settings.hpp); a filter that is
// set but at its defaults is skipped (for distortion this differs from Lavalink, which would
// still apply sin*cos*tan = sin^2 to every sample).
//
// Timescale changes how many output frames an input frame yields, so the interface is
// push/pull: process() feeds one decoded frame, pull() returns exact 20 ms frames while any are
// ready. A typical player loop: `while (!chain.pull(out)) chain.process(next_decoded_frame);`.
#include <cstddef>
#include <memory>

#include "vectobeat/audio/filter_settings.hpp"
#include "vectobeat/audio/pcm.hpp"

namespace vb::audio {

// How the player volume percentage maps to a gain.
enum class volume_curve {
  linear,      // gain = percent / 100 (200 % doubles the amplitude)
  lavaplayer,  // lavaplayer's PcmVolumeProcessor: tan(percent * 0.0079) up to 150 %, then
               // 2.4621 * percent / 150 (so 200 % is x3.28); 100 % is exact unity
};

struct filter_chain_options {
  volume_curve player_volume_curve = volume_curve::linear;
};

// Threading: not thread-safe; configure(), set_player_volume(), process() and pull() are called
// from the player's worker (the node posts settings changes to it).
//
// Allocation: construction allocates everything the frame path needs. process(), pull(),
// flush() and reset() never allocate, lock or throw. configure() may allocate: when timescale is
// first enabled, and again when its factors leave the envelope the instance was sized for
// (SoundTouch is created and warmed up at the corners of [1/e, e], e = 1.5, 2 or 4: a few ms of
// CPU and 0.28 / 0.43 / 1.5 MB), when its rate or pitch changes (SoundTouch rebuilds its
// anti-alias filter), and when timescale is switched off (its tail moves into the output FIFO).
//
// Clipping: the equalizer, channelMix, distortion, the volume filter and the player volume each
// saturate at [-1, 1], as their lavaplayer/lavadsp counterparts do; volume > 1 therefore clips
// loud material instead of wrapping.
class filter_chain {
 public:
  explicit filter_chain(const filter_chain_options& options = {});
  ~filter_chain();
  filter_chain(filter_chain&&) noexcept;
  filter_chain& operator=(filter_chain&&) noexcept;

  // Replaces the whole filter set (a Lavalink PATCH with `filters` replaces the chain). Values
  // are sanitised (non-finite -> default, then clamped; timescale factors to [0.25, 4]).
  // Changes glide over one frame: gains and mixes ramp, filters fade in and out against the dry
  // signal, oscillators keep their phase. Enabling timescale restarts its latency (it consumes
  // ~100 ms of input before the first output); disabling it flushes its tail into the output.
  void configure(const filter_settings& settings);
  const filter_settings& settings() const noexcept;

  // Player volume in percent, clamped to 0..1000; 100 leaves the audio untouched.
  void set_player_volume(int percent) noexcept;
  int player_volume() const noexcept;

  // True when the configured chain does not alter audio: no filter enabled and player volume
  // 100. The node may then pass Opus through (audio still buffered here is the caller's to drain
  // or drop; fades in progress are skipped).
  bool is_identity() const noexcept;

  // Feeds one 20 ms frame; returns ready_frames().
  std::size_t process(const_pcm_frame_view in) noexcept;
  // Takes the next 20 ms frame; false when none is ready (feed more input).
  bool pull(pcm_frame_view out) noexcept;
  // Frames pull() can return without more input.
  std::size_t ready_frames() const noexcept;

  // End of track: lets the buffered tail out; pull() then returns the rest (the last frame
  // padded with silence) until false. A later process() starts a new stream.
  void flush() noexcept;
  // Seek or track change: drops buffered audio and filter state (phases, delay lines, IIR
  // history); pending glides complete instantly. Settings are kept.
  void reset() noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::audio
