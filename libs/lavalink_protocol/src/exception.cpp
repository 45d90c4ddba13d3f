#include "vectobeat/lavalink/exception.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cctype>
#include <utility>

#include "readers.hpp"

namespace vb::lavalink {
namespace {

constexpr std::array<std::pair<exception_severity, std::string_view>, 3> kSeverities{{
    {exception_severity::common, "common"},
    {exception_severity::suspicious, "suspicious"},
    {exception_severity::fault, "fault"},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(exception_severity s) {
  for (const auto& [value, name] : kSeverities)
    if (value == s) return name;
  return "fault";
}

std::optional<exception_severity> parse_exception_severity(std::string_view s) {
  for (const auto& [value, name] : kSeverities)
    if (iequals(s, name)) return value;
  return std::nullopt;
}

namespace detail {

void read(object_reader& r, exception_info& out) {
  out.message = r.nullable_string("message");
  const auto text = r.string("severity");
  if (auto s = parse_exception_severity(text)) out.severity = *s;
  else r.fail("severity", "must be one of common, suspicious, fault");
  out.cause = r.string("cause");
  out.cause_stack_trace = r.string_or("causeStackTrace", "");
}

}  // namespace detail

boost::json::value to_json(const exception_info& e) {
  boost::json::object o;
  o["message"] = detail::nullable(e.message);
  o["severity"] = to_string(e.severity);
  o["cause"] = e.cause;
  o["causeStackTrace"] = e.cause_stack_trace;
  return o;
}

template <>
expected<exception_info, std::string> from_json<exception_info>(const boost::json::value& v) {
  return detail::decode_root<exception_info>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

}  // namespace vb::lavalink
