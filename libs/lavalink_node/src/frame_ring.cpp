#include "vectobeat/node/frame_ring.hpp"

#include <algorithm>
#include <cstring>

namespace vb::node {

frame_ring::frame_ring(std::size_t max_frames, std::size_t capacity_bytes)
    : bytes_(std::max<std::size_t>(capacity_bytes, 1)), index_(std::max<std::size_t>(max_frames, 1)) {}

bool frame_ring::place(std::size_t bytes, std::size_t& offset) const noexcept {
  if (bytes == 0 || bytes > bytes_.size() || full()) return false;
  if (count_ == 0) {
    offset = 0;
    return true;
  }
  const entry& first = index_[head_];
  const entry& last = index_[(head_ + count_ - 1) % index_.size()];
  const std::size_t start = first.offset;
  const std::size_t end = static_cast<std::size_t>(last.offset) + last.size;
  if (end > start) {  // one contiguous region [start, end): room after it, else before it
    if (bytes <= bytes_.size() - end) {
      offset = end;
      return true;
    }
    if (bytes <= start) {
      offset = 0;
      return true;
    }
    return false;
  }
  // Wrapped: data occupies [start, size) and [0, end); the gap is [end, start).
  if (bytes <= start - end) {
    offset = end;
    return true;
  }
  return false;
}

bool frame_ring::fits(std::size_t bytes) const noexcept {
  std::size_t offset = 0;
  return place(bytes, offset);
}

bool frame_ring::push(std::span<const std::uint8_t> data, std::int64_t position_ms) noexcept {
  std::size_t offset = 0;
  if (!place(data.size(), offset)) return false;
  std::memcpy(bytes_.data() + offset, data.data(), data.size());
  index_[(head_ + count_) % index_.size()] = {static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(data.size()),
                                              position_ms};
  ++count_;
  return true;
}

frame_ring::frame frame_ring::front() const noexcept {
  const entry& e = index_[head_];
  return {std::span<const std::uint8_t>(bytes_.data() + e.offset, e.size), e.position_ms};
}

void frame_ring::pop() noexcept {
  if (count_ == 0) return;
  head_ = (head_ + 1) % index_.size();
  --count_;
}

void frame_ring::reset_capacity(std::size_t capacity_bytes) {
  std::vector<std::uint8_t> bytes(std::max<std::size_t>(capacity_bytes, 1));
  bytes_.swap(bytes);
  clear();
}

void frame_ring::clear() noexcept {
  head_ = 0;
  count_ = 0;
}

}  // namespace vb::node
