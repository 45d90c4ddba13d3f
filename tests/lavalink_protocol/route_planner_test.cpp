#include "vectobeat/lavalink/route_planner.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(RoutePlannerJson, RotatingNanoIp) {
  const auto s = test::golden<route_planner_status>(R"({"class":"RotatingNanoIpRoutePlanner","details":{
    "ipBlock":{"type":"Inet6Address","size":"1208925819614629174706176"},
    "failingAddresses":[{"failingAddress":"/1.0.0.0","failingTimestamp":1573520707545,
      "failingTime":"Mon Nov 11 20:05:07 EST 2019"}],
    "blockIndex":"0","currentAddressIndex":"36792023813"}})");
  EXPECT_EQ(s.planner_class, route_planner_class::rotating_nano_ip);
  EXPECT_EQ(s.block_type, ip_block_type::inet6);
  EXPECT_EQ(s.block_size, "1208925819614629174706176");
  ASSERT_EQ(s.failing_addresses.size(), 1u);
  EXPECT_EQ(s.failing_addresses[0].timestamp, 1573520707545);
  EXPECT_EQ(s.block_index, "0");
  EXPECT_EQ(s.current_address_index, "36792023813");
  EXPECT_EQ(s.rotate_index, std::nullopt);
}

TEST(RoutePlannerJson, RotatingIp) {
  const auto s = test::golden<route_planner_status>(R"({"class":"RotatingIpRoutePlanner","details":{
    "ipBlock":{"type":"Inet4Address","size":"256"},"failingAddresses":[],
    "rotateIndex":"1","ipIndex":"1","currentAddress":"/192.0.2.1"}})");
  EXPECT_EQ(s.planner_class, route_planner_class::rotating_ip);
  EXPECT_EQ(s.current_address, "/192.0.2.1");
}

TEST(RoutePlannerJson, EveryClassName) {
  for (auto c : {route_planner_class::rotating_ip, route_planner_class::nano_ip, route_planner_class::rotating_nano_ip,
                 route_planner_class::balancing_ip}) {
    EXPECT_EQ(parse_route_planner_class(to_string(c)), c);
  }
  EXPECT_EQ(test::decode_error<route_planner_status>(R"({"class":"Nope","details":{}})"),
            "class must be a known route planner class");
  EXPECT_EQ(test::decode_error<route_planner_status>(R"({"class":"NanoIpRoutePlanner","details":{
    "ipBlock":{"type":"Inet5Address","size":"1"},"failingAddresses":[]}})"),
            "details.ipBlock.type must be Inet4Address or Inet6Address");
}

}  // namespace
}  // namespace vb::lavalink
