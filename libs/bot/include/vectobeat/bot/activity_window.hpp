#pragma once
// Rolling 24-hour activity for the Status API (contracts §7.3 `commands24h`,
// `listeners24h`, `listenerPeak24h`), on the injected clock so tests drive time by hand.
//
//   rolling_counter commands(clk);       // 24 hourly buckets
//   commands.add();                       // one command handled
//   commands.sum();                       // handled in the current hour and the 23 before it
//
// The window is bucketed: it covers the current (partial) bucket and the `buckets - 1`
// full buckets before it, so an event leaves the sums between 23 and 24 hours after it
// happened. Not thread-safe: the bot uses them on its strand.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "vectobeat/common/clock.hpp"

namespace vb::bot {

class rolling_counter {
 public:
  explicit rolling_counter(const clock& clk, std::chrono::steady_clock::duration bucket = std::chrono::hours(1),
                           std::size_t buckets = 24);

  void add(std::uint64_t n = 1);
  // Records a sampled level (e.g. listeners now); max() is the highest within the window.
  void sample(std::uint64_t level);
  std::uint64_t sum() const;
  std::uint64_t max() const;

 private:
  struct slot {
    std::int64_t index = -1;  // which bucket of time this slot holds
    std::uint64_t sum = 0;
    std::uint64_t max = 0;
  };
  std::int64_t current_index() const;
  slot& current();

  const clock& clk_;
  steady_time origin_;
  std::chrono::steady_clock::duration bucket_;
  std::vector<slot> slots_;
};

// Distinct ids (listeners) seen within the last `span`. At most `max_ids` are tracked:
// when full, expired ids are dropped first, then the least recently seen.
class distinct_window {
 public:
  explicit distinct_window(const clock& clk, std::chrono::steady_clock::duration span = std::chrono::hours(24),
                           std::size_t max_ids = 100'000);

  void see(std::uint64_t id);
  std::size_t count();  // drops expired ids

 private:
  void prune();

  const clock& clk_;
  std::chrono::steady_clock::duration span_;
  std::size_t max_ids_;
  std::unordered_map<std::uint64_t, steady_time> last_seen_;
};

}  // namespace vb::bot
