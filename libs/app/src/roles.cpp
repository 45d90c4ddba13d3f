#include "vectobeat/app/roles.hpp"

#include <cstdio>
#include <filesystem>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/runtime.hpp"
#include "vectobeat/fake_discord/server.hpp"
#include "vectobeat/fake_discord/settings_options.hpp"

namespace vb::app {

namespace {
int not_built(const char* role, const char* issue) {
  std::fprintf(stderr,
               "vectobeat %s: this role is not built yet (see issue %s); nothing was started.\n", role, issue);
  return 2;
}
}  // namespace

int run_bot(role_options) { return not_built("bot", "#5"); }
int run_node(role_options) { return not_built("node", "#4"); }
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
