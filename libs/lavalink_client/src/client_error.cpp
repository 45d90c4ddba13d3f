#include "vectobeat/lavalink_client/client_error.hpp"

namespace vb::llc {

namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.lavalink_client"; }
  std::string message(int ev) const override {
    switch (static_cast<client_errc>(ev)) {
      case client_errc::no_session: return "the node has no session yet";
      case client_errc::no_node: return "no Lavalink node is connected";
      case client_errc::transport: return "the request did not reach the node";
      case client_errc::http_status: return "the node answered with an error status";
      case client_errc::invalid_response: return "the node's answer is not valid Lavalink JSON";
      case client_errc::player_not_found: return "no player for this guild";
      case client_errc::invalid_argument: return "value out of range";
      case client_errc::stopped: return "the client was stopped";
    }
    return "unknown lavalink client error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& client_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(client_errc e) noexcept { return {static_cast<int>(e), client_category()}; }

std::string_view to_string(client_errc e) noexcept {
  switch (e) {
    case client_errc::no_session: return "no_session";
    case client_errc::no_node: return "no_node";
    case client_errc::transport: return "transport";
    case client_errc::http_status: return "http_status";
    case client_errc::invalid_response: return "invalid_response";
    case client_errc::player_not_found: return "player_not_found";
    case client_errc::invalid_argument: return "invalid_argument";
    case client_errc::stopped: return "stopped";
  }
  return "unknown";
}

bool rest_error::retryable_elsewhere() const noexcept {
  switch (code) {
    case client_errc::transport:
    case client_errc::no_session:
    case client_errc::no_node: return true;
    case client_errc::http_status: return status >= 500;
    default: return false;
  }
}

std::string rest_error::describe() const {
  std::string out(to_string(code));
  if (status != 0) out += " " + std::to_string(status);
  if (!message.empty()) out += ": " + message;
  return out;
}

}  // namespace vb::llc
