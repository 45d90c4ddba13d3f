#pragma once
// Internal: one Lavalink client session (a WebSocket, its players, resuming).
//
// Threading: `mu` guards everything; coroutines (stats, resume timeout, player updates) run on
// the session's strand and take it when they wake; REST handlers take it directly.
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "node_state.hpp"
#include "player.hpp"
#include "vectobeat/common/net/websocket.hpp"
#include "vectobeat/lavalink/session.hpp"

namespace vb::node::detail {

class session : public std::enable_shared_from_this<session> {
 public:
  session(std::shared_ptr<node_state> st, std::string id, std::uint64_t user_id, std::string client_name);
  ~session();

  const std::string& id() const noexcept { return id_; }
  std::uint64_t user_id() const noexcept { return user_id_; }
  asio::any_io_executor strand() const { return strand_; }
  node_state& state() { return *st_; }

  std::mutex mu;

  // --- with `mu` held
  // Sends a message now, or queues it while a resumable session waits for its client.
  void send(std::string text, bool queue_while_paused = true);
  bool paused() const noexcept { return paused_; }
  lavalink::session_info info() const { return {resuming_, timeout_s_}; }
  void update(const lavalink::session_update& u);
  std::shared_ptr<player> find_player(std::uint64_t guild);
  std::shared_ptr<player> get_or_create_player(std::uint64_t guild);
  void destroy_player(std::uint64_t guild);
  const std::map<std::uint64_t, std::shared_ptr<player>>& players() const { return players_; }
  std::optional<lavalink::frame_stats> frame_stats() const;

  // --- without `mu` held
  // Serves a connected WebSocket until it closes: ready, queued messages (on resume), stats.
  task<void> run(std::shared_ptr<net::websocket> ws, bool resumed);
  // Closes the socket and destroys every player (node shutdown, or the resume window ended).
  void shutdown();
  // For the handshake: whether this session may be resumed now (resumable, and paused or with a
  // socket the client has evidently lost, which is then dropped).
  bool try_claim_for_resume();

 private:
  void on_disconnect(const std::shared_ptr<net::websocket>& ws);
  task<void> run_stats(std::shared_ptr<session> self, std::uint64_t conn);
  task<void> run_resume_timeout(std::shared_ptr<session> self, std::uint64_t pause_gen);
  void send_stats();

  std::shared_ptr<node_state> st_;
  std::string id_;
  std::uint64_t user_id_;
  std::string client_name_;
  asio::any_io_executor strand_;
  std::shared_ptr<net::websocket> ws_;
  std::uint64_t conn_gen_ = 0;
  bool resuming_ = false;
  std::int64_t timeout_s_ = lavalink::default_resume_timeout_s;
  bool paused_ = false;
  bool claimed_ = false;  // a resume handshake is attaching
  bool closed_ = false;
  std::uint64_t pause_gen_ = 0;
  std::deque<std::string> queued_;
  std::map<std::uint64_t, std::shared_ptr<player>> players_;
  std::shared_ptr<vb::timer> stats_timer_;
  std::shared_ptr<vb::timer> resume_timer_;
};

}  // namespace vb::node::detail
