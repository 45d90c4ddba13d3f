#include "vectobeat/discord/transport_decompressor.hpp"

#include <zlib.h>
#include <zstd.h>

#include <cstring>

namespace vb::discord {

std::string_view to_string(gateway_compression c) noexcept {
  switch (c) {
    case gateway_compression::none: return "none";
    case gateway_compression::zlib_stream: return "zlib-stream";
    case gateway_compression::zstd_stream: return "zstd-stream";
  }
  return "none";
}

std::optional<gateway_compression> parse_compression(std::string_view s) noexcept {
  if (s.empty() || s == "none") return gateway_compression::none;
  if (s == "zlib-stream" || s == "zlib") return gateway_compression::zlib_stream;
  if (s == "zstd-stream" || s == "zstd") return gateway_compression::zstd_stream;
  return std::nullopt;
}

namespace {
constexpr std::size_t chunk = 64 * 1024;
constexpr unsigned char zlib_suffix[4] = {0x00, 0x00, 0xFF, 0xFF};
}  // namespace

struct transport_decompressor::impl {
  explicit impl(gateway_compression c, std::size_t max) : kind(c), max_bytes(max) { init(); }
  ~impl() { destroy(); }

  void init() {
    failed = false;
    if (kind == gateway_compression::zlib_stream) {
      std::memset(&zs, 0, sizeof(zs));
      zlib_ready = inflateInit(&zs) == Z_OK;
    } else if (kind == gateway_compression::zstd_stream) {
      zd = ZSTD_createDStream();
      if (zd) ZSTD_initDStream(zd);
    }
  }

  void destroy() {
    if (zlib_ready) inflateEnd(&zs);
    zlib_ready = false;
    if (zd) ZSTD_freeDStream(zd);
    zd = nullptr;
    pending.clear();
  }

  gateway_compression kind;
  std::size_t max_bytes;
  bool failed = false;
  z_stream zs{};
  bool zlib_ready = false;
  ZSTD_DStream* zd = nullptr;
  std::string pending;  // zlib: compressed bytes of an incomplete message
  std::string out;      // the last decompressed message (returned as a view)

  expected<std::optional<std::string_view>, gateway_error> fail(gateway_error e) {
    failed = true;
    pending.clear();
    return unexpected(e);
  }

  expected<std::optional<std::string_view>, gateway_error> inflate_message(std::string_view in) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    out.clear();
    for (;;) {
      const std::size_t old = out.size();
      if (old > max_bytes) return fail(gateway_error::message_too_large);
      out.resize(old + chunk);
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
      zs.avail_out = static_cast<uInt>(chunk);
      const int rc = inflate(&zs, Z_SYNC_FLUSH);
      out.resize(old + (chunk - zs.avail_out));
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR) return fail(gateway_error::decompress_failed);
      // Room left in the buffer: inflate produced all it could from the input.
      if (zs.avail_out != 0) break;
    }
    if (zs.avail_in != 0) return fail(gateway_error::decompress_failed);
    if (out.size() > max_bytes) return fail(gateway_error::message_too_large);
    return std::optional<std::string_view>(out);
  }

  expected<std::optional<std::string_view>, gateway_error> zstd_message(std::string_view in) {
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    out.clear();
    for (;;) {
      const std::size_t old = out.size();
      if (old > max_bytes) return fail(gateway_error::message_too_large);
      out.resize(old + chunk);
      ZSTD_outBuffer ob{out.data() + old, chunk, 0};
      const std::size_t rc = ZSTD_decompressStream(zd, &ob, &ib);
      out.resize(old + ob.pos);
      if (ZSTD_isError(rc)) return fail(gateway_error::decompress_failed);
      // Done when the input is consumed and the decoder did not fill the buffer (it
      // holds nothing more to flush); a message does not end the zstd frame (rc != 0).
      if (ib.pos == ib.size && ob.pos < ob.size) break;
    }
    if (out.size() > max_bytes) return fail(gateway_error::message_too_large);
    return std::optional<std::string_view>(out);
  }
};

transport_decompressor::transport_decompressor(gateway_compression c, std::size_t max_message_bytes)
    : kind_(c), impl_(std::make_unique<impl>(c, max_message_bytes)) {}
transport_decompressor::~transport_decompressor() = default;

void transport_decompressor::reset() {
  impl_->destroy();
  impl_->init();
}

expected<std::optional<std::string_view>, gateway_error> transport_decompressor::feed(std::string_view data) {
  auto& p = *impl_;
  if (p.failed) return unexpected(gateway_error::decompress_failed);
  switch (kind_) {
    case gateway_compression::none: return std::optional<std::string_view>(data);
    case gateway_compression::zstd_stream:
      if (!p.zd) return p.fail(gateway_error::decompress_failed);
      return p.zstd_message(data);
    case gateway_compression::zlib_stream: {
      if (!p.zlib_ready) return p.fail(gateway_error::decompress_failed);
      const bool complete = data.size() >= 4 && std::memcmp(data.data() + data.size() - 4, zlib_suffix, 4) == 0;
      if (!complete || !p.pending.empty()) {
        if (p.pending.size() + data.size() > p.max_bytes) return p.fail(gateway_error::message_too_large);
        p.pending.append(data);
        if (!complete) return std::optional<std::string_view>();
        // The suffix check applies to the buffered whole as well.
        std::string whole;
        whole.swap(p.pending);
        auto r = p.inflate_message(whole);
        return r;
      }
      return p.inflate_message(data);
    }
  }
  return p.fail(gateway_error::decompress_failed);
}

}  // namespace vb::discord
