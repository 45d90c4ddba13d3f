#pragma once
// Internal: the state behind vb::llc::node, shared by node.cpp (session) and
// node_rest.cpp (REST).
#include <atomic>
#include <mutex>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/lavalink_client/node.hpp"

namespace vb::llc {

struct node::impl : std::enable_shared_from_this<node::impl> {
  using ptr = std::shared_ptr<impl>;

  impl(asio::any_io_executor e, clock& c, node_config cf, node_options o, node_callbacks cb);

  // ---------------------------------------------------------------- immutable
  asio::any_io_executor ex;
  clock& clk;
  const node_config cfg;
  const node_options opts;
  const std::string client_name;
  net::http_client http;
  log::logger log{"lavalink_client"};
  log::rate_limit bad_message_limit;

  // ---------------------------------------------------------------- any thread
  mutable std::mutex mu;
  std::optional<std::string> session;
  std::optional<lavalink::stats> last_stats;
  std::optional<lavalink::info> node_info;
  std::atomic<node_status> state{node_status::idle};
  std::recursive_mutex callback_mu;
  node_callbacks callbacks;
  bool detached = false;

  // ---------------------------------------------------------------- on ex only
  bool started = false;
  bool stopping = false;
  std::shared_ptr<net::websocket> ws;
  std::uint64_t ws_gen = 0;
  bool got_ready = false;             // the current socket received `ready`
  bool resumable = false;             // the node accepted resuming for `session`
  std::optional<std::string> lost_reason;  // set when we end the socket ourselves
  steady_time connected_at{};
  steady_time ready_at{};
  steady_time last_stats_at{};
  steady_time lost_at{};
  timer* backoff_timer = nullptr;
  timer* watchdog_timer = nullptr;

  // ---------------------------------------------------------------- session (node.cpp)
  void set_status(node_status s);
  std::optional<std::string> resume_candidate() const;
  void do_start(ptr self);
  void do_stop();
  task<void> run_main(ptr self);
  task<void> run_reader(ptr self, std::shared_ptr<net::websocket> w, std::uint64_t gen);
  task<void> run_watchdog(ptr self, std::uint64_t gen);
  task<void> run_configure(ptr self, std::uint64_t gen, std::string session_id);
  task<bool> backoff(ptr self, int failures, steady_time since);
  void on_text(const ptr& self, std::uint64_t gen, const std::string& text);
  void emit_ready(bool resumed, bool session_lost);
  void emit_message(const lavalink::message& m);
  void emit_lost(const std::string& reason);

  // ---------------------------------------------------------------- REST (node_rest.cpp)
  task<expected<net::http_response, rest_error>> call(std::string method, std::string path, std::string body);
  expected<std::string, rest_error> session_path() const;
};

// Internal helpers for tests of the REST error mapping.
rest_error error_from_response(const net::http_response& r);

}  // namespace vb::llc
