#pragma once
// Internal: what the node's sessions, players and HTTP handlers share. Owned through a
// shared_ptr by the node_server, the sessions and players, and the REST handlers while they
// run. Work that may sit in a queue this state owns (the loader's, the workers') holds it only
// weakly, never through a shared_ptr: otherwise a stopped queue would keep it alive forever.
// node_server::stop() shuts the parts down in order.
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/node/frame_scheduler.hpp"
#include "vectobeat/node/node_config.hpp"
#include "vectobeat/node/source_manager.hpp"
#include "vectobeat/node/stats_collector.hpp"

namespace vb::node::detail {

class session;

struct node_state {
  node_state(asio::any_io_executor io_ex, vb::clock& clk, node_config cfg, scheduler_options sched);
  ~node_state();

  asio::any_io_executor io;
  vb::clock& clock;
  node_config config;
  std::unique_ptr<asio::thread_pool> loader;  // blocking work: probing, opening, seeking, the resolver
  std::unique_ptr<frame_scheduler> scheduler;
  // Shared so that a track being opened keeps the sources, not the node, alive.
  std::shared_ptr<source_manager> sources;
  stats_collector stats;
  log::logger log{"node"};
  std::atomic<bool> stopping{false};

  std::mutex sessions_mu;
  std::map<std::string, std::shared_ptr<session>, std::less<>> sessions;

  std::shared_ptr<session> find_session(std::string_view id);
  void remove_session(const std::string& id);
  std::string new_session_id();
  // Node-wide Stats without frameStats (each session's lock is taken alone, never nested).
  lavalink::stats node_stats();
  // Stops sessions (players destroyed, their opens cancelled), cancels every load and open
  // still in progress, waits for the loader's in-flight jobs (quick once cancelled), then
  // stops the workers. Idempotent; never call it on a loader thread.
  void stop();
};

}  // namespace vb::node::detail
