#pragma once
// What node_pool tells the bot (lavalink-v4.md §6.2, §9.3, §9.5). Every event names its
// guild and the node it came from. Track events come only from the node that currently
// plays the guild; late messages of a node the player left are dropped.
#include <cstdint>
#include <string>
#include <variant>

#include "vectobeat/lavalink/exception.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/lavalink/track.hpp"
#include "vectobeat/lavalink_client/player.hpp"

namespace vb::llc {

// TrackStartEvent. `replayed`: the node restarted the track after a failover, a move or a
// restore; the bot should not announce it again.
struct track_started {
  std::uint64_t guild_id = 0;
  std::string node;
  lavalink::track track;
  bool replayed = false;
};

// TrackEndEvent. `may_start_next` is the one signal to advance the queue: true exactly
// once per track the bot started that ended by itself (finished, loadFailed). A track the
// bot replaced or stopped, and a repeated end, never advance.
struct track_ended {
  std::uint64_t guild_id = 0;
  std::string node;
  lavalink::track track;
  lavalink::track_end_reason reason = lavalink::track_end_reason::finished;
  bool may_start_next = false;
};

// TrackExceptionEvent. Informational: the TrackEndEvent that follows carries the advance.
struct track_exception {
  std::uint64_t guild_id = 0;
  std::string node;
  lavalink::track track;
  lavalink::exception_info exception;
};

// TrackStuckEvent. The track has not ended; skipping (play the next track) is the bot's
// choice, and that skip is then the advance.
struct track_stuck {
  std::uint64_t guild_id = 0;
  std::string node;
  lavalink::track track;
  std::int64_t threshold_ms = 0;
};

// WebSocketClosedEvent: the node's Discord voice connection closed (4006, 4014, ...).
struct voice_closed {
  std::uint64_t guild_id = 0;
  std::string node;
  std::int32_t code = 0;
  std::string reason;
  bool by_remote = false;
};

// playerUpdate.
struct player_updated {
  std::uint64_t guild_id = 0;
  std::string node;
  std::int64_t position = 0;
  bool connected = false;
  std::int64_t ping = -1;
};

struct node_up {
  std::string node;
  bool resumed = false;  // the node kept the session: its players never stopped
};

struct node_down {
  std::string node;
  std::string reason;
};

// A player now plays on another node (failover, or move()); its queue is untouched.
struct player_moved {
  std::uint64_t guild_id = 0;
  std::string from;
  std::string to;
};

// No node could take the player within pool_options::no_node_grace: the bot must leave
// voice (gateway op 4 with channel_id null). The pool has forgotten the player; `last` is
// its final state so the bot can persist it and restore() it later.
struct leave_voice {
  std::uint64_t guild_id = 0;
  std::string node;  // the node it was on ("" if none)
  player_snapshot last;
};

using event = std::variant<track_started, track_ended, track_exception, track_stuck, voice_closed, player_updated,
                           node_up, node_down, player_moved, leave_voice>;

}  // namespace vb::llc
