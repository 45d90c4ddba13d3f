#include "vectobeat/voice/ip_discovery.hpp"

#include <cstring>

#include "byte_order.hpp"

namespace vb::voice {

namespace {

constexpr std::uint16_t body_length = ip_discovery_size - 4;  // 70: excludes type and length
constexpr std::size_t address_offset = 8;
constexpr std::size_t port_offset = address_offset + ip_discovery_address_size;

bool printable(std::string_view s) noexcept {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) return false;
  }
  return true;
}

ip_discovery_packet make_packet(ip_discovery_type type, std::uint32_t ssrc, std::string_view address,
                                std::uint16_t port) noexcept {
  ip_discovery_packet p{};
  detail::store_be16(p.data(), static_cast<std::uint16_t>(type));
  detail::store_be16(p.data() + 2, body_length);
  detail::store_be32(p.data() + 4, ssrc);
  if (!address.empty()) std::memcpy(p.data() + address_offset, address.data(), address.size());
  detail::store_be16(p.data() + port_offset, port);
  return p;
}

}  // namespace

bool ip_discovery_message::set_address(std::string_view a) noexcept {
  if (a.size() >= ip_discovery_address_size || !printable(a)) return false;
  address_.fill('\0');
  if (!a.empty()) std::memcpy(address_.data(), a.data(), a.size());
  address_size_ = a.size();
  return true;
}

ip_discovery_packet make_ip_discovery_request(std::uint32_t ssrc) noexcept {
  return make_packet(ip_discovery_type::request, ssrc, {}, 0);
}

expected<ip_discovery_packet, voice_error> make_ip_discovery_response(std::uint32_t ssrc, std::string_view address,
                                                                      std::uint16_t port) noexcept {
  if (address.empty() || address.size() >= ip_discovery_address_size || !printable(address))
    return unexpected(voice_error::bad_address);
  return make_packet(ip_discovery_type::response, ssrc, address, port);
}

expected<ip_discovery_message, voice_error> parse_ip_discovery(std::span<const std::uint8_t> d) noexcept {
  if (d.size() < ip_discovery_size) return unexpected(voice_error::truncated);
  if (d.size() != ip_discovery_size) return unexpected(voice_error::bad_length);
  const auto type = detail::load_be16(d.data());
  if (type != 1 && type != 2) return unexpected(voice_error::bad_type);
  if (detail::load_be16(d.data() + 2) != body_length) return unexpected(voice_error::bad_length);
  ip_discovery_message m;
  m.type = static_cast<ip_discovery_type>(type);
  m.ssrc = detail::load_be32(d.data() + 4);
  m.port = detail::load_be16(d.data() + port_offset);
  if (m.type == ip_discovery_type::response) {
    const char* field = reinterpret_cast<const char*>(d.data() + address_offset);
    const void* nul = std::memchr(field, '\0', ip_discovery_address_size);
    if (!nul) return unexpected(voice_error::bad_address);
    std::string_view a(field, static_cast<std::size_t>(static_cast<const char*>(nul) - field));
    if (a.empty() || !m.set_address(a)) return unexpected(voice_error::bad_address);
  }
  return m;
}

}  // namespace vb::voice
