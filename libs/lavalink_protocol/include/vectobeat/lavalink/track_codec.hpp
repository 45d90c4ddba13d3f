#pragma once
// The encoded-track codec: Track.encoded is base64 of one lavaplayer message (lavalink-v4.md §8),
// byte-compatible with lavaplayer's DefaultAudioPlayerManager.encodeTrack/decodeTrack.
//
// Errors are typed (track_codec_error) and never crash: every read is bounds-checked and the
// input is bounded by max_track_blob_bytes. Functions are pure; the registry is only read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/lavalink/source_registry.hpp"
#include "vectobeat/lavalink/track.hpp"
#include "vectobeat/lavalink/track_codec_error.hpp"

namespace vb::lavalink {

// Bound on a decoded blob (and on what the encoder produces), room for a title at the 65535-byte
// writeUTF limit plus the other fields. Real tracks are a few hundred bytes.
inline constexpr std::size_t max_track_blob_bytes = 128 * 1024;
inline constexpr std::uint8_t current_track_version = 3;

struct decoded_track {
  // 1 = the unversioned form (no uri), 2 adds uri, 3 adds artworkUrl and isrc. Re-encoding
  // with the version a blob was decoded with reproduces it byte for byte.
  std::uint8_t version = current_track_version;
  // isSeekable is not stored: decoding sets it to !is_stream. Everything else round-trips.
  track_info info;
  // The source's detail fields, matching its registered layout (http: {probe info}).
  std::vector<source_detail> details;

  friend bool operator==(const decoded_track&, const decoded_track&) = default;
};

// Base64 text -> track. Missing '=' padding is tolerated; other malformed text is not_base64.
expected<decoded_track, track_codec_error> decode_track(std::string_view base64,
                                                        const source_registry& sources = builtin_sources());
// Raw message bytes -> track. Body bytes after `position` are skipped (newer writers append),
// bytes after the message are ignored, as lavaplayer does.
expected<decoded_track, track_codec_error> decode_track_blob(std::string_view bytes,
                                                             const source_registry& sources = builtin_sources());

// Track -> base64 text / raw bytes, in t.version's layout. Fails with unknown_source,
// invalid_details, unrepresentable, bad_utf8, string_too_long, too_large, unsupported_version.
expected<std::string, track_codec_error> encode_track(const decoded_track& t,
                                                      const source_registry& sources = builtin_sources());
expected<std::string, track_codec_error> encode_track_blob(const decoded_track& t,
                                                           const source_registry& sources = builtin_sources());

// The http/local probe info ("mp3", "matroska/webm", "mp4|codec=..."); nullopt for other sources.
std::optional<std::string_view> probe_info(const decoded_track& t);

// The Track object for a decoded track and its encoded text (empty pluginInfo and userData).
track make_track(const decoded_track& t, std::string encoded);

}  // namespace vb::lavalink
