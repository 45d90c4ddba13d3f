#include "vectobeat/node/node_config.hpp"

#include <thread>

namespace vb::node {

int node_config::effective_workers() const {
  if (worker_threads > 0) return worker_threads;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : command) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

node_config make_node_config(const settings& s) {
  const node_settings& n = s.node;
  node_config c;
  c.password = n.password;
  c.sources.clear();
  for (auto& [name, enabled] : n.sources)
    if (enabled) c.sources.insert(name);
  for (auto& [name, enabled] : n.filters)
    if (!enabled) c.disabled_filters.insert(name);
  c.player_update_interval = std::chrono::seconds(n.player_update_interval_seconds);
  c.opus_complexity = n.opus_encoding_quality;
  c.track_stuck_threshold = std::chrono::milliseconds(n.track_stuck_threshold_ms);
  c.frame_buffer = std::chrono::milliseconds(n.frame_buffer_duration_ms);
  c.allow_private_addresses = n.allow_private_addresses;
  for (auto& r : n.local_roots) c.local_roots.emplace_back(r);
  if (n.resolver_command) c.resolver_command = split_command(*n.resolver_command);
  c.resolver_timeout = std::chrono::milliseconds(n.resolver_timeout_ms);
  c.search_results = n.search_results;
  c.voice_ca_file = n.voice_ca_file;
  c.worker_threads = n.worker_threads;
  c.loader_threads = n.loader_threads;
  c.http.connect_timeout = std::chrono::milliseconds(n.http_connect_timeout_ms);
  c.http.read_timeout = std::chrono::milliseconds(n.http_read_timeout_ms);
  c.http.max_redirects = n.http_max_redirects;
  c.http.max_playlist_bytes = static_cast<std::size_t>(n.max_playlist_bytes);
  c.http.probe_timeout = std::chrono::milliseconds(n.probe_timeout_ms);
  c.resume_buffer_messages = static_cast<std::size_t>(n.resume_buffer_messages);
  c.spotify.client_id = s.spotify.client_id.value_or("");
  c.spotify.client_secret = s.spotify.client_secret.value_or("");
  c.spotify.api_base = n.spotify_api_base;
  c.spotify.accounts_base = n.spotify_accounts_base;
  c.spotify.mirror_source = n.spotify_mirror_source;
  c.spotify.market = n.spotify_market;
  c.spotify.max_tracks = n.spotify_max_tracks;
  return c;
}

}  // namespace vb::node
