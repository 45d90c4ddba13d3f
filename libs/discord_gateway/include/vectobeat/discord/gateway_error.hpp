#pragma once
// Errors of the gateway client, and the close-code policy of discord.md §1.4.
#include <cstdint>
#include <string_view>
#include <system_error>

namespace vb::discord {

enum class gateway_error {
  // Fatal close codes from Discord: reported, never retried.
  authentication_failed = 1,  // 4004: bad token
  invalid_shard,              // 4010
  sharding_required,          // 4011
  invalid_api_version,        // 4012
  invalid_intents,            // 4013
  disallowed_intents,         // 4014: privileged intent not enabled in the portal
  // Transport and protocol.
  connect_failed,             // the WebSocket could not be opened
  hello_timeout,              // no HELLO in time
  decompress_failed,          // corrupt zlib/zstd stream
  message_too_large,          // a decompressed message above the limit
  invalid_payload,            // not a gateway frame
  zombie_connection,          // heartbeats went unacknowledged
  send_queue_full,            // too many queued gateway sends
  not_connected,              // no live session to send on
  shard_not_owned,            // the guild's shard does not run in this process
  stopped,                    // stop() was called
};

const std::error_category& gateway_category() noexcept;
std::error_code make_error_code(gateway_error e) noexcept;
std::string_view to_string(gateway_error e) noexcept;

enum class close_action {
  resume,      // reconnect and RESUME (drops, 1006, 4000-4003, 4005, 4008, unknown codes)
  reidentify,  // reconnect with a new session (4007 invalid seq, 4009 session timed out)
  fatal,       // stop and report (4004, 4010-4014)
};

close_action action_for_close(std::uint16_t code) noexcept;
// The gateway_error for a fatal code; a default-constructed error_code for others.
std::error_code fatal_error_for_close(std::uint16_t code) noexcept;
std::string_view close_code_name(std::uint16_t code) noexcept;

}  // namespace vb::discord

template <>
struct std::is_error_code_enum<vb::discord::gateway_error> : std::true_type {};
