#include "node_state.hpp"

#include <random>

#include "session.hpp"

namespace vb::node::detail {

node_state::node_state(asio::any_io_executor io_ex, vb::clock& clk, node_config cfg, scheduler_options sched)
    : io(std::move(io_ex)), clock(clk), config(std::move(cfg)) {
  loader = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(std::max(config.loader_threads, 1)));
  if (sched.workers <= 0) sched.workers = config.effective_workers();
  scheduler = std::make_unique<frame_scheduler>(std::move(sched), loader->get_executor());
  sources = std::make_shared<source_manager>(io, loader->get_executor(), config);
}

node_state::~node_state() { stop(); }

std::shared_ptr<session> node_state::find_session(std::string_view id) {
  std::lock_guard lk(sessions_mu);
  auto it = sessions.find(id);
  return it == sessions.end() ? nullptr : it->second;
}

void node_state::remove_session(const std::string& id) {
  std::shared_ptr<session> s;  // released outside the lock
  std::lock_guard lk(sessions_mu);
  auto it = sessions.find(id);
  if (it == sessions.end()) return;
  s = std::move(it->second);
  sessions.erase(it);
}

std::string node_state::new_session_id() {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int> pick(0, 35);
  for (;;) {
    std::string id(16, 'a');
    for (auto& c : id) c = alphabet[pick(rng)];
    std::lock_guard lk(sessions_mu);
    if (sessions.find(id) == sessions.end()) return id;
  }
}

lavalink::stats node_state::node_stats() {
  std::vector<std::shared_ptr<session>> all;
  {
    std::lock_guard lk(sessions_mu);
    for (auto& [id, s] : sessions) all.push_back(s);
  }
  std::int32_t players = 0, playing = 0;
  for (auto& s : all) {
    std::lock_guard lk(s->mu);
    for (auto& [g, p] : s->players()) {
      ++players;
      if (p->playing()) ++playing;
    }
  }
  auto st = stats.collect();
  st.players = players;
  st.playing_players = playing;
  return st;
}

void node_state::stop() {
  if (stopping.exchange(true)) return;
  std::vector<std::shared_ptr<session>> all;
  {
    std::lock_guard lk(sessions_mu);
    for (auto& [id, s] : sessions) all.push_back(s);
    sessions.clear();
  }
  for (auto& s : all) s->shutdown();
  all.clear();
  // Probes blocked on a feed return at once; queued jobs see the cancellation and skip.
  sources->shutdown();
  // Wait for the loader's jobs instead of dropping them (thread_pool::stop()): a dropped job
  // would keep the coroutine waiting for it, and what that coroutine holds, for ever. Loader
  // jobs post to the workers, so the workers stop after.
  loader->join();
  scheduler->stop();
}

}  // namespace vb::node::detail
