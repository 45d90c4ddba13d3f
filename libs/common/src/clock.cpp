#include "vectobeat/common/clock.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace vb {

task<bool> timer::wait_for(std::chrono::steady_clock::duration d) { return wait_until(clock_.now() + d); }

std::int64_t clock::unix_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(system_now().time_since_epoch()).count();
}

task<void> clock::sleep_for(asio::any_io_executor ex, std::chrono::steady_clock::duration d) {
  auto t = make_timer(ex);
  co_await t->wait_for(d);
}

namespace {

class steady_timer_impl final : public timer {
 public:
  steady_timer_impl(clock& c, asio::any_io_executor ex) : timer(c), t_(std::make_shared<asio::steady_timer>(ex)) {}
  ~steady_timer_impl() override { t_->cancel(); }

  task<bool> wait_until(steady_time deadline) override {
    auto t = t_;  // keeps the timer alive if the owner goes away mid-wait
    t->expires_at(deadline);
    boost::system::error_code ec;
    co_await t->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  void cancel() override {
    asio::post(t_->get_executor(), [t = t_] { t->cancel(); });
  }

 private:
  std::shared_ptr<asio::steady_timer> t_;
};

class system_clock_impl final : public clock {
 public:
  steady_time now() const override { return std::chrono::steady_clock::now(); }
  system_time system_now() const override { return std::chrono::system_clock::now(); }
  std::unique_ptr<timer> make_timer(asio::any_io_executor ex) override {
    return std::make_unique<steady_timer_impl>(*this, std::move(ex));
  }
};

}  // namespace

clock& clock::system() {
  static system_clock_impl c;
  return c;
}

// -------------------------------------------------------------- manual clock

struct manual_timer_state {
  explicit manual_timer_state(asio::any_io_executor ex) : t(std::move(ex)) {}
  asio::steady_timer t;  // parked at "never"; cancelled to wake the waiter
  steady_time deadline{};
  bool waiting = false;
  bool fired = false;
};

struct manual_clock::state {
  mutable std::mutex mu;
  steady_time now{std::chrono::hours(1000)};
  system_time sys{std::chrono::sys_days(std::chrono::year(2026) / 1 / 1)};
  std::vector<std::weak_ptr<manual_timer_state>> timers;
};

namespace {

class manual_timer final : public timer {
 public:
  manual_timer(clock& c, std::shared_ptr<manual_clock::state> clk, asio::any_io_executor ex)
      : timer(c), clk_(std::move(clk)), s_(std::make_shared<manual_timer_state>(std::move(ex))) {
    std::lock_guard lk(clk_->mu);
    clk_->timers.push_back(s_);
  }
  ~manual_timer() override { s_->t.cancel(); }

  task<bool> wait_until(steady_time deadline) override {
    auto s = s_;
    {
      std::lock_guard lk(clk_->mu);
      if (deadline <= clk_->now) co_return true;
      s->deadline = deadline;
      s->waiting = true;
      s->fired = false;
      s->t.expires_at(steady_time::max());
    }
    boost::system::error_code ec;
    co_await s->t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::lock_guard lk(clk_->mu);
    s->waiting = false;
    co_return s->fired;
  }

  void cancel() override {
    asio::post(s_->t.get_executor(), [s = s_] { s->t.cancel(); });
  }

 private:
  std::shared_ptr<manual_clock::state> clk_;
  std::shared_ptr<manual_timer_state> s_;
};

}  // namespace

manual_clock::manual_clock() : state_(std::make_shared<state>()) {}

steady_time manual_clock::now() const {
  std::lock_guard lk(state_->mu);
  return state_->now;
}

system_time manual_clock::system_now() const {
  std::lock_guard lk(state_->mu);
  return state_->sys;
}

std::unique_ptr<timer> manual_clock::make_timer(asio::any_io_executor ex) {
  return std::make_unique<manual_timer>(*this, state_, std::move(ex));
}

void manual_clock::advance(std::chrono::steady_clock::duration d) {
  std::lock_guard lk(state_->mu);
  state_->now += d;
  state_->sys += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  auto& ts = state_->timers;
  ts.erase(std::remove_if(ts.begin(), ts.end(), [](auto& w) { return w.expired(); }), ts.end());
  for (auto& w : ts) {
    auto s = w.lock();
    if (s && s->waiting && !s->fired && s->deadline <= state_->now) {
      s->fired = true;
      asio::post(s->t.get_executor(), [s] { s->t.cancel(); });
    }
  }
}

std::size_t manual_clock::waiting_timers() const {
  std::lock_guard lk(state_->mu);
  std::size_t n = 0;
  for (auto& w : state_->timers)
    if (auto s = w.lock(); s && s->waiting && !s->fired) ++n;
  return n;
}

}  // namespace vb
