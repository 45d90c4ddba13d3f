#pragma once
// Lets other handlers cancel a coroutine's current wait. While a coroutine waits on a timer
// it owns, `slot` points at that timer; a cancel meant for an old wait can therefore never
// hit a newer one (each wait has its own timer).
#include "vectobeat/common/clock.hpp"

namespace vb {

class timer_slot {
 public:
  timer_slot(timer*& slot, timer* t) : slot_(slot), t_(t) { slot_ = t_; }
  ~timer_slot() {
    if (slot_ == t_) slot_ = nullptr;
  }
  timer_slot(const timer_slot&) = delete;
  timer_slot& operator=(const timer_slot&) = delete;

 private:
  timer*& slot_;
  timer* t_;
};

// Cancels the wait `t` points at, if any.
inline void cancel(timer* t) {
  if (t) t->cancel();
}

}  // namespace vb
