#include "compression.hpp"

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>

namespace vb::fake::detail {

struct compressor::impl {
  z_stream z{};
  bool z_init = false;
  ZSTD_CStream* zs = nullptr;

  ~impl() {
    if (z_init) deflateEnd(&z);
    if (zs) ZSTD_freeCStream(zs);
  }
};

compressor::compressor(compression kind) : kind_(kind), impl_(std::make_unique<impl>()) {
  if (kind_ == compression::zlib_stream) {
    if (deflateInit(&impl_->z, Z_DEFAULT_COMPRESSION) != Z_OK) throw std::runtime_error("deflateInit failed");
    impl_->z_init = true;
  } else if (kind_ == compression::zstd_stream) {
    impl_->zs = ZSTD_createCStream();
    if (!impl_->zs || ZSTD_isError(ZSTD_initCStream(impl_->zs, 3))) throw std::runtime_error("ZSTD_initCStream failed");
  }
}

compressor::~compressor() = default;

std::string compressor::compress(std::string_view message) {
  std::string out;
  switch (kind_) {
    case compression::none: return std::string(message);
    case compression::zlib_payload: {
      uLongf n = compressBound(static_cast<uLong>(message.size()));
      out.resize(n);
      if (compress2(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(message.data()),
                    static_cast<uLong>(message.size()), Z_DEFAULT_COMPRESSION) != Z_OK)
        throw std::runtime_error("zlib compress failed");
      out.resize(n);
      return out;
    }
    case compression::zlib_stream: {
      auto& z = impl_->z;
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
      z.avail_in = static_cast<uInt>(message.size());
      char buf[16384];
      do {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        if (deflate(&z, Z_SYNC_FLUSH) == Z_STREAM_ERROR) throw std::runtime_error("deflate failed");
        out.append(buf, sizeof buf - z.avail_out);
      } while (z.avail_out == 0);
      return out;
    }
    case compression::zstd_stream: {
      ZSTD_inBuffer in{message.data(), message.size(), 0};
      char buf[16384];
      for (;;) {
        ZSTD_outBuffer o{buf, sizeof buf, 0};
        const std::size_t left = ZSTD_compressStream2(impl_->zs, &o, &in, ZSTD_e_flush);
        if (ZSTD_isError(left)) throw std::runtime_error("zstd compress failed");
        out.append(buf, o.pos);
        if (left == 0) break;
      }
      return out;
    }
  }
  return out;
}

struct zlib_stream_decoder::impl {
  z_stream z{};
  bool ok = false;
  ~impl() {
    if (ok) inflateEnd(&z);
  }
};

zlib_stream_decoder::zlib_stream_decoder() : impl_(std::make_unique<impl>()) {
  impl_->ok = inflateInit(&impl_->z) == Z_OK;
}
zlib_stream_decoder::~zlib_stream_decoder() = default;

std::string zlib_stream_decoder::decode(std::string_view chunk) {
  if (!impl_->ok) return {};
  auto& z = impl_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
  z.avail_in = static_cast<uInt>(chunk.size());
  std::string out;
  char buf[16384];
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    const int rc = inflate(&z, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) return {};
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > (64u << 20)) return {};
  } while (z.avail_out == 0);
  return out;
}

}  // namespace vb::fake::detail
