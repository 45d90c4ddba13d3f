#include "core.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/json/serialize.hpp>

#include "actions.hpp"
#include "gateway.hpp"
#include "interactions.hpp"
#include "rate_limiter.hpp"
#include "rest_router.hpp"
#include "voice_server.hpp"

namespace vb::fake::detail {

core::core(asio::any_io_executor ex, clock& c, server_options o)
    : strand(asio::make_strand(std::move(ex))), clk(c), opts(std::move(o)), w(c) {
  gw = std::make_unique<gateway>(*this);
  limits = std::make_unique<rate_limiter>(*this);
  ix = std::make_unique<interactions>(*this);
  voice = std::make_unique<voice_server>(*this);
  act = std::make_unique<actions>(*this);
  rest = std::make_unique<rest_router>(*this);
}

core::~core() = default;

std::string core::http_base() const {
  const bool v6 = opts.public_host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + opts.public_host + "]" : opts.public_host) + ":" + std::to_string(port);
}

std::string core::gateway_url() const {
  const bool v6 = opts.public_host.find(':') != std::string::npos;
  return "ws://" + (v6 ? "[" + opts.public_host + "]" : opts.public_host) + ":" + std::to_string(port);
}

std::string core::voice_endpoint() const {
  const bool v6 = opts.public_host.find(':') != std::string::npos;
  return (v6 ? "[" + opts.public_host + "]" : opts.public_host) + ":" + std::to_string(voice->port());
}

void core::notify() {
  {
    std::lock_guard lk(mu_);
    ++version_;
    cv_.notify_all();
  }
  if (strand.running_in_this_thread()) {
    for (auto* t : waiters_) t->cancel();
    return;
  }
  // The posted wake-up touches the core, so it counts as a task: ~server waits for it.
  tasks.fetch_add(1);
  auto wake = [this] {
    for (auto* t : waiters_) t->cancel();
    task_done();
  };
  asio::dispatch(strand, std::move(wake));
}

void core::task_done() {
  // Decrement and wake under the lock: ~server's wait_tasks_done() cannot return (and free
  // the core) before this thread has released the mutex, its last access to the core.
  std::lock_guard lk(mu_);
  tasks.fetch_sub(1);
  cv_.notify_all();
}

std::uint64_t core::version() const {
  std::lock_guard lk(mu_);
  return version_;
}

bool core::wait_version_change(std::uint64_t seen, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lk(mu_);
  return cv_.wait_until(lk, deadline, [&] { return version_ != seen; });
}

bool core::wait_tasks_done(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lk(mu_);
  return cv_.wait_until(lk, deadline, [&] { return tasks.load() == 0; });
}

task<void> core::wait_change(steady_time deadline) {
  auto t = clk.make_timer(strand);
  waiters_.push_back(t.get());
  auto it = std::prev(waiters_.end());
  co_await t->wait_until(deadline);
  waiters_.erase(it);
}

}  // namespace vb::fake::detail
