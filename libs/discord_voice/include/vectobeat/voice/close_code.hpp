#pragma once
// Voice gateway close codes (discord.md §8.6) and what a client does after each.
#include <cstdint>
#include <string_view>

namespace vb::voice {

enum class close_code : std::uint16_t {
  unknown_opcode = 4001,
  decode_error = 4002,
  not_authenticated = 4003,
  authentication_failed = 4004,
  already_authenticated = 4005,
  session_no_longer_valid = 4006,
  session_timeout = 4009,
  server_not_found = 4011,
  unknown_protocol = 4012,
  disconnected = 4014,
  voice_server_crashed = 4015,
  unknown_encryption_mode = 4016,
  dave_protocol_required = 4017,
  bad_request = 4020,
  rate_limited = 4021,
  call_terminated = 4022,
};

// "session_no_longer_valid" for 4006; "normal" etc. for RFC 6455 codes; "unknown" otherwise.
std::string_view close_code_name(std::uint16_t code) noexcept;

// Whether the connection itself should open a new WebSocket after the server closed
// with `code`. False for client bugs (4001-4005, 4012, 4016, 4020), for 4017 (DAVE
// required), for 4004/4006 (the owner needs a fresh voice state/server update) and for
// the "do not reconnect" codes 4014, 4021, 4022. True for 4009, 4011, 4015, for unknown
// 4xxx codes and for every code below 4000 (network drops, 1001 going away, 1006).
bool should_reconnect(std::uint16_t code) noexcept;
// Whether that reconnect may be a Resume (op 7) rather than a new Identify: 4015 and
// codes below 4000. 4009 (session timeout) and 4011 need a new Identify.
bool may_resume(std::uint16_t code) noexcept;

}  // namespace vb::voice
