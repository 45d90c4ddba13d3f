// FFmpeg is not linked: the first decoder that opens loads it (libs/audio/src/ffmpeg_api.hpp),
// so a process that never decodes (the bot, the panel, an idle node) never maps its ~120
// libraries.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "audio/fixtures.hpp"
#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/file_source.hpp"

namespace vb::audio {
namespace {

bool mapped(const std::string& library) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find(library) != std::string::npos) return true;
  }
  return false;
}

TEST(audio_ffmpeg_loading, the_libraries_are_mapped_by_the_first_decoder_only) {
  if (test::fixture_dir().empty()) GTEST_SKIP() << "ffmpeg CLI missing";
  const auto path = test::fixture("tone.wav");
  // A fresh process (re-executed for this test alone), so no other test has decoded yet.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        int code = 0;
        if (mapped("libavformat.so") || mapped("libavcodec.so")) code |= 1;
        auto src = file_source::open(path);
        auto d = src ? decoder::open(std::move(*src)) : unexpected(audio_error::io_error);
        if (!d) code |= 2;
        if (!mapped("libavformat.so") || !mapped("libavcodec.so") || !mapped("libswresample.so")) code |= 4;
        std::_Exit(code);
      },
      ::testing::ExitedWithCode(0), "")
      << "exit code bits: 1 = mapped before any decode, 2 = open failed, 4 = not mapped after it";
}

}  // namespace
}  // namespace vb::audio
