#pragma once
// WebSocket messages, node -> client (lavalink-v4.md §6.2). The socket is one-way in v4.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "vectobeat/lavalink/exception.hpp"
#include "vectobeat/lavalink/json_codec.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/stats.hpp"
#include "vectobeat/lavalink/track.hpp"

namespace vb::lavalink {

struct ready_message {
  bool resumed = false;
  std::string session_id;
  friend bool operator==(const ready_message&, const ready_message&) = default;
};

struct player_update_message {
  std::uint64_t guild_id = 0;
  player_state state;
  friend bool operator==(const player_update_message&, const player_update_message&) = default;
};

struct stats_message {
  lavalink::stats stats;  // flattened into the message next to "op"
  friend bool operator==(const stats_message&, const stats_message&) = default;
};

struct track_start_event {
  std::uint64_t guild_id = 0;
  lavalink::track track;
  friend bool operator==(const track_start_event&, const track_start_event&) = default;
};

enum class track_end_reason { finished, load_failed, stopped, replaced, cleanup };

std::string_view to_string(track_end_reason r);  // "finished", "loadFailed", ...
// Case-insensitive, so v3's FINISHED / LOAD_FAILED are accepted too.
std::optional<track_end_reason> parse_track_end_reason(std::string_view s);
// Whether the client should advance its queue: only finished and loadFailed.
constexpr bool may_start_next(track_end_reason r) noexcept {
  return r == track_end_reason::finished || r == track_end_reason::load_failed;
}

struct track_end_event {
  std::uint64_t guild_id = 0;
  lavalink::track track;
  track_end_reason reason = track_end_reason::finished;
  friend bool operator==(const track_end_event&, const track_end_event&) = default;
};

struct track_exception_event {
  std::uint64_t guild_id = 0;
  lavalink::track track;
  exception_info exception;
  friend bool operator==(const track_exception_event&, const track_exception_event&) = default;
};

struct track_stuck_event {
  std::uint64_t guild_id = 0;
  lavalink::track track;
  std::int64_t threshold_ms = 0;
  friend bool operator==(const track_stuck_event&, const track_stuck_event&) = default;
};

// The node's Discord voice WebSocket closed (Discord close codes: 4006, 4014, 4015, 4017, ...).
struct websocket_closed_event {
  std::uint64_t guild_id = 0;
  std::int32_t code = 0;
  std::string reason;
  bool by_remote = false;
  friend bool operator==(const websocket_closed_event&, const websocket_closed_event&) = default;
};

// An op or event type this library does not know (plugins emit their own events). The client
// logs it at debug level; `raw` is the whole message.
struct unknown_message {
  std::string op;
  std::string type;  // the event type for op "event", else ""
  boost::json::object raw;
  friend bool operator==(const unknown_message&, const unknown_message&) = default;
};

using message = std::variant<ready_message, player_update_message, stats_message, track_start_event,
                             track_end_event, track_exception_event, track_stuck_event,
                             websocket_closed_event, unknown_message>;

boost::json::value to_json(const ready_message& m);
boost::json::value to_json(const player_update_message& m);
boost::json::value to_json(const stats_message& m);
boost::json::value to_json(const track_start_event& e);
boost::json::value to_json(const track_end_event& e);
boost::json::value to_json(const track_exception_event& e);
boost::json::value to_json(const track_stuck_event& e);
boost::json::value to_json(const websocket_closed_event& e);
boost::json::value to_json(const unknown_message& m);  // raw
boost::json::value to_json(const message& m);

// Dispatches on "op" (and "type" for events). Unknown op/type values decode to
// unknown_message; a known op with malformed fields is an error.
template <>
expected<message, std::string> from_json<message>(const boost::json::value& v);
expected<message, std::string> parse_message(std::string_view text);

}  // namespace vb::lavalink
