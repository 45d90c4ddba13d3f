#include "vectobeat/audio/icy_source.hpp"

#include <gtest/gtest.h>

#include "vectobeat/audio/memory_source.hpp"

namespace vb::audio {
namespace {

// Builds an ICY stream: `audio` with a metadata block after every `metaint` bytes.
std::vector<std::uint8_t> icy_stream(const std::vector<std::uint8_t>& audio, std::size_t metaint,
                                     const std::vector<std::string>& titles) {
  std::vector<std::uint8_t> out;
  std::size_t block = 0;
  for (std::size_t off = 0; off < audio.size(); off += metaint) {
    const auto end = std::min(audio.size(), off + metaint);
    out.insert(out.end(), audio.begin() + static_cast<std::ptrdiff_t>(off), audio.begin() + static_cast<std::ptrdiff_t>(end));
    if (end - off < metaint) break;
    std::string meta;
    if (block < titles.size() && !titles[block].empty()) meta = "StreamTitle='" + titles[block] + "';StreamUrl='';";
    ++block;
    const std::size_t len16 = (meta.size() + 15) / 16;
    out.push_back(static_cast<std::uint8_t>(len16));
    meta.resize(len16 * 16, '\0');
    out.insert(out.end(), meta.begin(), meta.end());
  }
  return out;
}

TEST(audio_icy_source, strips_metadata_and_reports_titles_once) {
  std::vector<std::uint8_t> audio(10000);
  for (std::size_t i = 0; i < audio.size(); ++i) audio[i] = static_cast<std::uint8_t>(i * 7);
  const auto stream = icy_stream(audio, 1000, {"Artist - Song", "", "Artist - Song", "It's Mine - B"});
  icy_source src(std::make_unique<memory_source>(stream), 1000);
  std::vector<std::uint8_t> got;
  std::vector<std::string> titles;
  std::array<std::byte, 333> buf{};
  for (;;) {
    auto r = src.read(buf);
    ASSERT_TRUE(r);
    if (*r == 0) break;
    for (std::size_t i = 0; i < *r; ++i) got.push_back(static_cast<std::uint8_t>(buf[i]));
    if (auto t = src.take_stream_title()) titles.push_back(*t);
  }
  EXPECT_EQ(got, audio);
  EXPECT_EQ(titles, (std::vector<std::string>{"Artist - Song", "It's Mine - B"}));
  EXPECT_FALSE(src.seekable());
}

TEST(audio_icy_source, parses_stream_title) {
  EXPECT_EQ(icy_source::parse_stream_title("StreamTitle='A - B';"), "A - B");
  EXPECT_EQ(icy_source::parse_stream_title("StreamUrl='x';StreamTitle='';"), "");
  EXPECT_FALSE(icy_source::parse_stream_title("StreamUrl='x';"));
  EXPECT_FALSE(icy_source::parse_stream_title("StreamTitle='unterminated"));
}

TEST(audio_icy_source, zero_metaint_passes_through) {
  const std::vector<std::uint8_t> data{1, 2, 3};
  icy_source src(std::make_unique<memory_source>(data), 0);
  std::array<std::byte, 8> buf{};
  auto r = src.read(buf);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 3u);
}

}  // namespace
}  // namespace vb::audio
