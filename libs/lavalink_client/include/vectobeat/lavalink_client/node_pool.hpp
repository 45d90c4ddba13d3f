#pragma once
// The bot's Lavalink client: every configured node, node selection by load and region,
// one player per guild, voice forwarding, and failover (lavalink-v4.md §9,
// vectobeat-contracts.md §3 "Node failover").
//
//   node_pool pool(runtime.make_strand(), clock, settings);   // lavalink_nodes + lavalink_client
//   pool.on_event([&](const llc::event& e) { ... });      // before start()
//   pool.start(bot_user_id);                                 // after Discord READY
//   co_await pool.voice_state_update(guild, session_id, channel_id);   // gateway events
//   co_await pool.voice_server_update(guild, token, endpoint);
//   auto r = co_await pool.load_tracks(std::string("ytsearch:..."), std::string());
//   co_await pool.play(guild, track, llc::play_options{});
//
// When a node is lost (socket closed, or no stats for 70 s), each of its players moves to
// the best live node: voice re-sent, the track replayed at its position - 1 s with its
// paused state, volume, filters and end time, and a player_moved event. When no node is
// live, players wait `no_node_grace` for one (a node that resumes its session keeps them
// playing); then the bot gets leave_voice.
//
// Threading: the pool runs on its executor, which must be a strand (or one thread). The
// coroutines may be awaited from any executor; they hop to the pool's strand and back.
// Events are delivered on the pool's strand, in order; the handler must not block.
// Lifetime: `clock` must outlive the pool. Destroy the pool after stop(), off its strand
// or on it; no event is delivered after the destructor returns.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/lavalink/filters.hpp"
#include "vectobeat/lavalink/load_result.hpp"
#include "vectobeat/lavalink/stats.hpp"
#include "vectobeat/lavalink/track.hpp"
#include "vectobeat/lavalink_client/client_error.hpp"
#include "vectobeat/lavalink_client/events.hpp"
#include "vectobeat/lavalink_client/node.hpp"
#include "vectobeat/lavalink_client/player.hpp"

namespace vb {
class clock;
struct settings;
}  // namespace vb

namespace vb::llc {

struct pool_options {
  node_options node;  // for every node; start() sets user_id
  // How far back a moved track restarts (contracts §3: position - 1000 ms).
  std::chrono::milliseconds failover_rewind{1000};
  // How long players of a lost node wait for a node when none is live.
  std::chrono::milliseconds no_node_grace{10'000};
};

struct play_options {
  std::int64_t start_position = 0;        // ms
  std::optional<std::int64_t> end_time;   // ms > 0
  bool paused = false;
  bool no_replace = false;                // keep a track that is already playing
};

// A node as the status API and /lavalink show it.
struct node_view {
  std::string name;
  std::string region;
  node_status status = node_status::idle;
  std::optional<lavalink::stats> stats;
  double penalty = 0;
  std::size_t players = 0;  // this client's players on it
};

class node_pool {
 public:
  using event_handler = std::function<void(const event&)>;

  node_pool(asio::any_io_executor ex, clock& clk, std::vector<node_config> nodes, pool_options opts);
  // settings.lavalink_nodes and settings.lavalink_client.
  node_pool(asio::any_io_executor ex, clock& clk, const settings& s);
  ~node_pool();
  node_pool(const node_pool&) = delete;
  node_pool& operator=(const node_pool&) = delete;

  static std::vector<node_config> nodes_from_settings(const settings& s);
  static pool_options options_from_settings(const settings& s);

  // Before start(). Called on the pool's strand; exceptions are logged and dropped.
  void on_event(event_handler handler);
  // Connects every node as `bot_user_id`. `resume_sessions` (node name -> session id, from
  // resume_sessions() of the previous process) resumes sessions across a bot restart.
  // Safe from any thread; idempotent.
  void start(std::uint64_t bot_user_id, std::map<std::string, std::string> resume_sessions);
  // Closes every node's WebSocket; resumable sessions keep playing on the nodes for their
  // resume timeout. Safe from any thread; final.
  void stop();

  // ------------------------------------------------------------------ observation
  // Any thread:
  // The live node with the lowest penalty, preferring `region` ("" or "auto": any).
  std::optional<std::string> best_node(const std::string& region) const;
  // node name -> session id of every node with a session, for start() after a restart.
  std::map<std::string, std::string> resume_sessions() const;
  // From any executor (they read the players on the pool's strand):
  task<std::vector<node_view>> nodes() const;
  task<std::optional<player_snapshot>> player(std::uint64_t guild_id) const;
  task<std::vector<player_snapshot>> players() const;

  // ------------------------------------------------------------------ guild settings
  // The guild's preferred node region ("" or "auto": none). Used when the guild's player
  // is placed on a node (creation, failover).
  task<void> set_region(std::uint64_t guild_id, std::string region);

  // ------------------------------------------------------------------ tracks
  // Loads on the best node for `region`; a node that fails with a transport error or a
  // 5xx is skipped for the next best. no_node when none is live.
  task<expected<lavalink::load_result, rest_error>> load_tracks(std::string identifier, std::string region);
  task<expected<std::vector<lavalink::track>, rest_error>> decode_tracks(std::vector<std::string> encoded);

  // ------------------------------------------------------------------ voice (§9.3)
  // The bot's own VOICE_STATE_UPDATE and every VOICE_SERVER_UPDATE of the guild. They
  // create the player (placed on the best node) and PATCH `voice` with all four fields
  // once known; a null endpoint waits for the next update.
  task<expected<void, rest_error>> voice_state_update(std::uint64_t guild_id, std::string session_id,
                                                      std::optional<std::uint64_t> channel_id);
  task<expected<void, rest_error>> voice_server_update(std::uint64_t guild_id, std::string token,
                                                       std::optional<std::string> endpoint);

  // ------------------------------------------------------------------ playback
  // Each returns the player's state after the node's answer. Without a player, play()
  // creates one; the others answer player_not_found.
  task<expected<player_snapshot, rest_error>> play(std::uint64_t guild_id, lavalink::track track, play_options opts);
  task<expected<player_snapshot, rest_error>> stop_track(std::uint64_t guild_id);
  task<expected<player_snapshot, rest_error>> pause(std::uint64_t guild_id, bool paused);
  task<expected<player_snapshot, rest_error>> seek(std::uint64_t guild_id, std::int64_t position);
  task<expected<player_snapshot, rest_error>> set_volume(std::uint64_t guild_id, std::int32_t volume);
  task<expected<player_snapshot, rest_error>> set_filters(std::uint64_t guild_id, lavalink::filters filters);
  // DELETE on the node and forget the player. Call after leaving voice.
  task<expected<void, rest_error>> destroy(std::uint64_t guild_id);

  // A player saved by a previous process: its track, position, paused state, volume and
  // filters are sent once the voice is complete (after the bot rejoined the channel). If
  // the saved node resumed its session and still plays the guild, that state is kept.
  task<void> restore(player_snapshot saved);
  // Moves a player to `node_name` (regional routing): replays there at its position, then
  // deletes it on the old node.
  task<expected<player_snapshot, rest_error>> move(std::uint64_t guild_id, std::string node_name);

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::llc
