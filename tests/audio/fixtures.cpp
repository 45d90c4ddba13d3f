#include "audio/fixtures.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace vb::audio::test {
namespace {

constexpr std::string_view version = "v2";

struct recipe {
  std::string_view file;
  std::string_view args;
};

const recipe recipes[] = {
    {"tone.mp3", "-c:a libmp3lame -b:a 128k"},
    {"tone.ogg", "-c:a libvorbis -q:a 4"},
    {"tone.opus", "-c:a libopus -b:a 96k"},
    {"tone.webm", "-c:a libopus -b:a 96k"},
    {"tone.flac", "-c:a flac"},
    {"tone.m4a", "-c:a aac -b:a 128k"},
    {"tone.wav", "-c:a pcm_s16le"},
    {"tone.aac", "-c:a aac -b:a 128k -f adts"},
    {"tone40.opus", "-c:a libopus -b:a 96k -frame_duration 40"},
};

bool run(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }

// Runs `commands` (with {dir} replaced by a private directory) and moves the directory to
// `name` under the temp directory, once per machine and version.
std::filesystem::path generate_dir(const std::string& name, const std::vector<std::string>& commands) {
  if (!ffmpeg_available()) return {};
  const auto base = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getuid()));
  if (std::filesystem::exists(base / ".complete")) return base;
  const auto tmp = base.string() + ".tmp." + std::to_string(::getpid());
  std::filesystem::create_directories(tmp);
  for (auto cmd : commands) {
    for (auto at = cmd.find("{dir}"); at != std::string::npos; at = cmd.find("{dir}")) cmd.replace(at, 5, tmp);
    if (!run(cmd)) {
      std::filesystem::remove_all(tmp);
      return {};
    }
  }
  std::ofstream(tmp + "/.complete") << "ok\n";
  std::error_code ec;
  std::filesystem::rename(tmp, base, ec);
  if (ec) std::filesystem::remove_all(tmp);  // another test process won the race
  return std::filesystem::exists(base / ".complete") ? base : std::filesystem::path{};
}

std::filesystem::path generate() {
  std::vector<std::string> commands;
  for (const auto& r : recipes)
    commands.push_back("ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi "
                       "-i sine=frequency=1000:duration=3:sample_rate=44100 -ac 2 "
                       "-metadata title='VectoBeat Tone' -metadata artist='VB Test' " +
                       std::string(r.args) + " '{dir}/" + std::string(r.file) + "'");
  return generate_dir("vb_audio_fixtures_" + std::string(version), commands);
}

}  // namespace

const std::filesystem::path& long_two_tone_mp3() {
  static const std::filesystem::path file = [] {
    const auto dir = generate_dir(
        "vb_audio_long_v1",
        {"ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i sine=frequency=440:duration=60:sample_rate=44100 "
         "-f lavfi -i sine=frequency=880:duration=60:sample_rate=44100 -filter_complex '[0:a][1:a]concat=n=2:v=0:a=1' "
         "-ac 2 -c:a libmp3lame -b:a 64k '{dir}/long.mp3'"});
    return dir.empty() ? std::filesystem::path{} : dir / "long.mp3";
  }();
  return file;
}

const std::vector<fixture_format>& fixture_formats() {
  static const std::vector<fixture_format> formats{
      {"tone.mp3", "mp3", "mp3"},           {"tone.ogg", "ogg", "vorbis"},  {"tone.opus", "ogg", "opus"},
      {"tone.webm", "matroska/webm", "opus"}, {"tone.flac", "flac", "flac"}, {"tone.m4a", "mp4", "aac"},
      {"tone.wav", "wav", "pcm_s16le"},     {"tone.aac", "adts", "aac", false, 60},
  };
  return formats;
}

bool ffmpeg_available() {
  static const bool ok = run("ffmpeg -hide_banner -loglevel quiet -nostdin -version >/dev/null 2>&1");
  return ok;
}

const std::filesystem::path& fixture_dir() {
  static const std::filesystem::path dir = generate();
  return dir;
}

std::filesystem::path fixture(std::string_view file) {
  const auto& dir = fixture_dir();
  return dir.empty() ? std::filesystem::path{} : dir / file;
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace vb::audio::test
