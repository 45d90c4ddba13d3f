#include "source_util.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace vb::node::detail {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string sanitize_text(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      static constexpr std::uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    }
    std::string_view piece = ok ? s.substr(i, len) : std::string_view("\xEF\xBF\xBD");
    if (ok && len == 1 && (cp < 0x20 || cp == 0x7F)) piece = cp == '\t' ? " " : "";
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
    i += ok ? len : 1;
  }
  return out;
}

lavalink::exception_info make_exception(std::string message, lavalink::exception_severity severity, std::string cause) {
  lavalink::exception_info e;
  e.message = std::move(message);
  e.severity = severity;
  e.cause = std::move(cause);
  e.cause_stack_trace = e.cause;
  return e;
}

lavalink::exception_info to_exception(const source_error& e) {
  using lavalink::exception_severity;
  exception_severity sev = exception_severity::suspicious;
  switch (e.code) {
    case node_error::source_disabled:
    case node_error::blocked_address:
    case node_error::not_found:
    case node_error::outside_roots:
    case node_error::resolver_missing:
    case node_error::spotify_credentials:
    case node_error::no_mirror:
    case node_error::unsupported_format:
      sev = exception_severity::common;
      break;
    case node_error::decode_failed:
    case node_error::cancelled:
      sev = exception_severity::fault;
      break;
    default:
      break;
  }
  return make_exception(e.message, sev, "vb::node::node_error: " + std::string(to_string(e.code)) + ": " + e.message);
}

void source_context::track(const std::shared_ptr<open_cancel>& c) {
  opens_.add(c, [](open_cancel& o) { o.cancel(); });
}

void source_context::shutdown() {
  opens_.trip([](open_cancel& o) { o.cancel(); });
}

bool source_context::shut_down() const { return opens_.tripped(); }

lavalink::load_result error_result(lavalink::exception_info e) {
  lavalink::load_result r;
  r.data = std::move(e);
  return r;
}

lavalink::load_result error_result(const source_error& e) { return error_result(to_exception(e)); }

expected<lavalink::track, std::string> to_track(const lavalink::decoded_track& d, const lavalink::source_registry& r) {
  auto encoded = lavalink::encode_track(d, r);
  if (!encoded) return unexpected(std::string(lavalink::to_string(encoded.error())));
  return lavalink::make_track(d, std::move(*encoded));
}

expected<audio::decoder, source_error> open_decoder(std::unique_ptr<audio::byte_source> source, media_feed* feed,
                                                    const http_source_limits& limits, std::string format_hint) {
  if (feed != nullptr) set_read_deadline(*feed, std::chrono::steady_clock::now() + limits.probe_timeout);
  audio::decoder_options o;
  o.probe_bytes = limits.probe_bytes;
  // Every source of the node already buffers (files are read by the kernel's page cache, HTTP and
  // HLS bodies arrive in a stream_buffer), so FFmpeg's own buffer only batches reads: 4 KiB is a
  // read call every ~0.17 s of 192 kb/s MP3 and 12 KiB less per player than the decoder's default.
  o.io_buffer_bytes = 4 * 1024;
  o.format_hint = std::move(format_hint);
  auto d = audio::decoder::open(std::move(source), o);
  if (feed != nullptr) set_read_deadline(*feed, std::nullopt);
  if (!d) {
    switch (d.error()) {
      case audio::audio_error::io_error:
        return unexpected(source_error{node_error::network, "Reading the media failed or timed out"});
      case audio::audio_error::unsupported_format:
        return unexpected(source_error{node_error::unsupported_format, "Unknown file format."});
      case audio::audio_error::no_audio_stream:
        return unexpected(source_error{node_error::unsupported_format, "The media has no audio stream"});
      case audio::audio_error::unsupported_codec:
        return unexpected(source_error{node_error::unsupported_format, "The audio codec is not supported"});
      case audio::audio_error::media_libraries_missing:
        return unexpected(source_error{node_error::decode_failed,
                                       "The node cannot decode media: its FFmpeg libraries are not installed"});
      default:
        return unexpected(source_error{node_error::decode_failed,
                                       "The media could not be decoded: " + std::string(audio::to_string(d.error()))});
    }
  }
  return std::move(*d);
}

lavalink::decoded_track media_track(std::string_view source_name, const std::string& identifier,
                                    const audio::track_info& info, std::string title, std::string author) {
  lavalink::decoded_track d;
  title = sanitize_text(title);
  author = sanitize_text(author);
  d.info.title = title.empty() ? std::string(unknown_title) : std::move(title);
  d.info.author = author.empty() ? std::string(unknown_author) : std::move(author);
  d.info.is_stream = info.is_stream();
  d.info.length = info.duration ? info.duration->count() : lavalink::unknown_length;
  d.info.identifier = identifier;
  d.info.uri = identifier;
  d.info.source_name = std::string(source_name);
  d.info.is_seekable = !d.info.is_stream;
  d.details.emplace_back(std::string(info.container));
  return d;
}

}  // namespace vb::node::detail
