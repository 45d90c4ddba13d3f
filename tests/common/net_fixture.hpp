#pragma once
// Integration-test support: an io_context running on background threads, a way to run a
// coroutine there and wait for its result, and a bounded "wait until" for conditions
// that become true asynchronously (no fixed sleeps).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "vectobeat/common/async.hpp"

namespace vb::test {

class io_fixture : public ::testing::Test {
 protected:
  explicit io_fixture(int threads = 2) : work_(ioc_.get_executor()) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~io_fixture() override { stop_io(); }
  // Stops the pool before a derived fixture's members go away (handlers may refer to them).
  void TearDown() override { stop_io(); }
  void stop_io() {
    ioc_.stop();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  asio::any_io_executor ex() { return ioc_.get_executor(); }

  // Runs `t` on the pool and returns its result; fails the test after `limit`.
  template <class T>
  T run(task<T> t, std::chrono::seconds limit = std::chrono::seconds(30)) {
    auto p = std::make_shared<std::promise<T>>();
    auto f = p->get_future();
    asio::co_spawn(ex(), std::move(t), [p](std::exception_ptr e, T v) {
      if (e) p->set_exception(e);
      else p->set_value(std::move(v));
    });
    if (f.wait_for(limit) != std::future_status::ready) throw std::runtime_error("coroutine did not finish in time");
    return f.get();
  }
  void run(task<void> t, std::chrono::seconds limit = std::chrono::seconds(30)) {
    auto p = std::make_shared<std::promise<void>>();
    auto f = p->get_future();
    asio::co_spawn(ex(), std::move(t), [p](std::exception_ptr e) {
      if (e) p->set_exception(e);
      else p->set_value();
    });
    if (f.wait_for(limit) != std::future_status::ready) throw std::runtime_error("coroutine did not finish in time");
    f.get();
  }

  // Polls `pred` until it holds; false after `limit`.
  static bool eventually(const std::function<bool()>& pred, std::chrono::seconds limit = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// A value set once from any thread and awaited by the test thread.
template <class T>
class latch_value {
 public:
  void set(T v) {
    std::lock_guard lk(mu_);
    if (!set_) {
      set_ = true;
      p_.set_value(std::move(v));
    }
  }
  T get(std::chrono::seconds limit = std::chrono::seconds(10)) {
    if (f_.wait_for(limit) != std::future_status::ready) throw std::runtime_error("value was never set");
    return f_.get();
  }

 private:
  std::mutex mu_;
  bool set_ = false;
  std::promise<T> p_;
  std::shared_future<T> f_ = p_.get_future().share();
};

}  // namespace vb::test
