#pragma once
// Test helpers: the server side of gateway transport compression, as Discord does it
// (one deflate stream per connection, Z_SYNC_FLUSH per message; one ZSTD_CStream per
// connection, flushed per message).
#include <zlib.h>
#include <zstd.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace vb::discord::test {

class zlib_stream_compressor {
 public:
  zlib_stream_compressor() {
    if (deflateInit(&zs_, Z_DEFAULT_COMPRESSION) != Z_OK) throw std::runtime_error("deflateInit");
  }
  ~zlib_stream_compressor() { deflateEnd(&zs_); }
  zlib_stream_compressor(const zlib_stream_compressor&) = delete;
  zlib_stream_compressor& operator=(const zlib_stream_compressor&) = delete;

  // One message, ending in 00 00 ff ff.
  std::string compress(std::string_view in) {
    std::string out;
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    do {
      const std::size_t old = out.size();
      out.resize(old + 16384);
      zs_.next_out = reinterpret_cast<Bytef*>(out.data() + old);
      zs_.avail_out = 16384;
      deflate(&zs_, Z_SYNC_FLUSH);
      out.resize(old + 16384 - zs_.avail_out);
    } while (zs_.avail_out == 0);
    return out;
  }

 private:
  z_stream zs_{};
};

class zstd_stream_compressor {
 public:
  zstd_stream_compressor() : cs_(ZSTD_createCStream()) { ZSTD_initCStream(cs_, 3); }
  ~zstd_stream_compressor() { ZSTD_freeCStream(cs_); }
  zstd_stream_compressor(const zstd_stream_compressor&) = delete;
  zstd_stream_compressor& operator=(const zstd_stream_compressor&) = delete;

  // One message; the zstd frame stays open across messages.
  std::string compress(std::string_view in) {
    std::string out;
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    for (;;) {
      const std::size_t old = out.size();
      out.resize(old + 16384);
      ZSTD_outBuffer ob{out.data() + old, 16384, 0};
      const std::size_t rem = ZSTD_compressStream2(cs_, &ob, &ib, ZSTD_e_flush);
      out.resize(old + ob.pos);
      if (ZSTD_isError(rem)) throw std::runtime_error("zstd");
      if (rem == 0 && ib.pos == ib.size) break;
    }
    return out;
  }

 private:
  ZSTD_CStream* cs_;
};

}  // namespace vb::discord::test
