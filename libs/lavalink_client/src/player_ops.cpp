// node_pool: voice forwarding, playback, moving players between nodes (failover, regional
// routing, restore after a restart) and the grace period when no node is live.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "node_pool_impl.hpp"
#include "vectobeat/common/timer_slot.hpp"

namespace vb::llc {

namespace {

using detail::on_strand;

rest_error not_found(std::uint64_t guild) {
  return {client_errc::player_not_found, 0, "no player for guild " + std::to_string(guild)};
}

rest_error invalid(std::string what) { return {client_errc::invalid_argument, 0, std::move(what)}; }

}  // namespace

// ------------------------------------------------------------------ per-player lock

task<entry_lock> node_pool::impl::acquire(entry_ptr e) {
  for (;;) {
    if (!e->held) {
      e->held = true;
      co_return entry_lock(e, e->gen);
    }
    auto t = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
    e->waiters.push_back(t);
    boost::system::error_code ec;
    co_await t->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// The player changes node: whoever holds the lock keeps running but no longer owns it,
// and every waiter retries.
void node_pool::impl::abandon(const entry_ptr& e) {
  ++e->gen;
  e->held = false;
  auto waiters = std::move(e->waiters);
  e->waiters.clear();
  for (auto& t : waiters) t->cancel();
}

// ------------------------------------------------------------------ sending

task<expected<player_snapshot, rest_error>> node_pool::impl::send(entry_ptr e, entry_lock& lk, lavalink::player_update u,
                                                                  bool no_replace) {
  node* n = e->n;
  if (!n || !n->available()) {
    if (e->orphaned_since || (n && e->synced))
      co_return unexpected(rest_error{client_errc::no_node, 0,
                                      "the player's node is down; the change is applied when a node takes it"});
    node* home = e->home.empty() ? nullptr : find_node(e->home);
    n = home && home->available() ? home : best(e->region, nullptr);
    if (!n) co_return unexpected(rest_error{client_errc::no_node, 0, "no Lavalink node is connected"});
    e->n = n;
    e->synced = false;
  }
  if (!e->synced) {
    // The node does not know this player yet: it gets the whole state in one PATCH, and
    // only together with complete voice (a track without voice would play to nobody).
    if (!e->p.voice()) co_return snapshot(e);
    u = e->p.restore_update(e->restored);
    no_replace = false;
  }
  auto r = co_await n->update_player(e->p.guild_id(), std::move(u), no_replace);
  if (!lk.current()) co_return snapshot(e);  // moved meanwhile: the move carried this change
  if (!r) co_return unexpected(std::move(r).error());
  e->p.apply(*r);
  e->synced = true;
  e->restored = false;
  co_return snapshot(e);
}

// ------------------------------------------------------------------ moving

task<node_pool::impl::relocate_result> node_pool::impl::relocate(ptr self, entry_ptr e, node* target, bool delete_old,
                                                                 bool replay) {
  node* from = e->n;
  abandon(e);
  e->n = target;
  e->synced = false;
  e->orphaned_since.reset();
  auto lk = co_await acquire(e);
  const auto guild = e->p.guild_id();
  if (e->p.voice()) {
    auto u = e->p.restore_update(replay);
    auto r = co_await target->update_player(guild, std::move(u), false);
    if (!lk.current()) co_return relocate_result::superseded;
    if (!r) {
      log.warn("[guild {}] cannot re-create the player on node {}: {}", guild, target->name(), r.error().describe());
      co_return relocate_result::failed;
    }
    e->p.apply(*r);
    e->synced = true;
  }
  if (from && from != target) {
    log.info("[guild {}] player moved from node {} to node {}", guild, from->name(), target->name());
    emit(player_moved{guild, from->name(), target->name()});
    if (delete_old && from->available()) {
      auto fn = [](ptr, node* old, std::uint64_t g) -> task<void> {
        auto r = co_await old->destroy_player(g);
        (void)r;
      };
      spawn(ex, fn(self, from, guild), "lavalink delete moved player");
    } else {
      stale[from->name()].insert(guild);
    }
  }
  co_return relocate_result::done;
}

task<void> node_pool::impl::run_failover(ptr self, entry_ptr e, const node* lost) {
  for (node* target : ranked(e->region, lost)) {
    if (e->removed || stopped) co_return;
    auto r = co_await relocate(self, e, target, false, true);
    if (r != relocate_result::failed) co_return;  // done, or someone else placed it
  }
  if (e->removed || stopped) co_return;
  if (e->n && e->n->available() && e->synced) co_return;
  if (!e->orphaned_since) {
    e->orphaned_since = clk.now();
    log.warn("[guild {}] no node can take the player; waiting {} ms for one", e->p.guild_id(),
             opts.no_node_grace.count());
  }
  start_grace(self);
}

void node_pool::impl::start_grace(ptr self) {
  if (grace_running || stopped) return;
  grace_running = true;
  spawn(ex, run_grace(std::move(self)), "lavalink no-node grace");
}

// Players that found no node within no_node_grace are given up: the bot leaves voice.
task<void> node_pool::impl::run_grace(ptr) {
  auto t = clk.make_timer(ex);
  timer_slot slot(grace_timer, t.get());
  for (;;) {
    std::optional<steady_time> next;
    for (auto& [g, e] : players)
      if (e->orphaned_since && (!next || *e->orphaned_since < *next)) next = e->orphaned_since;
    if (!next || stopped) break;
    if (!co_await t->wait_until(*next + opts.no_node_grace)) break;
    if (stopped) break;
    std::vector<entry_ptr> expired;
    for (auto& [g, e] : players)
      if (e->orphaned_since && *e->orphaned_since + opts.no_node_grace <= clk.now() &&
          !(e->n && e->n->available() && e->synced))
        expired.push_back(e);
    for (auto& e : expired) {
      auto last = snapshot(e);
      const auto from = node_name(e->n);
      log.warn("[guild {}] no node for {} ms: the bot should leave voice", e->p.guild_id(), opts.no_node_grace.count());
      if (e->n) stale[e->n->name()].insert(e->p.guild_id());
      remove_player(e);
      emit(leave_voice{last.guild_id, from, std::move(last)});
    }
  }
  grace_running = false;
}

task<void> node_pool::impl::run_cleanup_stale(ptr, node* n, std::set<std::uint64_t> guilds) {
  for (auto g : guilds) {
    auto e = find_player(g);
    if (e && e->n == n) continue;  // it came back to this node
    auto r = co_await n->destroy_player(g);
    if (!r) log.debug("[node {}] cannot delete the stale player of guild {}: {}", n->name(), g, r.error().describe());
  }
}

// The node resumed a session whose players we only know from restore(): take the node's
// state (it kept playing) instead of replaying ours.
// `locks`: the players being adopted, so that their next PATCH waits for the outcome.
task<void> node_pool::impl::run_adopt(ptr, node* n, std::vector<entry_lock> locks) {
  auto r = co_await n->get_players();
  if (!r) {
    log.warn("[node {}] cannot list the resumed players: {}", n->name(), r.error().describe());
    co_return;
  }
  for (auto& p : *r) {
    auto e = find_player(p.guild_id);
    if (!e || e->n != n || e->synced || !p.track) continue;
    if (!e->p.track() || e->p.track()->encoded != p.track->encoded)
      e->p.set_track(*p.track, p.state.position, p.paused, std::nullopt);
    else
      e->p.set_paused(p.paused);
    e->p.apply(p);
    e->p.set_volume(p.volume);
    e->p.set_filters(p.filters);
    e->synced = true;
    e->restored = false;
    log.info("[guild {}] resumed on node {} at {} ms", p.guild_id, n->name(), e->p.position());
  }
  locks.clear();  // changes that waited for the outcome go out now
}

// ------------------------------------------------------------------ public: voice

task<expected<void, rest_error>> node_pool::voice_state_update(std::uint64_t guild_id, std::string session_id,
                                                               std::optional<std::uint64_t> channel_id) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, std::string sid,
                 std::optional<std::uint64_t> ch) -> task<expected<void, rest_error>> {
    auto e = ch ? s->ensure_player(g) : s->find_player(g);
    if (!e) co_return expected<void, rest_error>{};
    auto lk = co_await s->acquire(e);
    auto v = e->p.on_voice_state(std::move(sid), ch);
    if (!v) co_return expected<void, rest_error>{};
    lavalink::player_update u;
    u.voice = *v;
    auto r = co_await s->send(e, lk, std::move(u), false);
    if (!r) co_return unexpected(std::move(r).error());
    co_return expected<void, rest_error>{};
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, std::move(session_id), channel_id));
}

task<expected<void, rest_error>> node_pool::voice_server_update(std::uint64_t guild_id, std::string token,
                                                                std::optional<std::string> endpoint) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, std::string tok,
                 std::optional<std::string> ep) -> task<expected<void, rest_error>> {
    auto e = s->ensure_player(g);
    auto lk = co_await s->acquire(e);
    auto v = e->p.on_voice_server(std::move(tok), std::move(ep));
    if (!v) co_return expected<void, rest_error>{};  // null endpoint or no voice state yet: wait
    lavalink::player_update u;
    u.voice = *v;
    auto r = co_await s->send(e, lk, std::move(u), false);
    if (!r) co_return unexpected(std::move(r).error());
    co_return expected<void, rest_error>{};
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, std::move(token), std::move(endpoint)));
}

// ------------------------------------------------------------------ public: playback

task<expected<player_snapshot, rest_error>> node_pool::play(std::uint64_t guild_id, lavalink::track track,
                                                            play_options opts) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, lavalink::track t,
                 play_options o) -> task<expected<player_snapshot, rest_error>> {
    if (t.encoded.empty()) co_return unexpected(invalid("the track has no encoded form"));
    if (o.start_position < 0) co_return unexpected(invalid("start position must not be negative"));
    if (o.end_time && *o.end_time <= 0) co_return unexpected(invalid("end time must be greater than 0"));
    auto e = s->ensure_player(g);
    auto lk = co_await s->acquire(e);
    if (o.no_replace && e->p.track()) co_return s->snapshot(e);  // what the node would do
    lavalink::player_update u;
    lavalink::track_update tu;
    tu.encoded = std::optional<std::string>(t.encoded);
    tu.user_data = t.user_data;
    u.track = std::move(tu);
    if (o.start_position > 0) u.position = o.start_position;
    if (o.end_time) u.end_time = std::optional<std::int64_t>(*o.end_time);
    u.paused = o.paused;
    e->p.set_track(std::move(t), o.start_position, o.paused, o.end_time);
    auto r = co_await s->send(e, lk, std::move(u), o.no_replace);
    if (!r && lk.current() && r.error().code == client_errc::http_status && r.error().status < 500) e->p.clear_track();
    co_return r;
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, std::move(track), opts));
}

task<expected<player_snapshot, rest_error>> node_pool::stop_track(std::uint64_t guild_id) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g) -> task<expected<player_snapshot, rest_error>> {
    auto e = s->find_player(g);
    if (!e) co_return unexpected(not_found(g));
    auto lk = co_await s->acquire(e);
    e->p.clear_track();
    lavalink::player_update u;
    lavalink::track_update tu;
    tu.encoded = std::optional<std::string>();
    u.track = std::move(tu);
    co_return co_await s->send(e, lk, std::move(u), false);
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id));
}

task<expected<player_snapshot, rest_error>> node_pool::pause(std::uint64_t guild_id, bool paused) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, bool p) -> task<expected<player_snapshot, rest_error>> {
    auto e = s->find_player(g);
    if (!e) co_return unexpected(not_found(g));
    auto lk = co_await s->acquire(e);
    e->p.set_paused(p);
    lavalink::player_update u;
    u.paused = p;
    co_return co_await s->send(e, lk, std::move(u), false);
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, paused));
}

task<expected<player_snapshot, rest_error>> node_pool::seek(std::uint64_t guild_id, std::int64_t position) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, std::int64_t pos) -> task<expected<player_snapshot, rest_error>> {
    if (pos < 0) co_return unexpected(invalid("position must not be negative"));
    auto e = s->find_player(g);
    if (!e) co_return unexpected(not_found(g));
    auto lk = co_await s->acquire(e);
    if (!e->p.track()) co_return unexpected(invalid("nothing is playing"));
    e->p.seek(pos);
    lavalink::player_update u;
    u.position = pos;
    co_return co_await s->send(e, lk, std::move(u), false);
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, position));
}

task<expected<player_snapshot, rest_error>> node_pool::set_volume(std::uint64_t guild_id, std::int32_t volume) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, std::int32_t v) -> task<expected<player_snapshot, rest_error>> {
    if (v < 0 || v > max_volume) co_return unexpected(invalid("volume must be between 0 and 1000"));
    auto e = s->find_player(g);
    if (!e) co_return unexpected(not_found(g));
    auto lk = co_await s->acquire(e);
    e->p.set_volume(v);
    lavalink::player_update u;
    u.volume = v;
    co_return co_await s->send(e, lk, std::move(u), false);
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, volume));
}

task<expected<player_snapshot, rest_error>> node_pool::set_filters(std::uint64_t guild_id, lavalink::filters filters) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g,
                 lavalink::filters f) -> task<expected<player_snapshot, rest_error>> {
    auto e = s->find_player(g);
    if (!e) co_return unexpected(not_found(g));
    auto lk = co_await s->acquire(e);
    auto previous = e->p.filters();
    e->p.set_filters(f);
    lavalink::player_update u;
    u.filters = std::move(f);
    auto r = co_await s->send(e, lk, std::move(u), false);
    // A filter the node refused (disabled in its config) must not be replayed on failover.
    if (!r && lk.current() && r.error().code == client_errc::http_status && r.error().status < 500)
      e->p.set_filters(std::move(previous));
    co_return r;
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, std::move(filters)));
}

task<expected<void, rest_error>> node_pool::destroy(std::uint64_t guild_id) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g) -> task<expected<void, rest_error>> {
    auto e = s->find_player(g);
    if (!e) co_return expected<void, rest_error>{};
    node* n = e->n;
    s->remove_player(e);
    if (!n) co_return expected<void, rest_error>{};
    if (!n->available()) {
      s->stale[n->name()].insert(g);
      co_return expected<void, rest_error>{};
    }
    auto r = co_await n->destroy_player(g);
    if (!r) co_return unexpected(std::move(r).error());
    co_return expected<void, rest_error>{};
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id));
}

task<void> node_pool::restore(player_snapshot saved) {
  auto body = [](std::shared_ptr<impl> s, player_snapshot sv) -> task<void> {
    auto e = s->ensure_player(sv.guild_id);
    auto lk = co_await s->acquire(e);
    e->p.load(sv);
    e->home = sv.node;
    e->synced = false;
    e->restored = true;
    node* home = sv.node.empty() ? nullptr : s->find_node(sv.node);
    e->n = home;
    if (home && home->available()) {
      std::vector<entry_lock> locks;
      locks.push_back(std::move(lk));  // held until the node answered
      spawn(s->ex, s->run_adopt(s, home, std::move(locks)), "lavalink adopt players");
    }
  };
  co_await on_strand(impl_->ex, body(impl_, std::move(saved)));
}

task<expected<player_snapshot, rest_error>> node_pool::move(std::uint64_t guild_id, std::string node_name) {
  auto body = [](std::shared_ptr<impl> s, std::uint64_t g, std::string name) -> task<expected<player_snapshot, rest_error>> {
    auto e = s->find_player(g);
    if (!e) co_return unexpected(not_found(g));
    node* target = s->find_node(name);
    if (!target || !target->available())
      co_return unexpected(rest_error{client_errc::no_node, 0, "node '" + name + "' is not connected"});
    if (e->n == target) co_return s->snapshot(e);
    node* from = e->n;
    const bool was_synced = e->synced;
    auto r = co_await s->relocate(s, e, target, true, true);
    if (r == impl::relocate_result::failed) {
      if (from && from->available() && e->n == target) {  // still playing where it was
        s->abandon(e);
        e->n = from;
        e->synced = was_synced;
      }
      co_return unexpected(rest_error{client_errc::transport, 0, "the player could not be created on node '" + name + "'"});
    }
    co_return s->snapshot(e);
  };
  co_return co_await on_strand(impl_->ex, body(impl_, guild_id, std::move(node_name)));
}

}  // namespace vb::llc
