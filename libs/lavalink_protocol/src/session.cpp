#include "vectobeat/lavalink/session.hpp"

#include <boost/json/object.hpp>

#include "json_reader.hpp"

namespace vb::lavalink {

boost::json::value to_json(const session_update& u) {
  boost::json::object o;
  if (u.resuming) o["resuming"] = *u.resuming;
  if (u.timeout) o["timeout"] = *u.timeout;
  return o;
}

boost::json::value to_json(const session_info& s) {
  return boost::json::object{{"resuming", s.resuming}, {"timeout", s.timeout}};
}

template <>
expected<session_update, std::string> from_json<session_update>(const boost::json::value& v) {
  return detail::decode_root<session_update>(v, [](detail::object_reader& r, session_update& out) {
    out.resuming = r.patch_bool("resuming");
    out.timeout = r.patch_int64("timeout");
    if (out.timeout && *out.timeout < 0) r.fail("timeout", "must not be negative");
  });
}

template <>
expected<session_info, std::string> from_json<session_info>(const boost::json::value& v) {
  return detail::decode_root<session_info>(v, [](detail::object_reader& r, session_info& out) {
    out.resuming = r.boolean("resuming");
    out.timeout = r.int64("timeout");
  });
}

}  // namespace vb::lavalink
