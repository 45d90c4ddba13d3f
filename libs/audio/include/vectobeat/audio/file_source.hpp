#pragma once
#include <cstdio>
#include <filesystem>
#include <memory>

#include "vectobeat/audio/byte_source.hpp"

namespace vb::audio {

// A seekable source over a regular file (size known at open time). Blocking, unbuffered reads
// (one read(2) per call: callers read in blocks, as the decoder's I/O buffer does).
class file_source final : public byte_source {
 public:
  // io_error when the file cannot be opened or is not a regular file.
  static expected<std::unique_ptr<file_source>, audio_error> open(const std::filesystem::path& path);

  ~file_source() override;
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;

  // byte_source
  expected<std::size_t, audio_error> read(std::span<std::byte> buffer) override;
  bool seekable() const noexcept override { return true; }
  bool seeks_locally() const noexcept override { return true; }
  expected<void, audio_error> seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return size_; }

 private:
  file_source(std::FILE* f, std::uint64_t size) : file_(f), size_(size) {}

  std::FILE* file_;
  std::uint64_t size_;
};

}  // namespace vb::audio
