// Encoded-track codec: arbitrary bytes as base64 text and as a raw blob. Whatever decodes must
// re-encode (unless the canonical form outgrows a limit) and decode back to the same track.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vectobeat/lavalink/modified_utf8.hpp"
#include "vectobeat/lavalink/track_codec.hpp"

namespace {

using namespace vb::lavalink;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "track_codec_fuzz: %s\n", what);
  std::abort();
}

void check_round_trip(const decoded_track& t) {
  auto blob = encode_track_blob(t);
  if (!blob) {
    // Raw NUL bytes and overlong forms decode fine but grow to C0 80 when re-encoded.
    if (blob.error() == track_codec_error::string_too_long || blob.error() == track_codec_error::too_large) return;
    fail("a decoded track does not re-encode");
  }
  auto again = decode_track_blob(*blob);
  if (!again) fail("a re-encoded track does not decode");
  if (!(*again == t)) fail("round trip changed the track");
  auto blob2 = encode_track_blob(*again);
  if (!blob2 || *blob2 != *blob) fail("encoding is not canonical");
  auto text = encode_track(t);
  if (!text) fail("base64 encoding failed");
  auto from_text = decode_track(*text);
  if (!from_text || !(*from_text == t)) fail("base64 round trip changed the track");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto t = decode_track(bytes)) check_round_trip(*t);
  if (auto t = decode_track_blob(bytes)) check_round_trip(*t);
  if (auto s = decode_modified_utf8(bytes)) {
    auto enc = encode_modified_utf8(*s);
    if (!enc) fail("decoded modified UTF-8 does not re-encode");
    auto dec = decode_modified_utf8(*enc);
    if (!dec || *dec != *s) fail("modified UTF-8 round trip changed the text");
  }
  return 0;
}
