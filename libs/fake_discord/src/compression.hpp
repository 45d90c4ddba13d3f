#pragma once
// Internal: gateway transport compression (discord.md §3). One compressor per WebSocket
// connection; every message is flushed so the client can decode it on its own:
//   zlib-stream: one deflate stream, Z_SYNC_FLUSH per message (ends in 00 00 FF FF);
//   zstd-stream: one ZSTD_CStream, ZSTD_e_flush per message (the frame never ends).
// Plus payload compression (Identify "compress": true): each payload a zlib stream.
#include <memory>
#include <string>
#include <string_view>

namespace vb::fake::detail {

enum class compression { none, zlib_stream, zstd_stream, zlib_payload };

class compressor {
 public:
  explicit compressor(compression kind);
  ~compressor();
  compressor(const compressor&) = delete;
  compressor& operator=(const compressor&) = delete;

  compression kind() const { return kind_; }
  // Throws std::runtime_error only on allocation failure inside the codec.
  std::string compress(std::string_view message);

  struct impl;

 private:
  compression kind_;
  std::unique_ptr<impl> impl_;
};

// For tests and the fuzz target: inflate a zlib-stream (shared context) incrementally.
class zlib_stream_decoder {
 public:
  zlib_stream_decoder();
  ~zlib_stream_decoder();
  zlib_stream_decoder(const zlib_stream_decoder&) = delete;
  zlib_stream_decoder& operator=(const zlib_stream_decoder&) = delete;
  // One WebSocket message (ending in 00 00 FF FF); empty on error.
  std::string decode(std::string_view chunk);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::fake::detail
