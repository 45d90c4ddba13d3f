#include "vectobeat/fake_discord/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "actions.hpp"
#include "control_api.hpp"
#include "core.hpp"
#include "gateway.hpp"
#include "interactions.hpp"
#include "rate_limiter.hpp"
#include "rest_router.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/fake_discord/wav.hpp"
#include "voice_server.hpp"

namespace vb::fake {

using detail::core;
using detail::run_on_strand;

namespace {

constexpr std::chrono::seconds shutdown_wait{5};

bool starts_with_segment(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

task<net::http_response> handle_rest(std::shared_ptr<core> c, net::http_request req) {
  detail::task_guard guard(*c);
  auto res = c->rest->handle(req);
  c->notify();
  co_return res;
}

task<net::http_response> handle_control(std::shared_ptr<core> c, std::shared_ptr<detail::control_api> api,
                                        net::http_request req) {
  detail::task_guard guard(*c);
  co_return co_await api->handle(std::move(req));
}

task<std::optional<detail::voice_recorder>> copy_recorder(std::shared_ptr<core> c, std::uint64_t id) {
  co_return c->voice->recorder_copy(id);
}

task<void> run_gateway(std::shared_ptr<core> c, std::shared_ptr<net::websocket> ws) {
  detail::task_guard guard(*c);
  co_await c->gw->run_connection(std::move(ws));
}

// GET /control/v1/voice/connections/{id}/recording.wav: the recorder is copied on the
// strand and decoded here, on the HTTP connection's strand.
task<net::http_response> recording(std::shared_ptr<core> c, net::http_request req) {
  auto seg = req.path_segments();
  auto id = seg.size() >= 5 ? json::parse_u64(seg[4]) : std::nullopt;
  if (!id) co_return net::http_response::error(404, "unknown connection", std::string(req.path()));
  auto op = asio::co_spawn(c->strand, copy_recorder(c, *id), asio::use_awaitable);
  auto rec = co_await std::move(op);
  if (!rec) co_return net::http_response::error(404, "unknown connection", std::string(req.path()));
  auto pcm = rec->render();
  net::http_response res;
  res.status = 200;
  res.headers.set("Content-Type", "audio/wav");
  res.body = encode_wav(pcm);
  co_return res;
}

}  // namespace

struct server::impl {
  std::shared_ptr<core> c;
  std::shared_ptr<detail::control_api> control;
  std::unique_ptr<net::http_server> http;
  bool started = false;
  bool stopped = false;
};

server::server(asio::any_io_executor ex, clock& clk, server_options opts) : impl_(std::make_unique<impl>()) {
  impl_->c = std::make_shared<core>(std::move(ex), clk, std::move(opts));
  impl_->control = std::make_shared<detail::control_api>(*impl_->c);
}

server::~server() {
  stop();
  if (impl_->c->tasks.load() > 0 &&
      !impl_->c->wait_tasks_done(std::chrono::steady_clock::now() + shutdown_wait))
    impl_->c->log.warn("fake discord: {} task(s) still running at destruction", impl_->c->tasks.load());
}

void server::start() {
  auto& c = *impl_->c;
  if (impl_->started) throw std::runtime_error("fake discord: start() called twice");
  impl_->started = true;
  // Nothing runs on the strand yet, so the world is built here, on the caller's thread;
  // the listeners start afterwards.
  c.act->create_bot_user();
  if (c.opts.demo_guild) c.demo = c.act->create_demo();
  c.voice->start();

  std::weak_ptr<core> weak = impl_->c;
  std::weak_ptr<detail::control_api> weak_api = impl_->control;
  auto on_request = [weak, weak_api](net::http_request& req) -> task<net::http_response> {
    auto c = weak.lock();
    auto api = weak_api.lock();
    if (!c || !api || c->stopped) co_return net::http_response::error(503, "shutting down", std::string(req.path()));
    const auto path = req.path();
    if (starts_with_segment(path, "/api/v10")) {
      auto op = asio::co_spawn(c->strand, handle_rest(c, req), asio::use_awaitable);
      co_return co_await std::move(op);
    }
    if (starts_with_segment(path, "/control/v1")) {
      if (req.method == "GET" && path.ends_with("/recording.wav") && path.starts_with("/control/v1/voice/connections/")) {
        co_return co_await recording(c, req);
      }
      auto op = asio::co_spawn(c->strand, handle_control(c, api, req), asio::use_awaitable);
      co_return co_await std::move(op);
    }
    if (path.starts_with("/api/")) co_return net::http_response::json(404, R"({"message": "404: Not Found", "code": 0})");
    co_return net::http_response::error(404, "not found: REST is under /api/v10, the control API under /control/v1",
                                        std::string(path));
  };
  auto on_upgrade = [weak](net::http_request& req) -> task<net::upgrade_result> {
    auto c = weak.lock();
    if (!c || c->stopped) co_return net::http_response::error(503, "shutting down", std::string(req.path()));
    const auto path = req.path();
    if (path != "/" && path != "/gateway" && path != "/gateway/")
      co_return net::http_response::error(404, "the gateway is at /", std::string(path));
    net::ws_accept a;
    a.run = [weak](std::shared_ptr<net::websocket> ws) -> task<void> {
      auto c = weak.lock();
      if (!c) co_return;
      auto op = asio::co_spawn(c->strand, run_gateway(c, std::move(ws)), asio::use_awaitable);
      co_await std::move(op);
    };
    co_return a;
  };
  net::server_options so;
  so.name = "fake-discord";
  // Big enough to notice oversized gateway payloads ourselves (close 4002) instead of
  // letting the WebSocket layer fail the connection with 1009.
  so.limits.max_ws_message_bytes = 1u << 20;
  impl_->http = std::make_unique<net::http_server>(c.strand.get_inner_executor(), so, on_request, on_upgrade);
  c.port = impl_->http->listen(c.opts.address, c.opts.port);
  c.log.info("fake discord: REST {}/api/v10, gateway {}, voice {} ({}), control {}/control/v1", c.http_base(),
             c.gateway_url(), c.voice_endpoint(), c.opts.voice_tls ? "wss" : "ws", c.http_base());
}

void server::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  auto c = impl_->c;
  if (impl_->http) impl_->http->stop();
  auto stop_all = [c] {
    c->stopped = true;
    c->gw->stop();
    c->voice->stop();
    c->ix->stop();
    c->notify();
  };
  asio::post(c->strand, stop_all);
}

std::string server::rest_base() const { return impl_->c->http_base() + "/api/v10"; }
std::string server::gateway_url() const { return impl_->c->gateway_url(); }
std::string server::control_base() const { return impl_->c->http_base() + "/control/v1"; }
std::string server::voice_endpoint() const { return impl_->c->voice_endpoint(); }
std::uint16_t server::port() const { return impl_->c->port; }
std::uint16_t server::voice_port() const { return impl_->c->voice->port(); }
std::uint16_t server::voice_udp_port() const { return impl_->c->voice->udp_port(); }
std::string server::ca_file() const { return impl_->c->voice->ca_file(); }
snowflake server::application_id() const { return impl_->c->w.application_id; }
snowflake server::bot_user_id() const { return impl_->c->w.bot_id; }
std::optional<demo_ids> server::demo() const { return impl_->c->demo; }
const server_options& server::options() const { return impl_->c->opts; }

// ---------------------------------------------------------------- world building

snowflake server::create_user(const std::string& username, bool bot) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto id = c.act->create_user(username, bot);
    c.notify();
    return id;
  });
}

snowflake server::create_guild(const std::string& name, snowflake owner) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto id = c.act->create_guild(name, owner);
    c.notify();
    return id;
  });
}

expected<snowflake, std::error_code> server::create_channel(snowflake guild, const std::string& name, channel_type type,
                                                            int user_limit) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto r = c.act->create_channel(guild, name, type, user_limit);
    c.notify();
    return r;
  });
}

expected<snowflake, std::error_code> server::create_role(snowflake guild, const std::string& name,
                                                         std::uint64_t permissions) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto r = c.act->create_role(guild, name, permissions);
    c.notify();
    return r;
  });
}

std::error_code server::add_member(snowflake guild, snowflake user, std::vector<snowflake> roles) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto ec = c.act->add_member(guild, user, std::move(roles));
    c.notify();
    return ec;
  });
}

std::error_code server::remove_member(snowflake guild, snowflake user) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto ec = c.act->remove_member(guild, user);
    c.notify();
    return ec;
  });
}

std::error_code server::set_user_voice(snowflake guild, snowflake user, snowflake channel, bool self_mute,
                                       bool self_deaf) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto ec = c.act->set_user_voice(guild, user, channel, self_mute, self_deaf);
    c.notify();
    return ec;
  });
}

// ---------------------------------------------------------------- reading

std::optional<guild> server::find_guild(snowflake id) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&]() -> std::optional<guild> {
    auto* g = c.w.find_guild(id);
    if (!g) return std::nullopt;
    return c.w.snapshot(*g);
  });
}

std::vector<message> server::messages(snowflake channel) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] { return c.w.channel_messages(channel); });
}

std::optional<message> server::find_message(snowflake id) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&]() -> std::optional<message> {
    auto* m = c.w.find_message(id);
    if (!m) return std::nullopt;
    return *m;
  });
}

std::optional<interaction> server::find_interaction(snowflake id) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&]() -> std::optional<interaction> {
    auto* r = c.ix->find(id);
    if (!r) return std::nullopt;
    return c.ix->snapshot(*r);
  });
}

std::vector<application_command> server::commands(snowflake guild) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto* list = c.w.find_commands(guild);
    return list ? *list : std::vector<application_command>{};
  });
}

std::optional<voice_state> server::bot_voice_state(snowflake guild) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&]() -> std::optional<voice_state> {
    auto* g = c.w.find_guild(guild);
    if (!g) return std::nullopt;
    auto it = g->voice_states.find(c.w.bot_id);
    if (it == g->voice_states.end()) return std::nullopt;
    return it->second;
  });
}

std::vector<gateway_session_info> server::gateway_sessions() const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] { return c.gw->sessions(); });
}

std::vector<voice_connection_info> server::voice_connections() const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] { return c.voice->connections(); });
}

std::optional<voice_connection_info> server::voice_connection(std::uint64_t id) const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] { return c.voice->connection(id); });
}

expected<std::string, std::error_code> server::recording_wav(std::uint64_t id) const {
  auto& c = *impl_->c;
  auto rec = run_on_strand(c, [&] { return c.voice->recorder_copy(id); });
  if (!rec) return unexpected(make_error_code(fake_error::unknown_connection));
  return encode_wav(rec->render());
}

rest_stats server::rest_statistics() const {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] { return c.limits->stats(); });
}

// ---------------------------------------------------------------- interactions

expected<interaction, std::error_code> server::start_command(const command_invocation& inv) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto r = c.ix->start_command(inv, interaction_type::application_command);
    c.notify();
    return r;
  });
}

expected<interaction, std::error_code> server::start_autocomplete(const command_invocation& inv) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto r = c.ix->start_command(inv, interaction_type::autocomplete);
    c.notify();
    return r;
  });
}

expected<interaction, std::error_code> server::start_component(const component_invocation& inv) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto r = c.ix->start_component(inv);
    c.notify();
    return r;
  });
}

expected<interaction, std::error_code> server::start_modal_submit(const modal_submission& m) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto r = c.ix->start_modal_submit(m);
    c.notify();
    return r;
  });
}

namespace {

// Re-evaluates `probe` on the strand after every state change until it yields a value or
// `timeout` (real time) passes.
template <class F>
auto wait_until(core& c, std::chrono::milliseconds timeout, F probe) -> decltype(probe()) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto seen = c.version();
    auto r = run_on_strand(c, probe);
    if (r) return r;
    if (!c.wait_version_change(seen, deadline)) return run_on_strand(c, probe);
  }
}

}  // namespace

expected<interaction, std::error_code> server::wait_for_response(snowflake id, std::chrono::milliseconds timeout) {
  auto& c = *impl_->c;
  bool known = true;
  auto r = wait_until(c, timeout, [&]() -> std::optional<interaction> {
    auto* rec = c.ix->find(id);
    if (!rec) {
      known = false;
      return interaction{};
    }
    auto snap = c.ix->snapshot(*rec);
    if (snap.callback_type || snap.expired) return snap;
    return std::nullopt;
  });
  if (!known) return unexpected(make_error_code(fake_error::unknown_interaction));
  if (!r) return unexpected(make_error_code(fake_error::timeout));
  return *r;
}

expected<interaction, std::error_code> server::invoke_command(const command_invocation& inv) {
  auto started = start_command(inv);
  if (!started) return started;
  return wait_for_response(started->id, options().interaction_deadline + std::chrono::seconds(1));
}

// ---------------------------------------------------------------- waits

bool server::wait_for_identify(int shard, std::chrono::milliseconds timeout, int count) {
  auto& c = *impl_->c;
  return wait_until(c, timeout, [&] { return c.gw->identify_count(shard) >= count; });
}

bool server::wait_for_resume(int shard, std::chrono::milliseconds timeout, int count) {
  auto& c = *impl_->c;
  return wait_until(c, timeout, [&] { return c.gw->resume_count(shard) >= count; });
}

std::optional<voice_state> server::wait_for_voice_state(snowflake guild, std::chrono::milliseconds timeout,
                                                        std::function<bool(const voice_state&)> pred) {
  auto& c = *impl_->c;
  return wait_until(c, timeout, [&]() -> std::optional<voice_state> {
    auto* g = c.w.find_guild(guild);
    if (!g) return std::nullopt;
    auto it = g->voice_states.find(c.w.bot_id);
    voice_state v;
    v.guild_id = guild;
    v.user_id = c.w.bot_id;
    if (it != g->voice_states.end()) v = it->second;
    const bool ok = pred ? pred(v) : v.channel_id != 0;
    if (ok) return v;
    return std::nullopt;
  });
}

std::optional<message> server::wait_for_message(snowflake channel, std::function<bool(const message&)> pred,
                                                std::chrono::milliseconds timeout) {
  auto& c = *impl_->c;
  return wait_until(c, timeout, [&]() -> std::optional<message> {
    if (auto* ids = c.w.channel_message_ids(channel))
      for (auto id : *ids)
        if (auto* m = c.w.find_message(id); m && (!pred || pred(*m))) return *m;
    return std::nullopt;
  });
}

std::optional<voice_connection_info> server::wait_for_voice_connection(
    snowflake guild, std::chrono::milliseconds timeout, std::function<bool(const voice_connection_info&)> pred) {
  auto& c = *impl_->c;
  return wait_until(c, timeout, [&]() -> std::optional<voice_connection_info> {
    for (auto& v : c.voice->connections())
      if (v.guild_id == guild && (pred ? pred(v) : (v.ready && !v.ended))) return v;
    return std::nullopt;
  });
}

// ---------------------------------------------------------------- faults

int server::inject_gateway_fault(int shard, gateway_fault f, std::uint16_t close_code) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto n = c.gw->inject_fault(shard, f, close_code);
    c.notify();
    return n;
  });
}

void server::stall_heartbeat_acks(int shard, bool stalled) {
  auto& c = *impl_->c;
  run_on_strand(c, [&] { c.gw->stall_heartbeat_acks(shard, stalled); });
}

void server::force_rate_limit(const rate_limit_fault& f) {
  auto& c = *impl_->c;
  run_on_strand(c, [&] { c.limits->force(f); });
}

std::error_code server::move_voice_server(snowflake guild) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] {
    auto ec = c.act->move_voice_server(guild);
    c.notify();
    return ec;
  });
}

std::error_code server::close_voice_connection(std::uint64_t id, std::uint16_t code) {
  auto& c = *impl_->c;
  return run_on_strand(c, [&] { return c.voice->close_connection(id, code); });
}

void server::push_dispatch(snowflake guild, const std::string& event, const boost::json::value& d) {
  auto& c = *impl_->c;
  run_on_strand(c, [&] {
    c.gw->dispatch_guild(guild, event, d, 0);
    c.notify();
  });
}

}  // namespace vb::fake
