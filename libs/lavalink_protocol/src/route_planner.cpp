#include "vectobeat/lavalink/route_planner.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>

#include "json_reader.hpp"

namespace vb::lavalink {
namespace {

using detail::object_reader;

constexpr std::array<std::string_view, 4> kClasses{"RotatingIpRoutePlanner", "NanoIpRoutePlanner",
                                                   "RotatingNanoIpRoutePlanner", "BalancingIpRoutePlanner"};

void read_status(object_reader& r, route_planner_status& out) {
  const auto cls = r.string("class");
  if (!r.ok()) return;
  if (auto c = parse_route_planner_class(cls)) out.planner_class = *c;
  else return r.fail("class", "must be a known route planner class");
  auto d = r.child("details");
  if (!d) return;
  if (auto block = d->child("ipBlock")) {
    const auto type = block->string("type");
    if (type == "Inet4Address") out.block_type = ip_block_type::inet4;
    else if (type == "Inet6Address") out.block_type = ip_block_type::inet6;
    else block->fail("type", "must be Inet4Address or Inet6Address");
    out.block_size = block->string("size");
  }
  if (const auto* arr = d->array("failingAddresses")) {
    for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
      auto e = d->element("failingAddresses", i, (*arr)[i]);
      if (!e.is_object()) return;
      auto& f = out.failing_addresses.emplace_back();
      f.address = e.string("failingAddress");
      f.timestamp = e.int64("failingTimestamp");
      f.time = e.string("failingTime");
    }
  }
  out.rotate_index = d->nullable_string("rotateIndex");
  out.ip_index = d->nullable_string("ipIndex");
  out.current_address = d->nullable_string("currentAddress");
  out.current_address_index = d->nullable_string("currentAddressIndex");
  out.block_index = d->nullable_string("blockIndex");
}

}  // namespace

std::string_view to_string(route_planner_class c) { return kClasses[static_cast<std::size_t>(c)]; }

std::optional<route_planner_class> parse_route_planner_class(std::string_view s) {
  for (std::size_t i = 0; i < kClasses.size(); ++i)
    if (kClasses[i] == s) return static_cast<route_planner_class>(i);
  return std::nullopt;
}

boost::json::value to_json(const route_planner_status& s) {
  boost::json::object details;
  details["ipBlock"] = {{"type", s.block_type == ip_block_type::inet4 ? "Inet4Address" : "Inet6Address"},
                        {"size", s.block_size}};
  boost::json::array failing;
  for (const auto& f : s.failing_addresses) {
    failing.push_back(boost::json::object{
        {"failingAddress", f.address}, {"failingTimestamp", f.timestamp}, {"failingTime", f.time}});
  }
  details["failingAddresses"] = std::move(failing);
  auto opt = [&](std::string_view key, const std::optional<std::string>& v) {
    if (v) details[key] = *v;
  };
  opt("rotateIndex", s.rotate_index);
  opt("ipIndex", s.ip_index);
  opt("currentAddress", s.current_address);
  opt("currentAddressIndex", s.current_address_index);
  opt("blockIndex", s.block_index);
  return boost::json::object{{"class", to_string(s.planner_class)}, {"details", std::move(details)}};
}

template <>
expected<route_planner_status, std::string> from_json<route_planner_status>(const boost::json::value& v) {
  return detail::decode_root<route_planner_status>(v, read_status);
}

}  // namespace vb::lavalink
