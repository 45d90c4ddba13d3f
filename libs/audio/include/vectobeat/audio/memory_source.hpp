#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "vectobeat/audio/byte_source.hpp"

namespace vb::audio {

// A seekable source over bytes in memory: either owned (moved in) or borrowed (the caller keeps
// the bytes alive and unchanged for the source's lifetime).
class memory_source final : public byte_source {
 public:
  explicit memory_source(std::vector<std::uint8_t> owned);
  static memory_source borrow(std::span<const std::uint8_t> bytes) { return memory_source(bytes); }
  memory_source(memory_source&&) noexcept = default;  // the owned buffer moves, the view stays valid
  memory_source& operator=(memory_source&&) noexcept = default;
  memory_source(const memory_source&) = delete;
  memory_source& operator=(const memory_source&) = delete;

  // byte_source
  expected<std::size_t, audio_error> read(std::span<std::byte> buffer) override;
  bool seekable() const noexcept override { return true; }
  bool seeks_locally() const noexcept override { return true; }
  expected<void, audio_error> seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return view_.size(); }

 private:
  explicit memory_source(std::span<const std::uint8_t> borrowed) : view_(borrowed) {}

  std::vector<std::uint8_t> owned_;
  std::span<const std::uint8_t> view_;
  std::size_t pos_ = 0;
};

}  // namespace vb::audio
