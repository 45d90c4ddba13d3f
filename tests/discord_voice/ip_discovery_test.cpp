#include "vectobeat/voice/ip_discovery.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace vb::voice {
namespace {

using bytes = std::vector<std::uint8_t>;

TEST(IpDiscovery, RequestLayout) {
  auto p = make_ip_discovery_request(0x11223344);
  bytes expected{0x00, 0x01, 0x00, 0x46, 0x11, 0x22, 0x33, 0x44};
  expected.resize(74, 0);
  EXPECT_EQ(bytes(p.begin(), p.end()), expected);
  auto m = parse_ip_discovery(p);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, ip_discovery_type::request);
  EXPECT_EQ(m->ssrc, 0x11223344u);
  EXPECT_EQ(m->port, 0);
  EXPECT_EQ(m->address(), "");
}

TEST(IpDiscovery, ResponseLayoutAndRoundTrip) {
  auto p = make_ip_discovery_response(7, "203.0.113.9", 50004);
  ASSERT_TRUE(p);
  const bytes b(p->begin(), p->end());
  ASSERT_EQ(b.size(), 74u);
  EXPECT_EQ(bytes(b.begin(), b.begin() + 8), (bytes{0x00, 0x02, 0x00, 0x46, 0, 0, 0, 7}));
  EXPECT_EQ(std::string(b.begin() + 8, b.begin() + 19), "203.0.113.9");
  EXPECT_EQ(b[19], 0);  // NUL-terminated, zero-padded
  EXPECT_EQ(b[72], 0xC3);  // 50004 = 0xC354 big-endian
  EXPECT_EQ(b[73], 0x54);
  auto m = parse_ip_discovery(b);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, ip_discovery_type::response);
  EXPECT_EQ(m->ssrc, 7u);
  EXPECT_EQ(m->address(), "203.0.113.9");
  EXPECT_EQ(m->port, 50004);

  auto v6 = make_ip_discovery_response(1, "2001:db8::1", 1);
  ASSERT_TRUE(v6);
  EXPECT_EQ(parse_ip_discovery(*v6)->address(), "2001:db8::1");
  std::string longest(63, '1');
  auto full = make_ip_discovery_response(1, longest, 1);
  ASSERT_TRUE(full);
  EXPECT_EQ(parse_ip_discovery(*full)->address(), longest);
}

TEST(IpDiscovery, RejectsMalformedDatagrams) {
  auto good = *make_ip_discovery_response(1, "10.0.0.1", 2);
  bytes b(good.begin(), good.end());
  EXPECT_EQ(parse_ip_discovery(bytes(b.begin(), b.end() - 1)).error(), voice_error::truncated);
  bytes longer = b;
  longer.push_back(0);
  EXPECT_EQ(parse_ip_discovery(longer).error(), voice_error::bad_length);
  bytes wrong_type = b;
  wrong_type[1] = 3;
  EXPECT_EQ(parse_ip_discovery(wrong_type).error(), voice_error::bad_type);
  bytes wrong_length = b;
  wrong_length[3] = 71;
  EXPECT_EQ(parse_ip_discovery(wrong_length).error(), voice_error::bad_length);
  bytes no_nul = b;
  std::fill(no_nul.begin() + 8, no_nul.begin() + 72, '9');
  EXPECT_EQ(parse_ip_discovery(no_nul).error(), voice_error::bad_address);
  bytes empty_address = b;
  std::fill(empty_address.begin() + 8, empty_address.begin() + 72, 0);
  EXPECT_EQ(parse_ip_discovery(empty_address).error(), voice_error::bad_address);
  bytes control = b;
  control[9] = 0x07;
  EXPECT_EQ(parse_ip_discovery(control).error(), voice_error::bad_address);

  EXPECT_EQ(make_ip_discovery_response(1, std::string(64, '1'), 1).error(), voice_error::bad_address);
  EXPECT_EQ(make_ip_discovery_response(1, "", 1).error(), voice_error::bad_address);
  EXPECT_EQ(make_ip_discovery_response(1, std::string("1.2\0.3", 6), 1).error(), voice_error::bad_address);
}

}  // namespace
}  // namespace vb::voice
