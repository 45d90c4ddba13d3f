#include "vectobeat/voice/rtp.hpp"

#include "byte_order.hpp"

namespace vb::voice {

void write_rtp_header(const rtp_header& h, std::span<std::uint8_t, rtp_header_size> out) noexcept {
  out[0] = static_cast<std::uint8_t>(rtp_version << 6);
  out[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0x00) | (h.payload_type & 0x7F));
  detail::store_be16(out.data() + 2, h.sequence);
  detail::store_be32(out.data() + 4, h.timestamp);
  detail::store_be32(out.data() + 8, h.ssrc);
}

bool is_rtcp(std::span<const std::uint8_t> packet) noexcept {
  if (packet.size() < 8 || (packet[0] >> 6) != rtp_version) return false;
  const std::uint8_t pt = packet[1] & 0x7F;
  return pt >= (200 & 0x7F) && pt <= (204 & 0x7F);
}

expected<rtp_packet_info, voice_error> parse_rtp(std::span<const std::uint8_t> packet) noexcept {
  if (packet.size() < rtp_header_size) return unexpected(voice_error::truncated);
  if ((packet[0] >> 6) != rtp_version) return unexpected(voice_error::bad_version);
  if (is_rtcp(packet)) return unexpected(voice_error::not_rtp);
  rtp_packet_info info;
  info.padding = (packet[0] & 0x20) != 0;
  info.has_extension = (packet[0] & 0x10) != 0;
  info.csrc_count = packet[0] & 0x0F;
  info.header.marker = (packet[1] & 0x80) != 0;
  info.header.payload_type = packet[1] & 0x7F;
  info.header.sequence = detail::load_be16(packet.data() + 2);
  info.header.timestamp = detail::load_be32(packet.data() + 4);
  info.header.ssrc = detail::load_be32(packet.data() + 8);
  std::size_t aad = rtp_header_size + 4u * info.csrc_count;
  if (info.has_extension) {
    if (packet.size() < aad + 4) return unexpected(voice_error::truncated);
    info.extension_profile = detail::load_be16(packet.data() + aad);
    info.extension_body_size = 4u * detail::load_be16(packet.data() + aad + 2);
    aad += 4;
  }
  if (packet.size() < aad) return unexpected(voice_error::truncated);
  info.aad_size = aad;
  return info;
}

bool is_keep_alive(std::span<const std::uint8_t> datagram) noexcept { return datagram.size() == keep_alive_size; }

void write_keep_alive(std::uint32_t counter, std::span<std::uint8_t, keep_alive_size> out) noexcept {
  detail::store_le32(out.data(), counter);
  detail::store_be32(out.data() + 4, 0);
}

}  // namespace vb::voice
