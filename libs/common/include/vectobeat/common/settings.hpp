#pragma once
// The whole VectoBeat configuration: the keys of the original bot/config.yml
// (reference/vectobeat-contracts.md §11) plus the sections of our own roles.
// Reference: docs/configuration.md.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/config.hpp"
#include "vectobeat/common/log.hpp"

namespace vb {

struct logging_settings {
  log::level level = log::level::info;
  log::format format = log::format::text;
  std::map<std::string, log::level, std::less<>> components;
  std::string file;
};

struct lavalink_node_settings {
  std::string name = "main";
  std::string host = "127.0.0.1";
  std::uint16_t port = 2333;
  std::string password = "youshallnotpass";
  bool https = false;
  std::string region = "us";
};

// The bot's Lavalink client (node pool, failover).
struct lavalink_client_settings {
  int resume_timeout_seconds = 60;  // asked of every node; a socket lost for less is resumed
  int stats_timeout_seconds = 70;   // no `stats` for this long = node lost
  int failover_rewind_ms = 1000;    // a moved track restarts this much earlier
  int no_node_grace_seconds = 10;   // players wait this long for a node before the bot leaves voice
};

struct theme_settings {
  std::uint32_t color_primary = 0x5865F2;
  std::uint32_t color_success = 0x57F287;
  std::uint32_t color_warning = 0xFEE75C;
  std::uint32_t color_error = 0xED4245;
  std::string footer_text = "VectoBeat";
  std::optional<std::string> footer_icon_url;
  std::string author_name = "VectoDE";
  std::optional<std::string> author_icon_url;
  std::optional<std::string> thumbnail_url;
};

struct bot_settings {
  std::string token;  // DISCORD_TOKEN; empty: `up` starts the fake Discord
  bool intents_members = false;
  bool sync_commands_on_start = true;
  std::optional<int> shard_count;   // total shards; unset: from GET /gateway/bot
  std::vector<int> shard_ids;       // this process's shards; empty: all
  std::string presence_status = "online";
  std::string presence_activity_type = "listening";
  std::string presence_activity_name = "/play";
  std::string api_base_url = "https://discord.com/api/v10";
  std::string gateway_url;                         // empty: from GET /gateway/bot
  std::string gateway_compression = "zlib-stream";  // zlib-stream, zstd-stream or none
  int large_threshold = 50;                        // 50-250
  std::string data_dir = "data";
  int idle_disconnect_seconds = 300;
};

struct limits_settings {
  int queue_max_length = 500;
  int search_timeout_ms = 8000;
};

struct features_settings {
  bool allow_loop = true;
  bool allow_shuffle = true;
};

struct autoplay_settings {
  int discovery_limit = 10;
  bool random_pick = true;
};

struct crossfade_settings {
  bool enabled = false;
  int duration_ms = 2000;
  int fade_steps = 10;
  double floor_volume = 15.0;
};

struct redis_settings {
  bool enabled = false;  // on when a host is configured through REDIS_HOST or redis.host
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::optional<std::string> password;
  int db = 0;
  std::optional<std::string> ca_path;
};

struct metrics_settings {
  bool enabled = true;
  std::string host = "0.0.0.0";
  std::uint16_t port = 3052;
  int collection_interval = 15;
};

struct status_api_settings {
  bool enabled = true;
  std::string host = "0.0.0.0";
  std::uint16_t port = 3051;
  std::optional<std::string> api_key;
  int cache_ttl_seconds = 5;
  bool allow_unauthenticated = false;
  std::optional<std::string> push_endpoint;
  std::optional<std::string> push_token;
  int push_interval_seconds = 30;
  std::optional<std::string> event_endpoint;
  std::optional<std::string> event_token;
  std::optional<std::string> usage_endpoint;
  std::optional<std::string> usage_token;
};

struct control_panel_api_settings {
  bool enabled = false;
  std::string base_url = "http://127.0.0.1:3050";
  std::optional<std::string> api_key;
  int timeout_seconds = 8;
  int cache_ttl_seconds = 120;
};

struct endpoint_settings {
  bool enabled = false;
  std::optional<std::string> endpoint;
  std::optional<std::string> api_key;
};

struct cache_settings {
  bool search_enabled = true;
  int search_ttl_seconds = 60;
  int search_max_entries = 200;
};

struct search_limits_settings {
  int base_results = 5;
  int max_results = 10;
  int min_results = 3;
  int high_latency_threshold_ms = 300;
};

struct spotify_settings {
  std::optional<std::string> client_id;
  std::optional<std::string> client_secret;
};

struct alerts_settings {
  std::optional<std::string> moderator_endpoint, incident_endpoint, priority_endpoint, compliance_endpoint, api_key;
};

// Our audio node (`vectobeat node`), Lavalink-v4 compatible.
struct node_settings {
  std::string address = "0.0.0.0";
  std::uint16_t port = 2333;
  std::string password = "youshallnotpass";
  std::map<std::string, bool, std::less<>> sources{{"http", true}, {"local", false}, {"youtube", false},
                                                   {"soundcloud", false}, {"spotify", false}};
  std::map<std::string, bool, std::less<>> filters;  // name -> enabled; absent means enabled
  int player_update_interval_seconds = 5;
  int opus_encoding_quality = 10;
  int track_stuck_threshold_ms = 10000;
  int frame_buffer_duration_ms = 400;
  bool allow_private_addresses = false;  // HTTP source may reach loopback/private hosts
  std::vector<std::string> local_roots;
  // yt-dlp compatible, for YouTube/SoundCloud: program and fixed arguments separated by
  // whitespace (run without a shell; the identifier is appended as one argument).
  std::optional<std::string> resolver_command;
  int resolver_timeout_ms = 20000;
  int search_results = 10;                      // entries a ytsearch:/scsearch: returns
  std::string voice_ca_file;                    // extra CA for wss voice endpoints (tests)
  int worker_threads = 0;                       // 0: one per core
  int loader_threads = 2;                       // blocking work: probing, opening, seeking
  // Outbound HTTP for media (Lavalink's timeouts.*), playlists and probing.
  int http_connect_timeout_ms = 3000;
  int http_read_timeout_ms = 10000;
  int http_max_redirects = 5;
  int max_playlist_bytes = 1 << 20;
  int probe_timeout_ms = 10000;
  int resume_buffer_messages = 1000;  // messages kept for a disconnected resumable session
  // Spotify mirror: credentials come from the top-level `spotify` section.
  std::string spotify_api_base = "https://api.spotify.com";
  std::string spotify_accounts_base = "https://accounts.spotify.com";
  std::string spotify_mirror_source = "ytsearch";  // the search prefix Spotify tracks play through
  std::string spotify_market = "US";
  int spotify_max_tracks = 500;  // per album or playlist
};

struct panel_settings {
  std::string address = "0.0.0.0";
  std::uint16_t port = 3050;
  std::string database_url = "sqlite://data/panel.db";
  std::optional<std::string> public_url;
};

struct fake_discord_settings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  std::string public_host = "127.0.0.1";  // host written into the URLs it hands out
  std::string token = "fake-bot-token";
  bool demo_guild = true;
  int shards = 1;            // GET /gateway/bot "shards"
  int max_concurrency = 1;   // session_start_limit.max_concurrency
  int heartbeat_interval_ms = 41250;
  std::uint16_t voice_port = 0;  // 0: any free port
  bool voice_tls = true;         // wss:// with a generated test CA
  bool require_dave = false;
  std::string recording_dir;     // empty: recordings stay in memory
};

struct storage_settings {
  std::string sqlite_path = "data/vectobeat.db";
};

struct settings {
  std::optional<std::filesystem::path> source;  // the YAML file, if one was loaded
  logging_settings logging;
  bot_settings bot;
  theme_settings theme;
  lavalink_node_settings lavalink;            // the single-node `lavalink:` section
  std::vector<lavalink_node_settings> lavalink_nodes;  // effective node list (never empty)
  lavalink_client_settings lavalink_client;
  limits_settings limits;
  features_settings features;
  autoplay_settings autoplay;
  crossfade_settings crossfade;
  redis_settings redis;
  metrics_settings metrics;
  status_api_settings status_api;
  control_panel_api_settings control_panel_api;
  endpoint_settings queue_sync;
  endpoint_settings queue_telemetry;
  bool queue_telemetry_include_guild_metadata = true;
  cache_settings cache;
  search_limits_settings search_limits;
  spotify_settings spotify;
  alerts_settings alerts;
  node_settings node;
  panel_settings panel;
  fake_discord_settings fake_discord;
  storage_settings storage;
  std::vector<std::string> warnings;  // unknown keys and ignored (unsafe) settings
};

// Reads `doc` (YAML already parsed) into settings, then applies the environment
// overrides of §11.3 (non-empty values only). Throws config::error on invalid values.
settings read_settings(const config::document& doc);

// Loads .env (from the config file's directory, else the working directory), then the
// YAML file (CONFIG_PATH when `file` is empty; no file at all means defaults).
settings load_settings(const std::optional<std::filesystem::path>& file);

// Registers every secret in `s` with the log redactor.
void register_secrets(const settings& s);

}  // namespace vb
