#pragma once
// RTP as Discord voice uses it (discord.md §9.2, §10): building our 12-byte header,
// parsing any peer's header for the rtpsize AAD, and classifying other datagrams.
// Pure functions over caller buffers: no allocation, no exceptions, any input is safe.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/voice/voice_error.hpp"

namespace vb::voice {

inline constexpr std::size_t rtp_header_size = 12;
inline constexpr std::uint8_t rtp_version = 2;
inline constexpr std::uint8_t opus_payload_type = 120;
inline constexpr std::uint32_t opus_frame_samples = 960;  // 20 ms at 48 kHz: timestamp step
inline constexpr std::size_t keep_alive_size = 8;
// The Opus frame sent five times when audio stops (discord.md §9.3).
inline constexpr std::array<std::uint8_t, 3> opus_silence_frame{0xF8, 0xFF, 0xFE};

struct rtp_header {
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::uint8_t payload_type = opus_payload_type;
  bool marker = false;

  bool operator==(const rtp_header&) const = default;
};

// Writes version 2, no padding/extension/CSRC: 80 78 <seq> <timestamp> <ssrc>.
void write_rtp_header(const rtp_header& h, std::span<std::uint8_t, rtp_header_size> out) noexcept;

struct rtp_packet_info {
  rtp_header header;
  std::uint8_t csrc_count = 0;
  bool padding = false;
  bool has_extension = false;
  std::uint16_t extension_profile = 0;
  // Bytes of extension data after the 4-byte preamble (length field x 4). In rtpsize
  // modes they are encrypted and lead the plaintext; strip them after opening.
  std::size_t extension_body_size = 0;
  // The unencrypted part of an rtpsize packet, used as AAD (RFC 3711 §3.1): 12 bytes +
  // 4 per CSRC + the 4-byte extension preamble when the X bit is set.
  std::size_t aad_size = rtp_header_size;
};

// Parses the header of an RTP packet. Rejects RTCP (see is_rtcp), versions other than 2,
// and packets shorter than the header they announce. The extension body is not bounds
// checked here because it is part of the ciphertext in rtpsize modes.
expected<rtp_packet_info, voice_error> parse_rtp(std::span<const std::uint8_t> packet) noexcept;

// Version 2 and a payload type of 200-204 with the marker bit masked off (72-76), as
// RTCP sender/receiver reports, SDES, BYE and APP arrive on the voice socket.
bool is_rtcp(std::span<const std::uint8_t> packet) noexcept;

// The 8-byte UDP keep-alive (@discordjs/voice: u32 LE counter + 4 zero bytes). Any
// 8-byte datagram counts: nothing else on the voice socket is that short.
bool is_keep_alive(std::span<const std::uint8_t> datagram) noexcept;
void write_keep_alive(std::uint32_t counter, std::span<std::uint8_t, keep_alive_size> out) noexcept;

}  // namespace vb::voice
