#include "vectobeat/audio/file_source.hpp"

#include <sys/stat.h>

namespace vb::audio {

expected<std::unique_ptr<file_source>, audio_error> file_source::open(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return unexpected(audio_error::io_error);
  // Unbuffered: the decoder reads through FFmpeg's own I/O buffer, so stdio's 4 KiB buffer would
  // only be a second copy held by every open track.
  std::setvbuf(f, nullptr, _IONBF, 0);
  struct stat st {};
  if (::fstat(::fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(f);
    return unexpected(audio_error::io_error);
  }
  return std::unique_ptr<file_source>(new file_source(f, static_cast<std::uint64_t>(st.st_size)));
}

file_source::~file_source() { std::fclose(file_); }

expected<std::size_t, audio_error> file_source::read(std::span<std::byte> buffer) {
  if (buffer.empty()) return std::size_t{0};
  const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file_);
  if (n == 0 && std::ferror(file_) != 0) {
    std::clearerr(file_);
    return unexpected(audio_error::io_error);
  }
  return n;
}

expected<void, audio_error> file_source::seek(std::uint64_t offset) {
  if (::fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) return unexpected(audio_error::io_error);
  return {};
}

}  // namespace vb::audio
