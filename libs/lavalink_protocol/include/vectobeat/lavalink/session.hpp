#pragma once
// PATCH /v4/sessions/{sessionId} body and response (lavalink-v4.md §4.10, §5.4).
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>

#include "vectobeat/lavalink/json_codec.hpp"
#include "vectobeat/lavalink/patch_field.hpp"

namespace vb::lavalink {

inline constexpr std::int64_t default_resume_timeout_s = 60;

// The request: absent fields are left unchanged.
struct session_update {
  patch_field<bool> resuming;
  patch_field<std::int64_t> timeout;  // seconds, >= 0
  friend bool operator==(const session_update&, const session_update&) = default;
};

// The response: always both current values.
struct session_info {
  bool resuming = false;
  std::int64_t timeout = default_resume_timeout_s;  // seconds
  friend bool operator==(const session_info&, const session_info&) = default;
};

boost::json::value to_json(const session_update& u);
boost::json::value to_json(const session_info& s);
template <>
expected<session_update, std::string> from_json<session_update>(const boost::json::value& v);
template <>
expected<session_info, std::string> from_json<session_info>(const boost::json::value& v);

}  // namespace vb::lavalink
