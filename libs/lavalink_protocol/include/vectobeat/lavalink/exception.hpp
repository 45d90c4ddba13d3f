#pragma once
// The Exception object of load results and TrackExceptionEvent (lavalink-v4.md §4.4).
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

enum class exception_severity {
  common,      // expected; nothing wrong with the node (e.g. video unavailable)
  suspicious,  // probably an outside factor (unexpected upstream format)
  fault,       // probable bug or unknown cause; Lavalink's default
};

std::string_view to_string(exception_severity s);
// Case-insensitive (v3 sent "COMMON"); nullopt for anything else.
std::optional<exception_severity> parse_exception_severity(std::string_view s);

struct exception_info {
  std::optional<std::string> message;
  exception_severity severity = exception_severity::fault;
  std::string cause;              // root cause, e.g. "java.io.IOException: ..."
  std::string cause_stack_trace;  // since 4.1.0; "" when the peer did not send it

  friend bool operator==(const exception_info&, const exception_info&) = default;
};

boost::json::value to_json(const exception_info& e);
template <>
expected<exception_info, std::string> from_json<exception_info>(const boost::json::value& v);

}  // namespace vb::lavalink
