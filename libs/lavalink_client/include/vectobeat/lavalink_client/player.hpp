#pragma once
// One guild's player as the client knows it: what the bot asked for (track, paused,
// volume, filters, end time), what the node last reported (position, connected, ping),
// and the Discord voice information collected for the node (lavalink-v4.md §9.3).
// Pure state, no I/O: node_pool drives it and sends the PATCH bodies it builds.
//
// Threading: not synchronised; node_pool uses it on its strand only.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/lavalink/filters.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/player_update.hpp"
#include "vectobeat/lavalink/track.hpp"

namespace vb::llc {

inline constexpr std::int32_t max_volume = 1000;  // Lavalink's player volume range is 0..1000

// A copy of a player's state for the bot, the status API and persistence.
struct player_snapshot {
  std::uint64_t guild_id = 0;
  std::string node;                        // the node that plays it; "" when none
  std::optional<lavalink::track> track;    // the current track (with the bot's userData)
  std::int64_t position = 0;               // ms, extrapolated to now while playing
  bool paused = false;
  std::int32_t volume = 100;
  lavalink::filters filters;
  std::optional<std::int64_t> end_time;    // ms, the current track's end marker
  bool connected = false;                  // the node's voice connection to Discord
  std::int64_t ping = -1;
  std::optional<std::uint64_t> channel_id; // the voice channel, from VOICE_STATE_UPDATE
};

// What the client decided about a track event (exactly one advance per ended track, §9.3 #6).
struct end_decision {
  bool forward = true;          // false: a duplicate end of a track already reported
  bool may_start_next = false;  // the bot should start the next track
};

class player {
 public:
  player(std::uint64_t guild_id, clock& clk) : guild_id_(guild_id), clk_(&clk) {}

  std::uint64_t guild_id() const noexcept { return guild_id_; }

  // ------------------------------------------------------------------ voice (§9.3 #2-#4)
  // The bot's own VOICE_STATE_UPDATE. A null channel means it left voice: the voice info
  // is incomplete until it joins again. Returns the voice to PATCH when all four fields
  // are known and something changed, else nullopt.
  std::optional<lavalink::voice_state> on_voice_state(std::string session_id, std::optional<std::uint64_t> channel_id);
  // VOICE_SERVER_UPDATE. `endpoint` null: the voice server is being reallocated; nothing is
  // sent until the next update. Otherwise the voice is (re)sent whenever it is complete,
  // even when unchanged (the token changes with every move).
  std::optional<lavalink::voice_state> on_voice_server(std::string token, std::optional<std::string> endpoint);
  // All four fields, or nullopt.
  std::optional<lavalink::voice_state> voice() const;
  std::optional<std::uint64_t> channel_id() const noexcept { return channel_id_; }

  // ------------------------------------------------------------------ what the bot asked for
  // A new track is starting (play): position 0 unless `start_position`, pause as given.
  void set_track(lavalink::track t, std::int64_t start_position, bool paused, std::optional<std::int64_t> end_time);
  void clear_track();  // stop
  void set_paused(bool paused);
  void set_volume(std::int32_t volume) { volume_ = volume; }
  void set_filters(lavalink::filters f);
  void seek(std::int64_t position);
  const std::optional<lavalink::track>& track() const noexcept { return track_; }
  bool paused() const noexcept { return paused_; }
  std::int32_t volume() const noexcept { return volume_; }
  const lavalink::filters& filters() const noexcept { return filters_; }

  // ------------------------------------------------------------------ what the node reported
  // A PATCH or GET answer: the node's view of the track (by encoded), pause, volume, state.
  void apply(const lavalink::player& p);
  void apply(const lavalink::player_state& s);  // playerUpdate
  void on_track_start(const lavalink::track& t);
  // TrackEndEvent: decides whether the bot should advance. Only the end of the track the
  // player is playing counts (not a late end of a replaced track), and only once; the
  // reason must allow it (finished, loadFailed).
  end_decision on_track_end(const lavalink::track& t, lavalink::track_end_reason reason);
  void on_voice_closed() { connected_ = false; ping_ = -1; }

  // Position now, in ms: the last reported position advanced by the time since, scaled by
  // a timescale filter, while a track plays unpaused; capped at the track's length.
  std::int64_t position() const;
  bool playing() const noexcept { return track_.has_value() && !paused_; }

  // ------------------------------------------------------------------ moving
  // The node playing this player was lost: the position goes back by `rewind` (§9.5, the
  // original used 1 s) and stops advancing until a node reports it again.
  void on_node_lost(std::chrono::milliseconds rewind);
  // The PATCH that (re)creates this player on a node (§9.5): voice (when complete), the
  // current track at its position (not for streams), paused, volume, filters and end
  // time. `replay`: the next TrackStartEvent of that track is a replay, not news.
  lavalink::player_update restore_update(bool replay);
  // Whether this start is the replay of a restore (the bot should not announce it again).
  bool take_replay_flag(const lavalink::track& t);

  player_snapshot snapshot(std::string node_name) const;
  // Loads a snapshot (a bot restart): the state to restore once a node and voice exist.
  void load(const player_snapshot& s);

 private:
  void set_position(std::int64_t position);

  std::uint64_t guild_id_;
  clock* clk_;
  // voice
  std::string session_id_;
  std::optional<std::uint64_t> channel_id_;
  std::string token_;
  std::optional<std::string> endpoint_;
  // desired
  std::optional<lavalink::track> track_;
  std::optional<std::string> last_ended_;  // encoded track whose end was reported
  bool paused_ = false;
  std::int32_t volume_ = 100;
  lavalink::filters filters_;
  std::optional<std::int64_t> end_time_;
  // reported
  std::int64_t position_ = 0;
  steady_time position_at_{};
  bool stalled_ = false;  // no node plays it: the position does not advance
  bool connected_ = false;
  std::int64_t ping_ = -1;
  std::optional<std::string> replay_of_;  // encoded track whose next start is a replay
};

}  // namespace vb::llc
