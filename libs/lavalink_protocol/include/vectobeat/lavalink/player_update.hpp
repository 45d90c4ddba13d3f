#pragma once
// The body of PATCH /v4/sessions/{sessionId}/players/{guildId} (lavalink-v4.md §5).
// "Absent" and "null" differ: every field is a patch_field, and where null means something
// (track.encoded: stop, endTime: reset) the value type is itself std::optional.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/lavalink/filters.hpp"
#include "vectobeat/lavalink/json_codec.hpp"
#include "vectobeat/lavalink/patch_field.hpp"
#include "vectobeat/lavalink/player.hpp"

namespace vb::lavalink {

// The messages Lavalink answers with HTTP 400 (§2.4); the node sends them back verbatim.
namespace player_update_errors {
inline constexpr std::string_view track_and_deprecated = "Cannot specify both track and encodedTrack/identifier";
inline constexpr std::string_view encoded_and_identifier = "Cannot specify both encodedTrack and identifier";
inline constexpr std::string_view incomplete_voice =
    "token, endpoint, sessionId and channelId must be provided in voice state";
inline constexpr std::string_view end_time_not_positive = "End time must be greater than 0";
}  // namespace player_update_errors

struct track_update {
  patch_field<std::optional<std::string>> encoded;  // present(nullopt) = stop the current track
  patch_field<std::string> identifier;              // resolve like loadtracks, must yield one track
  patch_field<boost::json::object> user_data;       // without a new track: replaces the current one's

  friend bool operator==(const track_update&, const track_update&) = default;
};

struct player_update {
  patch_field<track_update> track;
  patch_field<std::optional<std::string>> encoded_track;  // deprecated form of track.encoded
  patch_field<std::string> identifier;                    // deprecated form of track.identifier
  patch_field<std::int64_t> position;                     // ms; negative values decode as 0
  patch_field<std::optional<std::int64_t>> end_time;      // ms > 0; present(nullopt) = reset marker
  patch_field<std::int32_t> volume;                       // 0..1000; other integers are clamped
  patch_field<bool> paused;
  patch_field<lavalink::filters> filters;  // replaces the whole chain
  patch_field<voice_state> voice;          // all four fields non-blank

  // The requested track change, from `track` or from the deprecated top-level fields.
  track_update effective_track() const;
  // A new track is to be played (or the current one stopped): encoded or identifier present.
  bool starts_track() const;

  friend bool operator==(const player_update&, const player_update&) = default;
};

// Decodes and validates a PATCH body: type errors name the field ("volume must be an integer"),
// the rules of §5.1 use the exact texts of player_update_errors. Unknown fields are ignored.
// Disabled filters are the node's check (set_filter_names in filters.hpp).
expected<player_update, std::string> decode_player_update(const boost::json::value& v);
// The same from body text; malformed JSON gives "invalid JSON: ...".
expected<player_update, std::string> parse_player_update(std::string_view text);
template <>
expected<player_update, std::string> from_json<player_update>(const boost::json::value& v);

// Writes only the present fields (the client side of the PATCH).
boost::json::value to_json(const player_update& u);

}  // namespace vb::lavalink
