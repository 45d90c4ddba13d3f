#include "vectobeat/common/net/http.hpp"

#include <boost/asio/ip/address.hpp>

#include "vectobeat/common/api_error.hpp"
#include "vectobeat/common/net/http_client.hpp"

namespace vb::net {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

void header_map::set(std::string_view name, std::string value) {
  erase(name);
  items_.emplace_back(std::string(name), std::move(value));
}

void header_map::add(std::string_view name, std::string value) { items_.emplace_back(std::string(name), std::move(value)); }

std::optional<std::string_view> header_map::get(std::string_view name) const {
  for (auto& [k, v] : items_)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

bool header_map::erase(std::string_view name) {
  auto before = items_.size();
  std::erase_if(items_, [&](auto& kv) { return iequals(kv.first, name); });
  return items_.size() != before;
}

std::string_view http_request::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view http_request::query() const {
  std::string_view t = target;
  auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

namespace {
int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}
}  // namespace

std::optional<std::string> url_decode(std::string_view s) { return decode(s, false); }

std::string url_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> http_request::query_param(std::string_view key) const {
  std::string_view q = query();
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    auto eq = pair.find('=');
    auto k = decode(pair.substr(0, eq), true);
    if (!k || *k != key) continue;
    if (eq == std::string_view::npos) return std::string();
    return decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

std::vector<std::string> http_request::path_segments() const {
  std::vector<std::string> out;
  std::string_view p = path();
  while (!p.empty()) {
    if (p.front() == '/') {
      p.remove_prefix(1);
      continue;
    }
    auto slash = p.find('/');
    auto seg = p.substr(0, slash);
    out.push_back(decode(seg, false).value_or(std::string(seg)));
    p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash);
  }
  return out;
}

http_response http_response::json(int status, std::string body) {
  http_response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

http_response http_response::text(int status, std::string body) {
  http_response r;
  r.status = status;
  r.headers.set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

http_response http_response::empty(int status) {
  http_response r;
  r.status = status;
  return r;
}

http_response http_response::error(int status, std::string message, std::string path) {
  api_error e;
  e.status = status;
  e.message = std::move(message);
  e.path = std::move(path);
  return error(e);
}

http_response http_response::error(const api_error& e) { return json(e.status, to_json(e)); }

std::string_view to_string(client_errc c) {
  switch (c) {
    case client_errc::invalid_url: return "invalid URL";
    case client_errc::blocked_address: return "address not allowed";
    case client_errc::resolve: return "name resolution failed";
    case client_errc::connect: return "connection failed";
    case client_errc::tls: return "TLS handshake failed";
    case client_errc::timeout: return "timed out";
    case client_errc::io: return "I/O error";
    case client_errc::too_large: return "response too large";
    case client_errc::protocol: return "protocol error";
    case client_errc::upgrade_rejected: return "WebSocket upgrade rejected";
    case client_errc::cancelled: return "cancelled";
  }
  return "error";
}

namespace {
bool private_v4(const boost::asio::ip::address_v4::bytes_type& b) {
  if (b[0] == 0 || b[0] == 10 || b[0] == 127) return true;   // "this" network, RFC 1918, loopback
  if (b[0] == 100 && (b[1] & 0xc0) == 64) return true;        // 100.64/10 CGNAT
  if (b[0] == 169 && b[1] == 254) return true;                // link-local (cloud metadata)
  if (b[0] == 172 && (b[1] & 0xf0) == 16) return true;        // 172.16/12
  if (b[0] == 192 && b[1] == 168) return true;                // 192.168/16
  if (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) return true;  // 192.0.0/24, TEST-NET-1
  if (b[0] == 198 && (b[1] & 0xfe) == 18) return true;        // 198.18/15 benchmarking
  if (b[0] == 198 && b[1] == 51 && b[2] == 100) return true;  // TEST-NET-2
  if (b[0] == 203 && b[1] == 0 && b[2] == 113) return true;   // TEST-NET-3
  return b[0] >= 224;                                         // multicast, reserved, broadcast
}
}  // namespace

bool is_private_address(std::string_view ip) {
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(std::string(ip), ec);
  if (ec) return true;  // unparseable: refuse
  if (addr.is_v4()) return private_v4(addr.to_v4().to_bytes());
  auto v6 = addr.to_v6();
  auto b = v6.to_bytes();
  auto embedded = [&](std::size_t at) {
    return private_v4({b[at], b[at + 1], b[at + 2], b[at + 3]});
  };
  if (v6.is_v4_mapped()) return embedded(12);
  if (v6.is_loopback() || v6.is_unspecified() || v6.is_link_local() || v6.is_multicast() || v6.is_site_local())
    return true;
  bool zero96 = true;  // ::a.b.c.d (deprecated IPv4-compatible)
  for (int i = 0; i < 12; ++i) zero96 = zero96 && b[i] == 0;
  if (zero96) return true;
  if ((b[0] & 0xfe) == 0xfc) return true;  // fc00::/7 unique local
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // 2001:db8::/32 documentation
  bool discard = b[0] == 0x01 && b[1] == 0;  // 100::/64 discard-only
  for (int i = 2; i < 8; ++i) discard = discard && b[i] == 0;
  if (discard) return true;
  // Translation prefixes carry an IPv4 address that the path may deliver to.
  bool nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;  // 64:ff9b::/96
  for (int i = 4; i < 12; ++i) nat64 = nat64 && b[i] == 0;
  if (nat64) return embedded(12);
  if (b[0] == 0x20 && b[1] == 0x02) return embedded(2);  // 2002::/16 6to4
  return false;
}

}  // namespace vb::net
