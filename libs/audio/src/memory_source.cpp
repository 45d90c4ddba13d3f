#include "vectobeat/audio/memory_source.hpp"

#include <algorithm>
#include <cstring>

namespace vb::audio {

memory_source::memory_source(std::vector<std::uint8_t> owned) : owned_(std::move(owned)), view_(owned_) {}

expected<std::size_t, audio_error> memory_source::read(std::span<std::byte> buffer) {
  const std::size_t left = pos_ < view_.size() ? view_.size() - pos_ : 0;
  const std::size_t n = std::min(left, buffer.size());
  if (n > 0) std::memcpy(buffer.data(), view_.data() + pos_, n);
  pos_ += n;
  return n;
}

expected<void, audio_error> memory_source::seek(std::uint64_t offset) {
  pos_ = static_cast<std::size_t>(std::min<std::uint64_t>(offset, view_.size()));
  return {};
}

}  // namespace vb::audio
