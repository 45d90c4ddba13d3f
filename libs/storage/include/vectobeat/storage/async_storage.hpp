#pragma once
// The storage thread: runs the blocking stores off the I/O threads, one job at a time, in
// submission order. Coroutines await their job and resume on their own executor.
//
//   async_storage db(open_stores(settings));
//   auto p = co_await db.run([g](stores& s) { return s.profiles->get(g); });
//   db.save_queue(state);          // coalesced: the newest state per guild is written
//   co_await db.flush();           // every queue state saved so far is on disk
//
// Queue states are written "on every change, cheaply": save_queue() only records the
// newest state of the guild; the storage thread writes each guild's latest state once, so
// a burst of changes costs one write per guild.
//
// Threading: every member is safe from any thread. The destructor writes pending queue
// states, finishes queued jobs and joins the thread (this is the one thread the library
// starts: SQLite and the Redis client block).
// Lifetime: destroy it before the io_context of the coroutines that await it (a finished
// job posts its completion there).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "vectobeat/common/async.hpp"
#include "vectobeat/storage/stores.hpp"

namespace vb::storage {

class async_storage {
 public:
  explicit async_storage(stores s);
  ~async_storage();
  async_storage(const async_storage&) = delete;
  async_storage& operator=(const async_storage&) = delete;

  // Runs fn(stores&) on the storage thread and returns its result. An exception thrown by
  // fn is rethrown in the awaiting coroutine.
  template <class F>
  task<std::invoke_result_t<F&, stores&>> run(F fn) {
    using R = std::invoke_result_t<F&, stores&>;
    std::exception_ptr error;
    if constexpr (std::is_void_v<R>) {
      auto job = [&] {
        try {
          fn(stores_);
        } catch (...) {
          error = std::current_exception();
        }
      };
      co_await run_erased(std::function<void()>(job));
      if (error) std::rethrow_exception(error);
    } else {
      std::optional<R> out;
      auto job = [&] {
        try {
          out.emplace(fn(stores_));
        } catch (...) {
          error = std::current_exception();
        }
      };
      co_await run_erased(std::function<void()>(job));
      if (error) std::rethrow_exception(error);
      co_return std::move(*out);
    }
  }

  // Records the guild's newest queue state for writing (never blocks on the database).
  void save_queue(queue_state q);
  // Drops a pending state and deletes the stored one.
  void remove_queue(std::uint64_t guild_id);
  // Completes when everything submitted before it has been written.
  task<void> flush();

  const std::string& backend() const noexcept { return stores_.backend; }
  // Writes that failed (logged); the next state of the guild is tried again.
  std::uint64_t failed_writes() const noexcept;
  std::uint64_t queue_writes() const noexcept;  // states actually written

 private:
  task<void> run_erased(std::function<void()> job);
  void post(std::function<void()> job);
  void thread_main();
  void write_pending_queues();

  stores stores_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::map<std::uint64_t, std::optional<queue_state>> pending_;  // nullopt: delete
  bool queue_job_posted_ = false;
  std::uint64_t failed_ = 0;
  std::uint64_t written_ = 0;
  std::thread thread_;
};

}  // namespace vb::storage
