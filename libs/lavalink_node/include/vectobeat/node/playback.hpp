#pragma once
// The data plane of one player: its current track's decoder, the filter chain, the Opus
// encoder and a bounded buffer of encoded frames, driven by the frame scheduler's worker.
//
//   run-ahead (between ticks): produce() decodes -> filters -> encodes (or passes Opus through)
//                              one 20 ms frame into the ring while wants_frame()
//   frame clock (every 20 ms):  tick() sends the ring's next frame to the sink, or counts a
//                               "nulled" frame and watches for a stuck track
//
// Threading: every member except the "any thread" ones runs on the owning worker's thread
// (the control plane posts to it). tick() and produce() never block; tick() never allocates.
// The listener is called on the worker thread and must only post elsewhere.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "vectobeat/audio/filter_chain.hpp"
#include "vectobeat/audio/opus_encoder.hpp"
#include "vectobeat/audio/pcm.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/lavalink/exception.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/node/frame_ring.hpp"
#include "vectobeat/node/frame_sink.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node {

struct playback_options {
  // Run-ahead depth in frames (frame_buffer / 20 ms). The ring holds encoded Opus, so depth is
  // cheap: see frame_ring_bytes().
  std::size_t max_frames = 20;
  std::chrono::milliseconds stuck_threshold{10000};
  int opus_complexity = 10;
  int opus_bitrate = 64000;
  // Empty ticks (underruns) tolerated before speaking ends. A short underrun is a gap the
  // listener's decoder conceals; ending speaking at once would cost five silence frames and a
  // gateway message each time, and again when audio returns, so an overloaded node would fall
  // further behind instead of degrading.
  std::size_t speaking_grace_frames = 10;
};

// Byte budget of a playback's frame ring of `frames` frames of `bitrate_bps` Opus (0: unknown):
// twice the average frame per frame, plus one largest frame. 7.8 KB for 20 frames at 64 kb/s;
// a ring that is full by bytes before it is full by count only runs ahead less.
std::size_t frame_ring_bytes(std::size_t frames, std::int64_t bitrate_bps) noexcept;

class playback_listener {
 public:
  virtual ~playback_listener() = default;
  // The track of `generation` ended by itself (finished, loadFailed); `exception` when it failed.
  virtual void on_track_end(std::uint64_t generation, lavalink::track_end_reason reason,
                            std::optional<lavalink::exception_info> exception) = 0;
  // No audio for the stuck threshold while the track should be playing.
  virtual void on_track_stuck(std::uint64_t generation, std::chrono::milliseconds threshold) = 0;
};

// Buffers shared by every playback of a worker (produce() runs one at a time there).
struct worker_scratch {
  std::array<float, audio::frame_values> pcm_in{};
  std::array<float, audio::frame_values> pcm_out{};
  std::array<std::uint8_t, audio::max_opus_packet_bytes> packet{};
};

// Frames per minute, Lavalink's AudioLossCounter: the previous whole minute's counts, usable
// when the player played through all of it.
struct frame_counts {
  std::int32_t sent = 0;
  std::int32_t nulled = 0;
  bool usable = false;
};

class playback {
 public:
  playback(playback_options options, std::shared_ptr<playback_listener> listener);
  ~playback();
  playback(const playback&) = delete;
  playback& operator=(const playback&) = delete;

  // --- worker thread: commands from the control plane
  void set_sink(std::shared_ptr<frame_sink> sink);
  // A track (generation) was started and is being opened: nothing to send yet.
  void begin(std::uint64_t generation, steady_time now);
  struct seek_job;
  // The opened media for `generation` (ignored, and destroyed, when another track started since).
  // A seek requested while the track was opening comes back as a job to run on the loader.
  std::optional<seek_job> load(std::uint64_t generation, std::unique_ptr<track_media> media, steady_time now);
  // Opening failed: ends the track with loadFailed and the exception.
  void fail(std::uint64_t generation, lavalink::exception_info exception);
  // No track any more (stopped, replaced, destroyed); no event (the control plane sends it).
  void stop();
  void set_paused(bool paused);
  void set_end_time(std::optional<std::int64_t> end_ms);
  // Filters and player volume (percent). Takes effect for frames produced from now on.
  void configure(const audio::filter_settings& settings, int volume);
  // Seeking runs on a loader thread: request_seek() hands the media out (frames already
  // buffered keep playing meanwhile, like Lavalink's seek ghosting) and finish_seek() takes it
  // back. A seek requested while one runs (or while the track is still opening) is queued, the
  // latest wins, and returned by finish_seek() (or load()) to be run next.
  struct seek_job {
    std::unique_ptr<track_media> media;
    std::int64_t position_ms = 0;
    std::uint64_t generation = 0;
  };
  std::optional<seek_job> request_seek(std::uint64_t generation, std::int64_t position_ms);
  std::optional<seek_job> finish_seek(seek_job done, bool ok, steady_time now);

  // --- worker thread: the frame path
  void tick(steady_time now) noexcept;
  bool wants_frame() const noexcept;
  void produce(worker_scratch& scratch) noexcept;
  std::size_t buffered() const noexcept { return ring_.size(); }
  std::uint64_t generation() const noexcept { return generation_; }

  // --- any thread
  // Position of the audio being heard, in ms (a pending seek's target while it completes).
  std::int64_t position_ms() const noexcept;
  void set_pending_seek(std::int64_t ms) noexcept { pending_seek_ms_.store(ms, std::memory_order_release); }
  bool playing() const noexcept { return playing_.load(std::memory_order_acquire); }
  frame_counts last_minute() const noexcept;
  std::uint64_t frames_sent() const noexcept { return total_sent_.load(std::memory_order_relaxed); }
  std::uint64_t frames_nulled() const noexcept { return total_nulled_.load(std::memory_order_relaxed); }
  bool passthrough_active() const noexcept { return passthrough_active_.load(std::memory_order_relaxed); }

 private:
  enum class state { idle, loading, playing, seeking };

  void end_track(lavalink::track_end_reason reason, std::optional<lavalink::exception_info> exception) noexcept;
  void count(bool sent, steady_time now) noexcept;
  void set_speaking(bool on) noexcept;
  bool identity() const noexcept;
  void size_ring() noexcept;
  bool produce_passthrough() noexcept;
  void produce_decoded(worker_scratch& scratch) noexcept;
  bool ensure_encoder() noexcept;
  void decode_failed(audio::audio_error e) noexcept;
  void reset_track_state() noexcept;

  playback_options options_;
  std::shared_ptr<playback_listener> listener_;
  std::shared_ptr<frame_sink> sink_;
  frame_ring ring_;

  state state_ = state::idle;
  std::uint64_t generation_ = 0;
  std::unique_ptr<track_media> media_;
  std::optional<audio::filter_chain> chain_;  // created when a filter or volume needs it
  std::optional<audio::opus_encoder> encoder_;  // created when a frame must be encoded
  audio::filter_settings filter_settings_;
  int volume_ = 100;
  std::optional<std::int64_t> end_ms_;
  bool paused_ = false;
  bool speaking_ = false;
  bool decode_done_ = false;   // no more frames will be produced for this track
  bool chain_flushed_ = false;
  bool produced_any_ = false;
  bool passthrough_disabled_ = false;  // this track's packets are not plain 20 ms Opus frames
  bool stuck_reported_ = false;
  std::size_t starved_ticks_ = 0;  // consecutive ticks with no frame to send
  std::optional<lavalink::exception_info> exception_;
  std::optional<std::int64_t> queued_seek_;
  steady_time last_progress_{};

  std::atomic<std::int64_t> position_{0};
  std::atomic<std::int64_t> pending_seek_ms_{-1};
  std::atomic<bool> playing_{false};
  std::atomic<bool> passthrough_active_{false};
  std::atomic<std::uint64_t> total_sent_{0};
  std::atomic<std::uint64_t> total_nulled_{0};

  // Per-minute accounting (worker writes, any thread reads the previous minute).
  std::int64_t minute_ = -1;
  std::int32_t cur_sent_ = 0;
  std::int32_t cur_nulled_ = 0;
  bool cur_interrupted_ = true;  // the current minute had a gap (or the player started in it)
  steady_time last_count_{};
  std::atomic<std::int32_t> last_sent_{0};
  std::atomic<std::int32_t> last_nulled_{0};
  std::atomic<bool> last_usable_{false};
};

}  // namespace vb::node
