#include "vectobeat/common/base64.hpp"

#include <gtest/gtest.h>

namespace vb {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesAndRoundTripsBinary) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  auto enc = base64_encode(bytes);
  auto dec = base64_decode(enc);
  ASSERT_TRUE(dec);
  EXPECT_EQ(*dec, bytes);
}

TEST(Base64, RejectsMalformedInput) {
  EXPECT_FALSE(base64_decode("Zg="));      // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Z@==")) ;    // outside the alphabet
  EXPECT_FALSE(base64_decode("Zg==Zg==")); // padding before the end
  EXPECT_FALSE(base64_decode("Z==="));     // too much padding
  EXPECT_FALSE(base64_decode("Zh=="));     // non-canonical trailing bits
  EXPECT_FALSE(base64_decode("Zm9v", 2));  // larger than the bound
}

}  // namespace
}  // namespace vb
