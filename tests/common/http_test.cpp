#include "vectobeat/common/net/http.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vectobeat/common/net/http_client.hpp"

namespace vb::net {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

http_request at(std::string target) {
  http_request r;
  r.target = std::move(target);
  return r;
}

TEST(HeaderMap, NamesAreCaseInsensitive) {
  header_map h;
  h.add("Content-Type", "application/json");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("content-type"), "application/json");
  EXPECT_EQ(h.get("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");  // the first of several
  EXPECT_TRUE(h.contains("Set-cookie"));
  EXPECT_FALSE(h.contains("Content-Length"));
  EXPECT_EQ(h.size(), 3u);
  h.set("SET-COOKIE", "c=3");  // replaces every field of that name
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("set-cookie"), "c=3");
  EXPECT_TRUE(h.erase("content-TYPE"));
  EXPECT_FALSE(h.erase("content-type"));
  EXPECT_EQ(h.size(), 1u);
  std::vector<std::pair<std::string, std::string>> items(h.begin(), h.end());
  EXPECT_THAT(items, ElementsAre(std::pair<std::string, std::string>{"SET-COOKIE", "c=3"}));
}

TEST(HeaderMap, Iequals) {
  EXPECT_TRUE(iequals("User-Id", "user-id"));
  EXPECT_FALSE(iequals("User-Id", "User-Ids"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_TRUE(iequals("", ""));
}

TEST(Request, PathAndQuery) {
  auto r = at("/v4/loadtracks?identifier=ytsearch%3Aabc&x");
  EXPECT_EQ(r.path(), "/v4/loadtracks");
  EXPECT_EQ(r.query(), "identifier=ytsearch%3Aabc&x");
  EXPECT_EQ(at("/plain").query(), "");
  EXPECT_EQ(at("/plain").path(), "/plain");
}

TEST(Request, QueryParamDecodesPlusAndPercent) {
  auto r = at("/search?q=hello+world%20again&empty=&flag&a=1&a=2&enc%6Fded=yes&utf=%C3%A9&plus=%2B");
  EXPECT_EQ(r.query_param("q"), "hello world again");
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("a"), "1");
  EXPECT_EQ(r.query_param("encoded"), "yes");
  EXPECT_EQ(r.query_param("utf"), "\xC3\xA9");
  EXPECT_EQ(r.query_param("plus"), "+");
  EXPECT_EQ(r.query_param("missing"), std::nullopt);
  EXPECT_EQ(at("/no-query").query_param("q"), std::nullopt);
}

TEST(Request, PathSegmentsAreDecoded) {
  EXPECT_THAT(at("/v4/sessions/abc/players/123").path_segments(), ElementsAre("v4", "sessions", "abc", "players", "123"));
  EXPECT_THAT(at("/a/b%20c?x=/y").path_segments(), ElementsAre("a", "b c"));
  EXPECT_THAT(at("//a///b/").path_segments(), ElementsAre("a", "b"));
  EXPECT_THAT(at("/a%2Fb").path_segments(), ElementsAre("a/b"));  // an encoded slash stays inside its segment
  EXPECT_THAT(at("/a+b").path_segments(), ElementsAre("a+b"));    // '+' is only a space in queries
  EXPECT_THAT(at("/").path_segments(), IsEmpty());
}

TEST(Url, EncodeKeepsUnreservedCharacters) {
  EXPECT_EQ(url_encode("a b&c=d/e?f"), "a%20b%26c%3Dd%2Fe%3Ff");
  EXPECT_EQ(url_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(url_encode("\xC3\xA9\x01"), "%C3%A9%01");
  EXPECT_EQ(url_encode(""), "");
}

TEST(Url, DecodeRoundTripsAndRejectsBadEscapes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(url_decode(url_encode(all)), all);
  EXPECT_EQ(url_decode("a%20b+c"), "a b+c");
  EXPECT_EQ(url_decode("%e9%E9"), "\xE9\xE9");
  EXPECT_EQ(url_decode("%"), std::nullopt);
  EXPECT_EQ(url_decode("%4"), std::nullopt);
  EXPECT_EQ(url_decode("%zz"), std::nullopt);
  EXPECT_EQ(url_decode("ok%4"), std::nullopt);
}

TEST(Response, Helpers) {
  auto j = http_response::json(201, R"({"ok":true})");
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.headers.get("content-type"), "application/json");
  auto t = http_response::text(200, "hi");
  EXPECT_EQ(t.headers.get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(http_response::empty(204).headers.size(), 0u);
  auto e = http_response::error(404, "Session not found", "/v4/sessions/x");
  EXPECT_EQ(e.status, 404);
  auto v = boost::json::parse(e.body).as_object();
  EXPECT_EQ(v.at("status").as_int64(), 404);
  EXPECT_EQ(v.at("error").as_string(), "Not Found");
  EXPECT_EQ(v.at("message").as_string(), "Session not found");
  EXPECT_EQ(v.at("path").as_string(), "/v4/sessions/x");
  EXPECT_TRUE(v.at("timestamp").is_int64());
}

struct private_case {
  const char* ip;
  bool is_private;
};

class PrivateAddress : public ::testing::TestWithParam<private_case> {};

TEST_P(PrivateAddress, Classifies) { EXPECT_EQ(is_private_address(GetParam().ip), GetParam().is_private) << GetParam().ip; }

INSTANTIATE_TEST_SUITE_P(
    Table, PrivateAddress,
    ::testing::Values(
        // IPv4
        private_case{"127.0.0.1", true}, private_case{"127.255.255.254", true}, private_case{"10.1.2.3", true},
        private_case{"172.16.0.1", true}, private_case{"172.31.255.255", true}, private_case{"172.32.0.1", false},
        private_case{"172.15.255.255", false}, private_case{"192.168.1.1", true}, private_case{"169.254.169.254", true},
        private_case{"100.64.0.1", true}, private_case{"100.127.255.255", true}, private_case{"100.128.0.1", false},
        private_case{"0.0.0.0", true}, private_case{"192.0.0.8", true}, private_case{"192.0.2.1", true},
        private_case{"198.18.0.1", true}, private_case{"198.19.255.255", true}, private_case{"198.20.0.1", false},
        private_case{"198.51.100.7", true}, private_case{"203.0.113.9", true}, private_case{"224.0.0.1", true},
        private_case{"240.0.0.1", true}, private_case{"255.255.255.255", true}, private_case{"8.8.8.8", false},
        private_case{"1.1.1.1", false}, private_case{"93.184.216.34", false},
        // IPv6
        private_case{"::1", true}, private_case{"::", true}, private_case{"fe80::1", true},
        private_case{"fc00::1", true}, private_case{"fd12:3456::1", true}, private_case{"fec0::1", true},
        private_case{"ff02::1", true}, private_case{"2001:db8::1", true}, private_case{"100::1", true},
        private_case{"2606:4700:4700::1111", false}, private_case{"2a00:1450:4001:80b::200e", false},
        // IPv4 inside IPv6
        private_case{"::ffff:127.0.0.1", true}, private_case{"::ffff:10.0.0.1", true},
        private_case{"::ffff:8.8.8.8", false}, private_case{"::127.0.0.1", true},
        private_case{"64:ff9b::7f00:1", true}, private_case{"64:ff9b::808:808", false},
        private_case{"2002:7f00:1::", true}, private_case{"2002:c0a8:101::1", true},
        private_case{"2002:808:808::1", false},
        // Not an address: refused
        private_case{"localhost", true}, private_case{"", true}, private_case{"1.2.3", true},
        private_case{"999.1.1.1", true}));

TEST(ClientErrc, Names) {
  EXPECT_EQ(to_string(client_errc::blocked_address), "address not allowed");
  EXPECT_EQ(to_string(client_errc::upgrade_rejected), "WebSocket upgrade rejected");
  EXPECT_EQ(to_string(client_errc::timeout), "timed out");
}

}  // namespace
}  // namespace vb::net
