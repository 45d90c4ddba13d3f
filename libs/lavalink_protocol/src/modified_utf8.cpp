#include "vectobeat/lavalink/modified_utf8.hpp"

#include <cstdint>
#include <optional>

namespace vb::lavalink {
namespace {

void append_3byte(std::string& out, std::uint32_t unit) {
  out += static_cast<char>(0xE0 | (unit >> 12));
  out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (unit & 0x3F));
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    append_3byte(out, cp);
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr bool is_continuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// One strictly valid UTF-8 sequence at s[i]; returns the code point and advances i.
std::optional<std::uint32_t> next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  std::uint32_t cp = 0;
  std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return std::nullopt;
  }
  if (s.size() - i < len) return std::nullopt;
  const std::uint8_t b1 = byte(i + 1);
  if (b1 < lo || b1 > hi) return std::nullopt;
  cp = (cp << 6) | (b1 & 0x3F);
  for (std::size_t k = 2; k < len; ++k) {
    const std::uint8_t b = byte(i + k);
    if (!is_continuation(b)) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

}  // namespace

expected<std::string, track_codec_error> encode_modified_utf8(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + 8);
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto cp = next_code_point(utf8, i);
    if (!cp) return unexpected(track_codec_error::bad_utf8);
    if (*cp == 0) {
      out += "\xC0\x80";
    } else if (*cp < 0x10000) {
      append_utf8(out, *cp);
    } else {
      const std::uint32_t v = *cp - 0x10000;
      append_3byte(out, 0xD800 + (v >> 10));
      append_3byte(out, 0xDC00 + (v & 0x3FF));
    }
  }
  return out;
}

expected<std::string, track_codec_error> decode_modified_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::uint32_t high = 0;  // a high surrogate waiting for its low half, 0 if none
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(bytes[k]); };
  while (i < bytes.size()) {
    const std::uint8_t b0 = byte(i);
    std::uint32_t unit = 0;
    if (b0 < 0x80) {
      unit = b0;
      i += 1;
    } else if ((b0 & 0xE0) == 0xC0) {
      if (bytes.size() - i < 2 || !is_continuation(byte(i + 1))) return unexpected(track_codec_error::bad_utf8);
      unit = (static_cast<std::uint32_t>(b0 & 0x1F) << 6) | (byte(i + 1) & 0x3F);
      i += 2;
    } else if ((b0 & 0xF0) == 0xE0) {
      if (bytes.size() - i < 3 || !is_continuation(byte(i + 1)) || !is_continuation(byte(i + 2)))
        return unexpected(track_codec_error::bad_utf8);
      unit = (static_cast<std::uint32_t>(b0 & 0x0F) << 12) | (static_cast<std::uint32_t>(byte(i + 1) & 0x3F) << 6) |
             (byte(i + 2) & 0x3F);
      i += 3;
    } else {
      return unexpected(track_codec_error::bad_utf8);  // 10xxxxxx or 1111xxxx lead byte
    }
    const bool is_high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool is_low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (high) {
      if (!is_low) return unexpected(track_codec_error::bad_utf8);
      append_utf8(out, 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00));
      high = 0;
    } else if (is_high) {
      high = unit;
    } else if (is_low) {
      return unexpected(track_codec_error::bad_utf8);
    } else {
      append_utf8(out, unit);
    }
  }
  if (high) return unexpected(track_codec_error::bad_utf8);
  return out;
}

expected<std::string, track_codec_error> write_java_utf(std::string_view utf8) {
  auto body = encode_modified_utf8(utf8);
  if (!body) return body;
  if (body->size() > max_java_utf_bytes) return unexpected(track_codec_error::string_too_long);
  std::string out;
  out.reserve(body->size() + 2);
  out += static_cast<char>((body->size() >> 8) & 0xFF);
  out += static_cast<char>(body->size() & 0xFF);
  out += *body;
  return out;
}

}  // namespace vb::lavalink
