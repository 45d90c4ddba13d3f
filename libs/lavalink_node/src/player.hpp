#pragma once
// Internal: the control plane of one guild's player (Lavalink's LavalinkPlayer): the track,
// pause, volume, filters, end marker and voice state the REST API sees, the events the session
// sends, and the commands that drive its playback on the scheduler worker.
//
// Threading: every member runs with the owning session's mutex held (REST handlers take it;
// callbacks from the worker and the voice connection are posted to the session's strand and
// take it there). Nothing here blocks.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "node_state.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/track_codec.hpp"
#include "vectobeat/node/playback.hpp"
#include "vectobeat/voice/voice_connection.hpp"

namespace vb::node::detail {

class session;

class player : public std::enable_shared_from_this<player> {
 public:
  player(std::shared_ptr<node_state> st, std::weak_ptr<session> owner, std::uint64_t guild_id);
  ~player();
  // Creates the playback and attaches it to a worker (needs shared_from_this()).
  void start();

  std::uint64_t guild_id() const noexcept { return guild_id_; }
  lavalink::player model() const;
  lavalink::player_state state() const;
  bool has_track() const noexcept { return track_.has_value(); }
  // Has a track and is not paused (Lavalink's playingPlayers).
  bool playing() const noexcept { return track_.has_value() && !paused_; }
  const playback& data_plane() const { return *playback_; }

  // PATCH fields. set_voice() returns false when the connection could not be created.
  bool set_voice(session& s, const lavalink::voice_state& v);
  void set_paused(bool paused);
  void set_volume(int volume);
  void set_filters(session& s, lavalink::filters f);
  void seek(session& s, std::int64_t position_ms);
  void set_end_time(std::optional<std::int64_t> end_ms);
  void set_user_data(boost::json::object data);
  // Starts `t`: the current track (if any) ends with `replaced`, TrackStartEvent follows.
  void play(session& s, lavalink::track t, lavalink::decoded_track d, std::int64_t start_ms,
            std::optional<std::int64_t> end_ms, bool paused);
  // Stops the current track (TrackEndEvent `stopped`); nothing without a track.
  void stop(session& s);
  // Stops (with the event when `emit`), closes the voice connection and frees the playback.
  void destroy(session* s);

  // Sends a playerUpdate (dropped while the session is paused).
  void send_update(session& s);

  // Posted to the session strand by the worker and the voice connection.
  void on_track_end(session& s, std::uint64_t gen, lavalink::track_end_reason reason,
                    std::optional<lavalink::exception_info> exception);
  void on_track_stuck(session& s, std::uint64_t gen, std::chrono::milliseconds threshold);
  void on_voice_close(session& s, std::uint64_t voice_gen, const voice::voice_close_event& e);
  void on_voice_state(session& s, std::uint64_t voice_gen, voice::voice_state st);

 private:
  void end_current(session& s, lavalink::track_end_reason reason);
  void start_updates(session& s);
  lavalink::track current_track_json() const;
  template <class F>
  void on_worker(F&& fn);

  std::shared_ptr<node_state> st_;
  std::weak_ptr<session> owner_;
  std::uint64_t guild_id_;
  int worker_ = 0;
  std::shared_ptr<playback> playback_;
  std::shared_ptr<voice::voice_connection> voice_;
  std::uint64_t voice_gen_ = 0;
  lavalink::voice_state voice_state_;
  std::optional<lavalink::track> track_;
  std::uint64_t generation_ = 0;
  bool paused_ = false;
  int volume_ = 100;
  lavalink::filters filters_;
  std::optional<std::int64_t> end_ms_;
  std::shared_ptr<vb::timer> update_timer_;
  std::shared_ptr<open_cancel> opening_;  // the current track's open; cancelled when it is replaced or stopped
  bool destroyed_ = false;
};

}  // namespace vb::node::detail
