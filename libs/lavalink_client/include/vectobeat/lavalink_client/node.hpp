#pragma once
// One Lavalink v4 node as the bot sees it (lavalink-v4.md §2, §3, §6, §9.2): the
// WebSocket session (ready, stats, playerUpdate, events) with resuming, reconnect with
// backoff and node-loss detection, plus the REST API.
//
//   node n(strand, clock, config, options, callbacks);
//   n.start();                        // connect; reconnects by itself until stop()
//   auto r = co_await n.load_tracks("https://example.com/a.mp3");
//
// Threading: construct, start() and stop() on `ex`, which must be a strand (or run by
// one thread): the session runs there and the callbacks are called there. The getters
// and the REST coroutines are safe from any thread and any executor.
// Lifetime: `clock` must outlive the node. After the destructor returns no callback is
// called (the session coroutine may still finish on `ex`, holding its own state).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/lavalink/info.hpp"
#include "vectobeat/lavalink/load_result.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/player_update.hpp"
#include "vectobeat/lavalink/session.hpp"
#include "vectobeat/lavalink/stats.hpp"
#include "vectobeat/lavalink_client/client_error.hpp"

namespace vb {
class clock;
struct lavalink_node_settings;
}  // namespace vb

namespace vb::llc {

// Where a node is and how to authenticate (settings.lavalink_nodes).
struct node_config {
  std::string name = "main";
  std::string host = "127.0.0.1";
  std::uint16_t port = 2333;
  std::string password = "youshallnotpass";  // secret: sent as `Authorization`, never logged
  bool https = false;                        // https/wss
  std::string region = "us";

  static node_config from_settings(const lavalink_node_settings& s);
  std::string http_base() const;  // "http://127.0.0.1:2333" (IPv6 hosts in brackets)
  std::string ws_url() const;     // "ws://127.0.0.1:2333/v4/websocket"
};

struct node_options {
  std::uint64_t user_id = 0;  // the bot's user id (`User-Id`); must be set
  std::string client_name;    // `Client-Name`; empty: "vectobeat/<version>"
  // Asked of the node after `ready` (PATCH /v4/sessions/{id} {resuming: true, timeout}).
  // A socket lost for less than this is resumed with `Session-Id`.
  std::chrono::seconds resume_timeout{60};
  // No `stats` message for this long counts as node loss (the node sends one every 60 s).
  std::chrono::milliseconds stats_timeout{70'000};
  // From the 101 to `ready`.
  std::chrono::milliseconds ready_timeout{10'000};
  std::chrono::milliseconds reconnect_initial{1'000};  // doubled per failed attempt
  std::chrono::milliseconds reconnect_max{30'000};
  int max_reconnect_attempts = 0;  // consecutive failed attempts before giving up; 0: never
  net::client_options http;        // REST and WebSocket: TLS, extra CA, limits, timeouts
  // Resume this session on the first connection (a bot restart within the node's resume
  // timeout keeps every player playing).
  std::optional<std::string> resume_session_id;
};

enum class node_status {
  idle,          // start() not called
  connecting,    // opening the WebSocket, or waiting for `ready`
  ready,         // session established: players can be used
  reconnecting,  // waiting before the next attempt
  stopped,       // stop() was called, or the node gave up (max_reconnect_attempts)
};
std::string_view to_string(node_status s) noexcept;

struct node_callbacks {
  // `ready` arrived. resumed: the node kept our session and its players. session_lost: we
  // had a session before and this is a new one, so the players of the old one are gone.
  std::function<void(bool resumed, bool session_lost)> on_ready;
  // Every message except `ready` and `stats`, in arrival order.
  std::function<void(const lavalink::message&)> on_message;
  // The session became unusable: the socket closed or stats stopped coming. Called once
  // per established (or attempted) session; reconnecting follows unless stopped.
  std::function<void(const std::string& reason)> on_lost;
};

class node {
 public:
  node(asio::any_io_executor ex, clock& clk, node_config cfg, node_options opts, node_callbacks cb = {});
  ~node();
  node(const node&) = delete;
  node& operator=(const node&) = delete;

  // Starts connecting. Idempotent. Call on `ex`.
  void start();
  // Closes the WebSocket (1000) and stops reconnecting; final. With resuming enabled the
  // node keeps the session's players for resume_timeout, so a restarted bot can resume
  // it (session_id()). Idempotent. Call on `ex`.
  void stop();

  const node_config& config() const noexcept;
  const std::string& name() const noexcept;
  node_status status() const noexcept;
  bool available() const noexcept { return status() == node_status::ready; }
  std::optional<std::string> session_id() const;
  std::optional<lavalink::stats> stats() const;  // from the last `stats` message
  std::optional<lavalink::info> info() const;    // GET /v4/info after `ready`
  // penalty(stats()), 0 without stats.
  double penalty() const;

  // REST (lavalink-v4.md §3). Safe from any executor; the result is delivered there.
  task<expected<lavalink::load_result, rest_error>> load_tracks(std::string identifier);
  task<expected<lavalink::track, rest_error>> decode_track(std::string encoded);
  task<expected<std::vector<lavalink::track>, rest_error>> decode_tracks(std::vector<std::string> encoded);
  task<expected<std::vector<lavalink::player>, rest_error>> get_players();
  task<expected<lavalink::player, rest_error>> get_player(std::uint64_t guild_id);
  // PATCH .../players/{guild}?noReplace=...: only the present fields are sent.
  task<expected<lavalink::player, rest_error>> update_player(std::uint64_t guild_id, lavalink::player_update update,
                                                             bool no_replace);
  task<expected<void, rest_error>> destroy_player(std::uint64_t guild_id);
  task<expected<lavalink::session_info, rest_error>> update_session(lavalink::session_update update);
  task<expected<lavalink::info, rest_error>> fetch_info();
  task<expected<lavalink::stats, rest_error>> fetch_stats();
  task<expected<std::string, rest_error>> fetch_version();

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::llc
