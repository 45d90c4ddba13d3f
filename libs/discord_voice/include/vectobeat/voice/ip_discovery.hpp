#pragma once
// UDP IP discovery (discord.md §9.1): 74-byte big-endian request and response.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/voice/voice_error.hpp"

namespace vb::voice {

inline constexpr std::size_t ip_discovery_size = 74;
inline constexpr std::size_t ip_discovery_address_size = 64;  // including the NUL

enum class ip_discovery_type : std::uint16_t { request = 1, response = 2 };

using ip_discovery_packet = std::array<std::uint8_t, ip_discovery_size>;

// A parsed packet; the address lives in a fixed buffer (no allocation).
class ip_discovery_message {
 public:
  ip_discovery_type type = ip_discovery_type::request;
  std::uint32_t ssrc = 0;
  std::uint16_t port = 0;

  std::string_view address() const noexcept { return {address_.data(), address_size_}; }
  // False when `a` does not fit (63 characters at most) or contains NUL/control bytes.
  bool set_address(std::string_view a) noexcept;

 private:
  std::array<char, ip_discovery_address_size> address_{};
  std::size_t address_size_ = 0;
};

ip_discovery_packet make_ip_discovery_request(std::uint32_t ssrc) noexcept;
// For the server side (and tests). Fails with bad_address when `address` does not fit.
expected<ip_discovery_packet, voice_error> make_ip_discovery_response(std::uint32_t ssrc, std::string_view address,
                                                                      std::uint16_t port) noexcept;
// Exactly 74 bytes, length field 70, type 1 or 2. A response's address must be printable
// text terminated by NUL inside the 64-byte field; a request's address bytes are ignored.
expected<ip_discovery_message, voice_error> parse_ip_discovery(std::span<const std::uint8_t> datagram) noexcept;

}  // namespace vb::voice
