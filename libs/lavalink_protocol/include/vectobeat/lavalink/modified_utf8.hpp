#pragma once
// Java's "modified UTF-8" (DataOutput.writeUTF / DataInput.readUTF), converted from and to
// standard UTF-8: U+0000 is C0 80, characters above U+FFFF are a surrogate pair written as two
// 3-byte sequences. Pure functions on caller-owned data.
#include <cstddef>
#include <string>
#include <string_view>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/lavalink/track_codec_error.hpp"

namespace vb::lavalink {

// writeUTF's limit on the encoded length.
inline constexpr std::size_t max_java_utf_bytes = 65535;

// UTF-8 -> modified UTF-8, no length prefix. bad_utf8 for invalid UTF-8 (overlong forms,
// surrogate code points, > U+10FFFF, truncated sequences).
expected<std::string, track_codec_error> encode_modified_utf8(std::string_view utf8);

// Modified UTF-8 -> UTF-8, accepting what readUTF accepts (raw NUL bytes, overlong 2- and
// 3-byte forms) except unpaired surrogates, which have no UTF-8 form: those are bad_utf8.
expected<std::string, track_codec_error> decode_modified_utf8(std::string_view bytes);

// writeUTF: big-endian u16 length, then the modified UTF-8 bytes. string_too_long above 65535.
expected<std::string, track_codec_error> write_java_utf(std::string_view utf8);

}  // namespace vb::lavalink
