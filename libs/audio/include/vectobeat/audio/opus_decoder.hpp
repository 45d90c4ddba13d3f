#pragma once
// Opus decoding to 48 kHz interleaved PCM, with packet-loss concealment. Used by the fake
// Discord's recorder (received RTP payloads) and by tests.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "vectobeat/audio/audio_error.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::audio {

// Largest Opus packet duration (120 ms) in samples per channel at 48 kHz.
inline constexpr std::size_t max_opus_packet_samples = 5760;

// Threading: one thread at a time. decode() and conceal() never allocate or throw.
class opus_decoder {
 public:
  // channels: 1 or 2 (output layout; Opus decodes any packet to either).
  static expected<opus_decoder, audio_error> create(int channels = 2);

  opus_decoder(opus_decoder&&) noexcept;
  opus_decoder& operator=(opus_decoder&&) noexcept;
  ~opus_decoder();

  int channels() const noexcept;

  // Decodes one packet into interleaved `out` (room for the packet's duration x channels;
  // max_opus_packet_samples x channels always suffices). Returns samples per channel.
  // invalid_data for a corrupt packet; invalid_argument when `out` is too small.
  expected<std::size_t, audio_error> decode(std::span<const std::uint8_t> packet, std::span<float> out) noexcept;
  expected<std::size_t, audio_error> decode(std::span<const std::uint8_t> packet, std::span<std::int16_t> out) noexcept;

  // Packet loss: synthesises `samples` per channel (a multiple of 120, i.e. 2.5 ms; 960 for one
  // lost 20 ms packet) continuing the previous audio.
  expected<std::size_t, audio_error> conceal(std::span<float> out, std::size_t samples = 960) noexcept;
  // Packet loss when the following packet has arrived: recovers the lost one from its in-band
  // FEC data if the sender enabled FEC, and conceals otherwise.
  expected<std::size_t, audio_error> recover_from_next(std::span<const std::uint8_t> next_packet,
                                                       std::span<float> out, std::size_t samples = 960) noexcept;

  void reset() noexcept;

  // Samples per channel at 48 kHz that `packet` holds; invalid_data if it cannot be parsed.
  static expected<int, audio_error> packet_samples(std::span<const std::uint8_t> packet) noexcept;

  struct impl;

 private:
  explicit opus_decoder(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::audio
