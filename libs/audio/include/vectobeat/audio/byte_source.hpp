#pragma once
// The seam between the node (which fetches bytes: files, HTTP, yt-dlp pipes) and the decoder.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "vectobeat/audio/audio_error.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::audio {

// A sequential byte stream, optionally seekable and of known size.
//
// Threading: a source is used by one thread at a time (the decoder's worker); calls may block
// (network, disk). Implementations report failures as audio_error::io_error, never throw.
class byte_source {
 public:
  virtual ~byte_source() = default;

  // Reads up to `buffer.size()` bytes. Returns the count read; 0 means end of stream.
  // A short read is not end of stream.
  virtual expected<std::size_t, audio_error> read(std::span<std::byte> buffer) = 0;

  // True when seek() can succeed. Non-seekable sources are treated as live streams.
  virtual bool seekable() const noexcept { return false; }

  // Moves to absolute byte `offset` (a position past the end reads as end of stream).
  virtual expected<void, audio_error> seek(std::uint64_t offset) {
    (void)offset;
    return unexpected(audio_error::not_seekable);
  }

  // True when seek() never waits on a network (a file, memory): the decoder may then seek from
  // the node's frame worker (the Ogg passthrough reader's hand-overs). False by default: an HTTP
  // source's seek can reopen the connection and block for seconds.
  virtual bool seeks_locally() const noexcept { return false; }

  // Total size in bytes when known.
  virtual std::optional<std::uint64_t> size() const { return std::nullopt; }

  // Stream-metadata hook (ICY "StreamTitle" and the like): returns a new title once, when it
  // changed since the last call. The decoder forwards it through decoder::take_metadata_update().
  virtual std::optional<std::string> take_stream_title() { return std::nullopt; }
};

}  // namespace vb::audio
