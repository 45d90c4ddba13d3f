#include "vectobeat/discord/shard_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <random>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/timer_slot.hpp"

namespace vb::discord {

std::string_view to_string(shard_state s) noexcept {
  switch (s) {
    case shard_state::idle: return "idle";
    case shard_state::connecting: return "connecting";
    case shard_state::identifying: return "identifying";
    case shard_state::resuming: return "resuming";
    case shard_state::ready: return "ready";
    case shard_state::reconnecting: return "reconnecting";
    case shard_state::failed: return "failed";
    case shard_state::stopped: return "stopped";
  }
  return "unknown";
}

namespace {

enum class next_step { resume, identify, fatal };

std::string gateway_query(const std::string& base, gateway_compression c) {
  std::string url = base;
  if (auto q = url.find('?'); q != std::string::npos) url.resize(q);
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/?v=10&encoding=json";
  if (c != gateway_compression::none) {
    url += "&compress=";
    url += to_string(c);
  }
  return url;
}

}  // namespace

struct shard_session::impl : std::enable_shared_from_this<shard_session::impl> {
  using ptr = std::shared_ptr<impl>;

  impl(asio::any_io_executor ex, clock& c, shard_session_options o, shard_callbacks cb)
      : strand(asio::make_strand(ex)),
        clk(c),
        opts(std::move(o)),
        callbacks(std::move(cb)),
        decompressor(opts.compression, opts.max_message_bytes),
        parser(frame_limits{opts.max_message_bytes, 32}) {}

  // ---------------------------------------------------------------- immutable
  asio::any_io_executor strand;
  clock& clk;
  const shard_session_options opts;
  log::logger log{"gateway"};
  log::rate_limit bad_frame_limit;

  // ---------------------------------------------------------------- any thread
  std::recursive_mutex callback_mu;
  shard_callbacks callbacks;
  bool detached = false;
  std::atomic<shard_state> state{shard_state::idle};
  std::atomic<int> latency{-1};
  std::atomic<std::int64_t> public_seq{0};
  std::atomic<std::uint64_t> identifies{0}, resumes{0}, reconnects{0}, zombies{0};
  std::atomic<std::size_t> queued{0};
  std::atomic<bool> stop_requested{false};
  mutable std::mutex error_mu;
  std::error_code error;

  // ---------------------------------------------------------------- strand only
  bool started = false;
  bool stopping = false;
  std::shared_ptr<net::websocket> ws;
  std::uint64_t ws_gen = 0;
  bool established = false;  // READY or RESUMED on this WebSocket
  next_step step = next_step::identify;
  struct failure_info {
    next_step step;
    std::uint16_t code;
    std::string reason;
    bool invalid_session_delay;
  };
  std::optional<failure_info> failure;
  std::string session_id;
  std::string resume_url;
  std::int64_t seq = 0;
  bool have_seq = false;
  std::uint64_t heartbeat_gen = 0;
  bool ack_pending = false;
  steady_time hb_sent{};
  transport_decompressor decompressor;
  gateway_frame_parser parser;
  std::deque<std::string> send_queue;
  std::deque<steady_time> sent_times;  // sends in the current window
  bool pump_waiting = false;
  timer* heartbeat_timer = nullptr;
  timer* watchdog_timer = nullptr;
  timer* backoff_timer = nullptr;
  timer* pump_timer = nullptr;
  timer* grace_timer = nullptr;

  std::string label() const { return "[shard " + std::to_string(opts.shard_id) + "]"; }

  double random01() {
    if (opts.random) return std::clamp(opts.random(), 0.0, 0.999999);
    std::random_device rd;
    return std::uniform_real_distribution<double>(0.0, 1.0)(rd);
  }

  void set_state(shard_state s) {
    if (state.exchange(s) == s) return;
    log.debug("{} state {}", label(), to_string(s));
    std::lock_guard lk(callback_mu);
    if (detached || !callbacks.on_state) return;
    try {
      callbacks.on_state(s);
    } catch (const std::exception& e) {
      log.error("{} on_state callback threw: {}", label(), e.what());
    }
  }

  // ---------------------------------------------------------------- sending
  void prune_window(steady_time now) {
    while (!sent_times.empty() && now - sent_times.front() >= opts.send_window) sent_times.pop_front();
  }

  // Heartbeats, IDENTIFY and RESUME: always sent (they use the reserve).
  void send_control(std::string text) {
    if (!ws) return;
    prune_window(clk.now());
    sent_times.push_back(clk.now());
    ws->send_text(std::move(text));
  }

  void pump(const ptr& self) {
    if (!ws || !established || failure) return;
    const auto now = clk.now();
    prune_window(now);
    const std::size_t budget = static_cast<std::size_t>(std::max(1, opts.send_limit - opts.heartbeat_reserve));
    while (!send_queue.empty() && sent_times.size() < budget) {
      sent_times.push_back(now);
      ws->send_text(std::move(send_queue.front()));
      send_queue.pop_front();
      queued.fetch_sub(1);
    }
    if (!send_queue.empty() && !pump_waiting && !sent_times.empty()) {
      pump_waiting = true;
      spawn(strand, run_pump_wait(self, sent_times.front() + opts.send_window), "gateway send limit");
    }
  }

  task<void> run_pump_wait(ptr self, steady_time until) {
    auto t = clk.make_timer(strand);
    timer_slot slot(pump_timer, t.get());
    co_await t->wait_until(until);
    pump_waiting = false;
    if (!stopping) pump(self);
  }

  // ---------------------------------------------------------------- failures
  // Ends the current WebSocket for a reason of our own; run_main decides what follows.
  void fail(const ptr& self, next_step next, std::uint16_t code, std::string reason, bool drop = false,
            bool op9_delay = false) {
    if (failure || !ws) return;
    log.info("{} {}", label(), reason);
    failure = failure_info{next, code, std::move(reason), op9_delay};
    if (drop) {
      ws->abort();
      return;
    }
    ws->close(code, failure->reason);
    spawn(strand, run_close_grace(self, ws_gen), "gateway close grace");
  }

  task<void> run_close_grace(ptr, std::uint64_t gen) {
    auto t = clk.make_timer(strand);
    timer_slot slot(grace_timer, t.get());
    const bool fired = co_await t->wait_for(opts.close_grace);
    if (fired && gen == ws_gen && ws) ws->abort();  // the peer never answered the close
  }

  void forget_session() {
    session_id.clear();
    resume_url.clear();
    seq = 0;
    have_seq = false;
    public_seq = 0;
  }

  // ---------------------------------------------------------------- coroutines
  task<void> run_main(ptr self);
  task<void> run_reader(ptr self, std::shared_ptr<net::websocket> w, std::uint64_t gen);
  task<void> run_heartbeat(ptr self, std::uint64_t gen, std::chrono::milliseconds interval);
  task<void> run_hello_watchdog(ptr self, std::uint64_t gen);
  task<void> run_identify(ptr self, std::uint64_t gen);
  task<bool> sleep(std::chrono::milliseconds d);

  void on_message(const ptr& self, std::uint64_t gen, std::string_view text);
  void on_dispatch(const ptr& self, const gateway_frame& f);
  void do_stop();
};

// ------------------------------------------------------------------ lifecycle

task<bool> shard_session::impl::sleep(std::chrono::milliseconds d) {
  if (d.count() <= 0) co_return !stopping;
  auto t = clk.make_timer(strand);
  timer_slot slot(backoff_timer, t.get());
  const bool fired = co_await t->wait_for(d);
  co_return fired && !stopping;
}

task<void> shard_session::impl::run_main(ptr self) {
  int failures = 0;  // consecutive WebSockets that never reached READY/RESUMED
  bool first = true;
  while (!stopping) {
    if (step == next_step::resume && session_id.empty()) step = next_step::identify;
    const bool resuming = step == next_step::resume;
    set_state(resuming ? shard_state::resuming : shard_state::connecting);
    const std::string url = gateway_query(resuming && !resume_url.empty() ? resume_url : opts.gateway_url, opts.compression);
    if (!first) reconnects.fetch_add(1);
    first = false;
    net::ws_connect_options wo;
    wo.client = opts.client;
    wo.client.limits.max_ws_message_bytes = std::min(wo.client.limits.max_ws_message_bytes, opts.max_message_bytes);
    auto opened = co_await net::ws_connect(strand, url, std::move(wo));
    if (stopping) {
      if (opened) (*opened)->close(1000);
      co_return;
    }
    if (!opened) {
      ++failures;
      log.warn("{} cannot connect to the gateway (attempt {}): {}", label(), failures, opened.error().message);
      auto delay = opts.reconnect_backoff_initial;
      for (int i = 1; i < failures && delay < opts.reconnect_backoff_max; ++i) delay *= 2;
      delay = std::min(delay, opts.reconnect_backoff_max);
      set_state(shard_state::reconnecting);
      if (!co_await sleep(delay)) co_return;
      continue;
    }

    auto w = *opened;
    ws = w;
    const std::uint64_t gen = ++ws_gen;
    established = false;
    failure.reset();
    ack_pending = false;
    sent_times.clear();
    decompressor.reset();
    spawn(strand, run_hello_watchdog(self, gen), "gateway hello watchdog");
    co_await run_reader(self, w, gen);

    ws.reset();
    ++ws_gen;
    latency = -1;
    cancel(heartbeat_timer);
    cancel(watchdog_timer);
    cancel(pump_timer);
    cancel(grace_timer);
    if (stopping) co_return;

    const auto ci = w->close_info();
    next_step next;
    bool op9_delay = false;
    std::uint16_t code = ci.code;
    if (failure) {
      next = failure->step;
      op9_delay = failure->invalid_session_delay;
      code = failure->code;
    } else {
      switch (action_for_close(ci.code)) {
        case close_action::fatal: next = next_step::fatal; break;
        case close_action::reidentify: next = next_step::identify; break;
        default: next = next_step::resume; break;
      }
    }
    log.info("{} gateway closed: {} {} ({}){}", label(), code, close_code_name(code), failure ? failure->reason : ci.reason,
             next == next_step::fatal ? "; giving up" : next == next_step::resume ? "; resuming" : "; identifying");
    if (next == next_step::fatal) {
      const auto err = fatal_error_for_close(code);
      {
        std::lock_guard lk(error_mu);
        error = err;
      }
      log.error("{} the gateway refused this shard: {}", label(), err.message());
      stopping = true;
      set_state(shard_state::failed);
      std::lock_guard lk(callback_mu);
      if (!detached && callbacks.on_fatal) {
        try {
          callbacks.on_fatal(err);
        } catch (const std::exception& e) {
          log.error("{} on_fatal callback threw: {}", label(), e.what());
        }
      }
      co_return;
    }
    if (next == next_step::identify) forget_session();
    step = next;
    failures = established ? 0 : failures + 1;
    std::chrono::milliseconds delay{0};
    if (failures > 0) {
      delay = opts.reconnect_backoff_initial;
      for (int i = 1; i < failures && delay < opts.reconnect_backoff_max; ++i) delay *= 2;
      delay = std::min(delay, opts.reconnect_backoff_max);
      delay = std::chrono::milliseconds(static_cast<long>(static_cast<double>(delay.count()) * (0.5 + random01() / 2)));
    }
    if (op9_delay) {
      const auto span = opts.invalid_session_delay_max - opts.invalid_session_delay_min;
      delay = std::max(delay, opts.invalid_session_delay_min +
                                  std::chrono::milliseconds(static_cast<long>(static_cast<double>(span.count()) * random01())));
    }
    if (delay.count() > 0) {
      set_state(shard_state::reconnecting);
      if (!co_await sleep(delay)) co_return;
    }
  }
}

task<void> shard_session::impl::run_reader(ptr self, std::shared_ptr<net::websocket> w, std::uint64_t gen) {
  for (;;) {
    auto m = co_await w->read();
    if (!m) co_return;
    if (gen != ws_gen || stopping || failure) continue;  // drain until the close completes
    if (m->kind == net::ws_kind::text) {
      on_message(self, gen, m->data);
      continue;
    }
    auto out = decompressor.feed(m->data);
    if (!out) {
      fail(self, next_step::resume, 4000, "gateway stream is corrupt: " + std::string(to_string(out.error())), true);
      continue;
    }
    if (*out) on_message(self, gen, **out);
  }
}

task<void> shard_session::impl::run_hello_watchdog(ptr self, std::uint64_t gen) {
  auto t = clk.make_timer(strand);
  timer_slot slot(watchdog_timer, t.get());
  const bool fired = co_await t->wait_for(opts.hello_timeout);
  if (!fired || gen != ws_gen || stopping || heartbeat_gen == gen) co_return;
  fail(self, next_step::resume, 4000, "no HELLO from the gateway in time", true);
}

task<void> shard_session::impl::run_heartbeat(ptr self, std::uint64_t gen, std::chrono::milliseconds interval) {
  auto t = clk.make_timer(strand);
  timer_slot slot(heartbeat_timer, t.get());
  // The first heartbeat after interval * jitter (DDOCS), then every interval.
  auto first = std::chrono::milliseconds(static_cast<long>(static_cast<double>(interval.count()) * random01()));
  if (!co_await t->wait_for(first)) co_return;
  for (;;) {
    if (gen != ws_gen || stopping || failure) co_return;
    if (ack_pending) {
      zombies.fetch_add(1);
      fail(self, next_step::resume, 4000, "heartbeat ACK missing: zombie connection, resuming");
      co_return;
    }
    ack_pending = true;
    hb_sent = clk.now();
    send_control(encode_heartbeat(have_seq ? std::optional<std::int64_t>(seq) : std::nullopt));
    if (!co_await t->wait_for(interval)) co_return;
  }
}

task<void> shard_session::impl::run_identify(ptr, std::uint64_t gen) {
  set_state(shard_state::identifying);
  std::function<task<void>(int)> gate;
  {
    std::lock_guard lk(callback_mu);
    if (!detached) gate = callbacks.identify_gate;
  }
  if (gate) co_await gate(opts.shard_id);
  if (gen != ws_gen || stopping || failure || !ws) co_return;  // the connection ended meanwhile
  identify_params p;
  p.token = opts.token;
  p.intents = opts.intents;
  p.shard_id = opts.shard_id;
  p.shard_count = opts.shard_count;
  p.large_threshold = opts.large_threshold;
  p.initial_presence = opts.initial_presence;
  identifies.fetch_add(1);
  log.info("{} identifying (intents {}, {} shards)", label(), opts.intents, opts.shard_count);
  send_control(encode_identify(p));
}

// ------------------------------------------------------------------ messages

void shard_session::impl::on_message(const ptr& self, std::uint64_t gen, std::string_view text) {
  bool typed = false;
  {
    std::lock_guard lk(callback_mu);
    typed = !detached && callbacks.on_frame && !(callbacks.wants_document && callbacks.wants_document());
  }
  auto parsed_frame = typed ? parser.parse_typed(text) : parser.parse(text);
  if (!parsed_frame) {
    std::uint64_t suppressed = 0;
    if (bad_frame_limit.allow(suppressed))
      log.warn("{} ignoring a gateway message: {} ({} more suppressed)", label(), parsed_frame.error().message(), suppressed);
    return;
  }
  const gateway_frame& f = *parsed_frame;
  switch (static_cast<gateway_opcode>(f.op)) {
    case gateway_opcode::hello: {
      if (heartbeat_gen == gen) return;  // a repeated HELLO keeps the running heartbeat
      std::int64_t interval = 0;
      if (f.d->is_object())
        if (const auto* v = f.d->get_object().if_contains("heartbeat_interval"); v && v->is_int64()) interval = v->get_int64();
      if (interval < 100 || interval > 600'000) {
        fail(self, next_step::resume, 4000, "HELLO with an invalid heartbeat_interval");
        return;
      }
      heartbeat_gen = gen;
      cancel(watchdog_timer);
      spawn(strand, run_heartbeat(self, gen, std::chrono::milliseconds(interval)), "gateway heartbeat");
      if (step == next_step::resume && !session_id.empty()) {
        set_state(shard_state::resuming);
        log.info("{} resuming session at seq {}", label(), seq);
        send_control(encode_resume(opts.token, session_id, seq));
      } else {
        spawn(strand, run_identify(self, gen), "gateway identify");
      }
      return;
    }
    case gateway_opcode::heartbeat_ack:
      if (ack_pending) {
        ack_pending = false;
        latency = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(clk.now() - hb_sent).count());
      }
      return;
    case gateway_opcode::heartbeat:  // the server asks for one now
      send_control(encode_heartbeat(have_seq ? std::optional<std::int64_t>(seq) : std::nullopt));
      return;
    case gateway_opcode::reconnect:
      fail(self, next_step::resume, 4000, "the gateway asked to reconnect (op 7)");
      return;
    case gateway_opcode::invalid_session: {
      const bool resumable = f.d->is_bool() && f.d->get_bool();
      if (resumable) fail(self, next_step::resume, 4000, "invalid session (op 9, resumable)", false, true);
      else fail(self, next_step::identify, 1000, "invalid session (op 9): starting a new session", false, true);
      return;
    }
    case gateway_opcode::dispatch:
      on_dispatch(self, f);
      return;
    default: {
      std::uint64_t suppressed = 0;
      if (bad_frame_limit.allow(suppressed)) log.debug("{} ignoring gateway op {}", label(), f.op);
      return;
    }
  }
}

void shard_session::impl::on_dispatch(const ptr& self, const gateway_frame& f) {
  if (f.s) {
    seq = *f.s;
    have_seq = true;
    public_seq = seq;
  }
  const bool ready = f.t == "READY";
  const bool resumed = f.t == "RESUMED";
  if (ready) {
    if (f.d->is_object()) {
      const auto& d = f.d->get_object();
      if (const auto* v = d.if_contains("session_id"); v && v->is_string()) session_id = std::string(v->get_string());
      if (const auto* v = d.if_contains("resume_gateway_url"); v && v->is_string()) resume_url = std::string(v->get_string());
    }
    log.info("{} ready (session established)", label());
  } else if (resumed) {
    resumes.fetch_add(1);
    log.info("{} resumed at seq {}", label(), seq);
  }
  {
    std::lock_guard lk(callback_mu);
    if (!detached && (callbacks.on_frame || callbacks.on_dispatch)) {
      try {
        if (callbacks.on_frame) callbacks.on_frame(f, seq);
        else callbacks.on_dispatch(f.t, *f.d, seq);
      } catch (const std::exception& e) {
        log.error("{} dispatch of {} threw: {}", label(), f.t, e.what());
      }
    }
  }
  if (ready || resumed) {
    established = true;
    step = next_step::resume;
    set_state(shard_state::ready);
    pump(self);
  }
}

void shard_session::impl::do_stop() {
  if (stopping && state.load() == shard_state::stopped) return;
  stopping = true;
  cancel(backoff_timer);
  cancel(heartbeat_timer);
  cancel(watchdog_timer);
  cancel(pump_timer);
  if (ws) ws->close(1000, "shutting down");
  send_queue.clear();
  queued = 0;
  latency = -1;
  if (state.load() != shard_state::failed) set_state(shard_state::stopped);
}

// ------------------------------------------------------------------ public API

shard_session::shard_session(asio::any_io_executor ex, clock& clk, shard_session_options opts, shard_callbacks cb)
    : impl_(std::make_shared<impl>(std::move(ex), clk, std::move(opts), std::move(cb))) {}

shard_session::~shard_session() {
  {
    std::lock_guard lk(impl_->callback_mu);
    impl_->detached = true;
  }
  impl_->stop_requested = true;
  asio::post(impl_->strand, [self = impl_] { self->do_stop(); });
}

void shard_session::start() {
  asio::post(impl_->strand, [self = impl_] {
    if (self->started || self->stopping) return;
    self->started = true;
    spawn(self->strand, self->run_main(self), "gateway shard");
  });
}

void shard_session::stop() {
  impl_->stop_requested = true;
  asio::post(impl_->strand, [self = impl_] { self->do_stop(); });
}

std::error_code shard_session::send(std::string payload) {
  if (impl_->stop_requested.load()) return gateway_error::stopped;
  if (impl_->queued.fetch_add(1) >= impl_->opts.max_send_queue) {
    impl_->queued.fetch_sub(1);
    return gateway_error::send_queue_full;
  }
  asio::post(impl_->strand, [self = impl_, p = std::move(payload)]() mutable {
    if (self->stopping) {
      self->queued.fetch_sub(1);
      return;
    }
    self->send_queue.push_back(std::move(p));
    self->pump(self);
  });
  return {};
}

shard_status shard_session::status() const {
  shard_status s;
  s.shard_id = impl_->opts.shard_id;
  s.state = impl_->state.load();
  s.latency_ms = impl_->latency.load();
  s.seq = impl_->public_seq.load();
  s.identifies = impl_->identifies.load();
  s.resumes = impl_->resumes.load();
  s.reconnects = impl_->reconnects.load();
  s.zombies = impl_->zombies.load();
  std::lock_guard lk(impl_->error_mu);
  s.error = impl_->error;
  return s;
}

int shard_session::shard_id() const noexcept { return impl_->opts.shard_id; }

}  // namespace vb::discord
