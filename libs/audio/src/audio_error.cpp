#include "vectobeat/audio/audio_error.hpp"

#include <string>

namespace vb::audio {
namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.audio"; }
  std::string message(int ev) const override { return std::string(to_string(static_cast<audio_error>(ev))); }
};

}  // namespace

std::string_view to_string(audio_error e) noexcept {
  switch (e) {
    case audio_error::io_error: return "io_error";
    case audio_error::unsupported_format: return "unsupported_format";
    case audio_error::invalid_data: return "invalid_data";
    case audio_error::no_audio_stream: return "no_audio_stream";
    case audio_error::unsupported_codec: return "unsupported_codec";
    case audio_error::codec_error: return "codec_error";
    case audio_error::resampler_error: return "resampler_error";
    case audio_error::not_seekable: return "not_seekable";
    case audio_error::seek_failed: return "seek_failed";
    case audio_error::not_opus: return "not_opus";
    case audio_error::invalid_argument: return "invalid_argument";
    case audio_error::out_of_memory: return "out_of_memory";
    case audio_error::media_libraries_missing: return "media_libraries_missing";
  }
  return "unknown";
}

const std::error_category& audio_category() noexcept {
  static const category instance;
  return instance;
}

std::error_code make_error_code(audio_error e) noexcept { return {static_cast<int>(e), audio_category()}; }

}  // namespace vb::audio
