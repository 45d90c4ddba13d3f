#include "vectobeat/common/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace vb::json {

expected<value, std::string> parse(std::string_view text, parse_limits limits) {
  if (text.size() > limits.max_bytes) return unexpected(std::string("JSON body too large"));
  boost::json::parse_options opts;
  opts.max_depth = limits.max_depth;
  boost::system::error_code ec;
  value v = boost::json::parse(text, ec, {}, opts);
  if (ec) return unexpected("invalid JSON: " + ec.message());
  return v;
}

std::string serialize(const value& v) { return boost::json::serialize(v); }

const value* find(const object& o, std::string_view key) { return o.if_contains(key); }

std::optional<std::string_view> get_string(const object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_string()) return std::string_view(v->get_string());
  return std::nullopt;
}

std::optional<std::int64_t> get_int(const object& o, std::string_view key) {
  const value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) {
    double d = v->get_double();
    if (d >= -9.2e18 && d <= 9.2e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d)
      return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> get_number(const object& o, std::string_view key) {
  const value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

std::optional<bool> get_bool(const object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_bool()) return v->get_bool();
  return std::nullopt;
}

const object* get_object(const object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_object()) return &v->get_object();
  return nullptr;
}

const array* get_array(const object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_array()) return &v->get_array();
  return nullptr;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t out = 0;
  if (s.empty() || s.size() > 20) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return out;
}

std::optional<std::int64_t> parse_i64(std::string_view s) {
  std::int64_t out = 0;
  if (s.empty() || s.size() > 20) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return out;
}

std::optional<std::uint64_t> get_snowflake(const object& o, std::string_view key) {
  const value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  std::optional<std::uint64_t> r;
  if (v->is_string()) r = parse_u64(v->get_string());
  else if (v->is_uint64()) r = v->get_uint64();
  else if (v->is_int64() && v->get_int64() > 0) r = static_cast<std::uint64_t>(v->get_int64());
  if (r && *r == 0) return std::nullopt;
  return r;
}

}  // namespace vb::json
