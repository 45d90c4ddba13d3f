#include "vectobeat/app/roles.hpp"

#include <cstdio>

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
int run_fake_discord(role_options) { return not_built("fake-discord", "#3"); }

int run_up(role_options) {
  std::fprintf(stderr,
               "vectobeat up: no role is built yet. `up` will start the audio node (#4), the bot (#5) and,\n"
               "without DISCORD_TOKEN, the fake Discord (#3). Configuration was loaded and is valid.\n");
  return 2;
}

}  // namespace vb::app
