#pragma once
// Plain HTTP message types shared by our servers and clients (no Beast types).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vb {
struct api_error;
}

namespace vb::net {

// Header fields in order, names compared case-insensitively.
class header_map {
 public:
  void set(std::string_view name, std::string value);  // replaces all fields of that name
  void add(std::string_view name, std::string value);
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  bool erase(std::string_view name);
  std::size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

bool iequals(std::string_view a, std::string_view b);

struct http_request {
  std::string method = "GET";
  std::string target = "/";  // origin-form: path and query
  header_map headers;
  std::string body;
  std::string remote_address;  // set by the server: "ip:port"

  std::string_view path() const;   // target without the query
  std::string_view query() const;  // after '?', without it
  // First value of a query parameter, percent-decoded; nullopt when absent.
  std::optional<std::string> query_param(std::string_view key) const;
  // Path split at '/', each segment percent-decoded ("/a/b%20c" -> {"a", "b c"}).
  std::vector<std::string> path_segments() const;
};

struct http_response {
  int status = 200;
  header_map headers;
  std::string body;

  static http_response json(int status, std::string body);
  static http_response text(int status, std::string body);
  static http_response empty(int status);
  // The api_error JSON shape; `path` is filled from the request when empty.
  static http_response error(int status, std::string message, std::string path = {});
  static http_response error(const api_error& e);
};

// "a b&c" -> "a%20b%26c" (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view s);
std::optional<std::string> url_decode(std::string_view s);

}  // namespace vb::net
