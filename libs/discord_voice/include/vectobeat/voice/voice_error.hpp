#pragma once
// Errors of the voice library: wire parsing, transport crypto and the connection.
#include <string_view>
#include <system_error>

namespace vb::voice {

enum class voice_error {
  // Wire parsing (untrusted input).
  truncated = 1,        // shorter than the format requires
  bad_version,          // RTP version is not 2
  not_rtp,              // an RTCP packet (or another non-RTP datagram)
  bad_length,           // a length field disagrees with the data
  bad_type,             // an unknown IP discovery type
  bad_address,          // an IP discovery address that is not NUL-terminated text
  invalid_json,         // the WebSocket text is not JSON (or is too large or too deep)
  invalid_payload,      // JSON with missing or mistyped fields
  unknown_opcode,       // a binary opcode outside 25-30 or sent in the wrong direction
  // Transport encryption.
  decrypt_failed,       // authentication failed: wrong key, tampered or garbage packet
  buffer_too_small,     // the caller's output buffer cannot hold the result
  crypto_failure,       // the crypto library reported an internal error
  // Connection.
  not_ready,            // no session (or closed): nothing to send with
  frame_too_large,      // an Opus frame above max_opus_frame_bytes
  queue_full,           // the outgoing frame ring is full; the frame was dropped
  no_supported_mode,    // Ready offered neither AEAD rtpsize mode
  ip_discovery_failed,  // no IP discovery answer after every attempt
  handshake_timeout,    // no Ready/Session Description (or Resumed) in time
  connect_failed,       // the WebSocket could not be opened
  closed,               // close() was called
};

const std::error_category& voice_category() noexcept;
std::error_code make_error_code(voice_error e) noexcept;
// A short stable name ("decrypt_failed") for logs and metrics labels.
std::string_view to_string(voice_error e) noexcept;

}  // namespace vb::voice

template <>
struct std::is_error_code_enum<vb::voice::voice_error> : std::true_type {};
