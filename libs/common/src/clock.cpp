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

// State shared by a timer and the handlers it posts, so they may outlive the timer.
// `mu` orders wait start, cancel and firing; the asio timer itself is only touched on
// its executor.
struct timer_state {
  explicit timer_state(asio::any_io_executor ex) : t(std::move(ex)) {}
  asio::steady_timer t;
  std::mutex mu;
  std::uint64_t wait_id = 0;  // which wait a posted cancel belongs to
  bool waiting = false;
  bool cancelled = false;
};

// Posts a cancel of the current wait only: a cancel() with no wait pending must not
// end a wait started later.
void cancel_current_wait(const std::shared_ptr<timer_state>& s) {
  std::lock_guard lk(s->mu);
  if (!s->waiting || s->cancelled) return;
  s->cancelled = true;
  asio::post(s->t.get_executor(), [s, id = s->wait_id] {
    std::lock_guard lk2(s->mu);
    if (s->waiting && s->wait_id == id) s->t.cancel();
  });
}

class steady_timer_impl final : public timer {
 public:
  steady_timer_impl(clock& c, asio::any_io_executor ex) : timer(c), s_(std::make_shared<timer_state>(std::move(ex))) {}
  ~steady_timer_impl() override { cancel(); }

  task<bool> wait_until(steady_time deadline) override {
    auto s = s_;  // keeps the state alive if the owner goes away mid-wait
    {
      std::lock_guard lk(s->mu);
      s->t.expires_at(deadline);
      ++s->wait_id;
      s->waiting = true;
      s->cancelled = false;
    }
    boost::system::error_code ec;
    co_await s->t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::lock_guard lk(s->mu);
    s->waiting = false;
    co_return !ec && !s->cancelled;
  }
  void cancel() override { cancel_current_wait(s_); }

 private:
  std::shared_ptr<timer_state> s_;
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

struct manual_timer_state : timer_state {
  using timer_state::timer_state;
  steady_time deadline{};
  std::uint64_t seq = 0;  // creation order, for timers due at the same instant
  bool fired = false;
};

struct manual_clock::state {
  mutable std::mutex mu;
  steady_time now{std::chrono::hours(1000)};
  system_time sys{std::chrono::sys_days(std::chrono::year(2026) / 1 / 1)};
  std::uint64_t next_seq = 0;
  std::vector<std::weak_ptr<manual_timer_state>> timers;
};

namespace {

// A wait parks the asio timer at "never"; advance() or cancel() wakes it by cancelling
// that wait, and the result says which one did. Lock order: clock, then timer.
class manual_timer final : public timer {
 public:
  manual_timer(clock& c, std::shared_ptr<manual_clock::state> clk, asio::any_io_executor ex)
      : timer(c), clk_(std::move(clk)), s_(std::make_shared<manual_timer_state>(std::move(ex))) {
    std::lock_guard lk(clk_->mu);
    s_->seq = clk_->next_seq++;
    clk_->timers.push_back(s_);
  }
  ~manual_timer() override { cancel(); }

  task<bool> wait_until(steady_time deadline) override {
    auto s = s_;
    {
      std::lock_guard lk(clk_->mu);
      if (deadline <= clk_->now) co_return true;
      std::lock_guard lk2(s->mu);
      s->t.expires_at(steady_time::max());
      s->deadline = deadline;
      ++s->wait_id;
      s->waiting = true;
      s->cancelled = false;
      s->fired = false;
    }
    boost::system::error_code ec;
    co_await s->t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::lock_guard lk(s->mu);
    s->waiting = false;
    co_return s->fired;
  }

  void cancel() override { cancel_current_wait(s_); }

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
  std::vector<std::shared_ptr<manual_timer_state>> due;
  for (auto& w : ts) {
    auto s = w.lock();
    if (!s) continue;
    std::lock_guard lk2(s->mu);
    if (s->waiting && !s->fired && !s->cancelled && s->deadline <= state_->now) {
      s->fired = true;
      due.push_back(std::move(s));
    }
  }
  // Completions are posted in deadline order (creation order for equal deadlines).
  std::sort(due.begin(), due.end(), [](auto& a, auto& b) {
    return a->deadline != b->deadline ? a->deadline < b->deadline : a->seq < b->seq;
  });
  for (auto& s : due) {
    asio::post(s->t.get_executor(), [s, id = s->wait_id] {
      std::lock_guard lk2(s->mu);
      if (s->waiting && s->wait_id == id) s->t.cancel();
    });
  }
}

std::size_t manual_clock::waiting_timers() const {
  std::lock_guard lk(state_->mu);
  std::size_t n = 0;
  for (auto& w : state_->timers) {
    if (auto s = w.lock()) {
      std::lock_guard lk2(s->mu);
      if (s->waiting && !s->fired && !s->cancelled) ++n;
    }
  }
  return n;
}

}  // namespace vb
