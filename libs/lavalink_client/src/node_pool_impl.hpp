#pragma once
// Internal: the state behind vb::llc::node_pool, shared by node_pool.cpp (nodes, events,
// observation, tracks) and player_ops.cpp (voice, playback, failover).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <mutex>
#include <set>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/lavalink_client/node_pool.hpp"

namespace vb::llc {

namespace detail {

// Runs `t` on `ex` (the pool's strand) and resumes the caller with its result.
template <class T>
task<T> on_strand(asio::any_io_executor ex, task<T> t) {
  co_return co_await asio::co_spawn(ex, std::move(t), asio::use_awaitable);
}

inline task<void> on_strand(asio::any_io_executor ex, task<void> t) {
  co_await asio::co_spawn(ex, std::move(t), asio::use_awaitable);
}

}  // namespace detail

// One guild's player plus what the pool needs to route it. Strand only.
struct player_entry {
  player_entry(std::uint64_t guild, clock& c) : p(guild, c) {}

  llc::player p;
  node* n = nullptr;       // the node that plays (or last played) it; may be down
  std::string region;      // preferred region; "" any
  std::string home;        // restore(): the node it played on before the restart
  std::uint64_t gen = 0;   // bumped whenever the player changes node
  bool synced = false;     // `n` has this player's full state (else the next PATCH sends all of it)
  bool restored = false;   // restore(): its first PATCH replays a track the bot already announced
  std::optional<steady_time> orphaned_since;  // its node was lost and no other could take it
  bool removed = false;
  // A lock per player (strand only) so that PATCHes of one player reach its node in order.
  // Moving the player abandons it: a call stuck on a dead node no longer blocks anyone.
  bool held = false;
  std::deque<std::shared_ptr<asio::steady_timer>> waiters;
};
using entry_ptr = std::shared_ptr<player_entry>;

class entry_lock {
 public:
  entry_lock(entry_ptr e, std::uint64_t gen) : e_(std::move(e)), gen_(gen) {}
  entry_lock(entry_lock&& o) noexcept : e_(std::move(o.e_)), gen_(o.gen_) {}
  entry_lock& operator=(entry_lock&&) = delete;
  ~entry_lock() { release(); }
  // Still the lock holder of a player that has not moved or been destroyed since.
  bool current() const { return e_ && e_->gen == gen_ && !e_->removed; }
  void release();

 private:
  entry_ptr e_;
  std::uint64_t gen_;
};

struct node_pool::impl : std::enable_shared_from_this<node_pool::impl> {
  using ptr = std::shared_ptr<impl>;
  impl(asio::any_io_executor e, clock& c, std::vector<node_config> cfgs, pool_options o);

  asio::any_io_executor ex;
  clock& clk;
  const std::vector<node_config> configs;
  pool_options opts;
  log::logger log{"lavalink_client"};

  // Made by start() on the strand; `mu` guards the vector for the any-thread getters.
  mutable std::mutex mu;
  std::vector<std::unique_ptr<node>> nodes;

  // Strand only.
  std::map<std::uint64_t, entry_ptr> players;
  std::recursive_mutex handler_mu;
  event_handler handler;
  bool detached = false;
  bool started = false;
  bool stopped = false;
  std::map<std::string, std::set<std::uint64_t>> stale;  // node -> guilds moved off it while it was down
  std::map<std::uint64_t, std::string> regions;           // set_region()
  bool grace_running = false;
  timer* grace_timer = nullptr;

  // ---------------------------------------------------------------- node_pool.cpp
  void do_start(ptr self, std::uint64_t user_id, std::map<std::string, std::string> resume);
  void do_stop();
  void emit(event e);
  node* find_node(std::string_view name) const;
  // Live nodes, best first: `region` first (when given), then by penalty.
  std::vector<node*> ranked(const std::string& region, const node* exclude) const;
  node* best(const std::string& region, const node* exclude) const;
  std::size_t player_count(const node* n) const;
  void on_node_ready(ptr self, node* n, bool resumed, bool session_lost);
  void on_node_message(node* n, const lavalink::message& m);
  void on_node_lost(ptr self, node* n, const std::string& reason);
  entry_ptr find_player(std::uint64_t guild) const;
  entry_ptr ensure_player(std::uint64_t guild);
  void remove_player(const entry_ptr& e);
  std::string node_name(const node* n) const { return n ? n->name() : std::string(); }

  // ---------------------------------------------------------------- player_ops.cpp
  task<entry_lock> acquire(entry_ptr e);
  void abandon(const entry_ptr& e);
  // Sends `u` (or, when the node lacks the player, its whole state) to the player's node.
  task<expected<player_snapshot, rest_error>> send(entry_ptr e, entry_lock& lk, lavalink::player_update u,
                                                   bool no_replace);
  // Re-creates the player on `target` with its whole state (deferred while its voice is
  // incomplete). superseded: the player moved again or was destroyed meanwhile.
  enum class relocate_result { done, failed, superseded };
  task<relocate_result> relocate(ptr self, entry_ptr e, node* target, bool delete_old, bool replay);
  // Places every player of `lost` (or orphaned) on the best live node, else orphans it.
  task<void> run_failover(ptr self, entry_ptr e, const node* lost);
  task<void> run_grace(ptr self);
  task<void> run_cleanup_stale(ptr self, node* n, std::set<std::uint64_t> guilds);
  task<void> run_adopt(ptr self, node* n, std::vector<entry_lock> locks);
  void start_grace(ptr self);
  player_snapshot snapshot(const entry_ptr& e) const { return e->p.snapshot(node_name(e->n)); }
};

}  // namespace vb::llc
