#include "vectobeat/voice/voice_connection.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <random>

#include "media_sender.hpp"
#include "vectobeat/common/timer_slot.hpp"
#include "udp_session.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/voice/close_code.hpp"
#include "vectobeat/voice/dave_frame.hpp"
#include "vectobeat/voice/ip_discovery.hpp"

namespace vb::voice {

std::string_view to_string(voice_state s) noexcept {
  switch (s) {
    case voice_state::idle: return "idle";
    case voice_state::connecting: return "connecting";
    case voice_state::handshaking: return "handshaking";
    case voice_state::ready: return "ready";
    case voice_state::resuming: return "resuming";
    case voice_state::reconnecting: return "reconnecting";
    case voice_state::closed: return "closed";
  }
  return "unknown";
}

namespace {

enum class next_step { resume, identify, give_up };

using vb::cancel;
using vb::timer_slot;

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace

struct voice_connection::impl : std::enable_shared_from_this<voice_connection::impl> {
  using ptr = std::shared_ptr<impl>;

  impl(asio::any_io_executor ex, clock& c, voice_server_info i, voice_connection_options o,
       voice_connection_callbacks cb)
      : strand(asio::make_strand(ex)),
        clk(c),
        info(std::move(i)),
        opts(std::move(o)),
        guild(std::to_string(info.guild_id)),
        callbacks(std::move(cb)),
        media(opts.frame_queue_depth) {}
  // The token is never logged. It is not registered with log::add_secret either: that
  // registry keeps every entry forever, and a node sees a new voice token per join.

  // ---------------------------------------------------------------- immutable
  asio::any_io_executor strand;
  clock& clk;
  const voice_server_info info;
  const voice_connection_options opts;
  const std::string guild;
  log::logger log{"voice"};
  log::rate_limit bad_message_limit;

  // ---------------------------------------------------------------- any thread
  std::recursive_mutex callback_mu;
  voice_connection_callbacks callbacks;
  bool detached = false;
  std::atomic<voice_state> state{voice_state::idle};
  std::atomic<int> ping{-1};
  std::atomic<std::uint32_t> public_ssrc{0};
  std::atomic<int> public_mode{-1};
  mutable std::mutex error_mu;
  std::error_code error;
  std::atomic<bool> drain_posted{false};
  std::atomic<std::thread::id> strand_thread{};  // the thread do_connect ran on (send_opus_now)
  detail::media_sender media;

  // ---------------------------------------------------------------- strand only
  bool started = false;
  bool closing = false;  // close() was called or the connection gave up
  std::shared_ptr<net::websocket> ws;
  std::uint64_t ws_gen = 0;  // bumped when a WebSocket ends: its helpers see it and stop
  bool established = false;  // this WebSocket reached Session Description or Resumed
  bool resume_sent = false;
  struct failure_info {
    voice_close_event event;
    next_step step;
  };
  std::optional<failure_info> failure;  // set when we end the WebSocket ourselves
  std::int64_t seq_ack = -1;
  std::uint64_t heartbeat_gen = 0;
  std::int64_t hb_nonce = 0;
  steady_time hb_sent{};
  bool hb_outstanding = false;
  int hb_missed = 0;
  bool have_session = false;  // Ready + Session Description seen: Resume is possible
  std::uint32_t ssrc = 0;
  std::optional<encryption_mode> selected_mode;
  std::shared_ptr<detail::udp_session> udp;
  bool speaking_wanted = false;
  bool announced = false;  // op 5 speaking != 0 was sent in this session
  std::uint64_t silence_gen = 0;
  bool silence_active = false;  // the five silence frames after speaking are pending
  timer* heartbeat_timer = nullptr;
  timer* watchdog_timer = nullptr;
  timer* silence_timer = nullptr;
  timer* backoff_timer = nullptr;

  // ---------------------------------------------------------------- helpers
  void set_state(voice_state s) {
    if (state.exchange(s) == s) return;
    log.debug("[guild {}] state {}", guild, to_string(s));
    std::lock_guard lk(callback_mu);
    if (detached || !callbacks.on_state) return;
    try {
      callbacks.on_state(s);
    } catch (const std::exception& e) {
      log.error("[guild {}] on_state callback threw: {}", guild, e.what());
    }
  }

  void emit_close(const voice_close_event& ev) {
    std::lock_guard lk(callback_mu);
    if (detached || !callbacks.on_close) return;
    try {
      callbacks.on_close(ev);
    } catch (const std::exception& e) {
      log.error("[guild {}] on_close callback threw: {}", guild, e.what());
    }
  }

  void set_error(voice_error e) {
    std::lock_guard lk(error_mu);
    error = e;
  }

  void send(gateway_payload p) {
    if (ws) ws->send_text(encode(gateway_message{std::move(p), std::nullopt}));
  }

  void send_speaking(bool on) {
    announced = on;
    send(speaking_payload{on ? opts.speaking_flags : 0u, 0, ssrc, std::nullopt});
  }

  // Ends the current WebSocket for a reason of our own; run_main decides what follows.
  void fail(next_step step, std::uint16_t code, std::string reason, std::optional<voice_error> err = {}) {
    if (failure || !ws) return;
    log.warn("[guild {}] {}", guild, reason);
    if (err) set_error(*err);
    failure = failure_info{{code, std::move(reason), false, false}, step};
    if (step == next_step::give_up) ws->close(code, failure->event.reason);
    else ws->abort();
  }

  void stop_silence() {
    if (!silence_active) return;
    silence_active = false;
    ++silence_gen;
    cancel(silence_timer);
  }

  // Forgets the voice session (UDP, key, SSRC): the next WebSocket must Identify.
  void teardown_session() {
    media.stop();
    stop_silence();
    if (udp) udp->close();
    udp.reset();
    have_session = false;
    ssrc = 0;
    public_ssrc = 0;
    selected_mode.reset();
    public_mode = -1;
    announced = false;
  }

  void finish() {
    closing = true;
    cancel(backoff_timer);
    cancel(heartbeat_timer);
    cancel(watchdog_timer);
    teardown_session();
    ping = -1;
    set_state(voice_state::closed);
  }

  std::uint32_t random_u32() {
    if (opts.random) return opts.random();
    std::random_device rd;
    return rd();
  }

  // ---------------------------------------------------------------- public entry points (strand)
  void do_connect(ptr self) {
    if (started || closing) return;
    started = true;
    strand_thread.store(std::this_thread::get_id(), std::memory_order_release);
    spawn(strand, run_main(std::move(self)), "voice connection");
  }

  void do_close(std::uint16_t code, std::string reason) {
    if (closing) return;
    log.info("[guild {}] closing the voice connection ({})", guild, code);
    if (ws) ws->close(code, reason);
    finish();
    if (started) emit_close({code, std::move(reason), false, false});
  }

  void do_set_speaking(ptr self, bool on) {
    if (closing) return;
    speaking_wanted = on;
    if (on) {
      stop_silence();
      if (media.ready() && !announced) send_speaking(true);
    } else if (media.ready() && announced && !silence_active) {
      silence_active = true;
      spawn(strand, run_silence(std::move(self), ++silence_gen), "voice silence");
    }
  }

  void drain() {
    drain_posted.store(false, std::memory_order_release);
    while (media.pop([this](std::span<const std::uint8_t> frame) { send_frame(frame); })) {
    }
  }

  std::error_code send_frame(std::span<const std::uint8_t> frame) {
    stop_silence();  // audio is back: no silence, no "speaking 0"
    if (!announced) {
      speaking_wanted = true;
      send_speaking(true);
    }
    return media.send(frame);
  }

  // ---------------------------------------------------------------- coroutines
  task<void> run_main(ptr self);
  task<void> run_reader(ptr self, std::shared_ptr<net::websocket> w, std::uint64_t gen);
  task<void> run_heartbeat(ptr self, std::uint64_t gen, std::chrono::milliseconds interval);
  task<void> run_watchdog(ptr self, std::uint64_t gen);
  task<void> run_discovery(ptr self, std::uint64_t gen, std::shared_ptr<detail::udp_session> u);
  task<void> run_silence(ptr self, std::uint64_t gen);
  task<bool> backoff(ptr self, int failures);

  // ---------------------------------------------------------------- gateway messages
  void on_text(const ptr& self, std::uint64_t gen, std::string& text);
  void on_binary(const std::string& data);
  void on_ready(const ptr& self, std::uint64_t gen, const ready_payload& p);
  void on_session_description(session_description_payload& p);
};

// ------------------------------------------------------------------ session lifecycle

task<void> voice_connection::impl::run_main(ptr self) {
  next_step step = next_step::identify;
  int failures = 0;  // consecutive WebSockets that never reached an established session
  while (!closing) {
    set_state(step == next_step::resume ? voice_state::resuming : voice_state::connecting);
    const std::string url = std::string(opts.tls ? "wss://" : "ws://") + info.endpoint + "/?v=8";
    net::ws_connect_options wo;
    wo.client = opts.client;
    auto opened = co_await net::ws_connect(strand, url, std::move(wo));
    if (closing) {
      if (opened) (*opened)->close(1000);
      co_return;
    }
    if (!opened) {
      ++failures;
      log.warn("[guild {}] cannot open the voice WebSocket (attempt {}): {}", guild, failures, opened.error().message);
      if (opened.error().code == net::client_errc::invalid_url || failures > opts.max_reconnect_attempts) {
        set_error(voice_error::connect_failed);
        finish();
        emit_close({1006, "cannot connect: " + opened.error().message, false, false});
        co_return;
      }
      if (!co_await backoff(self, failures)) co_return;
      continue;
    }

    auto w = *opened;
    ws = w;
    const std::uint64_t gen = ++ws_gen;
    established = false;
    failure.reset();
    hb_outstanding = false;
    hb_missed = 0;
    resume_sent = step == next_step::resume;
    if (resume_sent) {
      log.info("[guild {}] resuming the voice session (seq_ack {})", guild, seq_ack);
      send(resume_payload{info.guild_id, info.session_id, info.token, seq_ack});
    } else {
      teardown_session();
      seq_ack = -1;
      log.info("[guild {}] identifying to the voice gateway", guild);
      send(identify_payload{info.guild_id, info.user_id, info.session_id, info.token, opts.max_dave_protocol_version});
      set_state(voice_state::handshaking);
    }
    spawn(strand, run_watchdog(self, gen), "voice watchdog");
    co_await run_reader(self, w, gen);

    ws.reset();
    ++ws_gen;
    ping = -1;
    cancel(heartbeat_timer);
    cancel(watchdog_timer);
    if (closing) co_return;  // do_close reported it

    const auto ci = w->close_info();
    voice_close_event ev{ci.code, ci.reason, ci.by_remote, false};
    next_step next;
    if (failure) {
      ev = failure->event;
      next = failure->step;
    } else if (!should_reconnect(ev.code)) {
      next = next_step::give_up;
    } else {
      next = may_resume(ev.code) ? next_step::resume : next_step::identify;
    }
    // A Resume needs a session, and one that was just refused is not tried again.
    if (next == next_step::resume && (!have_session || (resume_sent && !established))) next = next_step::identify;
    failures = established ? 0 : failures + 1;
    if (next != next_step::give_up && failures > opts.max_reconnect_attempts) next = next_step::give_up;
    ev.will_reconnect = next != next_step::give_up;
    log.info("[guild {}] voice WebSocket closed: {} {} ({}{}){}", guild, ev.code, close_code_name(ev.code), ev.reason,
             ev.by_remote ? ", by the server" : "",
             next == next_step::give_up ? "" : next == next_step::resume ? "; resuming" : "; reconnecting");
    if (next == next_step::give_up) {
      finish();
      emit_close(ev);
      co_return;
    }
    emit_close(ev);
    step = next;
    if (step == next_step::identify) teardown_session();
    if (failures > 0 && !co_await backoff(self, failures)) co_return;
  }
}

task<bool> voice_connection::impl::backoff(ptr, int failures) {
  auto delay = opts.reconnect_backoff_initial;
  for (int i = 1; i < failures && delay < opts.reconnect_backoff_max; ++i) delay *= 2;
  delay = std::min(delay, opts.reconnect_backoff_max);
  set_state(voice_state::reconnecting);
  auto t = clk.make_timer(strand);
  timer_slot slot(backoff_timer, t.get());
  const bool fired = co_await t->wait_for(delay);
  co_return fired && !closing;
}

task<void> voice_connection::impl::run_reader(ptr self, std::shared_ptr<net::websocket> w, std::uint64_t gen) {
  for (;;) {
    auto m = co_await w->read();
    if (!m) co_return;
    if (gen != ws_gen || closing || failure) continue;  // drain until the close completes
    if (m->kind == net::ws_kind::text) on_text(self, gen, m->data);
    else on_binary(m->data);
  }
}

task<void> voice_connection::impl::run_watchdog(ptr, std::uint64_t gen) {
  auto t = clk.make_timer(strand);
  timer_slot slot(watchdog_timer, t.get());
  const bool fired = co_await t->wait_for(opts.handshake_timeout);
  if (!fired || gen != ws_gen || closing || established) co_return;
  fail(next_step::identify, 1006, "voice handshake timed out", voice_error::handshake_timeout);
}

task<void> voice_connection::impl::run_heartbeat(ptr, std::uint64_t gen, std::chrono::milliseconds interval) {
  auto t = clk.make_timer(strand);
  timer_slot slot(heartbeat_timer, t.get());
  for (;;) {
    const bool fired = co_await t->wait_for(interval);
    if (!fired || gen != ws_gen || closing) co_return;
    if (hb_outstanding && ++hb_missed >= opts.max_missed_heartbeat_acks) {
      fail(next_step::resume, 1006, "voice heartbeat ACK not received (" + std::to_string(hb_missed) + " missed)");
      co_return;
    }
    hb_nonce = std::max(clk.unix_ms(), hb_nonce + 1);
    hb_sent = clk.now();
    hb_outstanding = true;
    send(heartbeat_payload{hb_nonce, seq_ack});
  }
}

// ------------------------------------------------------------------ UDP

task<void> voice_connection::impl::run_discovery(ptr, std::uint64_t gen, std::shared_ptr<detail::udp_session> u) {
  auto address = co_await u->discover(opts.ip_discovery_attempts, opts.ip_discovery_timeout);
  if (gen != ws_gen || closing || u != udp) co_return;
  if (!address) {
    fail(next_step::identify, 1006, "UDP IP discovery got no answer", voice_error::ip_discovery_failed);
    co_return;
  }
  log.debug("[guild {}] IP discovery: {}:{}", guild, address->ip, address->port);
  send(select_protocol_payload{"udp", address->ip, address->port, std::string(to_string(*selected_mode))});
}

task<void> voice_connection::impl::run_silence(ptr, std::uint64_t gen) {
  auto t = clk.make_timer(strand);
  timer_slot slot(silence_timer, t.get());
  for (std::size_t i = 0; i < silence_frames_after_speaking; ++i) {
    if (i > 0 && !co_await t->wait_for(opts.silence_frame_interval)) co_return;
    if (gen != silence_gen || !media.ready()) co_return;
    media.send(opus_silence_frame);
  }
  if (gen != silence_gen) co_return;
  silence_active = false;
  if (media.ready()) send_speaking(false);
}

// ------------------------------------------------------------------ gateway messages

void voice_connection::impl::on_text(const ptr& self, std::uint64_t gen, std::string& text) {
  auto decoded = decode_gateway_message(text);
  if (!decoded) {
    std::uint64_t suppressed = 0;
    if (bad_message_limit.allow(suppressed))
      log.warn("[guild {}] ignoring a voice gateway message: {} ({} more suppressed)", guild,
               to_string(decoded.error()), suppressed);
    return;
  }
  gateway_message& m = *decoded;
  if (m.seq) seq_ack = *m.seq;
  const int op = m.opcode();
  std::visit(overloaded{
                 [&](const hello_payload& p) {
                   if (heartbeat_gen == gen) return;  // a repeated Hello keeps the running heartbeat
                   heartbeat_gen = gen;
                   spawn(strand, run_heartbeat(self, gen, std::chrono::milliseconds(p.heartbeat_interval_ms)),
                         "voice heartbeat");
                 },
                 [&](const ready_payload& p) { on_ready(self, gen, p); },
                 [&](session_description_payload& p) {
                   on_session_description(p);
                   secure_zero(p.secret_key);
                   secure_zero(std::span(reinterpret_cast<std::uint8_t*>(text.data()), text.size()));
                 },
                 [&](const heartbeat_ack_payload& p) {
                   hb_outstanding = false;
                   hb_missed = 0;
                   if (p.t == hb_nonce)
                     ping = static_cast<int>(
                         std::chrono::duration_cast<std::chrono::milliseconds>(clk.now() - hb_sent).count());
                 },
                 [&](const resumed_payload&) {
                   if (!resume_sent) return;
                   established = true;
                   cancel(watchdog_timer);
                   log.info("[guild {}] voice session resumed", guild);
                   set_state(media.ready() ? voice_state::ready : voice_state::handshaking);
                 },
                 [&](const speaking_payload& p) {
                   log.debug("[guild {}] user {} ssrc {} speaking {}", guild, p.user_id.value_or(0), p.ssrc,
                             p.speaking);
                 },
                 [&](const clients_connect_payload& p) {
                   log.debug("[guild {}] {} client(s) connected", guild, p.user_ids.size());
                 },
                 [&](const client_disconnect_payload& p) {
                   log.debug("[guild {}] client {} disconnected", guild, p.user_id);
                 },
                 [&](const auto&) { log.debug("[guild {}] ignoring voice op {}", guild, op); },
             },
             m.payload);
}

void voice_connection::impl::on_binary(const std::string& data) {
  auto f = decode_server_dave_frame(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  if (!f) {
    log.debug("[guild {}] ignoring a binary voice message: {}", guild, to_string(f.error()));
    return;
  }
  seq_ack = *f->seq;
  log.debug("[guild {}] ignoring DAVE {} ({} bytes): DAVE is not implemented", guild, to_string(f->opcode),
            f->payload.size());
}

void voice_connection::impl::on_ready(const ptr& self, std::uint64_t gen, const ready_payload& p) {
  std::optional<encryption_mode> chosen;
  for (auto m : opts.mode_preference) {
    if (std::find(p.modes.begin(), p.modes.end(), to_string(m)) != p.modes.end()) {
      chosen = m;
      break;
    }
  }
  if (!chosen) {
    std::string offered;
    for (auto& m : p.modes) offered += (offered.empty() ? "" : ", ") + m;
    fail(next_step::give_up, 1000, "no supported encryption mode (offered: " + offered + ")",
         voice_error::no_supported_mode);
    return;
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(p.ip, ec);
  if (ec || p.port == 0) {
    fail(next_step::identify, 1006, "Ready has an invalid UDP address");
    return;
  }
  teardown_session();
  ssrc = p.ssrc;
  public_ssrc = ssrc;
  selected_mode = chosen;
  public_mode = static_cast<int>(*chosen);
  udp = std::make_shared<detail::udp_session>(strand, clk, ssrc);
  if (auto uec = udp->open({address, p.port})) {
    fail(next_step::identify, 1006, "cannot open the voice UDP socket: " + uec.message());
    return;
  }
  log.debug("[guild {}] Ready: ssrc {}, UDP {}:{}, mode {}", guild, ssrc, p.ip, p.port, to_string(*chosen));
  spawn(strand, run_discovery(self, gen, udp), "voice ip discovery");
}

void voice_connection::impl::on_session_description(session_description_payload& p) {
  auto m = parse_encryption_mode(p.mode);
  if (!selected_mode || !udp || !m || *m != *selected_mode) {
    fail(next_step::give_up, 1000, "Session Description with unexpected mode '" + p.mode + "'",
         voice_error::no_supported_mode);
    return;
  }
  if (p.dave_protocol_version != 0)
    log.warn("[guild {}] the server enabled DAVE v{}, which is not implemented", guild, p.dave_protocol_version);
  const auto seed = random_u32();
  media.start(cipher(*m, p.secret_key, opts.nonce_byte_order), ssrc, udp->endpoint(),
              static_cast<std::uint16_t>(seed), random_u32());
  have_session = true;
  established = true;
  cancel(watchdog_timer);
  announced = false;
  log.info("[guild {}] voice ready: ssrc {}, mode {}", guild, ssrc, p.mode);
  set_state(voice_state::ready);
  if (speaking_wanted) send_speaking(true);
  udp->start_keep_alive(opts.udp_keep_alive_interval);
}

// ------------------------------------------------------------------ public API

voice_connection::voice_connection(asio::any_io_executor ex, clock& clk, voice_server_info info,
                                   voice_connection_options opts, voice_connection_callbacks callbacks)
    : impl_(std::make_shared<impl>(std::move(ex), clk, std::move(info), std::move(opts), std::move(callbacks))) {}

voice_connection::~voice_connection() {
  {
    std::lock_guard lk(impl_->callback_mu);
    impl_->detached = true;
  }
  asio::post(impl_->strand, [self = impl_] { self->do_close(1000, {}); });
}

void voice_connection::connect() {
  asio::post(impl_->strand, [self = impl_] { self->do_connect(self); });
}

void voice_connection::close(std::uint16_t code, std::string reason) {
  asio::post(impl_->strand, [self = impl_, code, r = std::move(reason)]() mutable { self->do_close(code, std::move(r)); });
}

void voice_connection::set_speaking(bool speaking) {
  asio::post(impl_->strand, [self = impl_, speaking] { self->do_set_speaking(self, speaking); });
}

std::error_code voice_connection::send_opus(std::span<const std::uint8_t> frame) {
  if (auto ec = impl_->media.enqueue(frame)) return ec;
  if (!impl_->drain_posted.exchange(true, std::memory_order_acq_rel))
    asio::post(impl_->strand, [self = impl_] { self->drain(); });
  return {};
}

std::error_code voice_connection::send_opus_now(std::span<const std::uint8_t> frame) {
  if (std::this_thread::get_id() != impl_->strand_thread.load(std::memory_order_acquire)) return send_opus(frame);
  if (!impl_->media.ready()) return voice_error::not_ready;
  if (frame.empty()) return voice_error::bad_length;
  if (frame.size() > max_opus_frame_bytes) return voice_error::frame_too_large;
  if (impl_->closing) return voice_error::not_ready;
  // Frames queued by send_opus() go first (a pending drain means some are queued).
  if (impl_->drain_posted.load(std::memory_order_acquire)) impl_->drain();
  return impl_->send_frame(frame);
}

int voice_connection::ping_ms() const noexcept { return impl_->ping.load(); }
voice_state voice_connection::state() const noexcept { return impl_->state.load(); }
std::uint32_t voice_connection::ssrc() const noexcept { return impl_->public_ssrc.load(); }

std::optional<encryption_mode> voice_connection::mode() const noexcept {
  int m = impl_->public_mode.load();
  if (m < 0) return std::nullopt;
  return static_cast<encryption_mode>(m);
}

snowflake voice_connection::guild_id() const noexcept { return impl_->info.guild_id; }
voice_connection_stats voice_connection::stats() const noexcept { return impl_->media.stats(); }

std::error_code voice_connection::last_error() const {
  std::lock_guard lk(impl_->error_mu);
  return impl_->error;
}

}  // namespace vb::voice
