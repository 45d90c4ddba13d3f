#include "vectobeat/app/roles.hpp"

#include <cstdio>
#include <exception>
#include <filesystem>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/runtime.hpp"
#include "vectobeat/fake_discord/server.hpp"
#include "vectobeat/fake_discord/settings_options.hpp"
#include "vectobeat/node/node_server.hpp"

namespace vb::app {

namespace {
int not_built(const char* role, const char* issue) {
  std::fprintf(stderr,
               "vectobeat %s: this role is not built yet (see issue %s); nothing was started.\n", role, issue);
  return 2;
}
}  // namespace

int run_bot(role_options) { return not_built("bot", "#5"); }
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

int run_up(role_options) {
  std::fprintf(stderr,
               "vectobeat up: no role is built yet. `up` will start the audio node (#4), the bot (#5) and,\n"
               "without DISCORD_TOKEN, the fake Discord (#3). Configuration was loaded and is valid.\n");
  return 2;
}

}  // namespace vb::app
