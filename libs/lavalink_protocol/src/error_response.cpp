#include "vectobeat/lavalink/error_response.hpp"

#include <boost/json/object.hpp>

#include "json_reader.hpp"

namespace vb::lavalink {

boost::json::value to_json(const error_response& e) {
  boost::json::object o;
  o["timestamp"] = e.timestamp;
  o["status"] = e.status;
  o["error"] = e.error;
  if (e.trace) o["trace"] = *e.trace;
  o["message"] = e.message;
  o["path"] = e.path;
  return o;
}

template <>
expected<error_response, std::string> from_json<error_response>(const boost::json::value& v) {
  return detail::decode_root<error_response>(v, [](detail::object_reader& r, error_response& out) {
    out.timestamp = r.int64("timestamp");
    out.status = r.int32("status");
    out.error = r.string("error");
    out.trace = r.nullable_string("trace");
    out.message = r.nullable_string("message").value_or("");
    out.path = r.string("path");
  });
}

}  // namespace vb::lavalink
