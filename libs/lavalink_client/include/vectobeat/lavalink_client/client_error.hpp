#pragma once
// Errors of the bot's Lavalink client: REST calls to a node and player operations.
#include <string>
#include <string_view>
#include <system_error>

namespace vb::llc {

enum class client_errc {
  no_session = 1,     // the node has no WebSocket session yet (player routes need one)
  no_node,            // no node is connected
  transport,          // the request did not reach the node or got no answer (connect, TLS, timeout)
  http_status,        // the node answered with a 4xx/5xx (see rest_error::status and message)
  invalid_response,   // the node's answer is not the documented JSON
  player_not_found,   // the client has no player for this guild
  invalid_argument,   // a value outside the protocol's range (volume, position)
  stopped,            // the pool or node was stopped
};

const std::error_category& client_category() noexcept;
std::error_code make_error_code(client_errc e) noexcept;
// A short stable name ("http_status") for logs and metric labels.
std::string_view to_string(client_errc e) noexcept;

// The outcome of a failed call. `message` is the node's error message for http_status
// (the "message" field of the Lavalink error body), else a description of the failure.
struct rest_error {
  client_errc code = client_errc::transport;
  int status = 0;  // HTTP status for http_status, else 0
  std::string message;

  // 5xx, transport errors and missing sessions: another node might succeed.
  bool retryable_elsewhere() const noexcept;
  std::string describe() const;  // "http_status 400: Player not found"
};

}  // namespace vb::llc

template <>
struct std::is_error_code_enum<vb::llc::client_errc> : std::true_type {};
