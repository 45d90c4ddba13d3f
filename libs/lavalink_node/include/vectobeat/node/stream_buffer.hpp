#pragma once
// A bounded byte pipe between an I/O coroutine that receives media (HTTP body, HLS segments)
// and a decoder on a blocking thread (loader or worker). The producer never blocks: it writes
// what fits and waits, asynchronously, for space (set_space_listener). The consumer blocks in
// read() for at most its timeout. The frame path asks ready() first, so a worker only decodes
// when enough bytes are already here.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <span>
#include <system_error>
#include <vector>

#include "vectobeat/common/expected.hpp"

namespace vb::node {

class stream_buffer {
 public:
  enum class read_error { timeout, failed, closed };

  explicit stream_buffer(std::size_t capacity);
  stream_buffer(const stream_buffer&) = delete;
  stream_buffer& operator=(const stream_buffer&) = delete;

  // --- producer (any thread, never blocks)
  // Copies as much of `data` as fits; returns the count.
  std::size_t write(std::span<const char> data);
  std::size_t free_space() const;
  // No more data: the end of the body (`error` empty) or a failure.
  void finish(std::error_code error = {});
  // Called (on the consumer's thread) after a read freed space while the producer had asked
  // to be told (want_space()). Set once, before the producer starts.
  void set_space_listener(std::function<void()> fn);
  // Arms the listener; returns false (not armed) when space is already free.
  bool want_space();

  // --- consumer
  // Blocks until at least one byte, the end, a failure, close() or `timeout`. Returns the
  // count; 0 at the end of data.
  expected<std::size_t, read_error> read(std::span<std::byte> out, std::chrono::milliseconds timeout);
  // Drops up to `n` buffered bytes without blocking; returns the count dropped.
  std::size_t skip(std::size_t n);
  // Bytes readable without blocking.
  std::size_t available() const;
  // Whether a read of up to `gate` bytes would not block: that much is buffered, or the
  // producer finished (end or failure), or the buffer is closed.
  bool ready(std::size_t gate) const;
  bool finished() const;
  std::error_code error() const;
  std::size_t capacity() const noexcept { return data_.size(); }

  // Wakes every waiter; later reads fail with closed and writes are dropped. Idempotent.
  void close();
  bool closed() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable readable_;
  std::vector<char> data_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  bool finished_ = false;
  bool closed_ = false;
  bool space_wanted_ = false;
  std::error_code error_;
  std::function<void()> on_space_;
};

}  // namespace vb::node
