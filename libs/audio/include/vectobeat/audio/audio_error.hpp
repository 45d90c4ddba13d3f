#pragma once
// Errors of the audio domain. Functions return vb::expected<T, audio_error>; the enum also
// converts to std::error_code (category "vb.audio") for callers that aggregate errors.
#include <string_view>
#include <system_error>

namespace vb::audio {

enum class audio_error {
  io_error = 1,         // the byte_source failed to read or seek
  unsupported_format,   // no allowed demuxer recognised the bytes (garbage, or a banned format)
  invalid_data,         // recognised, but corrupt or truncated beyond recovery
  no_audio_stream,      // the container holds no decodable audio stream
  unsupported_codec,    // no decoder for the audio stream's codec
  codec_error,          // a codec (FFmpeg, libopus) failed to initialise or to process data
  resampler_error,      // libswresample failed
  not_seekable,         // backward seek on a source that cannot seek
  seek_failed,          // the demuxer could not seek to the requested position
  not_opus,             // next_opus_packet() on a track that is not passthrough-capable Opus
  invalid_argument,     // a caller-supplied value is out of range (buffer too small, bad option)
  out_of_memory,
  media_libraries_missing,  // FFmpeg's shared libraries could not be loaded (not installed)
};

const std::error_category& audio_category() noexcept;
std::error_code make_error_code(audio_error e) noexcept;
// Short stable text, e.g. "invalid_data"; for logs and exception messages.
std::string_view to_string(audio_error e) noexcept;

}  // namespace vb::audio

template <>
struct std::is_error_code_enum<vb::audio::audio_error> : std::true_type {};
