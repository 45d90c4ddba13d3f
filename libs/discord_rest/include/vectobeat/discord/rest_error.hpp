#pragma once
// Errors of the REST client: what Discord answered (status, its JSON error code and
// message) or why no answer could be had.
#include <string>
#include <string_view>
#include <system_error>

namespace vb::discord {

enum class rest_errc {
  transport = 1,           // connect, TLS or I/O failure after every retry
  timeout,                 // no answer in time after every retry
  bad_request,             // 400 (and other 4xx not listed below)
  unauthorized,            // 401: the token is invalid
  forbidden,               // 403: missing permissions
  not_found,               // 404: unknown channel, message, interaction, ...
  rate_limited,            // 429 that retries did not get past, or a wait above the cap
  server_error,            // 5xx after every retry
  invalid_request_budget,  // refused locally: too many 401/403/429 in the window
  invalid_response,        // a 2xx whose body is not what the endpoint returns
  invalid_argument,        // refused locally: the payload breaks a Discord limit
  stopped,                 // the client is shutting down
};

const std::error_category& rest_category() noexcept;
std::error_code make_error_code(rest_errc e) noexcept;
std::string_view to_string(rest_errc e) noexcept;

struct rest_error {
  rest_errc code = rest_errc::transport;
  int status = 0;         // HTTP status; 0 without an answer
  int discord_code = 0;   // JSON "code" (e.g. 10008 unknown message, 50013 missing permissions)
  std::string message;    // Discord's message, or ours
  std::string errors;     // JSON "errors" (field details), serialized; may be empty
  std::string route;      // "POST /channels/{channel_id}/messages"

  // "not_found (404, code 10008): Unknown Message [DELETE /channels/{channel_id}/messages/{message_id}]"
  std::string describe() const;
};

// The rest_errc for an HTTP status (>= 400).
rest_errc errc_for_status(int status) noexcept;

}  // namespace vb::discord

template <>
struct std::is_error_code_enum<vb::discord::rest_errc> : std::true_type {};
