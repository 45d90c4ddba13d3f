#pragma once
// One guild's queue: the current entry, what plays next, and the loop mode. Pure state
// with the rules users see (1-based indexes, loop track/queue, capacity); guild players
// drive it and persist it (storage::queue_state).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/storage/models.hpp"

namespace vb::bot {

using storage::loop_mode;
using storage::queue_entry;

class music_queue {
 public:
  explicit music_queue(std::size_t limit = 500) : limit_(limit) {}

  std::size_t limit() const noexcept { return limit_; }
  void set_limit(std::size_t limit) noexcept { limit_ = limit; }

  const std::optional<queue_entry>& current() const noexcept { return current_; }
  const std::deque<queue_entry>& upcoming() const noexcept { return upcoming_; }
  std::size_t size() const noexcept { return upcoming_.size(); }
  bool empty() const noexcept { return !current_ && upcoming_.empty(); }
  loop_mode loop() const noexcept { return loop_; }
  void set_loop(loop_mode m) noexcept { loop_ = m; }
  // Remaining play time of the upcoming entries (streams count as 0), in ms.
  std::int64_t upcoming_duration() const;

  // How many of `entries` fit; appends those. 0 when the queue is full.
  std::size_t room() const noexcept { return upcoming_.size() >= limit_ ? 0 : limit_ - upcoming_.size(); }
  std::size_t add(std::vector<queue_entry> entries);
  // Makes `e` the current entry (when nothing plays).
  void set_current(std::optional<queue_entry> e) { current_ = std::move(e); }

  // The entry to play after the current one ended by itself (loop track replays it, loop
  // queue moves it to the end). nullopt: the queue is finished (current cleared).
  std::optional<queue_entry> advance();
  // Like advance(), but a skip never replays the same track under loop track.
  std::optional<queue_entry> skip();
  // Clears everything, current included.
  void stop();

  // 1-based. Errors are messages for the user.
  expected<queue_entry, std::string> remove(std::size_t index);
  expected<void, std::string> move(std::size_t from, std::size_t to);
  std::size_t clear();  // upcoming only; returns how many were removed
  // Fisher-Yates with `rng`. Error with fewer than 2 entries.
  expected<void, std::string> shuffle(std::mt19937_64& rng);

  // Persistence.
  void to_state(storage::queue_state& s) const;
  void from_state(const storage::queue_state& s);

 private:
  std::size_t limit_;
  std::optional<queue_entry> current_;
  std::deque<queue_entry> upcoming_;
  loop_mode loop_ = loop_mode::off;
};

}  // namespace vb::bot
