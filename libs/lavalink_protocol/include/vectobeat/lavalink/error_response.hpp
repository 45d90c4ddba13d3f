#pragma once
// The JSON body of every 4xx/5xx answer (lavalink-v4.md §2.4). The node produces it with
// vb::api_error (common); this type is for peers that read it (our client, tests).
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

struct error_response {
  std::int64_t timestamp = 0;  // epoch ms
  std::int32_t status = 0;
  std::string error;           // HTTP reason phrase
  std::optional<std::string> trace;  // only with ?trace=true
  std::string message;
  std::string path;

  friend bool operator==(const error_response&, const error_response&) = default;
};

boost::json::value to_json(const error_response& e);
// timestamp, status, error and path are required; message defaults to "" and trace to none.
template <>
expected<error_response, std::string> from_json<error_response>(const boost::json::value& v);

}  // namespace vb::lavalink
