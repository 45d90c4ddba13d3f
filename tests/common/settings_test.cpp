#include "vectobeat/common/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/test_util.hpp"

namespace vb {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Shaped like the original bot/config.yml: every key of contracts §11.2, with the
// shipped values.
constexpr std::string_view original_config = R"(bot:
  intents:
    members: true
    message_content: true
  presence:
    status: online
    activity_type: listening
    activity_name: "your commands"
  sync_commands_on_start: true
  shard_count: 1
theme:
  color_primary: 5793266
  color_success: 5763719
  color_warning: 16763904
  color_error: 15548997
  footer_text: "VectoBeat"
  footer_icon_url: "https://vectobeat.example/logo.png"
  author_name: "VectoDE"
  author_icon_url: "https://vectobeat.example/logo.png"
  thumbnail_url: "https://vectobeat.example/thumb.png"
branding:
  guild_overrides: {}
lavalink:
  host: ${LAVALINK_HOST:lavalink}
  port: ${LAVALINK_PORT:2333}
  password: ${LAVALINK_PASSWORD:default_password}
  https: ${LAVALINK_HTTPS:false}
  name: ${LAVALINK_NAME:main}
  region: ${LAVALINK_REGION:eu}
lavalink_nodes:
  - host: ${LAVALINK_HOST:lavalink}
    port: ${LAVALINK_PORT:2333}
    password: ${LAVALINK_PASSWORD:default_password}
    https: ${LAVALINK_HTTPS:false}
    name: ${LAVALINK_NAME:main}
    region: ${LAVALINK_REGION:eu}
spotify:
  client_id: ${SPOTIFY_CLIENT_ID}
  client_secret: ${SPOTIFY_CLIENT_SECRET}
limits:
  queue_max_length: 500
  search_timeout_ms: 8000
features:
  allow_loop: true
  allow_shuffle: true
autoplay:
  discovery_limit: 10
  random_pick: true
crossfade:
  enabled: true
  duration_ms: 2500
  fade_steps: 12
  floor_volume: 20
redis:
  host: ${REDIS_HOST:redis}
  port: 6379
  password: ${REDIS_PASSWORD:default_password}
  db: 0
  ca_path: ${REDIS_CA_PATH}
metrics:
  enabled: true
  host: 0.0.0.0
  port: 3052
  collection_interval: 15
status_api:
  enabled: true
  host: 0.0.0.0
  port: 3051
  api_key: ${STATUS_API_KEY}
  cache_ttl_seconds: 5
  allow_unauthenticated: false
  push_endpoint: http://localhost:3050/api/bot/metrics
  push_token: ${STATUS_API_PUSH_TOKEN}
  push_interval_seconds: 30
  event_endpoint: http://localhost:3050/api/bot/events
  event_token: ${STATUS_API_EVENT_TOKEN}
  usage_endpoint: http://localhost:3050/api/bot/usage
  usage_token: ${STATUS_API_USAGE_TOKEN}
control_panel_api:
  enabled: true
  base_url: http://localhost:3050
  api_key: ${CONTROL_PANEL_API_KEY:dev_control_panel_api_key}
  timeout_seconds: 8
  cache_ttl_seconds: 120
chaos:
  enabled: false
  interval_minutes: 360
  scenarios: [disconnect_voice, disconnect_node, inject_error]
  guild_allowlist: []
scaling:
  enabled: false
  provider: nomad
  endpoint: https://nomad.example.com/v1/job/vectobeat/scale
  auth_token: ""
  interval_seconds: 60
  cooldown_seconds: 300
  target_guilds_per_shard: 5
  target_players_per_node: 150
  min_shards: 1
  max_shards: 10
  min_lavalink_nodes: 1
  max_lavalink_nodes: 5
analytics:
  enabled: false
  endpoint: ""
  api_key: ""
  flush_interval_seconds: 30
  batch_size: 50
  storage_path: data/command_analytics.log
  hash_salt: vectobeat
queue_telemetry:
  enabled: false
  endpoint: ""
  api_key: ""
  include_guild_metadata: true
queue_sync:
  enabled: false
  endpoint:
  api_key:
alerts:
  moderator_endpoint: http://localhost:3050/api/alerts/moderator
  incident_endpoint: http://localhost:3050/api/alerts/incident
  priority_endpoint: http://localhost:3050/api/alerts/priority
  compliance_endpoint: http://localhost:3050/api/alerts/compliance
  api_key: ${ALERTS_API_KEY}
cache:
  search_enabled: true
  search_ttl_seconds: 60
  search_max_entries: 200
search_limits:
  base_results: 5
  max_results: 10
  min_results: 3
  high_latency_threshold_ms: 300
bot_list:
  discord_bot_list_token: ${DISCORD_BOT_LIST_TOKEN}
security:
  success_pod_staff_ids: []
  concierge_staff_ids: []
  compliance_export_admin_ids: []
)";

settings read(std::string_view yaml, std::map<std::string, std::string> env = {}) {
  return read_settings(config::document::parse(yaml, "config.yml", config::map_env(std::move(env))));
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const config::error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a config::error";
  return {};
}

std::vector<std::string> unknown_key_warnings(const settings& s) {
  std::vector<std::string> out;
  for (auto& w : s.warnings)
    if (w.find("unknown key") != std::string::npos) out.push_back(w);
  return out;
}

TEST(Settings, OriginalConfigLoadsWithoutUnknownKeys) {
  auto s = read(original_config);
  EXPECT_THAT(unknown_key_warnings(s), IsEmpty());
  // message_content is the only setting of the original we deliberately ignore.
  EXPECT_THAT(s.warnings, ElementsAre(HasSubstr("config.yml:4: bot.intents.message_content is ignored")));
}

TEST(Settings, OriginalConfigValues) {
  auto s = read(original_config);
  EXPECT_TRUE(s.bot.intents_members);
  EXPECT_TRUE(s.bot.sync_commands_on_start);
  EXPECT_EQ(s.bot.shard_count, 1);
  EXPECT_EQ(s.bot.presence_activity_name, "your commands");
  EXPECT_EQ(s.theme.color_primary, 5793266u);
  EXPECT_EQ(s.theme.color_warning, 16763904u);
  EXPECT_EQ(s.theme.footer_icon_url, "https://vectobeat.example/logo.png");
  EXPECT_EQ(s.lavalink.host, "lavalink");
  EXPECT_EQ(s.lavalink.port, 2333);
  EXPECT_EQ(s.lavalink.password, "default_password");
  EXPECT_FALSE(s.lavalink.https);
  EXPECT_EQ(s.lavalink.region, "eu");
  ASSERT_EQ(s.lavalink_nodes.size(), 1u);
  EXPECT_EQ(s.lavalink_nodes[0].name, "main");
  EXPECT_EQ(s.lavalink_nodes[0].host, "lavalink");
  EXPECT_EQ(s.spotify.client_id, std::nullopt);
  EXPECT_TRUE(s.crossfade.enabled);
  EXPECT_EQ(s.crossfade.duration_ms, 2500);
  EXPECT_EQ(s.crossfade.fade_steps, 12);
  EXPECT_DOUBLE_EQ(s.crossfade.floor_volume, 20.0);
  EXPECT_TRUE(s.redis.enabled);
  EXPECT_EQ(s.redis.host, "redis");
  EXPECT_EQ(s.redis.password, "default_password");
  EXPECT_EQ(s.redis.ca_path, std::nullopt);
  EXPECT_EQ(s.metrics.port, 3052);
  EXPECT_EQ(s.status_api.port, 3051);
  EXPECT_EQ(s.status_api.api_key, std::nullopt);
  EXPECT_EQ(s.status_api.push_endpoint, "http://localhost:3050/api/bot/metrics");
  EXPECT_TRUE(s.control_panel_api.enabled);
  EXPECT_EQ(s.control_panel_api.api_key, "dev_control_panel_api_key");
  EXPECT_EQ(s.queue_telemetry.endpoint, std::nullopt);
  EXPECT_TRUE(s.queue_telemetry_include_guild_metadata);
  EXPECT_EQ(s.alerts.incident_endpoint, "http://localhost:3050/api/alerts/incident");
  EXPECT_EQ(s.search_limits.high_latency_threshold_ms, 300);
}

TEST(Settings, DefaultsWithoutAFile) {
  auto s = read_settings(config::document::empty(config::map_env({})));
  EXPECT_THAT(s.warnings, IsEmpty());
  EXPECT_EQ(s.bot.token, "");
  EXPECT_EQ(s.logging.level, log::level::info);
  EXPECT_FALSE(s.redis.enabled);
  ASSERT_EQ(s.lavalink_nodes.size(), 1u);
  EXPECT_EQ(s.lavalink_nodes[0].host, "127.0.0.1");
  EXPECT_EQ(s.lavalink_nodes[0].password, "youshallnotpass");
  EXPECT_EQ(s.theme.color_primary, 0x5865F2u);
  EXPECT_EQ(s.node.port, 2333);
  EXPECT_TRUE(s.node.sources.at("http"));
  EXPECT_EQ(s.panel.port, 3050);
}

TEST(Settings, UnknownKeysAreWarningsWithFileAndLine) {
  auto s = read("bot:\n  tokn: abc\nlavalnk:\n  host: x\n");
  EXPECT_THAT(s.warnings, ElementsAre("config.yml:2: unknown key 'bot.tokn'", "config.yml:3: unknown key 'lavalnk'"));
}

TEST(Settings, YamlInterpolationUsesTheEnvironment) {
  auto s = read(original_config, {{"LAVALINK_HOST", "ll.internal"}, {"LAVALINK_PORT", "2444"},
                                  {"SPOTIFY_CLIENT_ID", "spotify-id"}, {"STATUS_API_KEY", "status-key"}});
  EXPECT_EQ(s.lavalink.host, "ll.internal");
  EXPECT_EQ(s.lavalink.port, 2444);
  EXPECT_EQ(s.lavalink_nodes.at(0).host, "ll.internal");
  EXPECT_EQ(s.spotify.client_id, "spotify-id");
  EXPECT_EQ(s.status_api.api_key, "status-key");
}

TEST(Settings, EnvironmentOverridesNonEmptyValuesOnly) {
  auto s = read("lavalink:\n  host: from-yaml\nmetrics:\n  port: 9000\n",
                {{"LAVALINK_HOST", ""},
                 {"METRICS_PORT", "9100"},
                 {"DISCORD_TOKEN", "env-token"},
                 {"REDIS_HOST", "cache.internal"},
                 {"CROSSFADE_FLOOR_VOLUME", "12.5"},
                 {"STATUS_API_ALLOW_OPEN", "yes"},
                 {"BOT_STATUS_API_KEY", "fallback-key"},
                 {"TELEMETRY_INGEST_URL", "http://panel/ingest"},
                 {"LOG_LEVEL", "debug"}});
  EXPECT_EQ(s.lavalink.host, "from-yaml");
  EXPECT_EQ(s.metrics.port, 9100);
  EXPECT_EQ(s.bot.token, "env-token");
  EXPECT_TRUE(s.redis.enabled);
  EXPECT_EQ(s.redis.host, "cache.internal");
  EXPECT_DOUBLE_EQ(s.crossfade.floor_volume, 12.5);
  EXPECT_TRUE(s.status_api.allow_unauthenticated);
  EXPECT_EQ(s.status_api.api_key, "fallback-key");
  EXPECT_EQ(s.queue_telemetry.endpoint, "http://panel/ingest");
  EXPECT_EQ(s.logging.level, log::level::debug);
}

TEST(Settings, LavalinkNodesFromJsonReplaceTheYamlList) {
  auto s = read(original_config,
                {{"LAVALINK_NODES",
                  R"([{"name":"eu-1","host":"10.0.0.1","port":2333,"password":"p1","https":true,"region":"eu"},
                      {"name":"us-1","host":"10.0.0.2","port":"2444","secure":"false"},
                      {"name":"eu-1","host":"10.0.0.3"}])"}});
  ASSERT_EQ(s.lavalink_nodes.size(), 2u);
  EXPECT_EQ(s.lavalink_nodes[0].name, "eu-1");
  EXPECT_EQ(s.lavalink_nodes[0].host, "10.0.0.1");
  EXPECT_TRUE(s.lavalink_nodes[0].https);
  EXPECT_EQ(s.lavalink_nodes[0].password, "p1");
  EXPECT_EQ(s.lavalink_nodes[1].name, "us-1");
  EXPECT_EQ(s.lavalink_nodes[1].port, 2444);
  EXPECT_FALSE(s.lavalink_nodes[1].https);
  // Unset fields come from the single `lavalink` node.
  EXPECT_EQ(s.lavalink_nodes[1].password, "default_password");
  EXPECT_EQ(s.lavalink_nodes[1].region, "eu");
  EXPECT_THAT(s.warnings, Contains("lavalink node 'eu-1' is listed twice; the first entry is used"));
}

TEST(Settings, YamlNodesAreDeduplicatedByName) {
  auto s = read(
      "lavalink_nodes:\n"
      "  - {name: a, host: h1}\n"
      "  - {name: b, host: h2, port: 2444, secure: true}\n"
      "  - {name: a, host: h3}\n");
  ASSERT_EQ(s.lavalink_nodes.size(), 2u);
  EXPECT_EQ(s.lavalink_nodes[0].host, "h1");
  EXPECT_EQ(s.lavalink_nodes[1].port, 2444);
  EXPECT_TRUE(s.lavalink_nodes[1].https);
  EXPECT_THAT(s.warnings, ElementsAre("lavalink node 'a' is listed twice; the first entry is used"));
}

TEST(Settings, LavalinkClientKeys) {
  auto d = read("");
  EXPECT_EQ(d.lavalink_client.resume_timeout_seconds, 60);
  EXPECT_EQ(d.lavalink_client.stats_timeout_seconds, 70);
  EXPECT_EQ(d.lavalink_client.failover_rewind_ms, 1000);
  EXPECT_EQ(d.lavalink_client.no_node_grace_seconds, 10);
  auto s = read("lavalink_client:\n  resume_timeout_seconds: 120\n  stats_timeout_seconds: 90\n"
                "  failover_rewind_ms: 0\n  no_node_grace_seconds: 30\n");
  EXPECT_THAT(s.warnings, IsEmpty());
  EXPECT_EQ(s.lavalink_client.resume_timeout_seconds, 120);
  EXPECT_EQ(s.lavalink_client.stats_timeout_seconds, 90);
  EXPECT_EQ(s.lavalink_client.failover_rewind_ms, 0);
  EXPECT_EQ(s.lavalink_client.no_node_grace_seconds, 30);
  EXPECT_THAT(error_of([] { read("lavalink_client:\n  stats_timeout_seconds: 5\n"); }),
              HasSubstr("lavalink_client.stats_timeout_seconds"));
}

TEST(Settings, InvalidLavalinkNodesJsonIsAClearError) {
  auto with = [](std::string json) { return error_of([&] { read("", {{"LAVALINK_NODES", json}}); }); };
  EXPECT_EQ(with("not json"), "environment variable LAVALINK_NODES: expected a JSON array of nodes");
  EXPECT_EQ(with(R"({"name":"a"})"), "environment variable LAVALINK_NODES: expected a JSON array of nodes");
  EXPECT_EQ(with(R"([1])"), "environment variable LAVALINK_NODES[0]: expected an object");
  EXPECT_EQ(with(R"([{"name":"a","port":70000}])"),
            "environment variable LAVALINK_NODES[0]: 'port' must be an integer in [1, 65535]");
  EXPECT_EQ(with(R"([{"name":"a"},{"name":"b","port":true}])"),
            "environment variable LAVALINK_NODES[1]: 'port' must be an integer in [1, 65535]");
  EXPECT_EQ(with(R"([{"name":"a","port":"abc"}])"),
            "environment variable LAVALINK_NODES[0].port: expected an integer, got 'abc'");
  EXPECT_EQ(with(R"([{"name":42}])"), "environment variable LAVALINK_NODES[0]: 'name' must be a string");
  EXPECT_EQ(with(R"([{"name":""}])"), "environment variable LAVALINK_NODES[0]: 'name' must not be empty");
  EXPECT_EQ(with(R"([{"https":"maybe"}])"),
            "environment variable LAVALINK_NODES[0].https: expected true/false, got 'maybe'");
}

TEST(Settings, InvalidEnvironmentValuesAreClearErrors) {
  EXPECT_EQ(error_of([] { read("", {{"LAVALINK_PORT", "abc"}}); }),
            "environment variable LAVALINK_PORT: expected an integer, got 'abc'");
  EXPECT_EQ(error_of([] { read("", {{"REDIS_PORT", "0"}}); }),
            "environment variable REDIS_PORT: value 0 out of range [1, 65535]");
  EXPECT_EQ(error_of([] { read("", {{"METRICS_ENABLED", "perhaps"}}); }),
            "environment variable METRICS_ENABLED: expected true/false, got 'perhaps'");
  EXPECT_EQ(error_of([] { read("", {{"LOG_LEVEL", "loud"}}); }), "environment variable LOG_LEVEL: unknown level 'loud'");
  EXPECT_THAT(error_of([] { read("", {{"CROSSFADE_FLOOR_VOLUME", "300"}}); }),
              HasSubstr("environment variable CROSSFADE_FLOOR_VOLUME: expected a number in [0, 200]"));
}

TEST(Settings, InvalidYamlValuesNameTheKey) {
  EXPECT_EQ(error_of([] { read("limits:\n  queue_max_length: 0\n"); }),
            "config.yml:2: key 'limits.queue_max_length': value 0 out of range [1, 50000]");
  EXPECT_EQ(error_of([] { read("lavalink:\n  port: ${LAVALINK_PORT:http}\n"); }),
            "config.yml:2: key 'lavalink.port': expected an integer, got 'http'");
  EXPECT_EQ(error_of([] { read("logging:\n  level: loud\n"); }),
            "config.yml:2: key 'logging.level': expected a log level (trace, debug, info, warn, error, critical, off), "
            "got 'loud'");
  EXPECT_EQ(error_of([] { read("logging:\n  format: xml\n"); }),
            "config.yml:2: key 'logging.format': expected one of [text, json], got 'xml'");
  EXPECT_EQ(error_of([] { read("crossfade:\n  enabled: sometimes\n"); }),
            "config.yml:2: key 'crossfade.enabled': expected a boolean (true/false), got 'sometimes'");
  EXPECT_EQ(error_of([] { read("bot:\n  shard_ids: [0, x]\n"); }),
            "config.yml:2: key 'bot.shard_ids[1]': expected an integer, got 'x'");
  EXPECT_EQ(error_of([] { read("lavalink_nodes: {name: a}\n"); }), "config.yml:1: key 'lavalink_nodes': expected a list");
}

TEST(Settings, Colours) {
  auto s = read(
      "theme:\n"
      "  color_primary: \"#5865F2\"\n"
      "  color_success: 0x57f287\n"
      "  color_warning: 16763904\n"
      "  color_error: ${ERROR_COLOUR}\n");
  EXPECT_EQ(s.theme.color_primary, 0x5865F2u);
  EXPECT_EQ(s.theme.color_success, 0x57F287u);
  EXPECT_EQ(s.theme.color_warning, 16763904u);
  EXPECT_EQ(s.theme.color_error, 0xED4245u);  // blank: the default
  for (std::string bad : {"\"#GG0000\"", "16777216", "\"#1234567\"", "-1", "\"0x\"", "\"# 12\"", "red"}) {
    EXPECT_THAT(error_of([&] { read("theme:\n  color_primary: " + bad + "\n"); }),
                HasSubstr("config.yml:2: key 'theme.color_primary': expected a colour"))
        << bad;
  }
}

TEST(Settings, StatusApiShellCommandsAreIgnoredWithAWarning) {
  auto s = read(
      "status_api:\n"
      "  control_start_cmd: systemctl start vectobeat\n"
      "  control_restart_frontend_cmd: pm2 restart panel\n"
      "  control_stop_cmd: ${STOP_CMD}\n",
      {{"STATUS_CONTROL_RELOAD_CMD", "kill -HUP 1"}});
  EXPECT_THAT(unknown_key_warnings(s), IsEmpty());
  EXPECT_THAT(s.warnings,
              ElementsAre("config.yml:2: status_api.control_start_cmd is ignored: the Status API never runs shell commands",
                          "config.yml:3: status_api.control_restart_frontend_cmd is ignored: the Status API never runs "
                          "shell commands",
                          "environment variable STATUS_CONTROL_RELOAD_CMD is ignored: the Status API never runs shell "
                          "commands"));
}

TEST(Settings, ShardIdsFromListOrCommaString) {
  EXPECT_THAT(read("bot:\n  shard_ids: [0, 2]\n").bot.shard_ids, ElementsAre(0, 2));
  EXPECT_THAT(read("bot:\n  shard_ids: ${SHARDS}\n", {{"SHARDS", "1, 3"}}).bot.shard_ids, ElementsAre(1, 3));
  EXPECT_THAT(read("bot:\n  shard_ids: ${SHARDS}\n").bot.shard_ids, IsEmpty());
}

TEST(Settings, OurOwnSections) {
  auto s = read(
      "logging:\n"
      "  level: warn\n"
      "  format: json\n"
      "  components:\n"
      "    gateway: debug\n"
      "    node.player: trace\n"
      "node:\n"
      "  port: 0\n"
      "  sources: {youtube: true, http: false}\n"
      "  filters: {karaoke: false}\n"
      "  local_roots: /srv/music, /data\n"
      "  allow_private_addresses: true\n"
      "  resolver_command: /usr/bin/yt-dlp --no-cache-dir\n"
      "  loader_threads: 3\n"
      "  http_max_redirects: 2\n"
      "  spotify: {api_base: 'http://127.0.0.1:9', mirror_source: scsearch}\n"
      "panel:\n"
      "  database_url: sqlite://test.db\n"
      "fake_discord:\n"
      "  demo_guild: false\n"
      "  shards: 4\n"
      "  voice_tls: false\n"
      "  recording_dir: /tmp/rec\n");
  EXPECT_THAT(s.warnings, IsEmpty());
  EXPECT_EQ(s.logging.level, log::level::warn);
  EXPECT_EQ(s.logging.format, log::format::json);
  EXPECT_EQ(s.logging.components.at("node.player"), log::level::trace);
  EXPECT_EQ(s.node.port, 0);
  EXPECT_TRUE(s.node.sources.at("youtube"));
  EXPECT_FALSE(s.node.sources.at("http"));
  EXPECT_FALSE(s.node.filters.at("karaoke"));
  EXPECT_THAT(s.node.local_roots, ElementsAre("/srv/music", "/data"));
  EXPECT_TRUE(s.node.allow_private_addresses);
  EXPECT_EQ(s.node.resolver_command, "/usr/bin/yt-dlp --no-cache-dir");
  EXPECT_EQ(s.node.loader_threads, 3);
  EXPECT_EQ(s.node.http_max_redirects, 2);
  EXPECT_EQ(s.node.spotify_api_base, "http://127.0.0.1:9");
  EXPECT_EQ(s.node.spotify_accounts_base, "https://accounts.spotify.com");
  EXPECT_EQ(s.node.spotify_mirror_source, "scsearch");
  EXPECT_EQ(s.panel.database_url, "sqlite://test.db");
  EXPECT_FALSE(s.fake_discord.demo_guild);
  EXPECT_EQ(s.fake_discord.shards, 4);
  EXPECT_FALSE(s.fake_discord.voice_tls);
  EXPECT_EQ(s.fake_discord.recording_dir, "/tmp/rec");
  EXPECT_EQ(s.fake_discord.max_concurrency, 1);
}

TEST(Settings, LoadReadsDotenvNextToTheFile) {
  test::temp_dir dir;
  test::scoped_env cleanup("VB_TEST_SETTINGS_LL_HOST", nullptr);
  dir.write(".env", "VB_TEST_SETTINGS_LL_HOST=from-dotenv\n");
  auto file = dir.write("config.yml", "lavalink:\n  host: ${VB_TEST_SETTINGS_LL_HOST:fallback}\n");
  auto s = load_settings(file);
  EXPECT_EQ(s.lavalink.host, "from-dotenv");
  EXPECT_EQ(s.source, file);
  EXPECT_THAT(error_of([&] { load_settings(dir.path() / "missing.yml"); }), HasSubstr("configuration file not found"));
}

TEST(Settings, RegisterSecretsRedactsThemInLogs) {
  auto s = read("", {{"DISCORD_TOKEN", "MTIz.settings-test-token.xyz"}, {"SPOTIFY_CLIENT_SECRET", "spotify-s3cret"}});
  register_secrets(s);
  EXPECT_EQ(log::redact("connecting with MTIz.settings-test-token.xyz"), "connecting with ***");
  EXPECT_EQ(log::redact("spotify spotify-s3cret!"), "spotify ***!");
}

}  // namespace
}  // namespace vb
