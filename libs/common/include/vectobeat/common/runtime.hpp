#pragma once
// The process's I/O thread pool with graceful shutdown on SIGINT/SIGTERM.
#include <chrono>
#include <functional>
#include <memory>

#include "vectobeat/common/async.hpp"

namespace boost::asio {
class io_context;
}

namespace vb {

class runtime {
 public:
  explicit runtime(unsigned threads = 0);  // 0: one per core
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  asio::io_context& context();
  asio::any_io_executor executor();
  asio::any_io_executor make_strand();

  // Hooks run, in registration order, when shutdown begins (signal or stop()).
  void on_shutdown(std::function<void()> hook);
  // Runs the pool on this thread plus (threads-1) more until shutdown completes. After
  // the hooks ran, pending work gets `grace` to finish, then the pool is stopped.
  // Returns 0, or 128+signal when a signal started the shutdown.
  int run(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // Starts a graceful shutdown; safe from any thread and from signal-free contexts.
  void stop();
  unsigned threads() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vb
