#include "vectobeat/audio/memory_source.hpp"

#include <gtest/gtest.h>


namespace vb::audio {
namespace {

TEST(audio_memory_source, reads_seeks_and_survives_moves) {
  memory_source a(std::vector<std::uint8_t>{1, 2, 3, 4, 5});
  memory_source src = std::move(a);
  EXPECT_TRUE(src.seekable());
  EXPECT_EQ(src.size(), 5u);
  std::array<std::byte, 3> buf{};
  ASSERT_EQ(*src.read(buf), 3u);
  EXPECT_EQ(buf[2], std::byte{3});
  ASSERT_EQ(*src.read(buf), 2u);
  ASSERT_EQ(*src.read(buf), 0u);
  ASSERT_TRUE(src.seek(4));
  ASSERT_EQ(*src.read(buf), 1u);
  EXPECT_EQ(buf[0], std::byte{5});
  ASSERT_TRUE(src.seek(100));
  ASSERT_EQ(*src.read(buf), 0u);

  const std::uint8_t raw[] = {9, 8};
  auto view = memory_source::borrow(raw);
  ASSERT_EQ(*view.read(buf), 2u);
  EXPECT_EQ(buf[1], std::byte{8});
}

}  // namespace
}  // namespace vb::audio
