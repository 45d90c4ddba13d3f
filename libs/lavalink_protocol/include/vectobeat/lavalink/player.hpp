#pragma once
// Player, PlayerState and VoiceState (lavalink-v4.md §4.5-4.7).
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "vectobeat/lavalink/filters.hpp"
#include "vectobeat/lavalink/json_codec.hpp"
#include "vectobeat/lavalink/track.hpp"

namespace vb::lavalink {

struct player_state {
  std::int64_t time = 0;      // epoch ms at which the state was taken
  std::int64_t position = 0;  // ms
  bool connected = false;     // voice WebSocket to Discord open
  std::int64_t ping = -1;     // voice heartbeat RTT in ms, -1 when not connected

  friend bool operator==(const player_state&, const player_state&) = default;
};

// The voice server info. In responses channel_id is null before any voice update; in a PATCH
// all four fields are required and non-blank (player_update.hpp validates that).
struct voice_state {
  std::string token;
  std::string endpoint;  // host[:port], no scheme
  std::string session_id;
  std::optional<std::string> channel_id;

  friend bool operator==(const voice_state&, const voice_state&) = default;
};

struct player {
  std::uint64_t guild_id = 0;
  std::optional<lavalink::track> track;  // with live info.position
  std::int32_t volume = 100;             // 0..1000
  bool paused = false;
  player_state state;
  voice_state voice;
  lavalink::filters filters;

  friend bool operator==(const player&, const player&) = default;
};

boost::json::value to_json(const player_state& s);
boost::json::value to_json(const voice_state& v);
boost::json::value to_json(const player& p);
template <>
expected<player_state, std::string> from_json<player_state>(const boost::json::value& v);
// The response shape: channelId may be null or absent (nodes before 4.2.0).
template <>
expected<voice_state, std::string> from_json<voice_state>(const boost::json::value& v);
template <>
expected<player, std::string> from_json<player>(const boost::json::value& v);

}  // namespace vb::lavalink
