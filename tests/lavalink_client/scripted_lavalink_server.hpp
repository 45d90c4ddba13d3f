#pragma once
// A scripted Lavalink v4 node for the client's tests, on common's http_server. It speaks
// the documented messages and status codes (lavalink-v4.md §2-§6): the WebSocket handshake
// with 401/400 and Session-Resumed, `ready`, resuming with queued messages, the REST routes
// the client uses with the PATCH semantics of §5, and the error body of §2.4. Tests tell it
// to drop the socket, stop sending stats (it only sends them when told), answer 4xx/5xx,
// or forget its sessions (a restarted node). Everything it received is recorded with the
// injected clock's time.
//
// Thread-safe: handlers run on the io threads, tests inspect and script from theirs.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/lavalink/load_result.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/session.hpp"
#include "vectobeat/lavalink/stats.hpp"
#include "vectobeat/lavalink/track.hpp"
#include "vectobeat/lavalink_client/node.hpp"
#include "test_track.hpp"

namespace vb::llc::test {

struct recorded_request {
  std::string method;
  std::string path;   // without the query
  std::string query;
  net::header_map headers;
  std::string body;
  steady_time at{};
};

struct scripted_node_options {
  std::string password = "youshallnotpass";
  std::string name = "node";  // session ids start with it
  bool stats_on_connect = true;  // one stats message right after ready
  bool track_events = true;      // TrackStart/TrackEnd(replaced|stopped) for PATCHed tracks
  std::vector<std::string> source_managers{"http", "youtube"};
};

class scripted_lavalink_server {
 public:
  scripted_lavalink_server(asio::any_io_executor ex, clock& clk, scripted_node_options opts = {});
  ~scripted_lavalink_server();

  std::uint16_t port() const;
  node_config config(std::string name, std::string region = "us") const;

  // ------------------------------------------------------------------ scripting
  void set_stats(lavalink::stats s);
  void send_stats();  // one stats message now (queued while the session is paused)
  void send(const lavalink::message& m);
  void send_text(std::string raw);
  void drop();                       // abort the current socket (no close frame)
  void close_socket(std::uint16_t code);
  void forget_sessions();            // a restarted node: sessions gone, socket dropped
  void refuse_connections(bool refuse);  // WebSocket upgrades get 503 (a node that is down)
  // The next `count` REST requests whose path starts with `path_prefix` get `status`.
  void fail_next(int status, std::string message, int count = 1, std::string path_prefix = "/");
  void set_load_result(std::string identifier, lavalink::load_result r);
  void set_player_position(std::uint64_t guild, std::int64_t position);

  // ------------------------------------------------------------------ observations
  std::vector<recorded_request> requests() const;
  std::vector<recorded_request> requests(const std::string& method, const std::string& path_prefix) const;
  int connections() const;       // WebSockets accepted
  int live_connections() const;  // WebSockets open now
  int rejected_handshakes() const;
  net::header_map last_handshake() const;
  std::optional<std::string> session_id() const;  // the session of the current (or last) socket
  bool last_resumed() const;
  lavalink::session_info session_config() const;
  std::map<std::uint64_t, lavalink::player> players() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::llc::test
