#include "vectobeat/voice/dave_frame.hpp"

#include <algorithm>

#include "byte_order.hpp"

namespace vb::voice {

bool is_dave_binary_opcode(int op) noexcept { return op >= 25 && op <= 30; }

bool is_server_dave_opcode(int op) noexcept { return op == 25 || op == 27 || op == 29 || op == 30; }

std::string encode_server_dave_frame(std::uint16_t seq, voice_opcode op, std::span<const std::uint8_t> payload) {
  std::string out(3 + payload.size(), '\0');
  auto* p = reinterpret_cast<std::uint8_t*>(out.data());
  detail::store_be16(p, seq);
  p[2] = static_cast<std::uint8_t>(op);
  if (!payload.empty()) std::copy(payload.begin(), payload.end(), p + 3);
  return out;
}

std::string encode_client_dave_frame(voice_opcode op, std::span<const std::uint8_t> payload) {
  std::string out(1 + payload.size(), '\0');
  auto* p = reinterpret_cast<std::uint8_t*>(out.data());
  p[0] = static_cast<std::uint8_t>(op);
  if (!payload.empty()) std::copy(payload.begin(), payload.end(), p + 1);
  return out;
}

expected<dave_frame, voice_error> decode_server_dave_frame(std::span<const std::uint8_t> frame) noexcept {
  if (frame.size() < 3) return unexpected(voice_error::truncated);
  if (!is_server_dave_opcode(frame[2])) return unexpected(voice_error::unknown_opcode);
  return dave_frame{detail::load_be16(frame.data()), static_cast<voice_opcode>(frame[2]), frame.subspan(3)};
}

expected<dave_frame, voice_error> decode_client_dave_frame(std::span<const std::uint8_t> frame) noexcept {
  if (frame.empty()) return unexpected(voice_error::truncated);
  if (!is_dave_binary_opcode(frame[0]) || is_server_dave_opcode(frame[0]))
    return unexpected(voice_error::unknown_opcode);
  return dave_frame{std::nullopt, static_cast<voice_opcode>(frame[0]), frame.subspan(1)};
}

}  // namespace vb::voice
