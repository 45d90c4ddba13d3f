#include "vectobeat/bot/music_queue.hpp"

#include <algorithm>

namespace vb::bot {

std::int64_t music_queue::upcoming_duration() const {
  std::int64_t total = 0;
  for (const auto& e : upcoming_)
    if (!e.track.info.is_stream && e.track.info.length > 0 && e.track.info.length < (std::int64_t{1} << 50))
      total += e.track.info.length;
  return total;
}

std::size_t music_queue::add(std::vector<queue_entry> entries) {
  const auto n = std::min(entries.size(), room());
  for (std::size_t i = 0; i < n; ++i) upcoming_.push_back(std::move(entries[i]));
  return n;
}

std::optional<queue_entry> music_queue::advance() {
  if (current_ && loop_ == loop_mode::track) return current_;
  return skip();
}

std::optional<queue_entry> music_queue::skip() {
  if (current_ && loop_ == loop_mode::queue) upcoming_.push_back(std::move(*current_));
  current_.reset();
  if (upcoming_.empty()) return std::nullopt;
  current_ = std::move(upcoming_.front());
  upcoming_.pop_front();
  return current_;
}

void music_queue::stop() {
  current_.reset();
  upcoming_.clear();
}

expected<queue_entry, std::string> music_queue::remove(std::size_t index) {
  if (index < 1 || index > upcoming_.size())
    return unexpected("There is no entry " + std::to_string(index) + " in the queue (it has " +
                      std::to_string(upcoming_.size()) + ").");
  auto it = upcoming_.begin() + static_cast<std::ptrdiff_t>(index - 1);
  auto e = std::move(*it);
  upcoming_.erase(it);
  return e;
}

expected<void, std::string> music_queue::move(std::size_t from, std::size_t to) {
  const auto n = upcoming_.size();
  if (from < 1 || from > n || to < 1 || to > n)
    return unexpected("Positions must be between 1 and " + std::to_string(n) + ".");
  auto e = std::move(upcoming_[from - 1]);
  upcoming_.erase(upcoming_.begin() + static_cast<std::ptrdiff_t>(from - 1));
  upcoming_.insert(upcoming_.begin() + static_cast<std::ptrdiff_t>(to - 1), std::move(e));
  return {};
}

std::size_t music_queue::clear() {
  const auto n = upcoming_.size();
  upcoming_.clear();
  return n;
}

expected<void, std::string> music_queue::shuffle(std::mt19937_64& rng) {
  if (upcoming_.size() < 2) return unexpected(std::string("The queue needs at least 2 tracks to shuffle."));
  for (std::size_t i = upcoming_.size() - 1; i > 0; --i) {
    std::uniform_int_distribution<std::size_t> pick(0, i);
    std::swap(upcoming_[i], upcoming_[pick(rng)]);
  }
  return {};
}

void music_queue::to_state(storage::queue_state& s) const {
  s.current = current_;
  s.entries.assign(upcoming_.begin(), upcoming_.end());
  s.loop = loop_;
}

void music_queue::from_state(const storage::queue_state& s) {
  current_ = s.current;
  upcoming_.assign(s.entries.begin(), s.entries.end());
  loop_ = s.loop;
}

}  // namespace vb::bot
