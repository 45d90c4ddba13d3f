#pragma once
// Parsers for the text playlists the HTTP source meets: M3U/M3U8 (plain and extended), PLS,
// and HLS (master and media playlists). Pure functions over bounded text; relative URIs are
// resolved against the playlist's URL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vb::node {

enum class playlist_kind { m3u, pls, hls };

// From the Content-Type, else the URL's extension, else the first bytes; nullopt: not a playlist.
std::optional<playlist_kind> detect_playlist(std::string_view content_type, std::string_view url,
                                             std::string_view head);

struct playlist_entry {
  std::string url;
  std::string title;              // #EXTINF / TitleN; empty when absent
  std::optional<std::int64_t> length_ms;  // nullopt: unknown or live
};

// M3U and PLS: the entries in order (at most max_entries). Lines that are not URLs are skipped.
std::vector<playlist_entry> parse_m3u(std::string_view text, std::string_view base_url, std::size_t max_entries);
std::vector<playlist_entry> parse_pls(std::string_view text, std::string_view base_url, std::size_t max_entries);

struct hls_variant {
  std::string url;
  std::int64_t bandwidth = 0;
  std::string codecs;
};

struct hls_segment {
  std::string url;
  double duration_s = 0;
  std::int64_t sequence = 0;
};

struct hls_playlist {
  bool master = false;
  std::vector<hls_variant> variants;  // master playlists
  std::vector<hls_segment> segments;  // media playlists
  std::optional<std::string> map_url;  // #EXT-X-MAP (fragmented MP4 init section)
  double target_duration_s = 0;
  bool ended = false;      // #EXT-X-ENDLIST: video on demand
  bool encrypted = false;  // #EXT-X-KEY other than NONE (unsupported)
  std::int64_t total_ms() const;
};

std::optional<hls_playlist> parse_hls(std::string_view text, std::string_view base_url);
// The variant to play: the highest bandwidth among audio-only variants (CODECS without a video
// codec), else the lowest bandwidth overall (least video to download).
const hls_variant* pick_variant(const hls_playlist& master);

// Resolves `ref` against `base` (RFC 3986); nullopt when either is not a valid reference.
std::optional<std::string> resolve_url(std::string_view base, std::string_view ref);

}  // namespace vb::node
