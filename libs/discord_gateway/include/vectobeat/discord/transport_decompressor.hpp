#pragma once
// Gateway transport compression (discord.md §3). zlib-stream: one inflate context per
// connection; binary frames are buffered until one ends with 00 00 ff ff, then inflated
// with the shared context. zstd-stream: one ZSTD_DStream per connection; every WebSocket
// message is one gateway message that does not end a zstd frame. zlib and zstd stay
// inside the .cpp (pimpl).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/discord/gateway_error.hpp"

namespace vb::discord {

enum class gateway_compression { none, zlib_stream, zstd_stream };

std::string_view to_string(gateway_compression c) noexcept;
// "none" / "" -> none, "zlib-stream", "zstd-stream"; nullopt for anything else.
std::optional<gateway_compression> parse_compression(std::string_view s) noexcept;

class transport_decompressor {
 public:
  // `max_message_bytes` bounds one decompressed message and the buffered compressed input.
  transport_decompressor(gateway_compression c, std::size_t max_message_bytes);
  ~transport_decompressor();
  transport_decompressor(const transport_decompressor&) = delete;
  transport_decompressor& operator=(const transport_decompressor&) = delete;

  gateway_compression kind() const noexcept { return kind_; }

  // Feeds one binary WebSocket message. Returns the decompressed gateway message when
  // one is complete, nullopt while a zlib message is still incomplete (no suffix yet),
  // and an error (decompress_failed, message_too_large) that leaves the context unusable:
  // the connection must be closed and a new decompressor made for the next one.
  expected<std::optional<std::string_view>, gateway_error> feed(std::string_view data);

  // Starts over (a new connection).
  void reset();

 private:
  struct impl;
  gateway_compression kind_;
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::discord
