#include "vectobeat/common/settings.hpp"

#include <charconv>
#include <cstdlib>
#include <set>

#include "vectobeat/common/json.hpp"

namespace vb {

namespace {

using config::node;

std::uint16_t read_port(const node& n, std::string_view key, std::uint16_t def, std::int64_t min = 1) {
  return static_cast<std::uint16_t>(n.get_int(key, def, min, 65535));
}

// 5793266, "#5865F2" or "0x5865F2".
std::uint32_t read_color(const node& parent, std::string_view key, std::uint32_t def) {
  node n = parent[key];
  if (n.is_null()) return def;
  std::string s = n.as_string();
  std::string_view v = s;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return def;
  int base = 10;
  if (v.starts_with("#")) v.remove_prefix(1), base = 16;
  else if (v.starts_with("0x") || v.starts_with("0X")) v.remove_prefix(2), base = 16;
  std::uint32_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out, base);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || out > 0xFFFFFF)
    n.fail("expected a colour (0..16777215, #RRGGBB or 0xRRGGBB), got '" + s + "'");
  return out;
}

log::level read_level(const node& n) {
  std::string s = n.as_string();
  auto l = log::parse_level(s);
  if (!l) n.fail("expected a log level (trace, debug, info, warn, error, critical, off), got '" + s + "'");
  return *l;
}

lavalink_node_settings read_lavalink_node(const node& n, const lavalink_node_settings& defaults) {
  lavalink_node_settings s;
  auto trim = [](std::string v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
    return v;
  };
  s.name = trim(n.get("name", defaults.name));
  s.host = trim(n.get("host", defaults.host));
  s.port = read_port(n, "port", defaults.port);
  s.password = n.get("password", defaults.password);
  s.https = n.get_bool("https", defaults.https);
  if (n.has("secure")) s.https = n.get_bool("secure", s.https);
  s.region = trim(n.get("region", defaults.region));
  if (s.name.empty()) n["name"].fail("must not be empty");
  if (s.host.empty()) n["host"].fail("must not be empty");
  return s;
}

std::optional<std::string> env_nonempty(const config::env_lookup& env, std::string_view name) {
  auto v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

[[noreturn]] void env_fail(std::string_view var, std::string_view what) {
  throw config::error("environment variable " + std::string(var) + ": " + std::string(what));
}

bool env_bool(std::string_view var, const std::string& v) {
  std::string s = v;
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  env_fail(var, "expected true/false, got '" + v + "'");
}

std::int64_t env_int(std::string_view var, const std::string& v, std::int64_t min, std::int64_t max) {
  auto n = json::parse_i64(v);
  if (!n) env_fail(var, "expected an integer, got '" + v + "'");
  if (*n < min || *n > max)
    env_fail(var, "value " + v + " out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return *n;
}

double env_double(std::string_view var, const std::string& v, double min, double max) {
  double out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || !(out >= min && out <= max))
    env_fail(var, "expected a number in [" + std::to_string(static_cast<long long>(min)) + ", " +
                      std::to_string(static_cast<long long>(max)) + "], got '" + v + "'");
  return out;
}

// One entry of LAVALINK_NODES; fields of the wrong type are errors, not silently skipped.
lavalink_node_settings env_lavalink_node(const boost::json::value& item, std::size_t index,
                                         const lavalink_node_settings& defaults) {
  const std::string var = "LAVALINK_NODES[" + std::to_string(index) + "]";
  if (!item.is_object()) env_fail(var, "expected an object");
  const auto& o = item.as_object();
  lavalink_node_settings n = defaults;
  auto string_field = [&](std::string_view key, std::string& field) {
    if (auto* v = json::find(o, key)) {
      if (!v->is_string()) env_fail(var, "'" + std::string(key) + "' must be a string");
      field = std::string(v->get_string());
    }
  };
  auto bool_field = [&](std::string_view key, bool& field) {
    if (auto* v = json::find(o, key)) {
      if (v->is_bool()) field = v->get_bool();
      else if (v->is_string()) field = env_bool(var + "." + std::string(key), std::string(v->get_string()));
      else env_fail(var, "'" + std::string(key) + "' must be a boolean");
    }
  };
  string_field("name", n.name);
  string_field("host", n.host);
  string_field("password", n.password);
  string_field("region", n.region);
  bool_field("https", n.https);
  bool_field("secure", n.https);
  if (auto* v = json::find(o, "port")) {
    std::optional<std::int64_t> port;
    if (v->is_string()) port = env_int(var + ".port", std::string(v->get_string()), 1, 65535);
    else port = json::get_int(o, "port");
    if (!port || *port < 1 || *port > 65535) env_fail(var, "'port' must be an integer in [1, 65535]");
    n.port = static_cast<std::uint16_t>(*port);
  }
  if (n.name.empty()) env_fail(var, "'name' must not be empty");
  if (n.host.empty()) env_fail(var, "'host' must not be empty");
  return n;
}

// Environment overrides (contracts §11.3): applied only when non-empty.
void apply_env(settings& s, const config::env_lookup& env) {
  auto str = [&](std::string_view var, auto& field) {
    if (auto v = env_nonempty(env, var)) field = *v;
  };
  auto boolean = [&](std::string_view var, bool& field) {
    if (auto v = env_nonempty(env, var)) field = env_bool(var, *v);
  };
  auto integer = [&](std::string_view var, auto& field, std::int64_t min, std::int64_t max) {
    if (auto v = env_nonempty(env, var)) field = static_cast<std::remove_reference_t<decltype(field)>>(env_int(var, *v, min, max));
  };

  str("DISCORD_TOKEN", s.bot.token);
  boolean("BOT_INTENTS_MEMBERS", s.bot.intents_members);
  str("DISCORD_API_BASE_URL", s.bot.api_base_url);
  str("DISCORD_GATEWAY_URL", s.bot.gateway_url);

  str("LAVALINK_HOST", s.lavalink.host);
  integer("LAVALINK_PORT", s.lavalink.port, 1, 65535);
  str("LAVALINK_PASSWORD", s.lavalink.password);
  boolean("LAVALINK_HTTPS", s.lavalink.https);
  str("LAVALINK_NAME", s.lavalink.name);
  str("LAVALINK_REGION", s.lavalink.region);

  if (auto v = env_nonempty(env, "REDIS_HOST")) {
    s.redis.host = *v;
    s.redis.enabled = true;
  }
  integer("REDIS_PORT", s.redis.port, 1, 65535);
  str("REDIS_PASSWORD", s.redis.password);
  integer("REDIS_DB", s.redis.db, 0, 1024);
  str("REDIS_CA_PATH", s.redis.ca_path);

  integer("AUTOPLAY_DISCOVERY_LIMIT", s.autoplay.discovery_limit, 1, 50);
  boolean("AUTOPLAY_RANDOM_PICK", s.autoplay.random_pick);
  boolean("CROSSFADE_ENABLED", s.crossfade.enabled);
  integer("CROSSFADE_DURATION_MS", s.crossfade.duration_ms, 0, 60000);
  integer("CROSSFADE_STEPS", s.crossfade.fade_steps, 1, 100);
  if (auto v = env_nonempty(env, "CROSSFADE_FLOOR_VOLUME")) s.crossfade.floor_volume = env_double("CROSSFADE_FLOOR_VOLUME", *v, 0, 200);

  boolean("METRICS_ENABLED", s.metrics.enabled);
  str("METRICS_HOST", s.metrics.host);
  integer("METRICS_PORT", s.metrics.port, 0, 65535);
  integer("METRICS_INTERVAL", s.metrics.collection_interval, 1, 3600);

  boolean("STATUS_API_ENABLED", s.status_api.enabled);
  str("STATUS_API_HOST", s.status_api.host);
  integer("STATUS_API_PORT", s.status_api.port, 0, 65535);
  str("STATUS_API_KEY", s.status_api.api_key);
  if (!s.status_api.api_key) str("BOT_STATUS_API_KEY", s.status_api.api_key);
  integer("STATUS_API_CACHE_TTL", s.status_api.cache_ttl_seconds, 1, 3600);
  boolean("STATUS_API_ALLOW_OPEN", s.status_api.allow_unauthenticated);
  boolean("STATUS_API_ALLOW_UNAUTHENTICATED", s.status_api.allow_unauthenticated);
  str("STATUS_API_PUSH_URL", s.status_api.push_endpoint);
  str("STATUS_API_PUSH_SECRET", s.status_api.push_token);
  integer("STATUS_API_PUSH_INTERVAL", s.status_api.push_interval_seconds, 5, 3600);
  str("STATUS_API_EVENT_URL", s.status_api.event_endpoint);
  str("STATUS_API_EVENT_SECRET", s.status_api.event_token);
  str("STATUS_API_USAGE_URL", s.status_api.usage_endpoint);
  str("STATUS_API_USAGE_SECRET", s.status_api.usage_token);

  boolean("CONTROL_PANEL_API_ENABLED", s.control_panel_api.enabled);
  str("CONTROL_PANEL_API_BASE_URL", s.control_panel_api.base_url);
  str("CONTROL_PANEL_API_KEY", s.control_panel_api.api_key);
  integer("CONTROL_PANEL_API_TIMEOUT", s.control_panel_api.timeout_seconds, 1, 120);
  integer("CONTROL_PANEL_API_CACHE_TTL", s.control_panel_api.cache_ttl_seconds, 5, 86400);

  boolean("QUEUE_SYNC_ENABLED", s.queue_sync.enabled);
  str("QUEUE_SYNC_ENDPOINT", s.queue_sync.endpoint);
  str("QUEUE_SYNC_API_KEY", s.queue_sync.api_key);
  boolean("QUEUE_TELEMETRY_ENABLED", s.queue_telemetry.enabled);
  str("QUEUE_TELEMETRY_ENDPOINT", s.queue_telemetry.endpoint);
  if (!s.queue_telemetry.endpoint) str("TELEMETRY_INGEST_URL", s.queue_telemetry.endpoint);
  str("QUEUE_TELEMETRY_API_KEY", s.queue_telemetry.api_key);
  boolean("QUEUE_TELEMETRY_INCLUDE_GUILD", s.queue_telemetry_include_guild_metadata);

  boolean("CACHE_SEARCH_ENABLED", s.cache.search_enabled);
  integer("CACHE_SEARCH_TTL_SECONDS", s.cache.search_ttl_seconds, 0, 86400);
  integer("CACHE_SEARCH_MAX_ENTRIES", s.cache.search_max_entries, 0, 100000);
  integer("SEARCH_BASE_RESULTS", s.search_limits.base_results, 1, 25);
  integer("SEARCH_MAX_RESULTS", s.search_limits.max_results, 1, 25);
  integer("SEARCH_MIN_RESULTS", s.search_limits.min_results, 1, 25);
  integer("SEARCH_HIGH_LATENCY_THRESHOLD_MS", s.search_limits.high_latency_threshold_ms, 1, 60000);

  str("ALERTS_MODERATOR_ENDPOINT", s.alerts.moderator_endpoint);
  str("ALERTS_INCIDENT_ENDPOINT", s.alerts.incident_endpoint);
  str("ALERTS_PRIORITY_ENDPOINT", s.alerts.priority_endpoint);
  str("ALERTS_COMPLIANCE_ENDPOINT", s.alerts.compliance_endpoint);
  str("ALERTS_API_KEY", s.alerts.api_key);
  str("SPOTIFY_CLIENT_ID", s.spotify.client_id);
  str("SPOTIFY_CLIENT_SECRET", s.spotify.client_secret);

  // Our own roles.
  integer("NODE_PORT", s.node.port, 0, 65535);
  str("NODE_PASSWORD", s.node.password);
  integer("PANEL_PORT", s.panel.port, 0, 65535);
  if (!env_nonempty(env, "PANEL_PORT")) integer("PORT", s.panel.port, 0, 65535);
  str("DATABASE_URL", s.panel.database_url);
  if (auto v = env_nonempty(env, "LOG_LEVEL")) {
    auto l = log::parse_level(*v);
    if (!l) env_fail("LOG_LEVEL", "unknown level '" + *v + "'");
    s.logging.level = *l;
  }

  if (auto v = env_nonempty(env, "LAVALINK_NODES")) {
    auto parsed = json::parse(*v);
    if (!parsed || !parsed->is_array()) env_fail("LAVALINK_NODES", "expected a JSON array of nodes");
    std::vector<lavalink_node_settings> nodes;
    std::size_t i = 0;
    for (auto& item : parsed->as_array()) nodes.push_back(env_lavalink_node(item, i++, s.lavalink));
    s.lavalink_nodes = std::move(nodes);
  }

  // The original ran these as shell commands from the Status API; we never do.
  for (const char* var : {"STATUS_CONTROL_START_CMD", "STATUS_CONTROL_STOP_CMD", "STATUS_CONTROL_RESTART_CMD",
                          "STATUS_CONTROL_RELOAD_CMD", "STATUS_CONTROL_RELOAD_COMMANDS_CMD",
                          "STATUS_CONTROL_RESTART_FRONTEND_CMD"}) {
    if (env_nonempty(env, var))
      s.warnings.push_back(std::string("environment variable ") + var +
                           " is ignored: the Status API never runs shell commands");
  }
}

}  // namespace

settings read_settings(const config::document& doc) {
  settings s;
  node root = doc.root();

  if (node lg = root["logging"]; lg.exists()) {
    if (node lv = lg["level"]; !lv.is_null() && !lv.as_string().empty()) s.logging.level = read_level(lv);
    s.logging.format = lg.get_enum<log::format>("format", log::format::text, {{"text", log::format::text}, {"json", log::format::json}});
    node comps = lg["components"];
    for (auto& k : comps.keys()) s.logging.components[k] = read_level(comps[k]);
    s.logging.file = lg.get("file", "");
  }

  node bot = root["bot"];
  s.bot.token = bot.get("token", "");
  if (node intents = bot["intents"]; intents.exists()) {
    s.bot.intents_members = intents.get_bool("members", false);
    if (intents.get_bool("message_content", false))
      s.warnings.push_back(intents["message_content"].location() +
                           ": bot.intents.message_content is ignored (slash commands need no message content)");
  }
  if (node presence = bot["presence"]; presence.exists()) {
    s.bot.presence_status = presence.get("status", s.bot.presence_status);
    s.bot.presence_activity_type = presence.get("activity_type", s.bot.presence_activity_type);
    s.bot.presence_activity_name = presence.get("activity_name", s.bot.presence_activity_name);
    presence["activity"].accept_all();
  }
  s.bot.sync_commands_on_start = bot.get_bool("sync_commands_on_start", true);
  if (node sc = bot["shard_count"]; !sc.is_null() && !sc.as_string().empty())
    s.bot.shard_count = static_cast<int>(sc.as_int(1, 100000));
  if (node ids = bot["shard_ids"]; ids.is_list()) {
    for (auto& i : ids.items()) s.bot.shard_ids.push_back(static_cast<int>(i.as_int(0, 99999)));
  } else {
    for (auto& id : bot.get_string_list("shard_ids")) {  // "0,1,2" from an environment variable
      auto v = json::parse_i64(id);
      if (!v || *v < 0 || *v > 99999) ids.fail("expected shard ids in [0, 99999], got '" + id + "'");
      s.bot.shard_ids.push_back(static_cast<int>(*v));
    }
  }
  s.bot.api_base_url = bot.get("api_base_url", s.bot.api_base_url);
  s.bot.gateway_url = bot.get("gateway_url", s.bot.gateway_url);
  s.bot.gateway_compression = bot.get("gateway_compression", s.bot.gateway_compression);
  if (s.bot.gateway_compression != "zlib-stream" && s.bot.gateway_compression != "zstd-stream" &&
      s.bot.gateway_compression != "none")
    bot["gateway_compression"].fail("expected zlib-stream, zstd-stream or none, got '" + s.bot.gateway_compression + "'");
  s.bot.large_threshold = static_cast<int>(bot.get_int("large_threshold", 50, 50, 250));
  s.bot.data_dir = bot.get("data_dir", s.bot.data_dir);
  s.bot.idle_disconnect_seconds = static_cast<int>(bot.get_int("idle_disconnect_seconds", 300, 0, 86400));

  node theme = root["theme"];
  s.theme.color_primary = read_color(theme, "color_primary", s.theme.color_primary);
  s.theme.color_success = read_color(theme, "color_success", s.theme.color_success);
  s.theme.color_warning = read_color(theme, "color_warning", s.theme.color_warning);
  s.theme.color_error = read_color(theme, "color_error", s.theme.color_error);
  s.theme.footer_text = theme.get("footer_text", s.theme.footer_text);
  s.theme.footer_icon_url = theme.get_optional("footer_icon_url");
  s.theme.author_name = theme.get("author_name", s.theme.author_name);
  s.theme.author_icon_url = theme.get_optional("author_icon_url");
  s.theme.thumbnail_url = theme.get_optional("thumbnail_url");
  root["branding"].accept_all();

  node ll = root["lavalink"];
  s.lavalink = read_lavalink_node(ll, s.lavalink);
  for (auto& n : root["lavalink_nodes"].items()) s.lavalink_nodes.push_back(read_lavalink_node(n, s.lavalink));
  node llc = root["lavalink_client"];
  s.lavalink_client.resume_timeout_seconds = static_cast<int>(llc.get_int("resume_timeout_seconds", 60, 0, 86400));
  s.lavalink_client.stats_timeout_seconds = static_cast<int>(llc.get_int("stats_timeout_seconds", 70, 10, 3600));
  s.lavalink_client.failover_rewind_ms = static_cast<int>(llc.get_int("failover_rewind_ms", 1000, 0, 60000));
  s.lavalink_client.no_node_grace_seconds = static_cast<int>(llc.get_int("no_node_grace_seconds", 10, 0, 3600));

  node spotify = root["spotify"];
  s.spotify.client_id = spotify.get_optional("client_id");
  s.spotify.client_secret = spotify.get_optional("client_secret");

  node limits = root["limits"];
  s.limits.queue_max_length = static_cast<int>(limits.get_int("queue_max_length", 500, 1, 50000));
  s.limits.search_timeout_ms = static_cast<int>(limits.get_int("search_timeout_ms", 8000, 100, 120000));
  node features = root["features"];
  s.features.allow_loop = features.get_bool("allow_loop", true);
  s.features.allow_shuffle = features.get_bool("allow_shuffle", true);
  node autoplay = root["autoplay"];
  s.autoplay.discovery_limit = static_cast<int>(autoplay.get_int("discovery_limit", 10, 1, 50));
  s.autoplay.random_pick = autoplay.get_bool("random_pick", true);
  node cf = root["crossfade"];
  s.crossfade.enabled = cf.get_bool("enabled", false);
  s.crossfade.duration_ms = static_cast<int>(cf.get_int("duration_ms", 2000, 0, 60000));
  s.crossfade.fade_steps = static_cast<int>(cf.get_int("fade_steps", 10, 1, 100));
  s.crossfade.floor_volume = cf.get_double("floor_volume", 15.0, 0, 200);

  node redis = root["redis"];
  if (redis.exists() && !redis.is_null()) {
    s.redis.enabled = redis.get_bool("enabled", redis.get_optional("host").has_value());
    s.redis.host = redis.get("host", s.redis.host);
    s.redis.port = read_port(redis, "port", 6379);
    s.redis.password = redis.get_optional("password");
    s.redis.db = static_cast<int>(redis.get_int("db", 0, 0, 1024));
    s.redis.ca_path = redis.get_optional("ca_path");
  }

  node metrics = root["metrics"];
  s.metrics.enabled = metrics.get_bool("enabled", true);
  s.metrics.host = metrics.get("host", s.metrics.host);
  s.metrics.port = read_port(metrics, "port", 3052, 0);
  s.metrics.collection_interval = static_cast<int>(metrics.get_int("collection_interval", 15, 1, 3600));

  node sa = root["status_api"];
  s.status_api.enabled = sa.get_bool("enabled", true);
  s.status_api.host = sa.get("host", s.status_api.host);
  s.status_api.port = read_port(sa, "port", 3051, 0);
  s.status_api.api_key = sa.get_optional("api_key");
  s.status_api.cache_ttl_seconds = static_cast<int>(sa.get_int("cache_ttl_seconds", 5, 1, 3600));
  s.status_api.allow_unauthenticated = sa.get_bool("allow_unauthenticated", false);
  s.status_api.push_endpoint = sa.get_optional("push_endpoint");
  s.status_api.push_token = sa.get_optional("push_token");
  s.status_api.push_interval_seconds = static_cast<int>(sa.get_int("push_interval_seconds", 30, 5, 3600));
  s.status_api.event_endpoint = sa.get_optional("event_endpoint");
  s.status_api.event_token = sa.get_optional("event_token");
  s.status_api.usage_endpoint = sa.get_optional("usage_endpoint");
  s.status_api.usage_token = sa.get_optional("usage_token");
  for (const char* k : {"control_start_cmd", "control_stop_cmd", "control_restart_cmd", "control_reload_cmd",
                        "control_reload_commands_cmd", "control_restart_frontend_cmd"}) {
    if (sa.get_optional(k))  // present and non-blank
      s.warnings.push_back(sa[k].location() + ": status_api." + k +
                           " is ignored: the Status API never runs shell commands");
  }

  node cp = root["control_panel_api"];
  s.control_panel_api.enabled = cp.get_bool("enabled", false);
  s.control_panel_api.base_url = cp.get("base_url", s.control_panel_api.base_url);
  s.control_panel_api.api_key = cp.get_optional("api_key");
  s.control_panel_api.timeout_seconds = static_cast<int>(cp.get_int("timeout_seconds", 8, 1, 120));
  s.control_panel_api.cache_ttl_seconds = static_cast<int>(cp.get_int("cache_ttl_seconds", 120, 5, 86400));

  for (auto [key, target] : {std::pair<const char*, endpoint_settings*>{"queue_sync", &s.queue_sync},
                             {"queue_telemetry", &s.queue_telemetry}}) {
    node n = root[key];
    target->enabled = n.get_bool("enabled", false);
    target->endpoint = n.get_optional("endpoint");
    target->api_key = n.get_optional("api_key");
  }
  s.queue_telemetry_include_guild_metadata = root["queue_telemetry"].get_bool("include_guild_metadata", true);

  node cache = root["cache"];
  s.cache.search_enabled = cache.get_bool("search_enabled", true);
  s.cache.search_ttl_seconds = static_cast<int>(cache.get_int("search_ttl_seconds", 60, 0, 86400));
  s.cache.search_max_entries = static_cast<int>(cache.get_int("search_max_entries", 200, 0, 100000));
  node sl = root["search_limits"];
  s.search_limits.base_results = static_cast<int>(sl.get_int("base_results", 5, 1, 25));
  s.search_limits.max_results = static_cast<int>(sl.get_int("max_results", 10, 1, 25));
  s.search_limits.min_results = static_cast<int>(sl.get_int("min_results", 3, 1, 25));
  s.search_limits.high_latency_threshold_ms = static_cast<int>(sl.get_int("high_latency_threshold_ms", 300, 1, 60000));

  node alerts = root["alerts"];
  s.alerts.moderator_endpoint = alerts.get_optional("moderator_endpoint");
  s.alerts.incident_endpoint = alerts.get_optional("incident_endpoint");
  s.alerts.priority_endpoint = alerts.get_optional("priority_endpoint");
  s.alerts.compliance_endpoint = alerts.get_optional("compliance_endpoint");
  s.alerts.api_key = alerts.get_optional("api_key");

  // Peripheral sections of the original: accepted so existing files load, not used.
  for (const char* k : {"chaos", "scaling", "analytics", "bot_list", "security"}) root[k].accept_all();

  node nd = root["node"];
  s.node.address = nd.get("address", s.node.address);
  s.node.port = read_port(nd, "port", 2333, 0);
  s.node.password = nd.get("password", s.node.password);
  node sources = nd["sources"];
  for (auto& k : sources.keys()) s.node.sources[k] = sources[k].as_bool();
  node filters = nd["filters"];
  for (auto& k : filters.keys()) s.node.filters[k] = filters[k].as_bool();
  s.node.player_update_interval_seconds = static_cast<int>(nd.get_int("player_update_interval", 5, 1, 3600));
  s.node.opus_encoding_quality = static_cast<int>(nd.get_int("opus_encoding_quality", 10, 0, 10));
  s.node.track_stuck_threshold_ms = static_cast<int>(nd.get_int("track_stuck_threshold_ms", 10000, 1000, 600000));
  s.node.frame_buffer_duration_ms = static_cast<int>(nd.get_int("frame_buffer_duration_ms", 400, 40, 10000));
  s.node.allow_private_addresses = nd.get_bool("allow_private_addresses", false);
  s.node.local_roots = nd.get_string_list("local_roots");
  s.node.resolver_command = nd.get_optional("resolver_command");
  s.node.resolver_timeout_ms = static_cast<int>(nd.get_int("resolver_timeout_ms", 20000, 1000, 600000));
  s.node.search_results = static_cast<int>(nd.get_int("search_results", 10, 1, 50));
  s.node.voice_ca_file = nd.get("voice_ca_file", "");
  s.node.worker_threads = static_cast<int>(nd.get_int("worker_threads", 0, 0, 256));
  s.node.loader_threads = static_cast<int>(nd.get_int("loader_threads", 2, 1, 64));
  s.node.http_connect_timeout_ms = static_cast<int>(nd.get_int("http_connect_timeout_ms", 3000, 100, 600000));
  s.node.http_read_timeout_ms = static_cast<int>(nd.get_int("http_read_timeout_ms", 10000, 100, 600000));
  s.node.http_max_redirects = static_cast<int>(nd.get_int("http_max_redirects", 5, 0, 20));
  s.node.max_playlist_bytes = static_cast<int>(nd.get_int("max_playlist_bytes", 1 << 20, 1024, 64 << 20));
  s.node.probe_timeout_ms = static_cast<int>(nd.get_int("probe_timeout_ms", 10000, 100, 600000));
  s.node.resume_buffer_messages = static_cast<int>(nd.get_int("resume_buffer_messages", 1000, 0, 1000000));
  if (node sp = nd["spotify"]; sp.exists()) {
    s.node.spotify_api_base = sp.get("api_base", s.node.spotify_api_base);
    s.node.spotify_accounts_base = sp.get("accounts_base", s.node.spotify_accounts_base);
    s.node.spotify_mirror_source = sp.get("mirror_source", s.node.spotify_mirror_source);
    s.node.spotify_market = sp.get("market", s.node.spotify_market);
    s.node.spotify_max_tracks = static_cast<int>(sp.get_int("max_tracks", 500, 1, 10000));
  }

  node panel = root["panel"];
  s.panel.address = panel.get("address", s.panel.address);
  s.panel.port = read_port(panel, "port", 3050, 0);
  s.panel.database_url = panel.get("database_url", s.panel.database_url);
  s.panel.public_url = panel.get_optional("public_url");

  node fd = root["fake_discord"];
  s.fake_discord.address = fd.get("address", s.fake_discord.address);
  s.fake_discord.port = read_port(fd, "port", 0, 0);
  s.fake_discord.token = fd.get("token", s.fake_discord.token);
  s.fake_discord.demo_guild = fd.get_bool("demo_guild", true);
  s.fake_discord.public_host = fd.get("public_host", s.fake_discord.public_host);
  s.fake_discord.shards = static_cast<int>(fd.get_int("shards", 1, 1, 10000));
  s.fake_discord.max_concurrency = static_cast<int>(fd.get_int("max_concurrency", 1, 1, 1000));
  s.fake_discord.heartbeat_interval_ms = static_cast<int>(fd.get_int("heartbeat_interval_ms", 41250, 100, 600000));
  s.fake_discord.voice_port = read_port(fd, "voice_port", 0, 0);
  s.fake_discord.voice_tls = fd.get_bool("voice_tls", true);
  s.fake_discord.require_dave = fd.get_bool("require_dave", false);
  s.fake_discord.recording_dir = fd.get("recording_dir", "");

  node st = root["storage"];
  s.storage.sqlite_path = st.get("sqlite_path", s.storage.sqlite_path);

  apply_env(s, doc.env());

  // The effective node list: lavalink_nodes, else the single `lavalink` node;
  // duplicates by name keep the first.
  if (s.lavalink_nodes.empty()) s.lavalink_nodes.push_back(s.lavalink);
  std::set<std::string> seen;
  std::vector<lavalink_node_settings> unique;
  for (auto& n : s.lavalink_nodes) {
    if (seen.insert(n.name).second) unique.push_back(n);
    else s.warnings.push_back("lavalink node '" + n.name + "' is listed twice; the first entry is used");
  }
  s.lavalink_nodes = std::move(unique);

  for (auto& u : doc.unknown_keys()) s.warnings.push_back(u);
  return s;
}

settings load_settings(const std::optional<std::filesystem::path>& file) {
  std::optional<std::filesystem::path> path = file;
  if (!path) {
    if (const char* p = std::getenv("CONFIG_PATH"); p && *p) path = p;
  }
  std::error_code ec;
  auto dir = path ? std::filesystem::absolute(*path, ec).parent_path() : std::filesystem::current_path(ec);
  if (auto env_file = config::find_dotenv(dir)) config::apply_dotenv(*env_file);

  if (path && !std::filesystem::exists(*path, ec))
    throw config::error(path->string() + ": configuration file not found");
  auto doc = path ? config::document::load(*path, config::process_env()) : config::document::empty(config::process_env());
  settings s = read_settings(doc);
  s.source = path;
  return s;
}

void register_secrets(const settings& s) {
  auto add = [](const std::optional<std::string>& v) {
    if (v) log::add_secret(*v);
  };
  log::add_secret(s.bot.token);
  log::add_secret(s.lavalink.password);
  for (auto& n : s.lavalink_nodes) log::add_secret(n.password);
  add(s.redis.password);
  add(s.status_api.api_key);
  add(s.status_api.push_token);
  add(s.status_api.event_token);
  add(s.status_api.usage_token);
  add(s.control_panel_api.api_key);
  add(s.queue_sync.api_key);
  add(s.queue_telemetry.api_key);
  add(s.alerts.api_key);
  add(s.spotify.client_secret);
  log::add_secret(s.node.password);
  log::add_secret(s.fake_discord.token);
}

}  // namespace vb
