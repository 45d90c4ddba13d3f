#include "vectobeat/node/stream_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace vb::node {

stream_buffer::stream_buffer(std::size_t capacity) : data_(std::max<std::size_t>(capacity, 1)) {}

std::size_t stream_buffer::write(std::span<const char> in) {
  std::size_t n = 0;
  {
    std::lock_guard lk(mu_);
    if (closed_ || finished_) return 0;
    n = std::min(in.size(), data_.size() - size_);
    const std::size_t tail = (head_ + size_) % data_.size();
    const std::size_t first = std::min(n, data_.size() - tail);
    std::memcpy(data_.data() + tail, in.data(), first);
    std::memcpy(data_.data(), in.data() + first, n - first);
    size_ += n;
  }
  if (n > 0) readable_.notify_all();
  return n;
}

std::size_t stream_buffer::free_space() const {
  std::lock_guard lk(mu_);
  return data_.size() - size_;
}

void stream_buffer::finish(std::error_code error) {
  {
    std::lock_guard lk(mu_);
    if (finished_) return;
    finished_ = true;
    error_ = error;
  }
  readable_.notify_all();
}

void stream_buffer::set_space_listener(std::function<void()> fn) {
  std::lock_guard lk(mu_);
  on_space_ = std::move(fn);
}

bool stream_buffer::want_space() {
  std::lock_guard lk(mu_);
  if (closed_ || size_ < data_.size()) return false;
  space_wanted_ = true;
  return true;
}

expected<std::size_t, stream_buffer::read_error> stream_buffer::read(std::span<std::byte> out,
                                                                       std::chrono::milliseconds timeout) {
  std::function<void()> notify;
  std::size_t n = 0;
  {
    std::unique_lock lk(mu_);
    const bool woke = readable_.wait_for(lk, timeout, [&] { return closed_ || size_ > 0 || finished_; });
    if (closed_) return unexpected(read_error::closed);
    if (!woke) return unexpected(read_error::timeout);
    if (size_ == 0) {  // finished
      if (error_) return unexpected(read_error::failed);
      return std::size_t{0};
    }
    n = std::min(out.size(), size_);
    const std::size_t first = std::min(n, data_.size() - head_);
    std::memcpy(out.data(), data_.data() + head_, first);
    std::memcpy(out.data() + first, data_.data(), n - first);
    head_ = (head_ + n) % data_.size();
    size_ -= n;
    if (space_wanted_) {
      space_wanted_ = false;
      notify = on_space_;
    }
  }
  if (notify) notify();
  return n;
}

std::size_t stream_buffer::skip(std::size_t want) {
  std::function<void()> notify;
  std::size_t n = 0;
  {
    std::lock_guard lk(mu_);
    n = std::min(want, size_);
    head_ = (head_ + n) % data_.size();
    size_ -= n;
    if (n > 0 && space_wanted_) {
      space_wanted_ = false;
      notify = on_space_;
    }
  }
  if (notify) notify();
  return n;
}

std::size_t stream_buffer::available() const {
  std::lock_guard lk(mu_);
  return size_;
}

bool stream_buffer::ready(std::size_t gate) const {
  std::lock_guard lk(mu_);
  return closed_ || finished_ || size_ >= std::min(gate, data_.size());
}

bool stream_buffer::finished() const {
  std::lock_guard lk(mu_);
  return finished_;
}

std::error_code stream_buffer::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

void stream_buffer::close() {
  std::function<void()> notify;
  {
    std::lock_guard lk(mu_);
    if (closed_) return;
    closed_ = true;
    notify = on_space_;  // lets a waiting producer notice
  }
  readable_.notify_all();
  if (notify) notify();
}

bool stream_buffer::closed() const {
  std::lock_guard lk(mu_);
  return closed_;
}

}  // namespace vb::node
