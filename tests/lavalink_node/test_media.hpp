#pragma once
// Test helpers for the node: in-memory WAV tones, a recording frame sink and listener, and
// the analysis of received Opus (decode, trim silence, frequency, duration).
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/node/frame_sink.hpp"
#include "vectobeat/node/playback.hpp"

namespace vb::node::test {

// A 16-bit PCM WAV file: `seconds` of a sine at `freq` Hz on both channels.
std::vector<std::uint8_t> wav_tone(double freq, double seconds, int rate = 48000, double amplitude = 0.5);
// White noise (independent channels): what an Opus encoder needs the most bits for.
std::vector<std::uint8_t> wav_noise(double seconds, int rate = 48000, double amplitude = 0.5);

class recording_sink final : public frame_sink {
 public:
  bool ready() const noexcept override { return ready_; }
  std::error_code send_opus(std::span<const std::uint8_t> frame) noexcept override {
    std::lock_guard lk(mu_);
    frames_.emplace_back(frame.begin(), frame.end());
    return {};
  }
  void set_speaking(bool speaking) override {
    std::lock_guard lk(mu_);
    (speaking ? speaking_on_ : speaking_off_)++;
  }
  void set_ready(bool r) { ready_ = r; }
  std::vector<std::vector<std::uint8_t>> frames() const {
    std::lock_guard lk(mu_);
    return frames_;
  }
  std::size_t count() const {
    std::lock_guard lk(mu_);
    return frames_.size();
  }
  int speaking_off() const {
    std::lock_guard lk(mu_);
    return speaking_off_;
  }

 private:
  mutable std::mutex mu_;
  bool ready_ = true;
  std::vector<std::vector<std::uint8_t>> frames_;
  int speaking_on_ = 0, speaking_off_ = 0;
};

struct recorded_end {
  std::uint64_t generation = 0;
  lavalink::track_end_reason reason{};
  std::optional<lavalink::exception_info> exception;
};

class recording_listener final : public playback_listener {
 public:
  void on_track_end(std::uint64_t gen, lavalink::track_end_reason reason,
                    std::optional<lavalink::exception_info> exception) override {
    std::lock_guard lk(mu_);
    ends_.push_back({gen, reason, std::move(exception)});
  }
  void on_track_stuck(std::uint64_t gen, std::chrono::milliseconds) override {
    std::lock_guard lk(mu_);
    stuck_.push_back(gen);
  }
  std::vector<recorded_end> ends() const {
    std::lock_guard lk(mu_);
    return ends_;
  }
  std::vector<std::uint64_t> stuck() const {
    std::lock_guard lk(mu_);
    return stuck_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<recorded_end> ends_;
  std::vector<std::uint64_t> stuck_;
};

struct tone_analysis {
  double frequency_hz = 0;
  double duration_ms = 0;  // of the non-silent part
  double rms = 0;
  std::size_t frames = 0;
};

// Decodes 20 ms Opus frames (stereo), drops leading and trailing near-silence, and measures the
// left channel. Undecodable frames count as 20 ms of silence.
tone_analysis analyse_opus(const std::vector<std::vector<std::uint8_t>>& frames);
// The same analysis of a 48 kHz mono (left channel) signal; `frames` stays 0.
tone_analysis analyse_left(std::span<const float> left);
// Mono left channel of decoded Opus frames.
std::vector<float> decode_left(const std::vector<std::vector<std::uint8_t>>& frames);

}  // namespace vb::node::test
