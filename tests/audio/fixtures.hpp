#pragma once
// Test media generated at run time with the ffmpeg CLI (scripts/setup.sh --tests installs it):
// a 3 s, 1 kHz, 44.1 kHz stereo tone tagged title "VectoBeat Tone" / artist "VB Test", in every
// container the decoder must handle. Generated once per machine into a temp directory shared by
// the test processes (written to a private directory, then renamed into place).
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace vb::audio::test {

struct fixture_format {
  std::string_view file;       // file name inside fixture_dir()
  std::string_view container;  // expected track_info::container
  std::string_view codec;      // expected track_info::codec
  bool tagged = true;          // carries the title/artist tags
  double slack_ms = 0;         // extra duration beyond 3 s the format cannot trim (ADTS priming)
};

// tone.mp3, tone.ogg (vorbis), tone.opus (ogg/opus), tone.webm (webm/opus), tone.flac,
// tone.m4a (aac), tone.wav; plus tone40.opus (40 ms Opus frames) and tone.aac (ADTS).
const std::vector<fixture_format>& fixture_formats();
inline void PrintTo(const fixture_format& f, std::ostream* os) { *os << f.file; }

bool ffmpeg_available();
// Empty path when ffmpeg is missing or generation failed.
const std::filesystem::path& fixture_dir();
std::filesystem::path fixture(std::string_view file);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& p);

// A 2-minute 64 kb/s stereo MP3: 440 Hz for the first minute, 880 Hz for the second (LAME, so
// with an Info header). Empty path when ffmpeg is missing or generation failed.
const std::filesystem::path& long_two_tone_mp3();

}  // namespace vb::audio::test
