#pragma once
// Track and TrackInfo (lavalink-v4.md §4.1).
#include <boost/json/value.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

// Java's Long.MAX_VALUE: the `length` of streams ("unknown").
inline constexpr std::int64_t unknown_length = std::numeric_limits<std::int64_t>::max();

struct track_info {
  std::string identifier;
  bool is_seekable = false;
  std::string author;
  std::int64_t length = 0;  // ms; unknown_length for streams
  bool is_stream = false;
  std::int64_t position = 0;  // ms
  std::string title;
  std::optional<std::string> uri;
  std::optional<std::string> artwork_url;
  std::optional<std::string> isrc;
  std::string source_name;

  friend bool operator==(const track_info&, const track_info&) = default;
};

struct track {
  std::string encoded;  // base64 of the lavaplayer blob (track_codec.hpp)
  track_info info;
  boost::json::object plugin_info;  // always serialised, {} when empty
  boost::json::object user_data;    // always serialised, {} when empty

  friend bool operator==(const track&, const track&) = default;
};

// Decoding accepts absent artworkUrl/isrc/uri and absent or null pluginInfo/userData
// (nodes older than 4.0.2 / 4.0.0); every other field is required.
boost::json::value to_json(const track_info& info);
boost::json::value to_json(const track& t);
template <>
expected<track_info, std::string> from_json<track_info>(const boost::json::value& v);
template <>
expected<track, std::string> from_json<track>(const boost::json::value& v);

}  // namespace vb::lavalink
