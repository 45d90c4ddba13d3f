#pragma once
// A bounded FIFO of encoded Opus frames, each with the media position it starts at. The run-ahead
// side pushes, the frame clock pops; both run on the owning worker's thread, so there is no
// locking. Storage is allocated once: frames live back to back in one byte array (never split
// across its end) and their sizes and positions in a small index ring.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vb::node {

class frame_ring {
 public:
  struct frame {
    std::span<const std::uint8_t> data;  // valid until the next pop() or clear()
    std::int64_t position_ms = 0;
  };

  // At most `max_frames` frames and `capacity_bytes` bytes of frame data.
  frame_ring(std::size_t max_frames, std::size_t capacity_bytes);

  // Copies `data` in; false (nothing stored) when the ring is full by count or by bytes, or
  // when `data` is empty or larger than the whole byte capacity. Never allocates.
  bool push(std::span<const std::uint8_t> data, std::int64_t position_ms) noexcept;
  // Precondition: !empty().
  frame front() const noexcept;
  void pop() noexcept;
  void clear() noexcept;

  // Replaces the byte storage with `capacity_bytes` (allocates; drops every frame). Unchanged
  // when the allocation fails (bad_alloc propagates).
  void reset_capacity(std::size_t capacity_bytes);
  std::size_t capacity_bytes() const noexcept { return bytes_.size(); }

  bool empty() const noexcept { return count_ == 0; }
  bool full() const noexcept { return count_ == index_.size(); }
  std::size_t size() const noexcept { return count_; }
  std::size_t max_frames() const noexcept { return index_.size(); }
  // Whether a frame of `bytes` would fit now.
  bool fits(std::size_t bytes) const noexcept;

 private:
  struct entry {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    std::int64_t position_ms = 0;
  };
  // Where a frame of `bytes` would go; false when it does not fit.
  bool place(std::size_t bytes, std::size_t& offset) const noexcept;

  std::vector<std::uint8_t> bytes_;
  std::vector<entry> index_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace vb::node
