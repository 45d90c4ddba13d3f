#include "vectobeat/app/roles.hpp"

#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <thread>

#include "vectobeat/bot/bot.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/runtime.hpp"
#include "vectobeat/discord/shard_manager.hpp"
#include "vectobeat/fake_discord/server.hpp"
#include "vectobeat/fake_discord/settings_options.hpp"
#include "vectobeat/fake_discord/wav.hpp"
#include "vectobeat/node/node_server.hpp"

namespace vb::app {

namespace {
int not_built(const char* role, const char* issue) {
  std::fprintf(stderr,
               "vectobeat %s: this role is not built yet (see issue %s); nothing was started.\n", role, issue);
  return 2;
}
}  // namespace

namespace {

unsigned io_threads() { return std::max(3u, std::thread::hardware_concurrency()); }

// The bot's shard range from the command line (--shards 0-3 --total-shards 8).
bool apply_shards(const role_options& opts, settings& s) {
  if (opts.total_shards > 0) s.bot.shard_count = opts.total_shards;
  if (opts.shard_range.empty()) return true;
  if (!s.bot.shard_count) {
    std::fprintf(stderr, "vectobeat bot: --shards needs --total-shards (or bot.shard_count)\n");
    return false;
  }
  auto ids = discord::parse_shard_range(opts.shard_range, *s.bot.shard_count);
  if (!ids) {
    std::fprintf(stderr, "vectobeat bot: --shards: %s\n", ids.error().c_str());
    return false;
  }
  s.bot.shard_ids = *ids;
  return true;
}

// Starts the bot once the runtime's threads run; stops the runtime when it cannot start.
int run_bot_in(runtime& rt, bot::bot& b, const std::function<void()>& on_started) {
  int rc = 0;
  std::thread starter([&] {
    auto r = b.start();
    if (!r) {
      std::fprintf(stderr, "vectobeat: the bot could not start: %s\n", r.error().c_str());
      rc = 1;
      rt.stop();
      return;
    }
    on_started();
  });
  rt.on_shutdown([&b] { b.stop(); });
  const int run_rc = rt.run();
  starter.join();
  if (rc) return rc;
  return run_rc >= 128 ? 0 : run_rc;
}

std::string random_key() {
  std::random_device rd;
  std::string key;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 40; ++i) key += hex[rd() % 16];
  return key;
}

}  // namespace

int run_bot(role_options opts) {
  auto s = opts.config;
  if (s.bot.token.empty()) {
    std::fprintf(stderr, "vectobeat bot: DISCORD_TOKEN is not set (use `vectobeat up` to try it with the fake Discord)\n");
    return 2;
  }
  if (!apply_shards(opts, s)) return 2;
  runtime rt(io_threads());
  bot::bot b(rt.executor(), clock::system(), s);
  return run_bot_in(rt, b, [&b] {
    std::printf("vectobeat bot running (status API port %u, metrics port %u)\n",
                static_cast<unsigned>(b.status_api_port()), static_cast<unsigned>(b.metrics_port()));
    std::fflush(stdout);
  });
}
int run_node(role_options opts) {
  log::logger lg("node");
  auto config = node::make_node_config(opts.config);
  runtime rt;
  node::node_server server(rt.executor(), clock::system(), std::move(config));
  std::uint16_t port = 0;
  try {
    port = server.listen(opts.config.node.address, opts.config.node.port);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vectobeat node: %s\n", e.what());
    return 1;
  }
  // One line on stdout for whoever started us (tests read the port from it).
  std::printf("vectobeat node listening on %s:%u\n", opts.config.node.address.c_str(), static_cast<unsigned>(port));
  std::fflush(stdout);
  lg.info("Lavalink v4 node listening on {}:{}", opts.config.node.address, port);
  rt.on_shutdown([&server] { server.stop(); });
  const int rc = rt.run();
  server.stop();
  return rc >= 128 ? 0 : rc;  // a signal is the normal way to stop
}
int run_panel(role_options) { return not_built("panel", "the control-panel issue"); }
int run_fake_discord(role_options opts) {
  const auto& cfg = opts.config.fake_discord;
  if (!cfg.recording_dir.empty()) std::filesystem::create_directories(cfg.recording_dir);
  runtime rt;
  fake::server srv(rt.executor(), clock::system(), fake::options_from_settings(cfg));
  srv.start();
  // One "key value" line each, for people and for scripts (tests/interop reads them).
  std::printf("fake-discord rest %s\n", srv.rest_base().c_str());
  std::printf("fake-discord gateway %s\n", srv.gateway_url().c_str());
  std::printf("fake-discord voice %s %s\n", srv.voice_endpoint().c_str(), cfg.voice_tls ? "wss" : "ws");
  std::printf("fake-discord voice-ca %s\n", srv.ca_file().empty() ? "-" : srv.ca_file().c_str());
  std::printf("fake-discord control %s\n", srv.control_base().c_str());
  std::printf("fake-discord application %llu\n", static_cast<unsigned long long>(srv.application_id()));
  if (auto d = srv.demo())
    std::printf("fake-discord demo-guild %llu\n", static_cast<unsigned long long>(d->guild));
  std::printf("fake-discord ready\n");
  std::fflush(stdout);
  rt.on_shutdown([&srv] { srv.stop(); });
  return rt.run();
}

int run_up(role_options opts) {
  auto s = opts.config;
  if (!apply_shards(opts, s)) return 2;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(s.bot.data_dir, ec);
  const auto demo_dir = fs::absolute(fs::path(s.bot.data_dir) / "demo");
  fs::create_directories(demo_dir, ec);
  const auto demo_track = demo_dir / "vectobeat-demo.wav";
  if (!fs::exists(demo_track)) {
    // 20 s of A4 (440 Hz): easy to recognise in the fake's recording statistics.
    std::vector<std::int16_t> pcm(48000 * 20 * 2);
    for (std::size_t i = 0; i < pcm.size() / 2; ++i) {
      const double t = static_cast<double>(i) / 48000.0;
      const auto v = static_cast<std::int16_t>(12000 * std::sin(2 * 3.14159265358979 * 440.0 * t));
      pcm[2 * i] = pcm[2 * i + 1] = v;
    }
    std::ofstream(demo_track, std::ios::binary) << fake::encode_wav(pcm, 48000, 2);
  }

  runtime rt(io_threads());
  const bool with_fake = s.bot.token.empty();
  std::unique_ptr<fake::server> fake_discord;
  std::string key_note;
  if (with_fake) {
    auto& fc = s.fake_discord;
    if (fc.recording_dir.empty()) fc.recording_dir = (fs::path(s.bot.data_dir) / "recordings").string();
    fs::create_directories(fc.recording_dir, ec);
    fake_discord = std::make_unique<fake::server>(rt.executor(), clock::system(), fake::options_from_settings(fc));
    try {
      fake_discord->start();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vectobeat up: the fake Discord could not start: %s\n", e.what());
      return 1;
    }
    s.bot.token = fake_discord->options().token;
    s.bot.api_base_url = fake_discord->rest_base();
    s.bot.gateway_url = fake_discord->gateway_url();
    // Never open by default: a random key for this run, printed below.
    if (!s.status_api.api_key || s.status_api.api_key->empty()) {
      s.status_api.api_key = random_key();
      log::add_secret(*s.status_api.api_key);
      key_note = " (generated for this run)";
    }
  }
  // The embedded node: the local source serves the demo directory.
  auto nc = node::make_node_config(s);
  nc.sources.insert(std::string(node::source_local));
  nc.local_roots.push_back(demo_dir);
  if (fake_discord) nc.voice_ca_file = fake_discord->ca_file();
  node::node_server node_srv(rt.executor(), clock::system(), nc);
  std::uint16_t node_port = 0;
  try {
    node_port = node_srv.listen("127.0.0.1", s.node.port);
  } catch (const std::exception&) {
    node_port = node_srv.listen("127.0.0.1", 0);  // the configured port is taken: any free one
  }
  lavalink_node_settings ln;
  ln.name = "embedded";
  ln.host = "127.0.0.1";
  ln.port = node_port;
  ln.password = nc.password;
  ln.region = "local";
  s.lavalink_nodes = {ln};

  bot::bot_options bo;
  if (fake_discord)
    if (auto d = fake_discord->demo()) bo.command_guilds = {d->guild};
  bot::bot b(rt.executor(), clock::system(), s, bo);
  rt.on_shutdown([&] {
    node_srv.stop();
    if (fake_discord) fake_discord->stop();
  });
  return run_bot_in(rt, b, [&] {
    std::printf("\nVectoBeat is up.\n\n");
    std::printf("  %-14s %s\n", "role", "where");
    if (fake_discord) {
      std::printf("  %-14s REST %s, gateway %s\n", "fake Discord", fake_discord->rest_base().c_str(),
                  fake_discord->gateway_url().c_str());
      std::printf("  %-14s %s\n", "control API", fake_discord->control_base().c_str());
      if (auto d = fake_discord->demo())
        std::printf("  %-14s guild %llu: #general %llu, voice Music %llu; users alice %llu, bob %llu, carol %llu\n",
                    "demo guild", static_cast<unsigned long long>(d->guild), static_cast<unsigned long long>(d->general),
                    static_cast<unsigned long long>(d->music), static_cast<unsigned long long>(d->alice),
                    static_cast<unsigned long long>(d->bob), static_cast<unsigned long long>(d->carol));
      std::printf("  %-14s %s\n", "recordings", fs::absolute(s.fake_discord.recording_dir).string().c_str());
    } else {
      std::printf("  %-14s %s\n", "Discord", s.bot.api_base_url.c_str());
    }
    std::printf("  %-14s http://127.0.0.1:%u (Lavalink v4)\n", "audio node", static_cast<unsigned>(node_port));
    if (b.status_api_port())
      std::printf("  %-14s http://%s:%u/status  key: %s%s\n", "status API", s.status_api.host.c_str(),
                  static_cast<unsigned>(b.status_api_port()), s.status_api.api_key.value_or("").c_str(), key_note.c_str());
    if (b.metrics_port())
      std::printf("  %-14s http://%s:%u/metrics\n", "metrics", s.metrics.host.c_str(), static_cast<unsigned>(b.metrics_port()));
    std::printf("  %-14s file://%s\n", "demo track", demo_track.string().c_str());
    if (fake_discord)
      std::printf("\nNext: README.md \"Try it without Discord\" joins voice as alice and runs /play through the control API.\n");
    std::printf("Stop with Ctrl+C.\n");
    std::fflush(stdout);
  });
}

}  // namespace vb::app
