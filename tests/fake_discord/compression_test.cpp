#include "compression.hpp"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

namespace vb::fake::detail {
namespace {

TEST(Compression, ZlibStreamMessagesEndWithTheSyncFlushMarkerAndShareOneContext) {
  compressor c(compression::zlib_stream);
  zlib_stream_decoder d;
  for (std::string msg : {std::string(R"({"op":10,"d":{"heartbeat_interval":41250}})"), std::string(10000, 'a'), std::string("{}")}) {
    auto z = c.compress(msg);
    ASSERT_GE(z.size(), 4u);
    EXPECT_EQ(z.substr(z.size() - 4), std::string("\x00\x00\xff\xff", 4));
    EXPECT_EQ(d.decode(z), msg);
  }
  // A second message alone cannot be inflated without the first: the context is shared.
  compressor c2(compression::zlib_stream);
  c2.compress("first message");
  zlib_stream_decoder fresh;
  EXPECT_NE(fresh.decode(c2.compress("second message")), "second message");
}

TEST(Compression, ZstdStreamFlushesEveryMessageWithoutEndingTheFrame) {
  compressor c(compression::zstd_stream);
  ZSTD_DStream* d = ZSTD_createDStream();
  ZSTD_initDStream(d);
  for (std::string msg : {std::string(R"({"op":0})"), std::string(5000, 'z'), std::string("tail")}) {
    auto z = c.compress(msg);
    std::string out(msg.size() + 64, '\0');
    ZSTD_inBuffer in{z.data(), z.size(), 0};
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    while (in.pos < in.size) ASSERT_FALSE(ZSTD_isError(ZSTD_decompressStream(d, &o, &in)));
    out.resize(o.pos);
    EXPECT_EQ(out, msg);
  }
  ZSTD_freeDStream(d);
}

TEST(Compression, PayloadCompressionIsOneCompleteZlibStreamPerMessage) {
  compressor c(compression::zlib_payload);
  const std::string msg = R"({"t":"READY","s":1})";
  auto z = c.compress(msg);
  std::string out(100, '\0');
  uLongf n = out.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(z.data()), z.size()), Z_OK);
  out.resize(n);
  EXPECT_EQ(out, msg);
  EXPECT_EQ(compressor(compression::none).compress(msg), msg);
}

}  // namespace
}  // namespace vb::fake::detail
