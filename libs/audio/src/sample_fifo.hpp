#pragma once
// Interleaved stereo float FIFO over one linear buffer. Writers reserve space at the tail
// (prepare/commit) so producers such as the resamplers and SoundTouch write in place; readers take
// from the head. The buffer is compacted with memmove when the tail reaches the end, and grows
// (allocates) only when the content would not fit: size it at construction for no allocation.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <vector>

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio::detail {

class sample_fifo {
 public:
  static constexpr std::size_t growth_step = 64;  // samples per channel

  explicit sample_fifo(std::size_t capacity_samples = 0) : buf_(capacity_samples * channel_count) {}

  std::size_t size() const noexcept { return tail_ - head_; }  // samples per channel
  std::size_t capacity() const noexcept { return buf_.size() / channel_count; }
  bool empty() const noexcept { return tail_ == head_; }
  const float* data() const noexcept { return buf_.data() + head_ * channel_count; }
  float* data() noexcept { return buf_.data() + head_ * channel_count; }

  // Space for at least `n` samples at the tail. Allocates only if size() + n > capacity().
  float* prepare(std::size_t n) {
    if (tail_ + n > capacity()) {
      const std::size_t used = size();
      if (used + n > capacity()) {
        // To the need (rounded up), not to twice the capacity: a producer's need is its largest
        // block plus what it leaves behind, reached within a few blocks, and every open track
        // keeps this buffer (18 KB instead of 21 KB for 44.1 kHz MP3).
        const std::size_t want = (used + n + growth_step - 1) / growth_step * growth_step;
        std::vector<float> bigger(want * channel_count);
        if (used > 0) std::memcpy(bigger.data(), data(), used * channel_count * sizeof(float));
        buf_.swap(bigger);
      } else if (used > 0) {
        std::memmove(buf_.data(), data(), used * channel_count * sizeof(float));
      }
      head_ = 0;
      tail_ = used;
    }
    return buf_.data() + tail_ * channel_count;
  }
  void commit(std::size_t n) noexcept {
    assert(tail_ + n <= capacity());
    tail_ += n;
  }
  void push(const float* src, std::size_t n) {
    std::memcpy(prepare(n), src, n * channel_count * sizeof(float));
    commit(n);
  }
  // Copies `n` samples (n <= size()) to `out` and removes them.
  void pop(float* out, std::size_t n) noexcept {
    assert(n <= size());
    std::memcpy(out, data(), n * channel_count * sizeof(float));
    drop(n);
  }
  void drop(std::size_t n) noexcept {
    head_ += std::min(n, size());
    if (head_ == tail_) head_ = tail_ = 0;
  }
  void clear() noexcept { head_ = tail_ = 0; }

 private:
  std::vector<float> buf_;
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
};

}  // namespace vb::audio::detail
