#pragma once
// GET /v4/loadtracks results (lavalink-v4.md §4.2, §4.3).
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vectobeat/lavalink/exception.hpp"
#include "vectobeat/lavalink/json_codec.hpp"
#include "vectobeat/lavalink/track.hpp"

namespace vb::lavalink {

struct playlist_info {
  std::string name;
  std::int32_t selected_track = -1;  // index into tracks, -1 if none

  friend bool operator==(const playlist_info&, const playlist_info&) = default;
};

struct playlist {
  playlist_info info;
  boost::json::object plugin_info;
  std::vector<track> tracks;

  friend bool operator==(const playlist&, const playlist&) = default;
};

struct search_result {
  std::vector<track> tracks;  // possibly empty

  friend bool operator==(const search_result&, const search_result&) = default;
};

struct empty_result {
  friend bool operator==(const empty_result&, const empty_result&) = default;
};

// The alternatives are in the order of load_type.
enum class load_type { track, playlist, search, empty, error };

std::string_view to_string(load_type t);
// Exact v4 names only: the v3 names (TRACK_LOADED, ...) are rejected on purpose.
std::optional<load_type> parse_load_type(std::string_view s);

struct load_result {
  std::variant<track, playlist, search_result, empty_result, exception_info> data = empty_result{};

  load_type type() const noexcept { return static_cast<load_type>(data.index()); }

  friend bool operator==(const load_result&, const load_result&) = default;
};

// `empty` is encoded with data {} (the documented shape); decoding accepts {}, null or absent.
boost::json::value to_json(const playlist_info& p);
boost::json::value to_json(const load_result& r);
template <>
expected<playlist_info, std::string> from_json<playlist_info>(const boost::json::value& v);
template <>
expected<load_result, std::string> from_json<load_result>(const boost::json::value& v);

}  // namespace vb::lavalink
