#include "vectobeat/discord/rest_error.hpp"

namespace vb::discord {

namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.discord.rest"; }
  std::string message(int ev) const override {
    switch (static_cast<rest_errc>(ev)) {
      case rest_errc::transport: return "cannot reach the Discord API";
      case rest_errc::timeout: return "the Discord API did not answer in time";
      case rest_errc::bad_request: return "Discord refused the request";
      case rest_errc::unauthorized: return "the bot token was refused (401)";
      case rest_errc::forbidden: return "missing permissions (403)";
      case rest_errc::not_found: return "not found (404)";
      case rest_errc::rate_limited: return "rate limited (429)";
      case rest_errc::server_error: return "Discord server error";
      case rest_errc::invalid_request_budget: return "too many invalid requests recently; refusing to send more";
      case rest_errc::invalid_response: return "unexpected response body";
      case rest_errc::invalid_argument: return "the request breaks a Discord limit";
      case rest_errc::stopped: return "REST client stopped";
    }
    return "unknown REST error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& rest_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(rest_errc e) noexcept { return {static_cast<int>(e), rest_category()}; }

std::string_view to_string(rest_errc e) noexcept {
  switch (e) {
    case rest_errc::transport: return "transport";
    case rest_errc::timeout: return "timeout";
    case rest_errc::bad_request: return "bad_request";
    case rest_errc::unauthorized: return "unauthorized";
    case rest_errc::forbidden: return "forbidden";
    case rest_errc::not_found: return "not_found";
    case rest_errc::rate_limited: return "rate_limited";
    case rest_errc::server_error: return "server_error";
    case rest_errc::invalid_request_budget: return "invalid_request_budget";
    case rest_errc::invalid_response: return "invalid_response";
    case rest_errc::invalid_argument: return "invalid_argument";
    case rest_errc::stopped: return "stopped";
  }
  return "unknown";
}

rest_errc errc_for_status(int status) noexcept {
  if (status == 401) return rest_errc::unauthorized;
  if (status == 403) return rest_errc::forbidden;
  if (status == 404) return rest_errc::not_found;
  if (status == 429) return rest_errc::rate_limited;
  if (status >= 500) return rest_errc::server_error;
  return rest_errc::bad_request;
}

std::string rest_error::describe() const {
  std::string s(to_string(code));
  if (status || discord_code) {
    s += " (";
    if (status) s += std::to_string(status);
    if (discord_code) s += (status ? ", code " : "code ") + std::to_string(discord_code);
    s += ")";
  }
  if (!message.empty()) s += ": " + message;
  if (!route.empty()) s += " [" + route + "]";
  return s;
}

}  // namespace vb::discord
