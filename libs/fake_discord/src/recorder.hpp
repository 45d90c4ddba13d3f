#pragma once
// Internal: one voice connection's receive side after decryption: RTP sequence and
// timing statistics, and the Opus frames kept (bounded) for an on-demand WAV.
// Strand only; stats() and render() copy, so the UDP path is never blocked by readers
// for longer than the copy.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vectobeat/fake_discord/model.hpp"

namespace vb::fake::detail {

class voice_recorder {
 public:
  explicit voice_recorder(std::size_t max_frames) : max_frames_(max_frames) {}

  void on_packet(std::uint16_t sequence, std::uint32_t timestamp, steady_time arrival,
                 std::span<const std::uint8_t> opus);
  void on_decrypt_failure() { ++stats_.decrypt_failures; }
  void on_keep_alive() { ++stats_.keep_alives; }
  void set_speaking(std::uint32_t flags) { stats_.speaking = flags; }

  voice_stats stats() const;
  // The recording decoded to 48 kHz stereo s16, frames in timestamp order; lost frames
  // are concealed by the decoder, long gaps become silence (at most max_gap_seconds).
  std::vector<std::int16_t> render() const;

  static constexpr int max_gap_seconds = 10;
  // Lateness above this starts a new talk spurt (a pause, not a late frame).
  static constexpr double new_spurt_after_ms = 1000.0;

 private:
  struct frame {
    std::int64_t seq = 0;  // extended (no 16-bit wrap)
    std::int64_t ts = 0;   // extended (no 32-bit wrap)
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  static constexpr std::size_t window = 4096;  // duplicate detection (sequence numbers)

  std::size_t max_frames_;
  voice_stats stats_;
  std::vector<frame> frames_;
  std::string bytes_;
  bool have_seq_ = false;
  std::int64_t highest_seq_ = 0;
  std::array<std::int64_t, window> seen_{};  // ext seq + 1 per slot (0: empty)
  bool have_ts_ = false;
  std::int64_t last_ts_ = 0;
  // Timing, in arrival order.
  bool have_prev_ = false;
  steady_time prev_arrival_{};
  std::int64_t prev_ts_ = 0;
  bool have_anchor_ = false;
  double anchor_ms_ = 0;  // min over frames of (arrival - ts / 48 kHz)
  std::vector<float> jitter_ms_;
  std::vector<float> lateness_ms_;
  std::int64_t first_ts_ = 0, end_ts_ = 0;
};

}  // namespace vb::fake::detail
