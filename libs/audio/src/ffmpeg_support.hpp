#pragma once
// FFmpeg glue shared by the decoder: logging bridge, error mapping, format naming, allow-list.
#include "ffmpeg_api.hpp"

#include <string>
#include <string_view>

#include "vectobeat/audio/audio_error.hpp"

namespace vb::audio::detail {

// Routes FFmpeg's global log through vb::log (component "audio.ffmpeg", debug level) and caps
// FFmpeg's own level at warnings. Idempotent and thread-safe.
void install_ffmpeg_log_bridge();

// FFmpeg's message for an AVERROR code.
std::string ffmpeg_error_text(int averror);

// Demuxers a track may use. Everything that opens nested URLs (hls, concat, playlists, image
// sequences) is absent, and io_open is denied as well.
inline constexpr const char* allowed_demuxers =
    "mp3,flac,wav,w64,ogg,matroska,webm,mov,mp4,m4a,aac,mpegts,aiff,caf,asf,wv,ac3,eac3,dts,flv,au";

// lavaplayer probe name for a demuxer ("matroska,webm" -> "matroska/webm", "mov,..." -> "mp4",
// "aac" -> "adts"); other demuxers keep FFmpeg's first name.
std::string container_name(std::string_view demuxer, AVCodecID codec);

}  // namespace vb::audio::detail
