#include "vectobeat/lavalink/modified_utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vb::lavalink {
namespace {

using namespace std::string_literals;

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out += ' ';
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(ModifiedUtf8, DocumentedExample) {
  const auto text = "a\0é€😀"s;  // NUL, 2-byte, 3-byte and a supplementary character
  auto bytes = write_java_utf(text);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(hex(*bytes), "00 0e 61 c0 80 c3 a9 e2 82 ac ed a0 bd ed b8 80");
  auto back = decode_modified_utf8(std::string_view(*bytes).substr(2));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, text);
}

TEST(ModifiedUtf8, EmptyString) {
  auto bytes = write_java_utf("");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(hex(*bytes), "00 00");
  EXPECT_EQ(decode_modified_utf8("").value(), "");
}

TEST(ModifiedUtf8, BoundaryCodePoints) {
  for (const auto& s : {"\x7f"s, "\xc2\x80"s, "\xdf\xbf"s, "\xe0\xa0\x80"s, "\xef\xbf\xbf"s, "\xf0\x90\x80\x80"s,
                        "\xf4\x8f\xbf\xbf"s, "\xee\x80\x80"s /* U+E000, after the surrogates */}) {
    auto enc = encode_modified_utf8(s);
    ASSERT_TRUE(enc) << hex(s);
    auto dec = decode_modified_utf8(*enc);
    ASSERT_TRUE(dec) << hex(s);
    EXPECT_EQ(*dec, s);
  }
  EXPECT_EQ(hex(encode_modified_utf8("\xf4\x8f\xbf\xbf").value()), "ed af bf ed bf bf");  // U+10FFFF
}

TEST(ModifiedUtf8, EncoderRejectsInvalidUtf8) {
  for (const auto& s : {"\xff"s, "\xc0\x80"s /* overlong NUL */, "\xc1\xbf"s, "\xe0\x80\x80"s, "\xed\xa0\x80"s /* surrogate */,
                        "\xf0\x80\x80\x80"s, "\xf4\x90\x80\x80"s /* > U+10FFFF */, "\xc3"s, "\xe2\x82"s, "\x80"s,
                        "a\xf0\x9f\x98"s}) {
    auto enc = encode_modified_utf8(s);
    ASSERT_FALSE(enc) << hex(s);
    EXPECT_EQ(enc.error(), track_codec_error::bad_utf8);
  }
}

TEST(ModifiedUtf8, DecoderAcceptsWhatJavaAccepts) {
  EXPECT_EQ(decode_modified_utf8("\0"s).value(), "\0"s);          // raw NUL (readUTF accepts it)
  EXPECT_EQ(decode_modified_utf8("\xc1\x81"s).value(), "A");        // overlong 2-byte
  EXPECT_EQ(decode_modified_utf8("\xe0\x81\x81"s).value(), "A");    // overlong 3-byte
  EXPECT_EQ(decode_modified_utf8("\xc0\x80"s).value(), "\0"s);
}

TEST(ModifiedUtf8, DecoderRejectsMalformedInput) {
  for (const auto& s : {"\x80"s, "\xf0\x9f\x98\x80"s /* 4-byte form */, "\xff"s, "\xc3"s, "\xe2\x82"s, "\xc3\x41"s,
                        "\xed\xa0\xbd"s /* lone high */, "\xed\xb8\x80"s /* lone low */,
                        "\xed\xa0\xbd" "a"s /* high then ASCII */, "\xed\xa0\xbd\xed\xa0\xbd"s /* two highs */}) {
    auto dec = decode_modified_utf8(s);
    ASSERT_FALSE(dec) << hex(s);
    EXPECT_EQ(dec.error(), track_codec_error::bad_utf8);
  }
}

TEST(ModifiedUtf8, LengthLimit) {
  EXPECT_TRUE(write_java_utf(std::string(65535, 'x')));
  EXPECT_EQ(write_java_utf(std::string(65536, 'x')).error(), track_codec_error::string_too_long);
  EXPECT_TRUE(write_java_utf(std::string(32767, '\0')));  // 65534 bytes as C0 80 pairs
  EXPECT_EQ(write_java_utf(std::string(32768, '\0')).error(), track_codec_error::string_too_long);
  std::string euros;
  for (int i = 0; i < 21845; ++i) euros += "€";
  auto bytes = write_java_utf(euros);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->substr(0, 2), "\xff\xff");
  EXPECT_EQ(write_java_utf(euros + "a").error(), track_codec_error::string_too_long);
}

}  // namespace
}  // namespace vb::lavalink
