#pragma once
// Frame scheduling without a thread per player: N workers, each a thread running its own
// io_context. A player belongs to one worker for life, and so does its voice connection
// (created on the worker's executor), so a frame goes from the ring to the UDP socket on one
// thread, and Asio recycles the handler memory of the hand-over.
//
// Each worker runs
//   - the frame clock: a timer every 20 ms that calls tick() on every playback it owns
//     (one frame each; when the thread was held up, missed ticks are caught up, at most
//     max_catch_up_ticks, so audio stays in real time);
//   - run-ahead: slices of at most run_ahead_slice between ticks, producing one frame per
//     playback per pass (the emptiest buffers are refilled first) until every buffer is full
//     or the next tick is near.
// Blocking work (opening, probing, seeking) never runs here: it goes to the loader executor.
//
// Threading: public members are safe from any thread.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/node/playback.hpp"

namespace vb::node {

struct scheduler_options {
  int workers = 1;
  std::chrono::microseconds frame_interval{20'000};
  std::chrono::microseconds run_ahead_slice{2'000};
  std::chrono::microseconds tick_guard{500};  // run-ahead stops this long before the next tick
  int max_catch_up_ticks = 5;
  // Called on each worker thread as it starts (the benchmark pins threads to a core).
  std::function<void(int worker)> on_thread_start;
};

// Tick lateness in 100 us buckets up to 100 ms (the last bucket takes everything later).
inline constexpr std::size_t lateness_buckets = 1001;

struct scheduler_stats {
  std::uint64_t ticks = 0;
  std::uint64_t skipped_ticks = 0;  // dropped after falling more than max_catch_up_ticks behind
  std::size_t playbacks = 0;
  std::array<std::uint64_t, lateness_buckets> lateness{};  // summed over workers
  // Lateness (ms) at quantile q in [0, 1], from the buckets.
  double lateness_quantile_ms(double q) const;
};

class frame_scheduler {
 public:
  // `loader` runs blocking work (seeks). Threads start in start().
  frame_scheduler(scheduler_options options, asio::any_io_executor loader);
  ~frame_scheduler();  // stop()
  frame_scheduler(const frame_scheduler&) = delete;
  frame_scheduler& operator=(const frame_scheduler&) = delete;

  void start();
  // Stops the clocks and joins the threads; pending handlers are destroyed. Idempotent.
  void stop();

  int worker_count() const noexcept;
  // The worker with the fewest playbacks (ties: lowest index). Counts the new one at once.
  int assign_worker();
  // The executor of worker `w`: post playback commands here; make voice connections here.
  asio::any_io_executor executor(int w) const;

  void attach(int w, std::shared_ptr<playback> p);
  // Removes the playback (it is stopped first); the count of assign_worker() drops.
  void detach(int w, std::shared_ptr<playback> p);
  // Hands opened media to `p` on its worker (running a seek requested meanwhile on the loader).
  void load(int w, std::shared_ptr<playback> p, std::uint64_t gen, std::unique_ptr<track_media> media);
  // Seeks `p` (generation `gen`) on the loader; see playback::request_seek().
  void seek(int w, std::shared_ptr<playback> p, std::uint64_t gen, std::int64_t position_ms);

  scheduler_stats stats() const;
  void reset_stats();

  // Tests: drive one worker by hand (without start()); run on the test's thread only.
  void tick_for_test(int w, steady_time now);
  void run_ahead_for_test(int w);
  void poll_for_test(int w);

  struct worker;

 private:
  void run_seek(int w, std::shared_ptr<playback> p, playback::seek_job job);

  scheduler_options options_;
  asio::any_io_executor loader_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace vb::node
