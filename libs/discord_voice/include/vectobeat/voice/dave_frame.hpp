#pragma once
// Binary voice gateway messages for the DAVE MLS opcodes 25-30 (discord.md §11.2):
//   server -> client: u16 BE sequence | u8 opcode | payload
//   client -> server:                   u8 opcode | payload
// Payloads stay opaque here; the MLS layer interprets them.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/voice/gateway_message.hpp"
#include "vectobeat/voice/voice_error.hpp"

namespace vb::voice {

// 25, 27, 29, 30 travel server -> client; 26 and 28 client -> server.
bool is_dave_binary_opcode(int op) noexcept;
bool is_server_dave_opcode(int op) noexcept;

// A view into the frame it was decoded from.
struct dave_frame {
  std::optional<std::uint16_t> seq;  // set on server frames only
  voice_opcode opcode = voice_opcode::dave_mls_external_sender;
  std::span<const std::uint8_t> payload;
};

std::string encode_server_dave_frame(std::uint16_t seq, voice_opcode op, std::span<const std::uint8_t> payload);
std::string encode_client_dave_frame(voice_opcode op, std::span<const std::uint8_t> payload);

// truncated when the prefix is missing; unknown_opcode for an opcode outside 25-30 or
// one that does not travel in that direction.
expected<dave_frame, voice_error> decode_server_dave_frame(std::span<const std::uint8_t> frame) noexcept;
expected<dave_frame, voice_error> decode_client_dave_frame(std::span<const std::uint8_t> frame) noexcept;

}  // namespace vb::voice
