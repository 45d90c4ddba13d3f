#include "vectobeat/discord/transport_decompressor.hpp"

#include <gtest/gtest.h>

#include <random>

#include "compressors.hpp"
#include "discord_model/sample_payloads.hpp"

namespace vb::discord {
namespace {

std::vector<std::string> messages() {
  std::vector<std::string> m{R"({"op":10,"d":{"heartbeat_interval":41250}})", R"({"op":11})"};
  for (int i = 0; i < 20; ++i) m.push_back(test::dispatch("GUILD_CREATE", i + 1, test::guild_create_json(static_cast<std::uint64_t>(i))));
  m.push_back(test::dispatch("VOICE_STATE_UPDATE", 21, test::voice_state_json(1, 2, 3, true, true)));
  return m;
}

TEST(TransportDecompressor, ZlibStreamSharesOneContextAcrossMessages) {
  test::zlib_stream_compressor z;
  transport_decompressor d(gateway_compression::zlib_stream, 1u << 20);
  for (const auto& m : messages()) {
    auto out = d.feed(z.compress(m));
    ASSERT_TRUE(out);
    ASSERT_TRUE(*out);
    EXPECT_EQ(**out, m);
  }
  // The stream really is shared: a later message cannot be inflated by a fresh context
  // (it refers back to earlier ones).
  transport_decompressor fresh(gateway_compression::zlib_stream, 1u << 20);
  auto later = z.compress(messages()[5]);
  auto r = fresh.feed(later);
  EXPECT_TRUE(!r || !*r || **r != messages()[5]);
}

TEST(TransportDecompressor, ZlibBuffersUntilTheSyncFlushSuffix) {
  test::zlib_stream_compressor z;
  transport_decompressor d(gateway_compression::zlib_stream, 1u << 20);
  const std::string big = test::dispatch("GUILD_CREATE", 1, test::guild_create_json(7, 60, 40, 20));
  const std::string c = z.compress(big);
  ASSERT_GT(c.size(), 30u);
  // Split into three frames: the first two are incomplete.
  const std::size_t a = c.size() / 3, b = 2 * c.size() / 3;
  auto r1 = d.feed(c.substr(0, a));
  ASSERT_TRUE(r1);
  EXPECT_FALSE(*r1);
  auto r2 = d.feed(c.substr(a, b - a));
  ASSERT_TRUE(r2);
  EXPECT_FALSE(*r2);
  auto r3 = d.feed(c.substr(b));
  ASSERT_TRUE(r3 && *r3);
  EXPECT_EQ(**r3, big);
  auto next = d.feed(z.compress(R"({"op":11})"));
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(**next, R"({"op":11})");
}

TEST(TransportDecompressor, ZstdStreamMessagesDoNotEndTheFrame) {
  test::zstd_stream_compressor z;
  transport_decompressor d(gateway_compression::zstd_stream, 1u << 20);
  for (const auto& m : messages()) {
    auto out = d.feed(z.compress(m));
    ASSERT_TRUE(out) << to_string(out.error());
    ASSERT_TRUE(*out);
    EXPECT_EQ(**out, m);
  }
}

TEST(TransportDecompressor, CorruptInputAndBombsFailCleanly) {
  transport_decompressor zl(gateway_compression::zlib_stream, 1u << 20);
  std::string garbage = "this is not deflate";
  garbage += std::string("\x00\x00\xff\xff", 4);
  auto r = zl.feed(garbage);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), gateway_error::decompress_failed);
  EXPECT_FALSE(zl.feed("anything"));  // unusable until reset
  zl.reset();
  test::zlib_stream_compressor z;
  auto ok = zl.feed(z.compress("{}"));
  ASSERT_TRUE(ok && *ok);

  // A small message that inflates above the limit is refused, not buffered.
  test::zlib_stream_compressor bomb;
  transport_decompressor small(gateway_compression::zlib_stream, 64 * 1024);
  auto big = small.feed(bomb.compress(std::string(1u << 20, 'a')));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), gateway_error::message_too_large);
  // Incomplete input above the limit is refused too.
  transport_decompressor tiny(gateway_compression::zlib_stream, 1024);
  EXPECT_TRUE(tiny.feed(std::string(1000, 'x')));
  auto over = tiny.feed(std::string(100, 'x'));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), gateway_error::message_too_large);

  transport_decompressor zs(gateway_compression::zstd_stream, 1u << 20);
  EXPECT_FALSE(zs.feed("definitely not zstd"));
  test::zstd_stream_compressor zbomb;
  transport_decompressor zsmall(gateway_compression::zstd_stream, 64 * 1024);
  auto zbig = zsmall.feed(zbomb.compress(std::string(1u << 20, 'a')));
  ASSERT_FALSE(zbig);
  EXPECT_EQ(zbig.error(), gateway_error::message_too_large);
}

TEST(TransportDecompressor, RandomBytesNeverCrash) {
  std::mt19937 rng(42);
  for (auto kind : {gateway_compression::zlib_stream, gateway_compression::zstd_stream}) {
    for (int i = 0; i < 200; ++i) {
      transport_decompressor d(kind, 1u << 16);
      std::string s(static_cast<std::size_t>(rng() % 300), '\0');
      for (auto& c : s) c = static_cast<char>(rng());
      if (i % 2) s += std::string("\x00\x00\xff\xff", 4);
      (void)d.feed(s);
    }
  }
}

TEST(TransportDecompressor, CompressionNames) {
  EXPECT_EQ(parse_compression("zlib-stream"), gateway_compression::zlib_stream);
  EXPECT_EQ(parse_compression("zstd-stream"), gateway_compression::zstd_stream);
  EXPECT_EQ(parse_compression("none"), gateway_compression::none);
  EXPECT_EQ(parse_compression("gzip"), std::nullopt);
  EXPECT_EQ(to_string(gateway_compression::zstd_stream), "zstd-stream");
}

}  // namespace
}  // namespace vb::discord
