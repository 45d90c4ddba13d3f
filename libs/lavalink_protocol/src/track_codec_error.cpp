#include "vectobeat/lavalink/track_codec_error.hpp"

#include <string>

namespace vb::lavalink {
namespace {

class track_codec_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.lavalink.track_codec"; }
  std::string message(int ev) const override { return std::string(to_string(static_cast<track_codec_error>(ev))); }
};

}  // namespace

std::string_view to_string(track_codec_error e) noexcept {
  switch (e) {
    case track_codec_error::not_base64: return "encoded track is not valid base64";
    case track_codec_error::too_large: return "encoded track is too large";
    case track_codec_error::truncated: return "encoded track is truncated";
    case track_codec_error::empty_message: return "encoded track has an empty message body";
    case track_codec_error::unsupported_version: return "encoded track has an unsupported version";
    case track_codec_error::bad_utf8: return "encoded track contains malformed text";
    case track_codec_error::string_too_long: return "text field longer than 65535 bytes";
    case track_codec_error::unknown_source: return "encoded track has an unknown source";
    case track_codec_error::invalid_details: return "source details do not match the source layout";
    case track_codec_error::unrepresentable: return "field cannot be encoded in the requested version";
  }
  return "unknown track codec error";
}

const std::error_category& track_codec_category() noexcept {
  static const track_codec_category_impl category;
  return category;
}

std::error_code make_error_code(track_codec_error e) noexcept {
  return {static_cast<int>(e), track_codec_category()};
}

}  // namespace vb::lavalink
