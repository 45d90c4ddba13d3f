#pragma once
// Errors of the encoded-track codec (lavalink-v4.md §8), as a std::error_code enum.
#include <string_view>
#include <system_error>

namespace vb::lavalink {

enum class track_codec_error {
  not_base64 = 1,       // not standard base64 text
  too_large,            // above max_track_blob_bytes (decoding or encoding)
  truncated,            // the header or a field runs past the data or the message body
  empty_message,        // body size 0: lavaplayer's "no message"
  unsupported_version,  // a version other than 1..3
  bad_utf8,             // malformed modified UTF-8 in the blob, or invalid UTF-8 to encode
  string_too_long,      // a string above Java's 65535-byte writeUTF limit
  unknown_source,       // no layout registered for the sourceName
  invalid_details,      // source details do not match the source's registered layout
  unrepresentable,      // a field the requested version cannot carry (uri in v1, artworkUrl in v2, ...)
};

const std::error_category& track_codec_category() noexcept;
std::error_code make_error_code(track_codec_error e) noexcept;
std::string_view to_string(track_codec_error e) noexcept;

}  // namespace vb::lavalink

template <>
struct std::is_error_code_enum<vb::lavalink::track_codec_error> : std::true_type {};
