#include "vectobeat/lavalink/track_codec.hpp"

#include <utility>

#include "vectobeat/common/base64.hpp"
#include "vectobeat/lavalink/modified_utf8.hpp"

namespace vb::lavalink {
namespace {

// lavaplayer MessageInput: u32 header = (flags << 30) | body size.
constexpr std::uint32_t kBodySizeMask = 0x3FFFFFFF;
constexpr std::uint32_t kFlagVersioned = 1;  // TRACK_INFO_VERSIONED

// Bounds-checked big-endian reader over the message body (java.io.DataInput).
class body_reader {
 public:
  explicit body_reader(std::string_view body) : body_(body) {}

  expected<std::uint8_t, track_codec_error> u8() {
    if (body_.size() - pos_ < 1) return unexpected(track_codec_error::truncated);
    return static_cast<std::uint8_t>(body_[pos_++]);
  }

  // readBoolean: any non-zero byte is true.
  expected<bool, track_codec_error> boolean() {
    auto b = u8();
    if (!b) return unexpected(b.error());
    return *b != 0;
  }

  expected<std::int64_t, track_codec_error> i64() {
    if (body_.size() - pos_ < 8) return unexpected(track_codec_error::truncated);
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | static_cast<std::uint8_t>(body_[pos_++]);
    return static_cast<std::int64_t>(v);
  }

  expected<std::string, track_codec_error> utf() {
    if (body_.size() - pos_ < 2) return unexpected(track_codec_error::truncated);
    const std::size_t len = (static_cast<std::size_t>(static_cast<std::uint8_t>(body_[pos_])) << 8) |
                            static_cast<std::uint8_t>(body_[pos_ + 1]);
    pos_ += 2;
    if (body_.size() - pos_ < len) return unexpected(track_codec_error::truncated);
    const auto bytes = body_.substr(pos_, len);
    pos_ += len;
    return decode_modified_utf8(bytes);
  }

  expected<std::optional<std::string>, track_codec_error> nullable_utf() {
    auto present = boolean();
    if (!present) return unexpected(present.error());
    if (!*present) return std::optional<std::string>();
    auto s = utf();
    if (!s) return unexpected(s.error());
    return std::optional<std::string>(std::move(*s));
  }

 private:
  std::string_view body_;
  std::size_t pos_ = 0;
};

class body_writer {
 public:
  void u8(std::uint8_t v) { out_ += static_cast<char>(v); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void i64(std::int64_t value) {
    const auto v = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8) u8(static_cast<std::uint8_t>(v >> shift));
  }
  bool utf(std::string_view s) {
    auto bytes = write_java_utf(s);
    if (!bytes) {
      error_ = bytes.error();
      return false;
    }
    out_ += *bytes;
    return true;
  }
  bool nullable_utf(const std::optional<std::string>& s) {
    boolean(s.has_value());
    return !s || utf(*s);
  }
  track_codec_error error() const { return error_; }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
  track_codec_error error_ = track_codec_error::bad_utf8;
};

// Propagates the error of an expected into the enclosing function's expected.
#define VB_TRY_ASSIGN(lhs, expr)                  \
  do {                                            \
    auto vb_try_ = (expr);                        \
    if (!vb_try_) return unexpected(vb_try_.error()); \
    lhs = std::move(*vb_try_);                    \
  } while (0)

expected<source_detail, track_codec_error> read_detail(body_reader& in, detail_kind kind) {
  switch (kind) {
    case detail_kind::utf: {
      auto s = in.utf();
      if (!s) return unexpected(s.error());
      return source_detail(std::in_place_index<0>, std::move(*s));
    }
    case detail_kind::nullable_utf: {
      auto s = in.nullable_utf();
      if (!s) return unexpected(s.error());
      return source_detail(std::in_place_index<1>, std::move(*s));
    }
    case detail_kind::boolean: {
      auto b = in.boolean();
      if (!b) return unexpected(b.error());
      return source_detail(std::in_place_index<2>, *b);
    }
    case detail_kind::int64: {
      auto v = in.i64();
      if (!v) return unexpected(v.error());
      return source_detail(std::in_place_index<3>, *v);
    }
  }
  return unexpected(track_codec_error::invalid_details);
}

bool write_detail(body_writer& out, const source_detail& d) {
  switch (kind_of(d)) {
    case detail_kind::utf: return out.utf(std::get<0>(d));
    case detail_kind::nullable_utf: return out.nullable_utf(std::get<1>(d));
    case detail_kind::boolean: out.boolean(std::get<2>(d)); return true;
    case detail_kind::int64: out.i64(std::get<3>(d)); return true;
  }
  return false;
}

}  // namespace

expected<decoded_track, track_codec_error> decode_track_blob(std::string_view bytes, const source_registry& sources) {
  if (bytes.size() > max_track_blob_bytes) return unexpected(track_codec_error::too_large);
  if (bytes.size() < 4) return unexpected(track_codec_error::truncated);
  std::uint32_t header = 0;
  for (int k = 0; k < 4; ++k) header = (header << 8) | static_cast<std::uint8_t>(bytes[k]);
  const std::uint32_t flags = header >> 30;
  const std::size_t body_size = header & kBodySizeMask;
  if (body_size == 0) return unexpected(track_codec_error::empty_message);
  if (bytes.size() - 4 < body_size) return unexpected(track_codec_error::truncated);
  body_reader in(bytes.substr(4, body_size));

  decoded_track t;
  if (flags & kFlagVersioned) {
    VB_TRY_ASSIGN(t.version, in.u8());
    if (t.version < 1 || t.version > current_track_version) return unexpected(track_codec_error::unsupported_version);
  } else {
    t.version = 1;
  }
  auto& info = t.info;
  VB_TRY_ASSIGN(info.title, in.utf());
  VB_TRY_ASSIGN(info.author, in.utf());
  VB_TRY_ASSIGN(info.length, in.i64());
  VB_TRY_ASSIGN(info.identifier, in.utf());
  VB_TRY_ASSIGN(info.is_stream, in.boolean());
  if (t.version >= 2) VB_TRY_ASSIGN(info.uri, in.nullable_utf());
  if (t.version >= 3) {
    VB_TRY_ASSIGN(info.artwork_url, in.nullable_utf());
    VB_TRY_ASSIGN(info.isrc, in.nullable_utf());
  }
  VB_TRY_ASSIGN(info.source_name, in.utf());
  const source_layout* layout = sources.find(info.source_name);
  if (!layout) return unexpected(track_codec_error::unknown_source);
  t.details.reserve(layout->details.size());
  for (const auto kind : layout->details) {
    auto d = read_detail(in, kind);
    if (!d) return unexpected(d.error());
    t.details.push_back(std::move(*d));
  }
  VB_TRY_ASSIGN(info.position, in.i64());
  info.is_seekable = !info.is_stream;
  return t;
}

expected<decoded_track, track_codec_error> decode_track(std::string_view base64, const source_registry& sources) {
  // Reject before allocating: 4 characters carry 3 bytes.
  if (base64.size() > (max_track_blob_bytes + 2) / 3 * 4) return unexpected(track_codec_error::too_large);
  std::string padded;
  if (const auto rest = base64.size() % 4; rest != 0) {
    if (rest == 1) return unexpected(track_codec_error::not_base64);
    padded.assign(base64);
    padded.append(4 - rest, '=');
    base64 = padded;
  }
  auto bytes = vb::base64_decode(base64, max_track_blob_bytes);
  if (!bytes) return unexpected(track_codec_error::not_base64);
  return decode_track_blob(*bytes, sources);
}

expected<std::string, track_codec_error> encode_track_blob(const decoded_track& t, const source_registry& sources) {
  const auto& info = t.info;
  if (t.version < 1 || t.version > current_track_version) return unexpected(track_codec_error::unsupported_version);
  if ((t.version < 2 && info.uri) || (t.version < 3 && (info.artwork_url || info.isrc)))
    return unexpected(track_codec_error::unrepresentable);
  const source_layout* layout = sources.find(info.source_name);
  if (!layout) return unexpected(track_codec_error::unknown_source);
  if (layout->details.size() != t.details.size()) return unexpected(track_codec_error::invalid_details);
  for (std::size_t i = 0; i < t.details.size(); ++i)
    if (kind_of(t.details[i]) != layout->details[i]) return unexpected(track_codec_error::invalid_details);

  body_writer out;
  out.bytes().assign(4, '\0');  // header, patched below
  if (t.version >= 2) out.u8(t.version);
  bool ok = out.utf(info.title) && out.utf(info.author);
  if (ok) {
    out.i64(info.length);
    ok = out.utf(info.identifier);
  }
  if (ok) {
    out.boolean(info.is_stream);
    if (t.version >= 2) ok = out.nullable_utf(info.uri);
  }
  if (ok && t.version >= 3) ok = out.nullable_utf(info.artwork_url) && out.nullable_utf(info.isrc);
  if (ok) ok = out.utf(info.source_name);
  for (std::size_t i = 0; ok && i < t.details.size(); ++i) ok = write_detail(out, t.details[i]);
  if (!ok) return unexpected(out.error());
  out.i64(info.position);

  std::string& bytes = out.bytes();
  if (bytes.size() > max_track_blob_bytes) return unexpected(track_codec_error::too_large);
  const auto body_size = static_cast<std::uint32_t>(bytes.size() - 4);
  const std::uint32_t header = (t.version >= 2 ? kFlagVersioned << 30 : 0u) | body_size;
  for (int k = 0; k < 4; ++k) bytes[k] = static_cast<char>((header >> (24 - 8 * k)) & 0xFF);
  return std::move(bytes);
}

expected<std::string, track_codec_error> encode_track(const decoded_track& t, const source_registry& sources) {
  auto bytes = encode_track_blob(t, sources);
  if (!bytes) return bytes;
  return vb::base64_encode(*bytes);
}

std::optional<std::string_view> probe_info(const decoded_track& t) {
  if (t.info.source_name != "http" && t.info.source_name != "local") return std::nullopt;
  if (t.details.empty()) return std::nullopt;
  if (const auto* s = std::get_if<0>(&t.details.front())) return std::string_view(*s);
  return std::nullopt;
}

track make_track(const decoded_track& t, std::string encoded) {
  track out;
  out.encoded = std::move(encoded);
  out.info = t.info;
  return out;
}

#undef VB_TRY_ASSIGN

}  // namespace vb::lavalink
