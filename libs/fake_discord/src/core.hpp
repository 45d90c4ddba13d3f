#pragma once
// Internal: what every part of the fake shares. All state lives on `strand`; the parts
// (gateway, REST, interactions, voice, control API) reach each other through this object.
#include <boost/asio/strand.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/fake_discord/server.hpp"
#include "world.hpp"

namespace vb::fake::detail {

// Nesting bound for every JSON document the fake parses (gateway frames and REST bodies).
inline constexpr std::size_t max_json_depth = 32;

class gateway;
class rest_router;
class rate_limiter;
class interactions;
class voice_server;
class actions;

struct core {
  core(asio::any_io_executor ex, clock& c, server_options o);
  ~core();

  asio::strand<asio::any_io_executor> strand;
  clock& clk;
  server_options opts;
  log::logger log{"fake"};
  world w;

  std::unique_ptr<gateway> gw;
  std::unique_ptr<rate_limiter> limits;
  std::unique_ptr<interactions> ix;
  std::unique_ptr<voice_server> voice;
  std::unique_ptr<actions> act;
  std::unique_ptr<rest_router> rest;

  std::uint16_t port = 0;
  std::optional<demo_ids> demo;
  bool stopped = false;

  std::string http_base() const;  // http://host:P
  std::string gateway_url() const;
  std::string voice_endpoint() const;

  // ---- change notification: every handler that changed state calls notify(). Blocking
  // waiters (test API) use the condition variable; coroutines use wait_change().
  void notify();
  std::uint64_t version() const;
  bool wait_version_change(std::uint64_t seen, std::chrono::steady_clock::time_point deadline);
  // Coroutines that touch the core hold a task_guard; ~server waits for them to end.
  std::atomic<int> tasks{0};
  bool wait_tasks_done(std::chrono::steady_clock::time_point deadline);
  void task_done();  // the last access to the core of a task that ends
  // On the strand: completes after the next notify() or at `deadline` (injected clock).
  task<void> wait_change(steady_time deadline);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t version_ = 0;
  std::list<timer*> waiters_;  // strand
};

struct task_guard {
  explicit task_guard(core& c) : c_(c) { c_.tasks.fetch_add(1); }
  ~task_guard() {
    c_.notify();  // while still counted: the core outlives this call
    c_.task_done();
  }
  task_guard(const task_guard&) = delete;
  task_guard& operator=(const task_guard&) = delete;

 private:
  core& c_;
};

// Runs `fn()` on the strand from any other thread and returns its result (blocking).
template <class F>
auto run_on_strand(core& c, F fn) -> decltype(fn());

}  // namespace vb::fake::detail

#include <boost/asio/post.hpp>

#include <future>

namespace vb::fake::detail {

template <class F>
auto run_on_strand(core& c, F fn) -> decltype(fn()) {
  using R = decltype(fn());
  if (c.strand.running_in_this_thread()) return fn();
  std::packaged_task<R()> task(std::move(fn));
  auto fut = task.get_future();
  asio::post(c.strand, [&task] { task(); });
  return fut.get();
}

}  // namespace vb::fake::detail
