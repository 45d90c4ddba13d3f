#pragma once
// Opus encoding of the engine's 20 ms 48 kHz stereo frames, as Discord expects them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "vectobeat/audio/audio_error.hpp"
#include "vectobeat/audio/pcm.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::audio {

// The Opus frame Discord asks for after audio stops (send five of them): 20 ms of silence.
inline constexpr std::array<std::uint8_t, 3> opus_silence_frame{0xF8, 0xFF, 0xFE};
// An output buffer of this size fits any packet the encoder produces (RFC 6716 caps a 20 ms
// frame at 1275 bytes; 4000 is libopus's recommended bound).
inline constexpr std::size_t max_opus_packet_bytes = 4000;

struct opus_encoder_options {
  int bitrate = 64000;  // bits per second, 6000..510000
  int complexity = 10;  // 0..10 (Lavalink's opusEncodingQuality default is 10)
};

// OPUS_APPLICATION_AUDIO, OPUS_SIGNAL_MUSIC, FEC and DTX off, VBR (libopus default).
//
// Threading: one thread at a time. encode() never allocates, locks or throws.
class opus_encoder {
 public:
  // invalid_argument for out-of-range options; codec_error if libopus refuses.
  static expected<opus_encoder, audio_error> create(const opus_encoder_options& options = {});

  opus_encoder(opus_encoder&&) noexcept;
  opus_encoder& operator=(opus_encoder&&) noexcept;
  ~opus_encoder();

  // Encodes one 20 ms frame into `out`; returns the packet size in bytes. `out` should hold
  // max_opus_packet_bytes (a smaller buffer may fail with codec_error on loud complex input).
  expected<std::size_t, audio_error> encode(const_pcm_frame_view pcm, std::span<std::uint8_t> out) noexcept;
  expected<std::size_t, audio_error> encode(const_pcm16_frame_view pcm, std::span<std::uint8_t> out) noexcept;

  expected<void, audio_error> set_bitrate(int bits_per_second) noexcept;
  expected<void, audio_error> set_complexity(int complexity) noexcept;
  // Values read back from libopus (OPUS_GET_*), so callers can check what is in effect.
  int bitrate() const noexcept;
  int complexity() const noexcept;

  // Forgets the signal history (call between unrelated tracks).
  void reset() noexcept;

  struct impl;

 private:
  explicit opus_encoder(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::audio
