#pragma once
// Internal: typed, non-throwing field access that records the first error with its path.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/lavalink/patch_field.hpp"

namespace vb::lavalink::detail {

// Strict scalar conversions: integers must be JSON integers (1.0 is not an int).
std::optional<std::int64_t> as_int64(const boost::json::value& v);
std::optional<double> as_number(const boost::json::value& v);
std::optional<std::uint64_t> as_snowflake(const boost::json::value& v);

// Reads fields of one JSON object. All readers of one decode share `error`; once it is set,
// later failures are ignored so the first (outermost-first) problem is reported.
class object_reader {
 public:
  object_reader(const boost::json::value& v, std::string path, std::string& error);

  bool ok() const noexcept { return error_.empty(); }
  bool is_object() const noexcept { return obj_ != nullptr; }
  const boost::json::object& object() const { return *obj_; }
  const std::string& path() const noexcept { return path_; }
  std::string path_of(std::string_view key) const;

  // "<path.key> <what>"; the first failure wins.
  void fail(std::string_view key, std::string_view what);
  // A verbatim message (Lavalink's exact texts); the first failure wins.
  void fail_message(std::string message);

  // nullptr when the key is absent (or this is not an object).
  const boost::json::value* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Required fields: absent or of another type records an error and returns a default.
  std::string string(std::string_view key);
  std::int64_t int64(std::string_view key);
  std::int32_t int32(std::string_view key);
  bool boolean(std::string_view key);
  double number(std::string_view key);
  std::uint64_t snowflake(std::string_view key);

  // Absent or null -> nullopt; another type is an error.
  std::optional<std::string> nullable_string(std::string_view key);
  std::optional<std::int64_t> optional_int64(std::string_view key);
  std::optional<bool> optional_bool(std::string_view key);
  // Absent -> fallback; null or another type is an error.
  double number_or(std::string_view key, double fallback);
  std::string string_or(std::string_view key, std::string fallback);
  // Absent or null -> {}; another type is an error.
  boost::json::object object_or_empty(std::string_view key);

  // Nested object, required. nullopt (with the error recorded) when absent or not an object.
  std::optional<object_reader> child(std::string_view key);
  // Nested object, optional: absent or null -> nullopt without error.
  std::optional<object_reader> optional_child(std::string_view key);
  // Required array; nullptr (with the error recorded) otherwise.
  const boost::json::array* array(std::string_view key);

  // PATCH fields: absent -> omitted; null is accepted only by the nullable variants.
  patch_field<std::string> patch_string(std::string_view key);
  patch_field<std::optional<std::string>> patch_nullable_string(std::string_view key);
  patch_field<std::int64_t> patch_int64(std::string_view key);
  patch_field<std::optional<std::int64_t>> patch_nullable_int64(std::string_view key);
  patch_field<bool> patch_bool(std::string_view key);
  patch_field<boost::json::object> patch_object(std::string_view key);

  // A reader for an element of an array found under `key`: path "key[i]".
  object_reader element(std::string_view key, std::size_t index, const boost::json::value& v);

 private:
  const boost::json::value* require(std::string_view key);

  const boost::json::object* obj_ = nullptr;
  std::string path_;
  std::string& error_;
};

// Runs `read(reader, out)` over a root value and turns the recorded error into an expected.
template <class T, class Read>
expected<T, std::string> decode_root(const boost::json::value& v, Read read) {
  std::string error;
  object_reader r(v, "", error);
  T out{};
  if (r.is_object()) read(r, out);
  if (!error.empty()) return unexpected(std::move(error));
  return out;
}

// JSON helpers for encoders.
boost::json::value nullable(const std::optional<std::string>& s);
std::string snowflake_text(std::uint64_t id);

}  // namespace vb::lavalink::detail
