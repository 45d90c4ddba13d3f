#include "vectobeat/lavalink_client/node.hpp"

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "node_impl.hpp"
#include "vectobeat/common/timer_slot.hpp"
#include "vectobeat/common/settings.hpp"
#include "vectobeat/common/version.hpp"
#include "vectobeat/lavalink_client/penalty.hpp"

namespace vb::llc {

using vb::cancel;
using vb::timer_slot;

std::string_view to_string(node_status s) noexcept {
  switch (s) {
    case node_status::idle: return "idle";
    case node_status::connecting: return "connecting";
    case node_status::ready: return "ready";
    case node_status::reconnecting: return "reconnecting";
    case node_status::stopped: return "stopped";
  }
  return "unknown";
}

// ------------------------------------------------------------------ node_config

node_config node_config::from_settings(const lavalink_node_settings& s) {
  return node_config{s.name, s.host, s.port, s.password, s.https, s.region};
}

namespace {

std::string host_port(const node_config& c) {
  const bool v6 = c.host.find(':') != std::string::npos && !c.host.starts_with("[");
  return (v6 ? "[" + c.host + "]" : c.host) + ":" + std::to_string(c.port);
}

}  // namespace

std::string node_config::http_base() const { return std::string(https ? "https://" : "http://") + host_port(*this); }
std::string node_config::ws_url() const {
  return std::string(https ? "wss://" : "ws://") + host_port(*this) + "/v4/websocket";
}

// ------------------------------------------------------------------ impl

namespace {

net::client_options rest_options(net::client_options o, const std::string& client_name) {
  o.user_agent = client_name;
  return o;
}

}  // namespace

node::impl::impl(asio::any_io_executor e, clock& c, node_config cf, node_options o, node_callbacks cb)
    : ex(std::move(e)),
      clk(c),
      cfg(std::move(cf)),
      opts(std::move(o)),
      client_name(opts.client_name.empty() ? "vectobeat/" + std::string(vb::version) : opts.client_name),
      http(ex, rest_options(opts.http, client_name)),
      callbacks(std::move(cb)) {}

void node::impl::set_status(node_status s) {
  if (state.exchange(s) != s) log.debug("[node {}] {}", cfg.name, to_string(s));
}

void node::impl::emit_ready(bool resumed, bool session_lost) {
  std::lock_guard lk(callback_mu);
  if (detached || !callbacks.on_ready) return;
  try {
    callbacks.on_ready(resumed, session_lost);
  } catch (const std::exception& e) {
    log.error("[node {}] on_ready callback threw: {}", cfg.name, e.what());
  }
}

void node::impl::emit_message(const lavalink::message& m) {
  std::lock_guard lk(callback_mu);
  if (detached || !callbacks.on_message) return;
  try {
    callbacks.on_message(m);
  } catch (const std::exception& e) {
    log.error("[node {}] on_message callback threw: {}", cfg.name, e.what());
  }
}

void node::impl::emit_lost(const std::string& reason) {
  std::lock_guard lk(callback_mu);
  if (detached || !callbacks.on_lost) return;
  try {
    callbacks.on_lost(reason);
  } catch (const std::exception& e) {
    log.error("[node {}] on_lost callback threw: {}", cfg.name, e.what());
  }
}

// The session to resume on the next connection: ours if the node accepted resuming and
// the resume window has not passed (by our clock; the node decides in the end).
std::optional<std::string> node::impl::resume_candidate() const {
  std::lock_guard lk(mu);
  if (!session || !resumable) return std::nullopt;
  if (clk.now() - lost_at >= opts.resume_timeout) return std::nullopt;
  return session;
}

void node::impl::do_start(ptr self) {
  if (started || stopping) return;
  started = true;
  if (opts.resume_session_id && !opts.resume_session_id->empty()) {
    std::lock_guard lk(mu);
    session = opts.resume_session_id;
    resumable = true;
    lost_at = clk.now();
  }
  spawn(ex, run_main(std::move(self)), "lavalink node session");
}

void node::impl::do_stop() {
  if (stopping) return;
  stopping = true;
  set_status(node_status::stopped);
  cancel(backoff_timer);
  cancel(watchdog_timer);
  if (ws) ws->close(1000, "client shutdown");
}

task<void> node::impl::run_main(ptr self) {
  int failures = 0;
  while (!stopping) {
    set_status(node_status::connecting);
    net::ws_connect_options wo;
    wo.client = opts.http;
    wo.client.user_agent = client_name;
    wo.headers.set("Authorization", cfg.password);
    wo.headers.set("User-Id", std::to_string(opts.user_id));
    wo.headers.set("Client-Name", client_name);
    const auto resume_id = resume_candidate();
    if (resume_id) wo.headers.set("Session-Id", *resume_id);
    log.debug("[node {}] connecting to {}{}", cfg.name, cfg.ws_url(), resume_id ? " (resuming)" : "");
    auto opened = co_await net::ws_connect(ex, cfg.ws_url(), std::move(wo));
    if (stopping) {
      if (opened) (*opened)->close(1000, "client shutdown");
      co_return;
    }
    if (!opened) {
      ++failures;
      const auto& err = opened.error();
      if (err.code == net::client_errc::upgrade_rejected && (err.http_status == 401 || err.http_status == 403))
        log.error("[node {}] the node refused the password (HTTP {}); check lavalink_nodes", cfg.name, err.http_status);
      else if (err.code == net::client_errc::upgrade_rejected)
        log.warn("[node {}] WebSocket upgrade rejected with HTTP {}", cfg.name, err.http_status);
      else
        log.warn("[node {}] cannot connect (attempt {}): {}", cfg.name, failures, err.message);
      if (opts.max_reconnect_attempts > 0 && failures >= opts.max_reconnect_attempts) {
        log.error("[node {}] giving up after {} failed attempts", cfg.name, failures);
        set_status(node_status::stopped);
        co_return;
      }
      if (!co_await backoff(self, failures, clk.now())) co_return;
      continue;
    }

    ws = *opened;
    const std::uint64_t gen = ++ws_gen;
    got_ready = false;
    lost_reason.reset();
    connected_at = clk.now();
    last_stats_at = connected_at;
    spawn(ex, run_watchdog(self, gen), "lavalink node watchdog");
    co_await run_reader(self, ws, gen);
    // The backoff counts from here, before anyone hears of the loss.
    const auto ended_at = clk.now();

    auto closed = ws;
    ws.reset();
    ++ws_gen;
    cancel(watchdog_timer);
    if (stopping) co_return;
    const auto ci = closed->close_info();
    const std::string reason =
        lost_reason ? *lost_reason
                    : "WebSocket closed (" + std::to_string(ci.code) + (ci.reason.empty() ? "" : " " + ci.reason) + ")";
    if (got_ready) {
      // A session that stayed up for a while starts the backoff afresh; a flapping one
      // keeps growing it.
      failures = clk.now() - ready_at >= opts.reconnect_max ? 1 : failures + 1;
      {
        std::lock_guard lk(mu);
        lost_at = ended_at;
      }
      log.warn("[node {}] session lost: {}", cfg.name, reason);
      set_status(node_status::reconnecting);
      emit_lost(reason);
    } else {
      ++failures;
      log.warn("[node {}] connection ended before ready: {}", cfg.name, reason);
    }
    if (stopping) co_return;
    if (opts.max_reconnect_attempts > 0 && failures > opts.max_reconnect_attempts) {
      log.error("[node {}] giving up after {} failed attempts", cfg.name, failures);
      set_status(node_status::stopped);
      co_return;
    }
    if (!co_await backoff(self, failures, ended_at)) co_return;
  }
}

task<bool> node::impl::backoff(ptr, int failures, steady_time since) {
  auto delay = opts.reconnect_initial;
  for (int i = 1; i < failures && delay < opts.reconnect_max; ++i) delay *= 2;
  delay = std::min(delay, opts.reconnect_max);
  set_status(node_status::reconnecting);
  log.debug("[node {}] reconnecting in {} ms", cfg.name, delay.count());
  auto t = clk.make_timer(ex);
  timer_slot slot(backoff_timer, t.get());
  const bool fired = co_await t->wait_until(since + delay);
  co_return fired && !stopping;
}

task<void> node::impl::run_reader(ptr self, std::shared_ptr<net::websocket> w, std::uint64_t gen) {
  for (;;) {
    auto m = co_await w->read();
    if (!m) co_return;
    if (gen != ws_gen || stopping || lost_reason) continue;  // drain until the close completes
    if (m->kind != net::ws_kind::text) {
      log.debug("[node {}] ignoring a binary message ({} bytes)", cfg.name, m->data.size());
      continue;
    }
    on_text(self, gen, m->data);
  }
}

// Ends the socket when `ready` does not come in time or stats stop coming (§9.2 #3).
task<void> node::impl::run_watchdog(ptr, std::uint64_t gen) {
  auto t = clk.make_timer(ex);
  timer_slot slot(watchdog_timer, t.get());
  for (;;) {
    auto deadline = got_ready ? last_stats_at + opts.stats_timeout : connected_at + opts.ready_timeout;
    const bool fired = co_await t->wait_until(deadline);
    if (!fired || gen != ws_gen || stopping || !ws) co_return;
    deadline = got_ready ? last_stats_at + opts.stats_timeout : connected_at + opts.ready_timeout;
    if (clk.now() < deadline) continue;  // stats (or ready) arrived meanwhile
    lost_reason = got_ready ? "no stats for " + std::to_string(opts.stats_timeout.count() / 1000) + " s"
                            : std::string("no ready message in time");
    log.warn("[node {}] {}: dropping the connection", cfg.name, *lost_reason);
    ws->abort();
    co_return;
  }
}

void node::impl::on_text(const ptr& self, std::uint64_t gen, const std::string& text) {
  auto decoded = lavalink::parse_message(text);
  if (!decoded) {
    std::uint64_t suppressed = 0;
    if (bad_message_limit.allow(suppressed))
      log.warn("[node {}] ignoring a malformed message: {} ({} more suppressed)", cfg.name, decoded.error(),
               suppressed);
    return;
  }
  auto& m = *decoded;
  if (auto* r = std::get_if<lavalink::ready_message>(&m)) {
    if (r->session_id.empty()) {
      log.warn("[node {}] ignoring a ready message without a session id", cfg.name);
      return;
    }
    bool session_lost = false;
    {
      std::lock_guard lk(mu);
      const bool same = session.has_value() && *session == r->session_id;
      session_lost = session.has_value() && (!r->resumed || !same);
      if (!r->resumed || !same) resumable = false;  // run_configure enables it again
      session = r->session_id;
    }
    got_ready = true;
    ready_at = clk.now();
    last_stats_at = ready_at;
    set_status(node_status::ready);
    log.info("[node {}] session {} {}", cfg.name, r->resumed ? "resumed" : "established",
             r->resumed ? "" : (session_lost ? "(the previous session is gone)" : ""));
    spawn(ex, run_configure(self, gen, r->session_id), "lavalink node configure");
    emit_ready(r->resumed, session_lost);
    return;
  }
  if (auto* s = std::get_if<lavalink::stats_message>(&m)) {
    last_stats_at = clk.now();
    std::lock_guard lk(mu);
    last_stats = s->stats;
    return;
  }
  if (auto* u = std::get_if<lavalink::unknown_message>(&m)) {
    log.debug("[node {}] ignoring unknown message op '{}' type '{}'", cfg.name, u->op, u->type);
    return;
  }
  emit_message(m);
}

// After `ready`: enable resuming (§6.3) and cache /v4/info.
task<void> node::impl::run_configure(ptr self, std::uint64_t gen, std::string session_id) {
  lavalink::session_update u;
  u.resuming = true;
  u.timeout = static_cast<std::int64_t>(opts.resume_timeout.count());
  (void)self;  // keeps the impl alive while the calls run
  auto body = lavalink::to_json_text(u);
  auto r = co_await call("PATCH", "/v4/sessions/" + net::url_encode(session_id), std::move(body));
  if (gen == ws_gen && !stopping) {
    if (r) {
      std::lock_guard lk(mu);
      if (session == session_id) resumable = true;
    } else {
      log.warn("[node {}] cannot enable resuming: {}", cfg.name, r.error().describe());
    }
  }
  auto info_resp = co_await call("GET", "/v4/info", {});
  if (!info_resp) {
    log.warn("[node {}] GET /v4/info failed: {}", cfg.name, info_resp.error().describe());
    co_return;
  }
  auto parsed = lavalink::parse_json<lavalink::info>(info_resp->body);
  if (!parsed) {
    log.warn("[node {}] GET /v4/info: {}", cfg.name, parsed.error());
    co_return;
  }
  log.info("[node {}] Lavalink {} with sources [{}]", cfg.name, parsed->version.semver,
           fmt::join(parsed->source_managers, ", "));
  std::lock_guard lk(mu);
  node_info = std::move(*parsed);
}

// ------------------------------------------------------------------ node

node::node(asio::any_io_executor ex, clock& clk, node_config cfg, node_options opts, node_callbacks cb)
    : impl_(std::make_shared<impl>(std::move(ex), clk, std::move(cfg), std::move(opts), std::move(cb))) {}

node::~node() {
  {
    std::lock_guard lk(impl_->callback_mu);
    impl_->detached = true;
  }
  asio::post(impl_->ex, [self = impl_] { self->do_stop(); });
}

void node::start() { impl_->do_start(impl_); }
void node::stop() { impl_->do_stop(); }

const node_config& node::config() const noexcept { return impl_->cfg; }
const std::string& node::name() const noexcept { return impl_->cfg.name; }
node_status node::status() const noexcept { return impl_->state.load(); }

std::optional<std::string> node::session_id() const {
  std::lock_guard lk(impl_->mu);
  return impl_->session;
}

std::optional<lavalink::stats> node::stats() const {
  std::lock_guard lk(impl_->mu);
  return impl_->last_stats;
}

std::optional<lavalink::info> node::info() const {
  std::lock_guard lk(impl_->mu);
  return impl_->node_info;
}

double node::penalty() const {
  auto s = stats();
  return s ? llc::penalty(*s) : 0.0;
}

}  // namespace vb::llc
