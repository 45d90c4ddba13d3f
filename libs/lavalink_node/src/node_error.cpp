#include "vectobeat/node/node_error.hpp"

#include <string>

namespace vb::node {

std::string_view to_string(node_error e) noexcept {
  switch (e) {
    case node_error::source_disabled: return "source_disabled";
    case node_error::blocked_address: return "blocked_address";
    case node_error::http_status: return "http_status";
    case node_error::network: return "network";
    case node_error::timeout: return "timeout";
    case node_error::too_large: return "too_large";
    case node_error::not_found: return "not_found";
    case node_error::outside_roots: return "outside_roots";
    case node_error::unsupported_format: return "unsupported_format";
    case node_error::decode_failed: return "decode_failed";
    case node_error::resolver_missing: return "resolver_missing";
    case node_error::resolver_failed: return "resolver_failed";
    case node_error::spotify_credentials: return "spotify_credentials";
    case node_error::spotify_api: return "spotify_api";
    case node_error::no_mirror: return "no_mirror";
    case node_error::cancelled: return "cancelled";
  }
  return "unknown";
}

namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.node"; }
  std::string message(int c) const override { return std::string(to_string(static_cast<node_error>(c))); }
};
}  // namespace

const std::error_category& node_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(node_error e) noexcept { return {static_cast<int>(e), node_category()}; }

}  // namespace vb::node
