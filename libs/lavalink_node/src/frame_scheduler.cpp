#include "vectobeat/node/frame_scheduler.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>

#include "vectobeat/common/log.hpp"

namespace vb::node {

namespace {
using sclock = std::chrono::steady_clock;
const log::logger& sched_log() {
  static const log::logger l("node.scheduler");
  return l;
}
}  // namespace

double scheduler_stats::lateness_quantile_ms(double q) const {
  std::uint64_t total = 0;
  for (auto c : lateness) total += c;
  if (total == 0) return 0.0;
  const auto target = static_cast<std::uint64_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(total - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < lateness.size(); ++i) {
    seen += lateness[i];
    if (seen >= target) return static_cast<double>(i) * 0.1;
  }
  return static_cast<double>(lateness.size() - 1) * 0.1;
}

struct frame_scheduler::worker {
  worker(int i, const scheduler_options& o) : index(i), opts(o), guard(ctx.get_executor()), timer(ctx) {}

  int index;
  const scheduler_options& opts;
  asio::io_context ctx{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  asio::steady_timer timer;
  std::thread thread;
  std::vector<std::shared_ptr<playback>> playbacks;  // worker thread only
  std::atomic<std::size_t> assigned{0};
  worker_scratch scratch;
  sclock::time_point next_tick{};
  bool run_ahead_posted = false;
  std::size_t cursor = 0;
  std::array<std::atomic<std::uint64_t>, lateness_buckets> lateness{};
  std::atomic<std::uint64_t> ticks{0};
  std::atomic<std::uint64_t> skipped{0};
  std::atomic<std::size_t> live{0};

  void start_clock() {
    next_tick = sclock::now() + opts.frame_interval;
    arm();
  }

  void arm() {
    timer.expires_at(next_tick);
    timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) on_tick();
    });
  }

  void record_lateness(sclock::duration late) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(late).count();
    const auto bucket = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(us, 0) / 100), lateness_buckets - 1);
    lateness[bucket].fetch_add(1, std::memory_order_relaxed);
  }

  void tick_all(sclock::time_point now) {
    for (auto& p : playbacks) p->tick(now);
    ticks.fetch_add(1, std::memory_order_relaxed);
  }

  void on_tick() {
    auto now = sclock::now();
    record_lateness(now - next_tick);
    int n = 0;
    while (now >= next_tick && n < std::max(opts.max_catch_up_ticks, 1)) {
      tick_all(now);
      next_tick += opts.frame_interval;
      ++n;
    }
    if (now >= next_tick) {  // too far behind: drop the missed ticks, keep real time
      const auto behind = (now - next_tick) / opts.frame_interval + 1;
      skipped.fetch_add(static_cast<std::uint64_t>(behind), std::memory_order_relaxed);
      next_tick += behind * opts.frame_interval;
    }
    arm();
    schedule_run_ahead();
  }

  void schedule_run_ahead() {
    if (run_ahead_posted) return;
    run_ahead_posted = true;
    asio::post(ctx, [this] { run_ahead(); });
  }

  // One slice of run-ahead; re-posts itself while there is work and time before the next tick.
  void run_ahead() {
    run_ahead_posted = false;
    if (playbacks.empty()) return;
    const auto start = sclock::now();
    const auto deadline = std::min(start + opts.run_ahead_slice, next_tick - opts.tick_guard);
    if (start >= deadline) return;  // the tick comes first and posts again
    bool more = false;
    const std::size_t count = playbacks.size();
    cursor = cursor % count;
    for (bool any = true; any && !more;) {
      any = false;
      for (std::size_t k = 0; k < count; ++k) {
        auto& p = playbacks[(cursor + k) % count];
        if (!p->wants_frame()) continue;
        p->produce(scratch);
        any = true;
        if (sclock::now() >= deadline) {
          cursor = (cursor + k + 1) % count;
          more = true;
          break;
        }
      }
    }
    if (more && sclock::now() < next_tick - opts.tick_guard) schedule_run_ahead();
  }

  void fill_all() {
    for (bool any = true; any;) {
      any = false;
      for (auto& p : playbacks) {
        if (!p->wants_frame()) continue;
        p->produce(scratch);
        any = true;
      }
    }
  }
};

frame_scheduler::frame_scheduler(scheduler_options options, asio::any_io_executor loader)
    : options_(std::move(options)), loader_(std::move(loader)) {
  const int n = std::max(options_.workers, 1);
  for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<worker>(i, options_));
}

frame_scheduler::~frame_scheduler() { stop(); }

void frame_scheduler::start() {
  if (started_.exchange(true)) return;
  for (auto& w : workers_) {
    worker* wp = w.get();
    wp->thread = std::thread([this, wp] {
      if (options_.on_thread_start) options_.on_thread_start(wp->index);
      asio::post(wp->ctx, [wp] { wp->start_clock(); });
      for (;;) {
        try {
          wp->ctx.run();
          break;
        } catch (const std::exception& e) {  // a handler threw: log it, keep the clock running
          sched_log().error("worker {}: handler failed: {}", wp->index, e.what());
        }
      }
    });
  }
}

void frame_scheduler::stop() {
  if (stopped_.exchange(true)) return;
  for (auto& w : workers_) {
    w->guard.reset();
    w->ctx.stop();
  }
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
  for (auto& w : workers_) {
    for (auto& p : w->playbacks) p->stop();
    w->playbacks.clear();
  }
}

int frame_scheduler::worker_count() const noexcept { return static_cast<int>(workers_.size()); }

int frame_scheduler::assign_worker() {
  int best = 0;
  std::size_t best_count = SIZE_MAX;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    const auto c = workers_[i]->assigned.load(std::memory_order_relaxed);
    if (c < best_count) {
      best = static_cast<int>(i);
      best_count = c;
    }
  }
  workers_[static_cast<std::size_t>(best)]->assigned.fetch_add(1, std::memory_order_relaxed);
  return best;
}

asio::any_io_executor frame_scheduler::executor(int w) const {
  return workers_.at(static_cast<std::size_t>(w))->ctx.get_executor();
}

void frame_scheduler::attach(int w, std::shared_ptr<playback> p) {
  auto* wk = workers_.at(static_cast<std::size_t>(w)).get();
  asio::post(wk->ctx, [wk, p = std::move(p)]() mutable {
    wk->playbacks.push_back(std::move(p));
    wk->live.store(wk->playbacks.size(), std::memory_order_relaxed);
  });
}

void frame_scheduler::detach(int w, std::shared_ptr<playback> p) {
  auto* wk = workers_.at(static_cast<std::size_t>(w)).get();
  asio::post(wk->ctx, [wk, p = std::move(p)] {
    auto it = std::find(wk->playbacks.begin(), wk->playbacks.end(), p);
    if (it == wk->playbacks.end()) return;
    (*it)->stop();
    *it = std::move(wk->playbacks.back());
    wk->playbacks.pop_back();
    wk->live.store(wk->playbacks.size(), std::memory_order_relaxed);
    wk->assigned.fetch_sub(1, std::memory_order_relaxed);
  });
}

void frame_scheduler::load(int w, std::shared_ptr<playback> p, std::uint64_t gen, std::unique_ptr<track_media> media) {
  auto* wk = workers_.at(static_cast<std::size_t>(w)).get();
  asio::post(wk->ctx, [this, w, p = std::move(p), gen, m = std::move(media)]() mutable {
    if (auto job = p->load(gen, std::move(m), sclock::now())) run_seek(w, std::move(p), std::move(*job));
  });
}

void frame_scheduler::seek(int w, std::shared_ptr<playback> p, std::uint64_t gen, std::int64_t position_ms) {
  auto* wk = workers_.at(static_cast<std::size_t>(w)).get();
  asio::post(wk->ctx, [this, w, p = std::move(p), gen, position_ms]() mutable {
    if (auto job = p->request_seek(gen, position_ms)) run_seek(w, std::move(p), std::move(*job));
  });
}

void frame_scheduler::run_seek(int w, std::shared_ptr<playback> p, playback::seek_job job) {
  auto* wk = workers_.at(static_cast<std::size_t>(w)).get();
  asio::post(loader_, [this, w, wk, p = std::move(p), job = std::move(job)]() mutable {
    const bool ok = static_cast<bool>(job.media->decoder.seek(std::chrono::milliseconds(job.position_ms)));
    asio::post(wk->ctx, [this, w, p = std::move(p), job = std::move(job), ok]() mutable {
      if (auto next = p->finish_seek(std::move(job), ok, sclock::now())) run_seek(w, std::move(p), std::move(*next));
    });
  });
}

scheduler_stats frame_scheduler::stats() const {
  scheduler_stats s;
  for (auto& w : workers_) {
    s.ticks += w->ticks.load(std::memory_order_relaxed);
    s.skipped_ticks += w->skipped.load(std::memory_order_relaxed);
    s.playbacks += w->live.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < lateness_buckets; ++i) s.lateness[i] += w->lateness[i].load(std::memory_order_relaxed);
  }
  return s;
}

void frame_scheduler::reset_stats() {
  for (auto& w : workers_) {
    w->ticks.store(0, std::memory_order_relaxed);
    w->skipped.store(0, std::memory_order_relaxed);
    for (auto& b : w->lateness) b.store(0, std::memory_order_relaxed);
  }
}

void frame_scheduler::tick_for_test(int w, steady_time now) { workers_.at(static_cast<std::size_t>(w))->tick_all(now); }
void frame_scheduler::run_ahead_for_test(int w) { workers_.at(static_cast<std::size_t>(w))->fill_all(); }
void frame_scheduler::poll_for_test(int w) {
  auto& ctx = workers_.at(static_cast<std::size_t>(w))->ctx;
  ctx.restart();
  ctx.poll();
}

}  // namespace vb::node
