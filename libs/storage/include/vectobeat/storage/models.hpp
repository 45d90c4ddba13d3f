#pragma once
// What the bot keeps per guild (vectobeat-contracts.md §5, §12): profiles, DJ roles and
// audit, playlists, autoplay history and the current queue. Plain values with their
// limits and JSON forms; the stores (stores.hpp) persist them.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/lavalink/filters.hpp"
#include "vectobeat/lavalink/track.hpp"
#include "vectobeat/storage/storage_error.hpp"

namespace vb::storage {

// ------------------------------------------------------------------ guild profile

inline constexpr int min_default_volume = 0;
inline constexpr int max_default_volume = 200;

enum class announcement_style { rich, minimal };
std::string_view to_string(announcement_style s) noexcept;
std::optional<announcement_style> parse_announcement_style(std::string_view s) noexcept;

struct guild_profile {
  std::uint64_t guild_id = 0;
  int default_volume = 100;  // 0..200
  bool autoplay = false;
  announcement_style announcement = announcement_style::rich;
  bool adaptive_mastering = false;
  bool compliance_mode = false;
  boost::json::object extra;  // per-guild settings added later, by name

  friend bool operator==(const guild_profile&, const guild_profile&) = default;
};

// ------------------------------------------------------------------ DJ roles

inline constexpr std::size_t dj_audit_limit = 50;
inline constexpr std::size_t max_dj_roles = 250;             // Discord's role limit per guild
inline constexpr std::size_t max_audit_text_bytes = 1024;   // action and details are cut to this

struct dj_audit_entry {
  std::int64_t ts = 0;  // Unix seconds
  std::uint64_t user_id = 0;
  std::string action;   // "skip", "config:add-role", ...
  std::string details;
  friend bool operator==(const dj_audit_entry&, const dj_audit_entry&) = default;
};

struct dj_config {
  std::uint64_t guild_id = 0;
  std::set<std::uint64_t> roles;
  std::vector<dj_audit_entry> audit;  // oldest first, at most dj_audit_limit
  friend bool operator==(const dj_config&, const dj_config&) = default;
};

// ------------------------------------------------------------------ tracks in playlists and autoplay

// A track as the original stored it in Redis (§12): the encoded Lavalink track, the info
// fields the bot shows, and who asked for it.
struct stored_track {
  std::string encoded;
  std::string identifier;
  std::string title;
  std::string author;
  std::int64_t length = 0;  // ms
  bool is_stream = false;
  std::optional<std::string> uri;
  std::optional<std::string> artwork_url;
  std::string source_name;
  std::optional<std::uint64_t> requester;

  static stored_track from(const lavalink::track& t, std::optional<std::uint64_t> requester);
  // The Lavalink track it stands for (seekable unless a stream; position 0).
  lavalink::track to_track() const;
  friend bool operator==(const stored_track&, const stored_track&) = default;
};

// {"track": "<encoded>", "info": {identifier, author, length, title, uri, sourceName, artworkUrl, isStream},
//  "requester": <number|null>}. Decoding also accepts a string requester and missing optional info keys.
boost::json::value to_json(const stored_track& t);
expected<stored_track, std::string> stored_track_from_json(const boost::json::value& v);

// ------------------------------------------------------------------ playlists

inline constexpr std::size_t max_playlist_name_chars = 64;
inline constexpr std::size_t max_playlist_tracks = 10'000;

struct playlist {
  std::string name;  // as the user typed it (trimmed)
  std::vector<stored_track> tracks;
  boost::json::object meta;  // {"sync": {source, loadType, lastSyncedAt, trackCount}} when synced

  friend bool operator==(const playlist&, const playlist&) = default;
};

// Trims the name and checks 1..64 characters (code points); returns the key form used to
// compare names case-insensitively (lower case, as the original's Python str.lower()).
expected<std::string, storage_error> playlist_key(std::string_view name);
// Lower case for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other characters
// are kept as they are. Invalid UTF-8 is refused by playlist_key.
std::string lower_name(std::string_view utf8);

// The §12 document {"tracks": [...], "meta": {...}}; decoding also reads the legacy plain
// list of tracks. The name is not part of the document.
boost::json::value to_json(const playlist& p);
expected<playlist, std::string> playlist_from_json(std::string name, const boost::json::value& v);

// ------------------------------------------------------------------ autoplay

inline constexpr std::size_t autoplay_history_limit = 500;  // per guild
inline constexpr std::size_t autoplay_artist_limit = 200;   // per guild and artist

// ------------------------------------------------------------------ the current queue

inline constexpr std::size_t max_queue_entries = 50'000;  // the panel's largest queueLimit

enum class loop_mode { off = 0, track = 1, queue = 2 };

struct queue_entry {
  lavalink::track track;  // with the bot's userData
  std::optional<std::uint64_t> requester;
  friend bool operator==(const queue_entry&, const queue_entry&) = default;
};

// Everything needed to resume a guild after a restart.
struct queue_state {
  std::uint64_t guild_id = 0;
  std::optional<queue_entry> current;
  std::int64_t position = 0;  // ms into the current track
  bool paused = false;
  int volume = 100;           // 0..1000 (Lavalink's range)
  loop_mode loop = loop_mode::off;
  lavalink::filters filters;
  std::vector<queue_entry> entries;  // what plays next, in order
  std::optional<std::uint64_t> voice_channel_id;
  std::optional<std::uint64_t> text_channel_id;
  std::string node;  // the Lavalink node it played on
  std::int64_t updated_at = 0;  // Unix ms, set by the store

  friend bool operator==(const queue_state&, const queue_state&) = default;
};

boost::json::value to_json(const queue_state& q);
expected<queue_state, std::string> queue_state_from_json(const boost::json::value& v);
boost::json::value to_json(const guild_profile& p);
expected<guild_profile, std::string> guild_profile_from_json(std::uint64_t guild_id, const boost::json::value& v);

// Range checks shared by every store; the message is fit for the user.
expected<void, storage_error> validate(const guild_profile& p);
expected<void, storage_error> validate(const playlist& p);
expected<void, storage_error> validate(const queue_state& q);

}  // namespace vb::storage
