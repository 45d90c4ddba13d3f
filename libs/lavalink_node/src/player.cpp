#include "player.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

#include "session.hpp"
#include "voice_sink.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/node/filter_mapping.hpp"

namespace vb::node::detail {

namespace {

// Worker -> session strand. Holds only weak references: a destroyed player hears nothing.
class player_listener final : public playback_listener {
 public:
  player_listener(std::weak_ptr<player> p, std::weak_ptr<session> s, asio::any_io_executor strand)
      : player_(std::move(p)), session_(std::move(s)), strand_(std::move(strand)) {}

  void on_track_end(std::uint64_t gen, lavalink::track_end_reason reason,
                    std::optional<lavalink::exception_info> exception) override {
    asio::post(strand_, [p = player_, s = session_, gen, reason, exception = std::move(exception)]() mutable {
      auto pl = p.lock();
      auto ss = s.lock();
      if (!pl || !ss) return;
      std::lock_guard lk(ss->mu);
      pl->on_track_end(*ss, gen, reason, std::move(exception));
    });
  }
  void on_track_stuck(std::uint64_t gen, std::chrono::milliseconds threshold) override {
    asio::post(strand_, [p = player_, s = session_, gen, threshold] {
      auto pl = p.lock();
      auto ss = s.lock();
      if (!pl || !ss) return;
      std::lock_guard lk(ss->mu);
      pl->on_track_stuck(*ss, gen, threshold);
    });
  }

 private:
  std::weak_ptr<player> player_;
  std::weak_ptr<session> session_;
  asio::any_io_executor strand_;
};

std::string event_text(const lavalink::message& m) { return json::serialize(lavalink::to_json(m)); }

}  // namespace

player::player(std::shared_ptr<node_state> st, std::weak_ptr<session> owner, std::uint64_t guild_id)
    : st_(std::move(st)), owner_(std::move(owner)), guild_id_(guild_id) {}

player::~player() {
  if (update_timer_) update_timer_->cancel();
  if (opening_) opening_->cancel();
}

void player::start() {
  worker_ = st_->scheduler->assign_worker();
  playback_options o;
  o.max_frames = static_cast<std::size_t>(std::max<std::int64_t>(st_->config.frame_buffer.count() / 20, 2));
  o.stuck_threshold = st_->config.track_stuck_threshold;
  o.opus_complexity = st_->config.opus_complexity;
  o.opus_bitrate = st_->config.opus_bitrate;
  auto s = owner_.lock();
  auto listener = std::make_shared<player_listener>(weak_from_this(), owner_, s ? s->strand() : st_->io);
  playback_ = std::make_shared<playback>(o, std::move(listener));
  st_->scheduler->attach(worker_, playback_);
}

template <class F>
void player::on_worker(F&& fn) {
  asio::post(st_->scheduler->executor(worker_), std::forward<F>(fn));
}

lavalink::track player::current_track_json() const {
  lavalink::track t = *track_;
  t.info.position = playback_->position_ms();
  return t;
}

lavalink::player_state player::state() const {
  lavalink::player_state ps;
  ps.time = st_->clock.unix_ms();
  ps.position = track_ ? playback_->position_ms() : 0;
  ps.connected = voice_ && voice_->state() == voice::voice_state::ready;
  ps.ping = ps.connected ? voice_->ping_ms() : -1;
  return ps;
}

lavalink::player player::model() const {
  lavalink::player p;
  p.guild_id = guild_id_;
  if (track_) p.track = current_track_json();
  p.volume = volume_;
  p.paused = paused_;
  p.state = state();
  p.voice = voice_state_;
  p.filters = filters_;
  return p;
}

bool player::set_voice(session& s, const lavalink::voice_state& v) {
  if (voice_ && voice_->state() != voice::voice_state::closed && v == voice_state_) return true;  // identical: no-op
  voice::voice_server_info info;
  info.guild_id = guild_id_;
  info.user_id = s.user_id();
  info.channel_id = v.channel_id ? json::parse_u64(*v.channel_id).value_or(0) : 0;
  info.session_id = v.session_id;
  info.token = v.token;
  info.endpoint = v.endpoint;
  voice::voice_connection_options o;
  o.tls = st_->config.voice_tls;
  o.client.extra_ca_file = st_->config.voice_ca_file;
  const auto gen = ++voice_gen_;
  voice::voice_connection_callbacks cb;
  auto strand = s.strand();
  std::weak_ptr<player> wp = weak_from_this();
  std::weak_ptr<session> ws = owner_;
  cb.on_close = [wp, ws, strand, gen](const voice::voice_close_event& e) {
    asio::post(strand, [wp, ws, gen, e] {
      auto pl = wp.lock();
      auto ss = ws.lock();
      if (!pl || !ss) return;
      std::lock_guard lk(ss->mu);
      pl->on_voice_close(*ss, gen, e);
    });
  };
  cb.on_state = [wp, ws, strand, gen](voice::voice_state st) {
    asio::post(strand, [wp, ws, gen, st] {
      auto pl = wp.lock();
      auto ss = ws.lock();
      if (!pl || !ss) return;
      std::lock_guard lk(ss->mu);
      pl->on_voice_state(*ss, gen, st);
    });
  };
  std::shared_ptr<voice::voice_connection> vc;
  try {
    vc = std::make_shared<voice::voice_connection>(st_->scheduler->executor(worker_), st_->clock, std::move(info), o,
                                                   std::move(cb));
  } catch (const std::exception& e) {
    st_->log.warn("[guild {}] cannot create the voice connection: {}", guild_id_, e.what());
    return false;
  }
  voice_state_ = v;
  voice_ = vc;
  vc->connect();
  on_worker([pb = playback_, sink = std::make_shared<voice_sink>(vc)]() mutable { pb->set_sink(std::move(sink)); });
  return true;
}

void player::set_paused(bool paused) {
  if (paused == paused_) return;
  paused_ = paused;
  on_worker([pb = playback_, paused] { pb->set_paused(paused); });
}

void player::set_volume(int volume) {
  volume_ = std::clamp(volume, 0, 1000);
  on_worker([pb = playback_, f = to_filter_settings(filters_), v = volume_] { pb->configure(f, v); });
}

void player::set_filters(session& s, lavalink::filters f) {
  filters_ = std::move(f);
  on_worker([pb = playback_, f = to_filter_settings(filters_), v = volume_] { pb->configure(f, v); });
  send_update(s);
}

void player::seek(session& s, std::int64_t position_ms) {
  if (!track_) return;
  position_ms = std::max<std::int64_t>(position_ms, 0);
  if (!track_->info.is_stream && track_->info.length > 0) position_ms = std::min(position_ms, track_->info.length);
  playback_->set_pending_seek(position_ms);
  st_->scheduler->seek(worker_, playback_, generation_, position_ms);
  send_update(s);
}

void player::set_end_time(std::optional<std::int64_t> end_ms) {
  end_ms_ = end_ms;
  if (track_) on_worker([pb = playback_, end_ms] { pb->set_end_time(end_ms); });
}

void player::set_user_data(boost::json::object data) {
  if (track_) track_->user_data = std::move(data);
}

void player::end_current(session& s, lavalink::track_end_reason reason) {
  if (!track_) return;
  lavalink::track_end_event e;
  e.guild_id = guild_id_;
  e.track = current_track_json();
  e.reason = reason;
  track_.reset();
  if (update_timer_) update_timer_->cancel();
  update_timer_.reset();
  s.send(event_text(e));
}

void player::play(session& s, lavalink::track t, lavalink::decoded_track d, std::int64_t start_ms,
                  std::optional<std::int64_t> end_ms, bool paused) {
  end_current(s, lavalink::track_end_reason::replaced);
  const auto gen = ++generation_;
  track_ = std::move(t);
  paused_ = paused;
  end_ms_ = end_ms;
  playback_->set_pending_seek(start_ms);
  on_worker([pb = playback_, gen, paused, end_ms] {
    pb->begin(gen, std::chrono::steady_clock::now());
    pb->set_paused(paused);
    pb->set_end_time(end_ms);
  });
  lavalink::track_start_event ev;
  ev.guild_id = guild_id_;
  ev.track = *track_;
  ev.track.info.position = start_ms;
  s.send(event_text(ev));
  send_update(s);
  start_updates(s);

  // Opening may take a while (network, probing, the resolver): it runs off the session. It may
  // wait in the loader's queue, so it holds the node only weakly (node_state.hpp); replacing or
  // stopping the track, or stopping the node, cancels it.
  if (opening_) opening_->cancel();
  opening_ = std::make_shared<open_cancel>();
  std::weak_ptr<node_state> weak = st_;
  auto sources = st_->sources;
  // Weak too: a frame left in a stopped I/O context must not keep the playback (and through
  // its sink the voice connection) alive past that context.
  std::weak_ptr<playback> weak_pb = playback_;
  const int worker = worker_;
  auto open = [weak, sources, cancel = opening_, weak_pb, worker, gen, d = std::move(d), start_ms]() mutable -> task<void> {
    auto r = co_await sources->open(std::move(d), start_ms, cancel);
    auto st = weak.lock();
    auto pb = weak_pb.lock();
    if (!st || !pb || st->stopping.load() || cancel->cancelled()) co_return;  // superseded: the media closes here
    auto ex = st->scheduler->executor(worker);
    if (!r) {
      asio::post(ex, [pb, gen, e = std::move(r).error()]() mutable { pb->fail(gen, std::move(e)); });
      co_return;
    }
    st->scheduler->load(worker, pb, gen, std::move(*r));
  };
  asio::co_spawn(st_->io, std::move(open), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      static const log::logger l("node.player");
      l.error("opening a track failed: {}", x.what());
    }
  });
}

void player::stop(session& s) {
  if (!track_) return;
  if (opening_) opening_->cancel();
  ++generation_;
  end_current(s, lavalink::track_end_reason::stopped);
  on_worker([pb = playback_] { pb->stop(); });
}

void player::destroy(session* s) {
  if (destroyed_) return;
  destroyed_ = true;
  if (opening_) opening_->cancel();
  if (s) stop(*s);
  ++generation_;
  track_.reset();
  if (update_timer_) update_timer_->cancel();
  update_timer_.reset();
  auto vc = std::move(voice_);
  ++voice_gen_;
  on_worker([pb = playback_, vc = std::move(vc)]() mutable {
    pb->set_sink(nullptr);
    vc.reset();  // the connection closes on its worker
  });
  st_->scheduler->detach(worker_, playback_);
}

void player::send_update(session& s) {
  lavalink::player_update_message m;
  m.guild_id = guild_id_;
  m.state = state();
  s.send(json::serialize(lavalink::to_json(lavalink::message{m})), false);
}

void player::start_updates(session& s) {
  if (update_timer_) update_timer_->cancel();
  auto timer = std::shared_ptr<vb::timer>(st_->clock.make_timer(s.strand()));
  update_timer_ = timer;
  std::weak_ptr<player> wp = weak_from_this();
  std::weak_ptr<session> ws = owner_;
  const auto gen = generation_;
  const auto interval = st_->config.player_update_interval;
  auto loop = [timer, wp, ws, gen, interval]() -> task<void> {
    while (co_await timer->wait_for(interval)) {
      auto pl = wp.lock();
      auto ss = ws.lock();
      if (!pl || !ss) co_return;
      std::lock_guard lk(ss->mu);
      if (pl->generation_ != gen || !pl->track_) co_return;
      pl->send_update(*ss);
    }
  };
  asio::co_spawn(s.strand(), std::move(loop), asio::detached);
}

void player::on_track_end(session& s, std::uint64_t gen, lavalink::track_end_reason reason,
                          std::optional<lavalink::exception_info> exception) {
  if (gen != generation_ || !track_) return;
  if (exception) {
    lavalink::track_exception_event e;
    e.guild_id = guild_id_;
    e.track = current_track_json();
    e.exception = std::move(*exception);
    s.send(event_text(e));
  }
  end_current(s, reason);
}

void player::on_track_stuck(session& s, std::uint64_t gen, std::chrono::milliseconds threshold) {
  if (gen != generation_ || !track_) return;
  lavalink::track_stuck_event e;
  e.guild_id = guild_id_;
  e.track = current_track_json();
  e.threshold_ms = threshold.count();
  s.send(event_text(e));
  send_update(s);
}

void player::on_voice_close(session& s, std::uint64_t voice_gen, const voice::voice_close_event& e) {
  if (voice_gen != voice_gen_) return;
  lavalink::websocket_closed_event ev;
  ev.guild_id = guild_id_;
  ev.code = e.code;
  ev.reason = e.reason;
  ev.by_remote = e.by_remote;
  s.send(event_text(ev));
  send_update(s);
}

void player::on_voice_state(session& s, std::uint64_t voice_gen, voice::voice_state st) {
  if (voice_gen != voice_gen_) return;
  if (st == voice::voice_state::ready) send_update(s);
}

}  // namespace vb::node::detail
