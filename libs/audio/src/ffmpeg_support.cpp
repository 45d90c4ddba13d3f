#include "ffmpeg_support.hpp"

#include <array>
#include <cstdarg>
#include <mutex>

#include "vectobeat/common/log.hpp"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

namespace vb::audio::detail {
namespace {

const vb::log::logger& ffmpeg_logger() {
  static const vb::log::logger instance("audio.ffmpeg");
  return instance;
}

void log_bridge(void* avcl, int level, const char* fmt, va_list args) {
  if (level > ff::av_log_get_level()) return;
  const auto& lg = ffmpeg_logger();
  if (!lg.enabled(vb::log::level::debug)) return;
  std::array<char, 1024> line{};
  int print_prefix = 1;
  va_list copy;
  va_copy(copy, args);
  ff::av_log_format_line2(avcl, level, fmt, copy, line.data(), static_cast<int>(line.size()), &print_prefix);
  va_end(copy);
  std::string_view text(line.data());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (!text.empty()) lg.write(vb::log::level::debug, text);
}

}  // namespace

void install_ffmpeg_log_bridge() {
  static std::once_flag once;
  std::call_once(once, [] {
    ff::av_log_set_level(AV_LOG_WARNING);
    ff::av_log_set_callback(&log_bridge);
  });
}

std::string ffmpeg_error_text(int averror) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> buf{};
  if (ff::av_strerror(averror, buf.data(), buf.size()) < 0) return "ffmpeg error " + std::to_string(averror);
  return buf.data();
}

std::string container_name(std::string_view demuxer, AVCodecID codec) {
  if (demuxer == "matroska,webm") return "matroska/webm";
  if (demuxer.starts_with("mov,")) return "mp4";
  if (demuxer == "aac") return "adts";
  if (demuxer == "mpegts") return codec == AV_CODEC_ID_AAC ? "mpegts-adts" : "mpegts";
  const auto comma = demuxer.find(',');
  return std::string(comma == std::string_view::npos ? demuxer : demuxer.substr(0, comma));
}

}  // namespace vb::audio::detail
