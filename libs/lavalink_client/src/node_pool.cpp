// node_pool: the nodes, node selection, message routing and the public entry points.
// Voice, playback and failover are in player_ops.cpp.
#include "vectobeat/lavalink_client/node_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "node_pool_impl.hpp"
#include "vectobeat/common/settings.hpp"

namespace vb::llc {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

bool region_matches(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool no_region(const std::string& r) { return r.empty() || region_matches(r, "auto"); }

// Runs `t` on the pool's strand and resumes the caller on its own executor.
using detail::on_strand;

}  // namespace

void entry_lock::release() {
  if (!e_) return;
  auto e = std::move(e_);
  if (e->gen != gen_ || !e->held) return;  // abandoned by a move: not ours any more
  e->held = false;
  if (!e->waiters.empty()) {
    auto t = std::move(e->waiters.front());
    e->waiters.pop_front();
    t->cancel();
  }
}

// ------------------------------------------------------------------ impl

node_pool::impl::impl(asio::any_io_executor e, clock& c, std::vector<node_config> cfgs, pool_options o)
    : ex(std::move(e)), clk(c), configs(std::move(cfgs)), opts(std::move(o)) {}

void node_pool::impl::emit(event e) {
  std::lock_guard lk(handler_mu);
  if (detached || !handler) return;
  try {
    handler(e);
  } catch (const std::exception& x) {
    log.error("event handler threw: {}", x.what());
  }
}

void node_pool::impl::do_start(ptr self, std::uint64_t user_id, std::map<std::string, std::string> resume) {
  if (started || stopped) return;
  started = true;
  std::vector<node*> made;
  {
    std::lock_guard lk(mu);
    for (const auto& cfg : configs) {
      node_options o = opts.node;
      o.user_id = user_id;
      if (auto it = resume.find(cfg.name); it != resume.end()) o.resume_session_id = it->second;
      std::weak_ptr<impl> weak = self;
      auto holder = std::make_shared<node*>(nullptr);
      node_callbacks cb;
      cb.on_ready = [weak, holder](bool resumed, bool session_lost) {
        if (auto s = weak.lock()) s->on_node_ready(s, *holder, resumed, session_lost);
      };
      cb.on_message = [weak, holder](const lavalink::message& m) {
        if (auto s = weak.lock()) s->on_node_message(*holder, m);
      };
      cb.on_lost = [weak, holder](const std::string& reason) {
        if (auto s = weak.lock()) s->on_node_lost(s, *holder, reason);
      };
      nodes.push_back(std::make_unique<node>(ex, clk, cfg, std::move(o), std::move(cb)));
      *holder = nodes.back().get();
      made.push_back(nodes.back().get());
    }
  }
  log.info("starting {} Lavalink node(s) as user {}", made.size(), user_id);
  for (auto* n : made) n->start();
}

void node_pool::impl::do_stop() {
  if (stopped) return;
  stopped = true;
  if (grace_timer) grace_timer->cancel();
  std::vector<node*> all;
  {
    std::lock_guard lk(mu);
    for (auto& n : nodes) all.push_back(n.get());
  }
  for (auto* n : all) n->stop();
}

node* node_pool::impl::find_node(std::string_view name) const {
  std::lock_guard lk(mu);
  for (auto& n : nodes)
    if (n->name() == name) return n.get();
  return nullptr;
}

std::size_t node_pool::impl::player_count(const node* n) const {
  std::size_t c = 0;
  for (auto& [g, e] : players)
    if (e->n == n) ++c;
  return c;
}

// Live nodes ordered by: preferred region first, then penalty, then how many of our
// players they hold (nodes without stats yet share the load), then configuration order.
std::vector<node*> node_pool::impl::ranked(const std::string& region, const node* exclude) const {
  struct candidate {
    node* n;
    bool in_region;
    double penalty;
    std::size_t players;
    std::size_t index;
  };
  std::vector<candidate> c;
  {
    std::lock_guard lk(mu);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      node* n = nodes[i].get();
      if (n == exclude || !n->available()) continue;
      c.push_back({n, !no_region(region) && region_matches(region, n->config().region), n->penalty(), 0, i});
    }
  }
  for (auto& x : c) x.players = player_count(x.n);
  std::sort(c.begin(), c.end(), [](const candidate& a, const candidate& b) {
    if (a.in_region != b.in_region) return a.in_region;
    if (a.penalty != b.penalty) return a.penalty < b.penalty;
    if (a.players != b.players) return a.players < b.players;
    return a.index < b.index;
  });
  std::vector<node*> out;
  for (auto& x : c) out.push_back(x.n);
  return out;
}

node* node_pool::impl::best(const std::string& region, const node* exclude) const {
  auto r = ranked(region, exclude);
  return r.empty() ? nullptr : r.front();
}

entry_ptr node_pool::impl::find_player(std::uint64_t guild) const {
  auto it = players.find(guild);
  return it == players.end() ? nullptr : it->second;
}

entry_ptr node_pool::impl::ensure_player(std::uint64_t guild) {
  if (auto e = find_player(guild)) return e;
  auto e = std::make_shared<player_entry>(guild, clk);
  if (auto it = regions.find(guild); it != regions.end()) e->region = it->second;
  players.emplace(guild, e);
  return e;
}

void node_pool::impl::remove_player(const entry_ptr& e) {
  e->removed = true;
  abandon(e);
  players.erase(e->p.guild_id());
}

// ------------------------------------------------------------------ node callbacks (strand)

void node_pool::impl::on_node_ready(ptr self, node* n, bool resumed, bool session_lost) {
  if (stopped) return;
  emit(node_up{n->name(), resumed});
  if (session_lost) stale.erase(n->name());  // the old session and its players are gone
  if (resumed) {
    if (auto it = stale.find(n->name()); it != stale.end()) {
      auto guilds = std::move(it->second);
      stale.erase(it);
      spawn(ex, run_cleanup_stale(self, n, std::move(guilds)), "lavalink stale player cleanup");
    }
  }
  std::vector<entry_ptr> adopting;
  std::vector<entry_ptr> place;
  for (auto& [g, e] : players) {
    if (e->n == n) {
      if (resumed) {
        e->orphaned_since.reset();  // the node kept playing it
        if (!e->synced) adopting.push_back(e);
      } else {
        e->synced = false;
        place.push_back(e);  // re-create on the same node
      }
    } else if (!e->n && !e->home.empty() && e->home == n->name() && !e->synced) {
      e->n = n;
      if (resumed) adopting.push_back(e);
    } else if (e->orphaned_since || (e->n && !e->n->available() && e->synced) || (!e->n && e->p.voice())) {
      place.push_back(e);  // waiting for a node
    }
  }
  if (!adopting.empty()) {
    // Locked now, so a voice update arriving before the node's answer waits for it and
    // does not replay a track the node still plays.
    std::vector<entry_lock> locks;
    for (auto& e : adopting)
      if (!e->held) {
        e->held = true;
        locks.emplace_back(e, e->gen);
      }
    spawn(ex, run_adopt(self, n, std::move(locks)), "lavalink adopt players");
  }
  for (auto& e : place) {
    if (e->n == n) {
      auto fn = [](ptr s, entry_ptr en, node* target) -> task<void> {
        co_await s->relocate(s, en, target, false, true);
      };
      spawn(ex, fn(self, e, n), "lavalink restore player");
    } else {
      spawn(ex, run_failover(self, e, nullptr), "lavalink failover");
    }
  }
}

void node_pool::impl::on_node_lost(ptr self, node* n, const std::string& reason) {
  if (stopped) return;
  emit(node_down{n->name(), reason});
  std::vector<entry_ptr> moving;
  for (auto& [g, e] : players)
    if (e->n == n) moving.push_back(e);
  if (!moving.empty()) log.warn("[node {}] lost ({}): moving {} player(s)", n->name(), reason, moving.size());
  for (auto& e : moving) {
    e->p.on_node_lost(opts.failover_rewind);
    spawn(ex, run_failover(self, e, n), "lavalink failover");
  }
}

void node_pool::impl::on_node_message(node* n, const lavalink::message& m) {
  if (stopped) return;
  auto route = [&](std::uint64_t guild) -> entry_ptr {
    auto e = find_player(guild);
    if (!e) {
      log.debug("[node {}] message for guild {} without a player", n->name(), guild);
      return nullptr;
    }
    if (e->n != n) {
      log.debug("[node {}] dropping a late message for guild {} (now on {})", n->name(), guild, node_name(e->n));
      return nullptr;
    }
    return e;
  };
  std::visit(overloaded{
                 [&](const lavalink::player_update_message& u) {
                   auto e = route(u.guild_id);
                   if (!e) return;
                   e->p.apply(u.state);
                   emit(player_updated{u.guild_id, n->name(), e->p.position(), u.state.connected, u.state.ping});
                 },
                 [&](const lavalink::track_start_event& ev) {
                   auto e = route(ev.guild_id);
                   if (!e) return;
                   const bool replay = e->p.take_replay_flag(ev.track);
                   e->p.on_track_start(ev.track);
                   emit(track_started{ev.guild_id, n->name(), ev.track, replay});
                 },
                 [&](const lavalink::track_end_event& ev) {
                   auto e = route(ev.guild_id);
                   if (!e) return;
                   auto d = e->p.on_track_end(ev.track, ev.reason);
                   if (!d.forward) {
                     log.debug("[guild {}] dropping a repeated track end", ev.guild_id);
                     return;
                   }
                   emit(track_ended{ev.guild_id, n->name(), ev.track, ev.reason, d.may_start_next});
                 },
                 [&](const lavalink::track_exception_event& ev) {
                   if (!route(ev.guild_id)) return;
                   emit(track_exception{ev.guild_id, n->name(), ev.track, ev.exception});
                 },
                 [&](const lavalink::track_stuck_event& ev) {
                   if (!route(ev.guild_id)) return;
                   emit(track_stuck{ev.guild_id, n->name(), ev.track, ev.threshold_ms});
                 },
                 [&](const lavalink::websocket_closed_event& ev) {
                   auto e = route(ev.guild_id);
                   if (!e) return;
                   e->p.on_voice_closed();
                   emit(voice_closed{ev.guild_id, n->name(), ev.code, ev.reason, ev.by_remote});
                 },
                 [&](const auto&) {},
             },
             m);
}

// ------------------------------------------------------------------ node_pool

node_pool::node_pool(asio::any_io_executor ex, clock& clk, std::vector<node_config> nodes, pool_options opts)
    : impl_(std::make_shared<impl>(std::move(ex), clk, std::move(nodes), std::move(opts))) {}

node_pool::node_pool(asio::any_io_executor ex, clock& clk, const settings& s)
    : node_pool(std::move(ex), clk, nodes_from_settings(s), options_from_settings(s)) {}

node_pool::~node_pool() {
  {
    std::lock_guard lk(impl_->handler_mu);
    impl_->detached = true;
  }
  asio::post(impl_->ex, [self = impl_] { self->do_stop(); });
}

std::vector<node_config> node_pool::nodes_from_settings(const settings& s) {
  std::vector<node_config> out;
  for (const auto& n : s.lavalink_nodes) out.push_back(node_config::from_settings(n));
  return out;
}

pool_options node_pool::options_from_settings(const settings& s) {
  pool_options o;
  o.node.resume_timeout = std::chrono::seconds(s.lavalink_client.resume_timeout_seconds);
  o.node.stats_timeout = std::chrono::seconds(s.lavalink_client.stats_timeout_seconds);
  o.failover_rewind = std::chrono::milliseconds(s.lavalink_client.failover_rewind_ms);
  o.no_node_grace = std::chrono::seconds(s.lavalink_client.no_node_grace_seconds);
  return o;
}

void node_pool::on_event(event_handler handler) {
  std::lock_guard lk(impl_->handler_mu);
  impl_->handler = std::move(handler);
}

void node_pool::start(std::uint64_t bot_user_id, std::map<std::string, std::string> resume_sessions) {
  asio::post(impl_->ex, [self = impl_, bot_user_id, r = std::move(resume_sessions)]() mutable {
    self->do_start(self, bot_user_id, std::move(r));
  });
}

void node_pool::stop() {
  asio::post(impl_->ex, [self = impl_] { self->do_stop(); });
}

std::optional<std::string> node_pool::best_node(const std::string& region) const {
  struct candidate {
    std::string name;
    bool in_region;
    double penalty;
  };
  std::vector<candidate> c;
  {
    std::lock_guard lk(impl_->mu);
    for (auto& n : impl_->nodes)
      if (n->available())
        c.push_back({n->name(), !no_region(region) && region_matches(region, n->config().region), n->penalty()});
  }
  auto it = std::min_element(c.begin(), c.end(), [](const candidate& a, const candidate& b) {
    if (a.in_region != b.in_region) return a.in_region;
    return a.penalty < b.penalty;
  });
  if (it == c.end()) return std::nullopt;
  return it->name;
}

std::map<std::string, std::string> node_pool::resume_sessions() const {
  std::map<std::string, std::string> out;
  std::lock_guard lk(impl_->mu);
  for (auto& n : impl_->nodes)
    if (auto id = n->session_id()) out[n->name()] = *id;
  return out;
}

task<std::vector<node_view>> node_pool::nodes() const {
  auto self = impl_;
  auto body = [](std::shared_ptr<impl> s) -> task<std::vector<node_view>> {
    std::vector<node_view> out;
    std::vector<node*> all;
    {
      std::lock_guard lk(s->mu);
      for (auto& n : s->nodes) all.push_back(n.get());
    }
    if (all.empty()) {
      for (auto& c : s->configs) out.push_back({c.name, c.region, node_status::idle, std::nullopt, 0, 0});
      co_return out;
    }
    for (auto* n : all)
      out.push_back({n->name(), n->config().region, n->status(), n->stats(), n->penalty(), s->player_count(n)});
    co_return out;
  };
  co_return co_await on_strand(self->ex, body(self));
}

task<std::optional<player_snapshot>> node_pool::player(std::uint64_t guild_id) const {
  auto self = impl_;
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g) -> task<std::optional<player_snapshot>> {
    auto e = s->find_player(g);
    if (!e) co_return std::nullopt;
    co_return s->snapshot(e);
  };
  co_return co_await on_strand(self->ex, body(self, guild_id));
}

task<std::vector<player_snapshot>> node_pool::players() const {
  auto self = impl_;
  auto body = [](std::shared_ptr<impl> s) -> task<std::vector<player_snapshot>> {
    std::vector<player_snapshot> out;
    for (auto& [g, e] : s->players) out.push_back(s->snapshot(e));
    co_return out;
  };
  co_return co_await on_strand(self->ex, body(self));
}

task<void> node_pool::set_region(std::uint64_t guild_id, std::string region) {
  auto self = impl_;
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, std::string r) -> task<void> {
    if (no_region(r)) r.clear();
    s->regions[g] = r;
    if (auto e = s->find_player(g)) e->region = r;
    co_return;
  };
  co_await on_strand(self->ex, body(self, guild_id, std::move(region)));
}

task<expected<lavalink::load_result, rest_error>> node_pool::load_tracks(std::string identifier, std::string region) {
  auto self = impl_;
  auto pick = [](std::shared_ptr<impl> s, std::string r) -> task<std::vector<node*>> { co_return s->ranked(r, nullptr); };
  auto candidates = co_await on_strand(self->ex, pick(self, std::move(region)));
  if (candidates.empty())
    co_return unexpected(rest_error{client_errc::no_node, 0, "no Lavalink node is connected"});
  rest_error last;
  for (auto* n : candidates) {
    auto r = co_await n->load_tracks(identifier);
    if (r || !r.error().retryable_elsewhere()) co_return r;
    self->log.warn("[node {}] loadtracks failed ({}); trying the next node", n->name(), r.error().describe());
    last = std::move(r).error();
  }
  co_return unexpected(std::move(last));
}

task<expected<std::vector<lavalink::track>, rest_error>> node_pool::decode_tracks(std::vector<std::string> encoded) {
  auto self = impl_;
  auto pick = [](std::shared_ptr<impl> s) -> task<std::vector<node*>> { co_return s->ranked(std::string(), nullptr); };
  auto candidates = co_await on_strand(self->ex, pick(self));
  if (candidates.empty())
    co_return unexpected(rest_error{client_errc::no_node, 0, "no Lavalink node is connected"});
  rest_error last;
  for (auto* n : candidates) {
    auto r = co_await n->decode_tracks(encoded);
    if (r || !r.error().retryable_elsewhere()) co_return r;
    last = std::move(r).error();
  }
  co_return unexpected(std::move(last));
}

}  // namespace vb::llc
