#pragma once
// Everything the audio node needs to run, in typed form. Built from the process settings
// (settings.node plus the top-level spotify credentials) by make_node_config(); tests and
// the benchmark fill it directly.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vectobeat/common/settings.hpp"

namespace vb::node {

// Canonical source names, as /v4/info lists them and encoded tracks carry them.
inline constexpr std::string_view source_http = "http";
inline constexpr std::string_view source_local = "local";
inline constexpr std::string_view source_youtube = "youtube";
inline constexpr std::string_view source_soundcloud = "soundcloud";
inline constexpr std::string_view source_spotify = "spotify";

struct http_source_limits {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds read_timeout{10000};  // per read of a media body
  int max_redirects = 5;
  std::size_t max_playlist_bytes = 1 << 20;  // m3u, pls, HLS manifests
  std::size_t probe_bytes = 256 * 1024;      // what FFmpeg may read to recognise a format
  std::chrono::milliseconds probe_timeout{10000};
  int max_playlist_entries = 500;
  int max_reference_hops = 5;  // m3u/pls entries that point at further playlists
};

struct spotify_config {
  std::string client_id;
  std::string client_secret;  // secret
  std::string api_base = "https://api.spotify.com";
  std::string accounts_base = "https://accounts.spotify.com";
  std::string mirror_source = "ytsearch";
  std::string market = "US";
  int max_tracks = 500;
  bool has_credentials() const { return !client_id.empty() && !client_secret.empty(); }
};

struct node_config {
  std::string password = "youshallnotpass";
  std::set<std::string, std::less<>> sources{std::string(source_http)};  // enabled sources
  std::set<std::string, std::less<>> disabled_filters;                      // JSON names
  std::chrono::seconds player_update_interval{5};
  std::chrono::seconds stats_interval{60};
  int opus_complexity = 10;
  int opus_bitrate = 64000;
  std::chrono::milliseconds track_stuck_threshold{10000};
  std::chrono::milliseconds frame_buffer{400};
  bool allow_private_addresses = false;
  std::vector<std::filesystem::path> local_roots;
  std::vector<std::string> resolver_command;  // argv prefix; empty: no resolver
  std::chrono::milliseconds resolver_timeout{20000};
  std::size_t resolver_max_output = 8u << 20;
  int search_results = 10;
  spotify_config spotify;
  http_source_limits http;
  std::string voice_ca_file;
  bool voice_tls = true;  // wss:// to voice servers (false only for loopback tests)
  int worker_threads = 0;  // 0: one per core
  int loader_threads = 2;
  std::size_t resume_buffer_messages = 1000;
  std::size_t max_sessions = 1000;
  std::size_t max_players_per_session = 100000;

  bool source_enabled(std::string_view name) const { return sources.find(name) != sources.end(); }
  int effective_workers() const;
};

// Throws config::error for values that cannot work (a resolver command that is blank after
// splitting is simply "none").
node_config make_node_config(const settings& s);

// "yt-dlp --no-cache-dir" -> {"yt-dlp", "--no-cache-dir"} (whitespace separated, no quoting).
std::vector<std::string> split_command(std::string_view command);

}  // namespace vb::node
