#include "vectobeat/bot/activity_window.hpp"

#include <algorithm>

namespace vb::bot {

rolling_counter::rolling_counter(const clock& clk, std::chrono::steady_clock::duration bucket, std::size_t buckets)
    : clk_(clk), origin_(clk.now()), bucket_(bucket), slots_(std::max<std::size_t>(1, buckets)) {}

std::int64_t rolling_counter::current_index() const {
  const auto elapsed = clk_.now() - origin_;
  return elapsed.count() < 0 ? 0 : static_cast<std::int64_t>(elapsed / bucket_);
}

rolling_counter::slot& rolling_counter::current() {
  const auto idx = current_index();
  auto& s = slots_[static_cast<std::size_t>(idx) % slots_.size()];
  if (s.index != idx) s = slot{idx, 0, 0};
  return s;
}

void rolling_counter::add(std::uint64_t n) { current().sum += n; }

void rolling_counter::sample(std::uint64_t level) {
  auto& s = current();
  s.max = std::max(s.max, level);
}

std::uint64_t rolling_counter::sum() const {
  const auto idx = current_index();
  const auto oldest = idx - static_cast<std::int64_t>(slots_.size()) + 1;
  std::uint64_t total = 0;
  for (auto& s : slots_)
    if (s.index >= oldest && s.index <= idx) total += s.sum;
  return total;
}

std::uint64_t rolling_counter::max() const {
  const auto idx = current_index();
  const auto oldest = idx - static_cast<std::int64_t>(slots_.size()) + 1;
  std::uint64_t m = 0;
  for (auto& s : slots_)
    if (s.index >= oldest && s.index <= idx) m = std::max(m, s.max);
  return m;
}

distinct_window::distinct_window(const clock& clk, std::chrono::steady_clock::duration span, std::size_t max_ids)
    : clk_(clk), span_(span), max_ids_(std::max<std::size_t>(1, max_ids)) {}

void distinct_window::see(std::uint64_t id) {
  const auto now = clk_.now();
  if (auto it = last_seen_.find(id); it != last_seen_.end()) {
    it->second = now;
    return;
  }
  if (last_seen_.size() >= max_ids_) {
    prune();
    if (last_seen_.size() >= max_ids_) {
      auto oldest = std::min_element(last_seen_.begin(), last_seen_.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
      last_seen_.erase(oldest);
    }
  }
  last_seen_.emplace(id, now);
}

std::size_t distinct_window::count() {
  prune();
  return last_seen_.size();
}

void distinct_window::prune() {
  const auto now = clk_.now();
  std::erase_if(last_seen_, [&](const auto& e) { return now - e.second >= span_; });
}

}  // namespace vb::bot
