#include "vectobeat/voice/voice_error.hpp"

#include <string>

namespace vb::voice {

namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.voice"; }
  std::string message(int ev) const override {
    switch (static_cast<voice_error>(ev)) {
      case voice_error::truncated: return "packet or message is truncated";
      case voice_error::bad_version: return "RTP version is not 2";
      case voice_error::not_rtp: return "not an RTP packet";
      case voice_error::bad_length: return "length field does not match the data";
      case voice_error::bad_type: return "unknown IP discovery type";
      case voice_error::bad_address: return "IP discovery address is not valid text";
      case voice_error::invalid_json: return "voice gateway message is not valid JSON";
      case voice_error::invalid_payload: return "voice gateway payload has missing or mistyped fields";
      case voice_error::unknown_opcode: return "unknown or misdirected voice opcode";
      case voice_error::decrypt_failed: return "packet authentication failed";
      case voice_error::buffer_too_small: return "output buffer too small";
      case voice_error::crypto_failure: return "crypto library failure";
      case voice_error::not_ready: return "voice connection is not ready";
      case voice_error::frame_too_large: return "Opus frame too large";
      case voice_error::queue_full: return "outgoing frame queue is full";
      case voice_error::no_supported_mode: return "server offered no supported encryption mode";
      case voice_error::ip_discovery_failed: return "UDP IP discovery failed";
      case voice_error::handshake_timeout: return "voice handshake timed out";
      case voice_error::connect_failed: return "voice WebSocket connect failed";
      case voice_error::closed: return "voice connection closed";
    }
    return "unknown voice error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& voice_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(voice_error e) noexcept { return {static_cast<int>(e), voice_category()}; }

std::string_view to_string(voice_error e) noexcept {
  switch (e) {
    case voice_error::truncated: return "truncated";
    case voice_error::bad_version: return "bad_version";
    case voice_error::not_rtp: return "not_rtp";
    case voice_error::bad_length: return "bad_length";
    case voice_error::bad_type: return "bad_type";
    case voice_error::bad_address: return "bad_address";
    case voice_error::invalid_json: return "invalid_json";
    case voice_error::invalid_payload: return "invalid_payload";
    case voice_error::unknown_opcode: return "unknown_opcode";
    case voice_error::decrypt_failed: return "decrypt_failed";
    case voice_error::buffer_too_small: return "buffer_too_small";
    case voice_error::crypto_failure: return "crypto_failure";
    case voice_error::not_ready: return "not_ready";
    case voice_error::frame_too_large: return "frame_too_large";
    case voice_error::queue_full: return "queue_full";
    case voice_error::no_supported_mode: return "no_supported_mode";
    case voice_error::ip_discovery_failed: return "ip_discovery_failed";
    case voice_error::handshake_timeout: return "handshake_timeout";
    case voice_error::connect_failed: return "connect_failed";
    case voice_error::closed: return "closed";
  }
  return "unknown";
}

}  // namespace vb::voice
