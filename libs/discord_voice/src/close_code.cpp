#include "vectobeat/voice/close_code.hpp"

namespace vb::voice {

std::string_view close_code_name(std::uint16_t code) noexcept {
  switch (code) {
    case 1000: return "normal";
    case 1001: return "going_away";
    case 1002: return "protocol_error";
    case 1006: return "abnormal_closure";
    case 1008: return "policy_violation";
    case 1009: return "message_too_big";
    case 1011: return "internal_error";
    default: break;
  }
  switch (static_cast<close_code>(code)) {
    case close_code::unknown_opcode: return "unknown_opcode";
    case close_code::decode_error: return "decode_error";
    case close_code::not_authenticated: return "not_authenticated";
    case close_code::authentication_failed: return "authentication_failed";
    case close_code::already_authenticated: return "already_authenticated";
    case close_code::session_no_longer_valid: return "session_no_longer_valid";
    case close_code::session_timeout: return "session_timeout";
    case close_code::server_not_found: return "server_not_found";
    case close_code::unknown_protocol: return "unknown_protocol";
    case close_code::disconnected: return "disconnected";
    case close_code::voice_server_crashed: return "voice_server_crashed";
    case close_code::unknown_encryption_mode: return "unknown_encryption_mode";
    case close_code::dave_protocol_required: return "dave_protocol_required";
    case close_code::bad_request: return "bad_request";
    case close_code::rate_limited: return "rate_limited";
    case close_code::call_terminated: return "call_terminated";
  }
  return "unknown";
}

bool should_reconnect(std::uint16_t code) noexcept {
  if (code < 4000) return true;
  switch (static_cast<close_code>(code)) {
    case close_code::session_timeout:
    case close_code::server_not_found:
    case close_code::voice_server_crashed:
      return true;
    case close_code::unknown_opcode:
    case close_code::decode_error:
    case close_code::not_authenticated:
    case close_code::authentication_failed:
    case close_code::already_authenticated:
    case close_code::session_no_longer_valid:
    case close_code::unknown_protocol:
    case close_code::disconnected:
    case close_code::unknown_encryption_mode:
    case close_code::dave_protocol_required:
    case close_code::bad_request:
    case close_code::rate_limited:
    case close_code::call_terminated:
      return false;
  }
  return true;  // an undocumented 4xxx: try a fresh Identify (bounded by the attempt limit)
}

bool may_resume(std::uint16_t code) noexcept {
  return code < 4000 || code == static_cast<std::uint16_t>(close_code::voice_server_crashed);
}

}  // namespace vb::voice
