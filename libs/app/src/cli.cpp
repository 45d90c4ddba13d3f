// The only translation unit that includes CLI11 (it costs ~7 s per including TU).
#include "vectobeat/app/cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "vectobeat/app/roles.hpp"
#include "vectobeat/common/version.hpp"

namespace vb::app {

namespace {

struct common_flags {
  std::string config_path;
  std::string log_level;
  std::string log_format;
};

void add_common(CLI::App* cmd, common_flags& f) {
  cmd->add_option("-c,--config", f.config_path, "YAML configuration file (default: $CONFIG_PATH, else built-in defaults)");
  cmd->add_option("--log-level", f.log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "critical", "off"}));
  cmd->add_option("--log-format", f.log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
}

// Values from the command line win over the file and the environment.
struct overrides {
  std::optional<std::uint16_t> node_port, status_port, metrics_port, panel_port, fake_port;
  std::optional<std::string> node_password, node_address, token, panel_address, database_url, fake_address, fake_token;
  std::optional<std::string> lavalink_host, lavalink_password;
  std::optional<std::string> status_address, metrics_address;
  std::optional<std::uint16_t> lavalink_port;
  bool no_demo_guild = false;
  bool allow_private = false;
  std::optional<std::uint16_t> fake_voice_port;
  std::optional<int> fake_shards;
  std::optional<std::string> fake_recording_dir, fake_public_host;
  bool fake_no_voice_tls = false;
};

void apply(settings& s, const overrides& o) {
  if (o.node_port) s.node.port = *o.node_port;
  if (o.node_password) s.node.password = *o.node_password;
  if (o.node_address) s.node.address = *o.node_address;
  if (o.allow_private) s.node.allow_private_addresses = true;
  if (o.token) s.bot.token = *o.token;
  if (o.status_port) s.status_api.port = *o.status_port;
  if (o.status_address) s.status_api.host = *o.status_address;
  if (o.metrics_address) s.metrics.host = *o.metrics_address;
  if (o.metrics_port) s.metrics.port = *o.metrics_port;
  if (o.panel_port) s.panel.port = *o.panel_port;
  if (o.panel_address) s.panel.address = *o.panel_address;
  if (o.database_url) s.panel.database_url = *o.database_url;
  if (o.fake_port) s.fake_discord.port = *o.fake_port;
  if (o.fake_address) s.fake_discord.address = *o.fake_address;
  if (o.fake_token) s.fake_discord.token = *o.fake_token;
  if (o.no_demo_guild) s.fake_discord.demo_guild = false;
  if (o.fake_voice_port) s.fake_discord.voice_port = *o.fake_voice_port;
  if (o.fake_shards) s.fake_discord.shards = *o.fake_shards;
  if (o.fake_recording_dir) s.fake_discord.recording_dir = *o.fake_recording_dir;
  if (o.fake_public_host) s.fake_discord.public_host = *o.fake_public_host;
  if (o.fake_no_voice_tls) s.fake_discord.voice_tls = false;
  if (o.lavalink_host || o.lavalink_port || o.lavalink_password) {
    // A command-line node replaces the configured node list.
    lavalink_node_settings n = s.lavalink_nodes.empty() ? s.lavalink : s.lavalink_nodes.front();
    if (o.lavalink_host) n.host = *o.lavalink_host;
    if (o.lavalink_port) n.port = *o.lavalink_port;
    if (o.lavalink_password) n.password = *o.lavalink_password;
    s.lavalink_nodes = {n};
  }
}

}  // namespace

std::variant<cli_command, int> parse_cli(int argc, const char* const* argv) {
  CLI::App app{"VectoBeat: a self-hostable Discord music bot system", "vectobeat"};
  app.set_version_flag("-V,--version", std::string("vectobeat ") + std::string(version) +
                                           " (Lavalink API v4, protocol " + std::string(lavalink_compat_version) + ")");
  app.require_subcommand(1);
  app.footer("Run 'vectobeat <command> --help' for a command's options. Docs: docs/ in the repository.");

  common_flags flags;
  overrides o;
  role_options ro;

  auto* up = app.add_subcommand("up", "Run everything in one process: bot, audio node and (without a token) the fake Discord");
  auto* bot = app.add_subcommand("bot", "Run the bot: gateway shards, slash commands, players; Status API and metrics");
  auto* node = app.add_subcommand("node", "Run the Lavalink-v4-compatible audio node");
  auto* panel = app.add_subcommand("panel", "Run the control panel (HTTP API and dashboard)");
  auto* fake = app.add_subcommand("fake-discord", "Run the loopback Discord stand-in (gateway, REST, interactions, voice)");

  for (auto* cmd : {up, bot, node, panel, fake}) add_common(cmd, flags);

  for (auto* cmd : {up, bot}) {
    cmd->add_option("--token", o.token, "Discord bot token (default: $DISCORD_TOKEN)");
    cmd->add_option("--status-port", o.status_port, "Status API port (default 3051)");
    cmd->add_option("--metrics-port", o.metrics_port, "Prometheus metrics port (default 3052)");
  }
  up->add_option("--status-address", o.status_address, "Status API listen address (default 127.0.0.1)");
  up->add_option("--metrics-address", o.metrics_address, "Prometheus metrics listen address (default 127.0.0.1)");
  bot->add_option("--status-address", o.status_address, "Status API listen address (default 0.0.0.0)");
  bot->add_option("--metrics-address", o.metrics_address, "Prometheus metrics listen address (default 0.0.0.0)");
  bot->add_option("--shards", ro.shard_range, "Shard ids this process runs, e.g. 0-3 or 5 (default: all)");
  bot->add_option("--total-shards", ro.total_shards, "Total shard count across all processes (default: from Discord)")
      ->check(CLI::Range(1, 100000));
  bot->add_option("--lavalink-host", o.lavalink_host, "Audio node host (replaces the configured node list)");
  bot->add_option("--lavalink-port", o.lavalink_port, "Audio node port");
  bot->add_option("--lavalink-password", o.lavalink_password, "Audio node password");
  up->add_option("--node-port", o.node_port, "Audio node port (default 2333)");
  up->add_option("--node-password", o.node_password, "Audio node password (default youshallnotpass)");
  node->add_option("-p,--port", o.node_port, "Listen port (default 2333; 0 picks a free port)");
  node->add_option("--password", o.node_password, "Password clients must send (default youshallnotpass)");
  node->add_option("--address", o.node_address, "Listen address (default 0.0.0.0)");
  node->add_flag("--allow-private-addresses", o.allow_private, "Let the HTTP source reach loopback and private networks");
  for (auto* cmd : {up, panel}) cmd->add_option("--panel-port", o.panel_port, "Control panel port (default 3050)");
  panel->add_option("-p,--port", o.panel_port, "Listen port (default 3050)");
  panel->add_option("--address", o.panel_address, "Listen address (default 0.0.0.0)");
  panel->add_option("--database-url", o.database_url, "sqlite://PATH (default) or mysql://user:pass@host/db");
  fake->add_option("-p,--port", o.fake_port, "Listen port for REST and gateway (default: a free port)");
  fake->add_option("--address", o.fake_address, "Listen address (default 127.0.0.1)");
  fake->add_option("--token", o.fake_token, "Bot token the fake accepts (default fake-bot-token)");
  fake->add_flag("--no-demo-guild", o.no_demo_guild, "Start without the demo guild");
  fake->add_option("--voice-port", o.fake_voice_port, "Voice WebSocket port (default: a free port)");
  fake->add_flag("--no-voice-tls", o.fake_no_voice_tls, "Serve the voice WebSocket as ws:// instead of wss://");
  fake->add_option("--shards", o.fake_shards, "Recommended shard count in GET /gateway/bot (default 1)")
      ->check(CLI::Range(1, 10000));
  fake->add_option("--recording-dir", o.fake_recording_dir, "Write each voice connection's WAV here when it ends");
  fake->add_option("--public-host", o.fake_public_host, "Host written into the URLs it hands out (default 127.0.0.1)");
  up->add_option("--fake-port", o.fake_port, "Fake Discord port when no token is set (default: a free port)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    std::optional<std::filesystem::path> file;
    if (!flags.config_path.empty()) file = flags.config_path;
    ro.config = load_settings(file);
  } catch (const config::error& e) {
    std::fprintf(stderr, "vectobeat: configuration error: %s\n", e.what());
    return 2;
  }
  // `up` is a local, all-in-one demo: the Status API and metrics stay on loopback unless an
  // address is given on the command line or configured to something other than the
  // all-interfaces default.
  if (*up) {
    if (!o.status_address && ro.config.status_api.host == "0.0.0.0") ro.config.status_api.host = "127.0.0.1";
    if (!o.metrics_address && ro.config.metrics.host == "0.0.0.0") ro.config.metrics.host = "127.0.0.1";
  }
  apply(ro.config, o);
  if (!flags.log_level.empty()) ro.config.logging.level = *log::parse_level(flags.log_level);
  if (!flags.log_format.empty()) ro.config.logging.format = flags.log_format == "json" ? log::format::json : log::format::text;

  cli_command c;
  c.options = std::move(ro);
  if (*bot) c.which = role::bot;
  else if (*node) c.which = role::node;
  else if (*panel) c.which = role::panel;
  else if (*fake) c.which = role::fake_discord;
  return c;
}

int run_cli(int argc, char** argv) {
  auto parsed = parse_cli(argc, argv);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  auto& c = std::get<cli_command>(parsed);
  auto& ro = c.options;
  log::options lo;
  lo.default_level = ro.config.logging.level;
  lo.fmt = ro.config.logging.format;
  lo.components = ro.config.logging.components;
  lo.file = ro.config.logging.file;
  log::configure(lo);
  register_secrets(ro.config);
  log::logger lg("config");
  for (auto& w : ro.config.warnings) lg.warn("{}", w);

  try {
    switch (c.which) {
      case role::up: return run_up(std::move(ro));
      case role::bot: return run_bot(std::move(ro));
      case role::node: return run_node(std::move(ro));
      case role::panel: return run_panel(std::move(ro));
      case role::fake_discord: return run_fake_discord(std::move(ro));
    }
  } catch (const config::error& e) {
    std::fprintf(stderr, "vectobeat: configuration error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    lg.critical("fatal: {}", e.what());
    return 1;
  }
  return 2;
}

}  // namespace vb::app
