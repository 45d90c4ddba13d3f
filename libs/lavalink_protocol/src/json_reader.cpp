#include "json_reader.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <charconv>
#include <limits>

namespace vb::lavalink::detail {

std::optional<std::int64_t> as_int64(const boost::json::value& v) {
  if (const auto* i = v.if_int64()) return *i;
  if (const auto* u = v.if_uint64(); u && *u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(*u);
  return std::nullopt;
}

std::optional<double> as_number(const boost::json::value& v) {
  if (const auto* d = v.if_double()) return *d;
  if (const auto* i = v.if_int64()) return static_cast<double>(*i);
  if (const auto* u = v.if_uint64()) return static_cast<double>(*u);
  return std::nullopt;
}

// Snowflakes are decimal strings of an unsigned 64-bit value (Lavalink parses them as Long).
std::optional<std::uint64_t> as_snowflake(const boost::json::value& v) {
  const auto* s = v.if_string();
  if (!s || s->empty() || s->size() > 20) return std::nullopt;
  std::uint64_t out = 0;
  const char* end = s->data() + s->size();
  auto [p, ec] = std::from_chars(s->data(), end, out);
  if (ec != std::errc() || p != end) return std::nullopt;
  return out;
}

object_reader::object_reader(const boost::json::value& v, std::string path, std::string& error)
    : obj_(v.if_object()), path_(std::move(path)), error_(error) {
  if (!obj_) {
    if (path_.empty()) fail_message("JSON value must be an object");
    else fail_message(path_ + " must be an object");
  }
}

std::string object_reader::path_of(std::string_view key) const {
  std::string p = path_;
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

void object_reader::fail(std::string_view key, std::string_view what) {
  if (!error_.empty()) return;
  error_ = path_of(key);
  error_ += ' ';
  error_ += what;
}

void object_reader::fail_message(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

const boost::json::value* object_reader::find(std::string_view key) const {
  return obj_ ? obj_->if_contains(key) : nullptr;
}

const boost::json::value* object_reader::require(std::string_view key) {
  const auto* v = find(key);
  if (!v && obj_) fail(key, "is missing");
  return v;
}

std::string object_reader::string(std::string_view key) {
  const auto* v = require(key);
  if (!v) return {};
  if (const auto* s = v->if_string()) return std::string(*s);
  fail(key, "must be a string");
  return {};
}

std::int64_t object_reader::int64(std::string_view key) {
  const auto* v = require(key);
  if (!v) return 0;
  if (auto i = as_int64(*v)) return *i;
  fail(key, "must be an integer");
  return 0;
}

std::int32_t object_reader::int32(std::string_view key) {
  const auto* v = require(key);
  if (!v) return 0;
  auto i = as_int64(*v);
  if (i && *i >= std::numeric_limits<std::int32_t>::min() && *i <= std::numeric_limits<std::int32_t>::max())
    return static_cast<std::int32_t>(*i);
  fail(key, "must be a 32-bit integer");
  return 0;
}

bool object_reader::boolean(std::string_view key) {
  const auto* v = require(key);
  if (!v) return false;
  if (const auto* b = v->if_bool()) return *b;
  fail(key, "must be a boolean");
  return false;
}

double object_reader::number(std::string_view key) {
  const auto* v = require(key);
  if (!v) return 0.0;
  if (auto d = as_number(*v)) return *d;
  fail(key, "must be a number");
  return 0.0;
}

std::uint64_t object_reader::snowflake(std::string_view key) {
  const auto* v = require(key);
  if (!v) return 0;
  if (auto id = as_snowflake(*v)) return *id;
  fail(key, "must be a snowflake (a string holding a 64-bit integer)");
  return 0;
}

std::optional<std::string> object_reader::nullable_string(std::string_view key) {
  const auto* v = find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (const auto* s = v->if_string()) return std::string(*s);
  fail(key, "must be a string or null");
  return std::nullopt;
}

std::optional<std::int64_t> object_reader::optional_int64(std::string_view key) {
  const auto* v = find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (auto i = as_int64(*v)) return i;
  fail(key, "must be an integer or null");
  return std::nullopt;
}

std::optional<bool> object_reader::optional_bool(std::string_view key) {
  const auto* v = find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (const auto* b = v->if_bool()) return *b;
  fail(key, "must be a boolean or null");
  return std::nullopt;
}

double object_reader::number_or(std::string_view key, double fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (auto d = as_number(*v)) return *d;
  fail(key, "must be a number");
  return fallback;
}

std::string object_reader::string_or(std::string_view key, std::string fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (const auto* s = v->if_string()) return std::string(*s);
  fail(key, "must be a string");
  return fallback;
}

boost::json::object object_reader::object_or_empty(std::string_view key) {
  const auto* v = find(key);
  if (!v || v->is_null()) return {};
  if (const auto* o = v->if_object()) return *o;
  fail(key, "must be an object");
  return {};
}

std::optional<object_reader> object_reader::child(std::string_view key) {
  const auto* v = require(key);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    fail(key, "must be an object");
    return std::nullopt;
  }
  return object_reader(*v, path_of(key), error_);
}

std::optional<object_reader> object_reader::optional_child(std::string_view key) {
  const auto* v = find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    fail(key, "must be an object or null");
    return std::nullopt;
  }
  return object_reader(*v, path_of(key), error_);
}

const boost::json::array* object_reader::array(std::string_view key) {
  const auto* v = require(key);
  if (!v) return nullptr;
  if (const auto* a = v->if_array()) return a;
  fail(key, "must be an array");
  return nullptr;
}

patch_field<std::string> object_reader::patch_string(std::string_view key) {
  const auto* v = find(key);
  if (!v) return {};
  if (const auto* s = v->if_string()) return std::string(*s);
  fail(key, "must be a string");
  return {};
}

patch_field<std::optional<std::string>> object_reader::patch_nullable_string(std::string_view key) {
  const auto* v = find(key);
  if (!v) return {};
  if (v->is_null()) return std::optional<std::string>();
  if (const auto* s = v->if_string()) return std::optional<std::string>(std::string(*s));
  fail(key, "must be a string or null");
  return {};
}

patch_field<std::int64_t> object_reader::patch_int64(std::string_view key) {
  const auto* v = find(key);
  if (!v) return {};
  if (auto i = as_int64(*v)) return *i;
  fail(key, "must be an integer");
  return {};
}

patch_field<std::optional<std::int64_t>> object_reader::patch_nullable_int64(std::string_view key) {
  const auto* v = find(key);
  if (!v) return {};
  if (v->is_null()) return std::optional<std::int64_t>();
  if (auto i = as_int64(*v)) return std::optional<std::int64_t>(*i);
  fail(key, "must be an integer or null");
  return {};
}

patch_field<bool> object_reader::patch_bool(std::string_view key) {
  const auto* v = find(key);
  if (!v) return {};
  if (const auto* b = v->if_bool()) return *b;
  fail(key, "must be a boolean");
  return {};
}

patch_field<boost::json::object> object_reader::patch_object(std::string_view key) {
  const auto* v = find(key);
  if (!v) return {};
  if (const auto* o = v->if_object()) return *o;
  fail(key, "must be an object");
  return {};
}

object_reader object_reader::element(std::string_view key, std::size_t index, const boost::json::value& v) {
  return object_reader(v, path_of(key) + "[" + std::to_string(index) + "]", error_);
}

boost::json::value nullable(const std::optional<std::string>& s) {
  if (s) return boost::json::value(*s);
  return boost::json::value(nullptr);
}

std::string snowflake_text(std::uint64_t id) { return std::to_string(id); }

}  // namespace vb::lavalink::detail
