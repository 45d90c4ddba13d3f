#include "vectobeat/voice/rtp.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace vb::voice {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes header_bytes(const rtp_header& h) {
  bytes out(rtp_header_size);
  write_rtp_header(h, std::span<std::uint8_t, rtp_header_size>(out.data(), rtp_header_size));
  return out;
}

TEST(Rtp, WritesTheDiscordHeaderLayout) {
  EXPECT_EQ(header_bytes({1, 960, 0x01020304}),
            (bytes{0x80, 0x78, 0x00, 0x01, 0x00, 0x00, 0x03, 0xc0, 0x01, 0x02, 0x03, 0x04}));
  EXPECT_EQ(header_bytes({0xFFFF, 0xFFFFFFFF, 0xA1B2C3D4}),
            (bytes{0x80, 0x78, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xA1, 0xB2, 0xC3, 0xD4}));
  rtp_header marked{7, 0, 1};
  marked.marker = true;
  EXPECT_EQ(header_bytes(marked)[1], 0xF8);
}

TEST(Rtp, ParsesWhatItWrites) {
  const rtp_header h{0xBEEF, 123456789, 0xCAFEBABE};
  auto pkt = header_bytes(h);
  pkt.insert(pkt.end(), {1, 2, 3});
  auto info = parse_rtp(pkt);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->header, h);
  EXPECT_EQ(info->aad_size, 12u);
  EXPECT_EQ(info->csrc_count, 0);
  EXPECT_FALSE(info->has_extension);
  EXPECT_EQ(info->extension_body_size, 0u);
}

TEST(Rtp, AadCoversCsrcsAndTheExtensionPreambleOnly) {
  // V=2, X=1, CC=2; two CSRCs; extension profile 0xBEDE with 3 words of body.
  bytes pkt{0x92, 0x78, 0, 5, 0, 0, 0, 9, 0, 0, 0, 1,  //
            0xAA, 0xAA, 0xAA, 0xAA, 0xBB, 0xBB, 0xBB, 0xBB,  // CSRCs
            0xBE, 0xDE, 0x00, 0x03};                          // extension preamble
  pkt.resize(pkt.size() + 12 + 20, 0);                        // (encrypted) body + rest
  auto info = parse_rtp(pkt);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->csrc_count, 2);
  EXPECT_TRUE(info->has_extension);
  EXPECT_EQ(info->extension_profile, 0xBEDE);
  EXPECT_EQ(info->extension_body_size, 12u);
  EXPECT_EQ(info->aad_size, 12u + 8u + 4u);
  EXPECT_EQ(info->header.sequence, 5);
  EXPECT_EQ(info->header.timestamp, 9u);
  EXPECT_EQ(info->header.ssrc, 1u);
}

TEST(Rtp, RejectsShortAndForeignPackets) {
  EXPECT_EQ(parse_rtp({}).error(), voice_error::truncated);
  EXPECT_EQ(parse_rtp(bytes(11, 0x80)).error(), voice_error::truncated);
  bytes v1 = header_bytes({1, 2, 3});
  v1[0] = 0x40;
  EXPECT_EQ(parse_rtp(v1).error(), voice_error::bad_version);
  bytes many_csrc = header_bytes({1, 2, 3});
  many_csrc[0] = 0x8F;  // 15 CSRCs announced, none present
  EXPECT_EQ(parse_rtp(many_csrc).error(), voice_error::truncated);
  bytes ext_no_preamble = header_bytes({1, 2, 3});
  ext_no_preamble[0] = 0x90;
  ext_no_preamble.push_back(0xBE);  // 1 of the 4 preamble bytes
  EXPECT_EQ(parse_rtp(ext_no_preamble).error(), voice_error::truncated);
}

TEST(Rtp, DetectsRtcpAfterMaskingTheMarkerBit) {
  for (int pt = 200; pt <= 204; ++pt) {
    bytes p{0x80, static_cast<std::uint8_t>(pt), 0, 6, 0, 0, 0, 1};
    EXPECT_TRUE(is_rtcp(p)) << pt;
    EXPECT_EQ(parse_rtp(bytes(p.begin(), p.end())).error(), p.size() < 12 ? voice_error::truncated : voice_error::not_rtp);
    p.resize(28);
    EXPECT_EQ(parse_rtp(p).error(), voice_error::not_rtp) << pt;
    p[1] = static_cast<std::uint8_t>(pt & 0x7F);  // the same type with the top bit clear
    EXPECT_TRUE(is_rtcp(p)) << pt;
  }
  EXPECT_FALSE(is_rtcp(bytes{0x80, 199, 0, 0, 0, 0, 0, 0}));
  EXPECT_FALSE(is_rtcp(bytes{0x80, 205, 0, 0, 0, 0, 0, 0}));
  EXPECT_FALSE(is_rtcp(header_bytes({1, 2, 3})));
  EXPECT_FALSE(is_rtcp(bytes{0x80, 200, 0}));               // too short
  EXPECT_FALSE(is_rtcp(bytes{0x40, 200, 0, 0, 0, 0, 0, 0}));  // not version 2
}

TEST(Rtp, KeepAliveIsTheEightByteDatagram) {
  std::array<std::uint8_t, keep_alive_size> k{};
  write_keep_alive(0x01020304, k);
  EXPECT_EQ(bytes(k.begin(), k.end()), (bytes{0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0}));  // u32 LE + 4 zero bytes
  EXPECT_TRUE(is_keep_alive(k));
  EXPECT_FALSE(is_keep_alive(bytes(7)));
  EXPECT_FALSE(is_keep_alive(bytes(12)));
}

TEST(Rtp, ArbitraryBytesNeverCrash) {
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    bytes p(rng() % 40);
    for (auto& b : p) b = static_cast<std::uint8_t>(rng());
    if (!p.empty() && (rng() & 1)) p[0] = static_cast<std::uint8_t>(0x80 | (p[0] & 0x3F));
    auto info = parse_rtp(p);
    if (info) {
      EXPECT_LE(info->aad_size, p.size());
    }
    (void)is_rtcp(p);
  }
}

}  // namespace
}  // namespace vb::voice
