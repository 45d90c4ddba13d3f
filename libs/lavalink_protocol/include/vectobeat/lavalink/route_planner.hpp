#pragma once
// GET /v4/routeplanner/status (lavalink-v4.md §3.2). A node without a route planner answers
// 204 and has no body, so there is no "none" class here.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

enum class route_planner_class {
  rotating_ip,        // RotatingIpRoutePlanner
  nano_ip,            // NanoIpRoutePlanner
  rotating_nano_ip,   // RotatingNanoIpRoutePlanner
  balancing_ip,       // BalancingIpRoutePlanner
};

std::string_view to_string(route_planner_class c);
std::optional<route_planner_class> parse_route_planner_class(std::string_view s);

enum class ip_block_type { inet4, inet6 };  // "Inet4Address" / "Inet6Address"

struct failing_address {
  std::string address;            // failingAddress
  std::int64_t timestamp = 0;     // failingTimestamp, epoch ms
  std::string time;               // failingTime, human readable
  friend bool operator==(const failing_address&, const failing_address&) = default;
};

// Index and size values are strings on the wire (they can exceed 64 bits for IPv6 blocks).
struct route_planner_status {
  route_planner_class planner_class = route_planner_class::rotating_ip;
  ip_block_type block_type = ip_block_type::inet4;
  std::string block_size;  // ipBlock.size
  std::vector<failing_address> failing_addresses;
  std::optional<std::string> rotate_index;           // RotatingIpRoutePlanner
  std::optional<std::string> ip_index;               // RotatingIpRoutePlanner
  std::optional<std::string> current_address;        // RotatingIpRoutePlanner
  std::optional<std::string> current_address_index;  // NanoIp, RotatingNanoIp
  std::optional<std::string> block_index;            // RotatingNanoIp

  friend bool operator==(const route_planner_status&, const route_planner_status&) = default;
};

// Optional detail fields are written only when set.
boost::json::value to_json(const route_planner_status& s);
template <>
expected<route_planner_status, std::string> from_json<route_planner_status>(const boost::json::value& v);

}  // namespace vb::lavalink
