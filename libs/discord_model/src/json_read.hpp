#pragma once
// Internal: lenient field access for Discord payloads. Absent, null and mistyped fields
// read as "not there"; callers decide what is required.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/discord/model_error.hpp"
#include "vectobeat/discord/permissions.hpp"
#include "vectobeat/discord/snowflake.hpp"

namespace vb::discord::detail {

namespace bj = boost::json;

inline const bj::value* field(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

inline std::string_view str(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

inline std::optional<std::string> opt_str(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  if (v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

inline snowflake snow_of(const bj::value& v) {
  if (v.is_string()) return parse_snowflake(v.get_string()).value_or(snowflake());
  if (v.is_uint64()) return snowflake(v.get_uint64());
  if (v.is_int64() && v.get_int64() > 0) return snowflake(static_cast<std::uint64_t>(v.get_int64()));
  return snowflake();
}

inline snowflake snow(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  return v ? snow_of(*v) : snowflake();
}

inline std::optional<std::int64_t> opt_int(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) {
    const double d = v->get_double();
    if (d >= -9.0e18 && d <= 9.0e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d)
      return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

inline std::int64_t int_or(const bj::object& o, std::string_view key, std::int64_t fallback) {
  return opt_int(o, key).value_or(fallback);
}

inline std::optional<double> opt_number(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

inline bool boolean(const bj::object& o, std::string_view key, bool fallback = false) {
  const bj::value* v = field(o, key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

inline std::optional<permissions> opt_perms(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  if (!v) return std::nullopt;
  if (v->is_string()) return parse_permissions(v->get_string());
  if (v->is_uint64()) return permissions(v->get_uint64());
  if (v->is_int64() && v->get_int64() >= 0) return permissions(static_cast<std::uint64_t>(v->get_int64()));
  return std::nullopt;
}

inline const bj::object* obj(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

inline const bj::array* arr(const bj::object& o, std::string_view key) {
  const bj::value* v = field(o, key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

// Value-level forms for single-pass parsers (null reads as absent).
inline std::string_view str_of(const bj::value& v) {
  return v.is_string() ? std::string_view(v.get_string()) : std::string_view();
}
inline std::optional<std::string> opt_str_of(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return std::nullopt;
}
inline std::optional<std::int64_t> int_of(const bj::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {
    const double d = v.get_double();
    if (d >= -9.0e18 && d <= 9.0e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}
inline bool bool_of(const bj::value& v) { return v.is_bool() && v.get_bool(); }
inline std::optional<permissions> perms_of(const bj::value& v) {
  if (v.is_string()) return parse_permissions(v.get_string());
  if (v.is_uint64()) return permissions(v.get_uint64());
  if (v.is_int64() && v.get_int64() >= 0) return permissions(static_cast<std::uint64_t>(v.get_int64()));
  return std::nullopt;
}

inline model_failure missing(std::string field) { return {model_error::missing_field, std::move(field), {}}; }
inline model_failure invalid(std::string field, std::string detail = {}) {
  return {model_error::invalid_field, std::move(field), std::move(detail)};
}

// Number of Unicode code points in UTF-8 text (Discord counts characters, not bytes).
inline std::size_t char_count(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace vb::discord::detail
