#include "vectobeat/audio/file_source.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vb::audio {
namespace {

TEST(audio_file_source, reads_a_file_and_reports_errors) {
  const auto path = std::filesystem::temp_directory_path() / "vb_audio_file_source_test.bin";
  std::ofstream(path, std::ios::binary) << "hello";
  auto src = file_source::open(path);
  ASSERT_TRUE(src);
  EXPECT_EQ((*src)->size(), 5u);
  std::array<std::byte, 8> buf{};
  ASSERT_EQ(*(*src)->read(buf), 5u);
  ASSERT_TRUE((*src)->seek(1));
  ASSERT_EQ(*(*src)->read(buf), 4u);
  EXPECT_EQ(buf[0], std::byte{'e'});
  std::filesystem::remove(path);

  auto missing = file_source::open("/nonexistent/vb/file.mp3");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), audio_error::io_error);
  EXPECT_FALSE(file_source::open(std::filesystem::temp_directory_path()));  // a directory
}

}  // namespace
}  // namespace vb::audio
