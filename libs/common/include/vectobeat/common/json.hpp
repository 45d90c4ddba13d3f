#pragma once
// Boost.JSON helpers: bounded parsing and typed field access for untrusted input.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/common/expected.hpp"

namespace vb::json {

using boost::json::array;
using boost::json::object;
using boost::json::value;

struct parse_limits {
  std::size_t max_bytes = 4u << 20;
  std::size_t max_depth = 64;
};

// Parses `text` into a value; the error string is safe to show to the peer.
expected<value, std::string> parse(std::string_view text, parse_limits limits = {});
std::string serialize(const value& v);

// Typed lookups that never throw: nullopt when the key is absent or of another type.
const value* find(const object& o, std::string_view key);
std::optional<std::string_view> get_string(const object& o, std::string_view key);
std::optional<std::int64_t> get_int(const object& o, std::string_view key);
std::optional<double> get_number(const object& o, std::string_view key);
std::optional<bool> get_bool(const object& o, std::string_view key);
const object* get_object(const object& o, std::string_view key);
const array* get_array(const object& o, std::string_view key);
// Snowflakes arrive as strings (or, leniently, as integers); 0 and garbage yield nullopt.
std::optional<std::uint64_t> get_snowflake(const object& o, std::string_view key);
std::optional<std::uint64_t> parse_u64(std::string_view s);
std::optional<std::int64_t> parse_i64(std::string_view s);

}  // namespace vb::json
