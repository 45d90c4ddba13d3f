// The bot's wiring and lifecycle: REST identity, command sync, storage, nodes, gateway,
// the status API and metrics.
#include "vectobeat/bot/bot.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bot_impl.hpp"
#include "vectobeat/common/version.hpp"

namespace vb::bot {

namespace {

discord::rest_options rest_options_for(const settings& s) {
  auto o = discord::rest_options_from(s);
  return o;
}

// Runs `t` on `ex` and blocks the calling (non-I/O) thread until it finished.
template <class T>
T block_on(asio::any_io_executor ex, task<T> t) {
  auto fut = asio::co_spawn(ex, std::move(t), asio::use_future);
  return fut.get();
}

}  // namespace

std::optional<std::uint64_t> requester_of(const lavalink::track& t) {
  if (auto* r = t.user_data.if_contains("requester")) {
    if (r->is_string()) {
      std::uint64_t v = 0;
      auto s = r->as_string();
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && p == s.data() + s.size() && v) return v;
    } else if (r->is_uint64()) {
      return r->as_uint64();
    } else if (r->is_int64() && r->as_int64() > 0) {
      return static_cast<std::uint64_t>(r->as_int64());
    }
  }
  return std::nullopt;
}

storage::queue_entry make_entry(lavalink::track t, std::uint64_t requester) {
  t.user_data["requester"] = std::to_string(requester);
  storage::queue_entry e;
  e.track = std::move(t);
  e.requester = requester;
  return e;
}

bot::impl::impl(asio::any_io_executor io_ex, clock& c, settings config, bot_options o)
    : cfg(std::move(config)),
      opts(std::move(o)),
      clk(c),
      io(io_ex),
      strand(asio::make_strand(io_ex)),
      rest(io_ex, c, rest_options_for(cfg)),
      api(rest),
      embeds(cfg.theme) {
  commands_total = &metrics.counter_family("vectobeat_commands_total", "Commands handled", {"command", "status"});
  uptime_gauge = &metrics.gauge_metric("vectobeat_uptime_seconds", "Uptime of this process");
  guilds_gauge = &metrics.gauge_metric("vectobeat_guilds", "Guilds");
  players_gauge = &metrics.gauge_metric("vectobeat_lavalink_players", "Players");
  active_players_gauge = &metrics.gauge_metric("vectobeat_lavalink_active_players", "Players currently playing");
  queue_tracks_gauge = &metrics.gauge_metric("vectobeat_queue_tracks", "Tracks waiting in all queues");
  node_up = &metrics.gauge_family("vectobeat_lavalink_node_up", "1 when the node is connected", {"node"});
  shard_latency = &metrics.gauge_family("vectobeat_shard_latency_seconds", "Gateway heartbeat latency per shard", {"shard"});
  shard_guilds = &metrics.gauge_family("vectobeat_shard_guilds", "Guilds per shard", {"shard"});
}

// ------------------------------------------------------------------ start

task<expected<void, std::string>> bot::impl::run_start(ptr self) {
  started_at = clk.now();
  started_sys = clk.system_now();
  // Identity.
  auto me = co_await api.get_current_user();
  if (!me) co_return unexpected("Discord refused the bot token or is unreachable: " + me.error().describe());
  bot_user = me->id;
  auto app = co_await api.get_current_application();
  application = app ? app->id : me->id;
  lg.info("logged in as {} ({})", me->username, bot_user.value());

  // Storage, and the queues to restore once their guilds are available.
  try {
    db = std::make_unique<storage::async_storage>(storage::open_stores(cfg));
  } catch (const std::exception& e) {
    co_return unexpected(std::string("storage: ") + e.what());
  }
  auto fn = [](storage::stores& s) -> std::vector<storage::queue_state> {
    std::vector<storage::queue_state> out;
    auto ids = s.queues->guilds();
    if (!ids) return out;
    for (auto g : *ids)
      if (auto q = s.queues->get(g); q && *q) out.push_back(std::move(**q));
    return out;
  };
  auto saved = co_await db->run(fn);
  for (auto& q : saved)
    if (q.current || !q.entries.empty()) pending_restore[q.guild_id] = std::move(q);
  if (!pending_restore.empty()) lg.info("{} saved queue(s) to restore", pending_restore.size());

  // Commands.
  register_music_commands(self);
  register_info_commands(self);
  register_routing_commands(self);
  router = std::make_unique<interaction_router>(strand, clk, api, registry, router_options{opts.defer_after});
  std::weak_ptr<impl> weak = self;
  router->set_gate_checker([weak](const command_spec& spec, command_context& ctx) -> task<std::optional<std::string>> {
    auto s = weak.lock();
    if (!s) co_return std::optional<std::string>("The bot is shutting down.");
    co_return co_await s->check_gates(spec, ctx);
  });
  router->set_result_observer([this](const std::string& name, bool ok) {
    commands_total->with({name, ok ? "success" : "error"}).inc();
    commands_24h.add();
  });
  router->on_component("np", [weak](command_context& ctx) -> task<reply> {
    auto s = weak.lock();
    if (!s) co_return reply::failure("The bot is shutting down.");
    co_return co_await s->on_now_playing_button(s, ctx);
  });
  router->on_component("q", [weak](command_context& ctx) -> task<reply> {
    auto s = weak.lock();
    if (!s) co_return reply::failure("The bot is shutting down.");
    co_return co_await s->on_queue_page(s, ctx);
  });
  router->on_component("help", [weak](command_context& ctx) -> task<reply> {
    auto s = weak.lock();
    if (!s) co_return reply::failure("The bot is shutting down.");
    co_return co_await s->on_help_page(s, ctx);
  });
  if (cfg.bot.sync_commands_on_start) {
    auto r = co_await sync_commands();
    if (!r) lg.warn("command registration failed: {}", r.error());
  }

  // Nodes.
  pool = std::make_unique<llc::node_pool>(asio::make_strand(io), clk, llc::node_pool::nodes_from_settings(cfg),
                                          llc::node_pool::options_from_settings(cfg));
  pool->on_event([weak](const llc::event& e) {
    if (auto s = weak.lock()) spawn(s->strand, s->on_pool_event(s, e), "bot pool event");
  });

  // Gateway.
  auto info = co_await api.get_gateway_bot();
  if (!info) co_return unexpected("GET /gateway/bot failed: " + info.error().describe());
  auto go = discord::gateway_options_from(cfg);
  gw = std::make_unique<discord::shard_manager>(io, clk, std::move(go));
  subscribe(self);
  if (auto ec = gw->start(*info)) co_return unexpected("gateway: " + ec.message());

  // Status API and metrics.
  status_provider sp;
  sp.status_json = [weak]() -> task<std::string> {
    auto s = weak.lock();
    if (!s) co_return std::string("{}");
    co_return co_await s->status_json(s);
  };
  sp.metrics_text = [weak]() -> task<std::string> {
    auto s = weak.lock();
    if (!s) co_return std::string();
    co_return co_await s->render_metrics(s);
  };
  sp.reconcile = [weak](std::string route, std::uint64_t guild_id) -> task<std::string> {
    auto s = weak.lock();
    if (!s) co_return std::string(R"({"ok":false})");
    auto orig = co_await asio::this_coro::executor;
    co_await asio::post(asio::bind_executor(s->strand, asio::use_awaitable));
    auto body = co_await s->reconcile(s, std::move(route), guild_id);
    co_await asio::post(asio::bind_executor(orig, asio::use_awaitable));
    co_return body;
  };
  status = std::make_unique<status_server>(io, cfg.status_api, cfg.metrics, std::move(sp));
  try {
    status->start();
  } catch (const std::exception& e) {
    co_return unexpected(std::string("status API / metrics: ") + e.what());
  }
  spawn(strand, run_routing(self), "bot routing");
  co_return expected<void, std::string>{};
}

// POST /reconcile-settings: reload the guild's profile and trim its queue to the limit.
// POST /reconcile-routing: reload the profile and re-route its player (routing.cpp).
// Both drop the cached profile even when the guild has no player yet.
task<std::string> bot::impl::reconcile(ptr self, std::string route, std::uint64_t guild_id) {
  boost::json::object o{{"ok", true}, {"guildId", std::to_string(guild_id)}};
  if (!find_guild(guild_id) && !(gw && gw->cache().guild_info(discord::snowflake(guild_id)))) {
    o["note"] = "this bot is not in that guild";
    co_return boost::json::serialize(o);
  }
  auto& g = guild(guild_id);
  g.profile_loaded = false;
  co_await load_profile(g);
  if (route == "reconcile-settings") {
    auto* gs = find_guild(guild_id);
    std::size_t trimmed = 0;
    while (gs && gs->queue.size() > queue_limit(*gs)) {
      auto r = gs->queue.remove(gs->queue.size());
      (void)r;
      ++trimmed;
    }
    if (gs) persist(*gs);
    o["trimmed"] = trimmed;
  } else {
    auto r = co_await reroute(self, guild_id);
    o["region"] = r.region;
    o["moved"] = r.moved;
    o["from"] = r.from;
    o["to"] = r.to;
    o["note"] = r.note;
  }
  co_return boost::json::serialize(o);
}

task<expected<void, std::string>> bot::impl::sync_commands() {
  auto defs = registry.definitions();
  auto check = discord::validate(std::span<const discord::command_definition>(defs));
  if (!check) co_return unexpected("invalid command definitions: " + check.error().message());
  if (opts.command_guilds.empty()) {
    auto remote = co_await api.get_global_commands(application);
    if (remote && discord::commands_match(defs, *remote)) {
      lg.info("{} commands already registered; no overwrite", defs.size());
      co_return expected<void, std::string>{};
    }
    auto r = co_await api.bulk_overwrite_global_commands(application, defs);
    if (!r) co_return unexpected(r.error().describe());
    lg.info("registered {} commands (hash {})", defs.size(),
            discord::stable_hash(std::span<const discord::command_definition>(defs)));
    co_return expected<void, std::string>{};
  }
  for (auto g : opts.command_guilds) {
    auto remote = co_await api.get_guild_commands(application, discord::snowflake(g));
    if (remote && discord::commands_match(defs, *remote)) continue;
    auto r = co_await api.bulk_overwrite_guild_commands(application, discord::snowflake(g), defs);
    if (!r) co_return unexpected(r.error().describe());
  }
  co_return expected<void, std::string>{};
}

void bot::impl::subscribe(const ptr& self) {
  std::weak_ptr<impl> weak = self;
  auto& bus = gw->events();
  subs.push_back(bus.on<discord::ready_event>([weak](const discord::ready_event& e, const discord::event_context&) {
    auto s = weak.lock();
    if (!s || s->pool_started.exchange(true)) return;
    s->pool->start(e.self.id.value(), s->load_resume_sessions());
  }));
  subs.push_back(bus.on<discord::voice_state_update_event>(
      [weak](const discord::voice_state_update_event& e, const discord::event_context&) {
        if (auto s = weak.lock()) spawn(s->strand, s->on_voice_state(s, e.state), "bot voice state");
      }));
  subs.push_back(bus.on<discord::voice_server_update_event>(
      [weak](const discord::voice_server_update_event& e, const discord::event_context&) {
        if (auto s = weak.lock()) spawn(s->strand, s->on_voice_server(s, e), "bot voice server");
      }));
  subs.push_back(bus.on<discord::guild_create_event>([weak](const discord::guild_create_event& e, const discord::event_context&) {
    if (auto s = weak.lock()) spawn(s->strand, s->on_guild_available(s, e.g.id.value()), "bot guild available");
  }));
  subs.push_back(bus.on<discord::interaction_create_event>(
      [weak](const discord::interaction_create_event& e, const discord::event_context&) {
        auto s = weak.lock();
        if (!s || s->stopped) return;
        spawn(s->strand, s->run_interaction(s, e.in), "bot interaction");
      }));
}

// Holds the bot alive while the interaction is handled (a stop meanwhile must not free it).
task<void> bot::impl::run_interaction(ptr, discord::interaction in) { co_await router->handle(std::move(in)); }

// ------------------------------------------------------------------ resume sessions

namespace {
std::filesystem::path sessions_file(const settings& s) {
  return std::filesystem::path(s.bot.data_dir) / "lavalink-sessions.json";
}
}  // namespace

void bot::impl::save_resume_sessions() {
  if (!pool) return;
  boost::json::object o;
  for (auto& [name, id] : pool->resume_sessions()) o[name] = id;
  std::error_code ec;
  std::filesystem::create_directories(cfg.bot.data_dir, ec);
  std::ofstream f(sessions_file(cfg), std::ios::trunc);
  f << boost::json::serialize(o);
}

std::map<std::string, std::string> bot::impl::load_resume_sessions() const {
  std::map<std::string, std::string> out;
  std::ifstream f(sessions_file(cfg));
  if (!f) return out;
  std::stringstream ss;
  ss << f.rdbuf();
  if (ss.str().size() > 64 * 1024) return out;
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return out;
  for (auto& [k, id] : v.as_object())
    if (id.is_string() && id.as_string().size() < 256) out[std::string(k)] = std::string(id.as_string());
  return out;
}

// ------------------------------------------------------------------ stop

task<void> bot::impl::run_stop(ptr) {
  co_await asio::post(asio::bind_executor(strand, asio::use_awaitable));
  for (auto& w : timers)
    if (auto t = w.lock()) t->cancel();
  timers.clear();
  // Positions as the nodes report them now, so a restart resumes where we stopped.
  if (pool && db) {
    auto players = co_await pool->players();
    for (auto& p : players)
      if (auto* g = find_guild(p.guild_id)) {
        g->position = p.position;
        g->paused = p.paused;
        g->node = p.node;
      }
    for (auto& [id, g] : guilds)
      if (!g->queue.empty()) persist(*g);
  }
  if (db) co_await db->flush();
}

// ------------------------------------------------------------------ public API

bot::bot(asio::any_io_executor io, clock& clk, settings config, bot_options opts)
    : impl_(std::make_shared<impl>(std::move(io), clk, std::move(config), std::move(opts))) {}

bot::~bot() { stop(); }

expected<void, std::string> bot::start() {
  auto fn = [](std::shared_ptr<impl> s) -> task<expected<void, std::string>> { co_return co_await s->run_start(s); };
  return block_on(impl_->strand, fn(impl_));
}

void bot::stop() {
  if (impl_->stopped.exchange(true)) return;
  auto s = impl_;
  s->subs.clear();
  try {
    block_on(s->strand, s->run_stop(s));
  } catch (const std::exception& e) {
    s->lg.warn("saving queues at stop failed: {}", e.what());
  }
  s->save_resume_sessions();
  if (s->gw) s->gw->stop();
  if (s->pool) s->pool->stop();
  if (s->status) s->status->stop();
  s->rest.stop();
}

const command_registry& bot::commands() const { return impl_->registry; }

bool bot::wait_ready(std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (impl_->gw) {
      auto st = impl_->gw->status();
      bool all = !st.empty();
      for (auto& s : st) all = all && s.state == discord::shard_state::ready;
      if (all && impl_->pool_started && impl_->pool && impl_->pool->best_node(std::string())) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::optional<guild_view> bot::guild(std::uint64_t guild_id) const {
  auto s = impl_;
  auto fn = [](std::shared_ptr<impl> s, std::uint64_t id) -> task<std::optional<guild_view>> {
    auto* g = s->find_guild(id);
    if (!g) co_return std::nullopt;
    co_return s->view(*g);
  };
  return block_on(s->strand, fn(s, guild_id));
}

std::uint16_t bot::status_api_port() const { return impl_->status ? impl_->status->status_port() : 0; }
std::uint16_t bot::metrics_port() const { return impl_->status ? impl_->status->metrics_port() : 0; }

std::string bot::metrics_text() const {
  auto s = impl_;
  return block_on(s->strand, s->render_metrics(s));
}

}  // namespace vb::bot
