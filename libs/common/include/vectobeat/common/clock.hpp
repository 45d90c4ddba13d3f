#pragma once
// Injected time. Production code takes a `clock&` and makes its timers from it, so
// tests can drive heartbeats, timeouts and resume windows by hand (manual_clock).
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "vectobeat/common/async.hpp"

namespace vb {

using steady_time = std::chrono::steady_clock::time_point;
using system_time = std::chrono::system_clock::time_point;

class clock;

class timer {
 public:
  explicit timer(clock& c) : clock_(c) {}
  virtual ~timer() = default;
  timer(const timer&) = delete;
  timer& operator=(const timer&) = delete;

  // Completes with true at `deadline`, or with false when cancel() is called first.
  // Await on the executor the timer was made for; one wait at a time.
  virtual task<bool> wait_until(steady_time deadline) = 0;
  task<bool> wait_for(std::chrono::steady_clock::duration d);
  // Ends the pending wait (if any) with false; without a pending wait it does nothing
  // (a later wait is not affected). Safe from any thread. Destroying the timer cancels.
  virtual void cancel() = 0;

 protected:
  clock& clock_;
};

class clock {
 public:
  virtual ~clock() = default;
  virtual steady_time now() const = 0;
  virtual system_time system_now() const = 0;
  virtual std::unique_ptr<timer> make_timer(asio::any_io_executor ex) = 0;

  // Milliseconds since the Unix epoch, per system_now().
  std::int64_t unix_ms() const;
  task<void> sleep_for(asio::any_io_executor ex, std::chrono::steady_clock::duration d);

  // The real clock (std::chrono::steady_clock / system_clock).
  static clock& system();
};

// A clock that only moves when told to. Timers made from it complete inside advance()
// (their completions are posted to their executors in deadline order; run the
// io_context afterwards). Starts at 2026-01-01T00:00:00Z.
class manual_clock final : public clock {
 public:
  manual_clock();
  steady_time now() const override;
  system_time system_now() const override;
  std::unique_ptr<timer> make_timer(asio::any_io_executor ex) override;

  void advance(std::chrono::steady_clock::duration d);
  std::size_t waiting_timers() const;

  struct state;

 private:
  std::shared_ptr<state> state_;
};

}  // namespace vb
