#pragma once
// The audio node as one object: a Lavalink v4 server (REST + WebSocket on common's
// http_server), its sessions and players, the sources, the frame scheduler's workers and the
// loader threads. `vectobeat node` runs one; `vectobeat up` embeds one in its process.
//
//   vb::runtime rt;
//   vb::node::node_server node(rt.executor(), vb::clock::system(), vb::node::make_node_config(s));
//   auto port = node.listen("127.0.0.1", 0);
//   rt.on_shutdown([&] { node.stop(); });
//   rt.run();
//
// Threading: safe from any thread. `io` is the I/O executor (a thread pool is fine); the node
// starts its own worker threads (config.worker_threads) and loader threads
// (config.loader_threads) in the constructor and joins them in stop(). `clk` drives the
// protocol timers (playerUpdate, stats, resume windows, voice heartbeats) and must outlive the
// node.
#include <cstdint>
#include <memory>
#include <string>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/node/frame_scheduler.hpp"
#include "vectobeat/node/node_config.hpp"

namespace vb::node {

class node_server {
 public:
  // `sched` overrides scheduling details (tests, the benchmark); workers <= 0 takes
  // config.worker_threads.
  node_server(asio::any_io_executor io, clock& clk, node_config config, scheduler_options sched = {});
  ~node_server();  // stop()
  node_server(const node_server&) = delete;
  node_server& operator=(const node_server&) = delete;

  // Binds and serves; port 0 picks a free port. Returns the bound port. Throws
  // std::runtime_error when binding fails.
  std::uint16_t listen(const std::string& address, std::uint16_t port);
  std::uint16_t port() const;

  // Closes every session (players destroyed, voice connections closed), stops listening, and
  // joins the workers and loaders. Idempotent.
  void stop();

  std::size_t session_count() const;
  std::size_t player_count() const;
  scheduler_stats frame_stats() const;
  void reset_frame_stats();
  // Frames sent / nulled by every player since start (tests, the benchmark).
  struct frame_totals {
    std::uint64_t sent = 0;
    std::uint64_t nulled = 0;
    std::size_t passthrough_players = 0;
  };
  frame_totals totals() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::node
