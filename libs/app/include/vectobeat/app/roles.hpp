#pragma once
// Role entry points, one per subcommand. Each runs until shutdown and returns an exit code.
#include <string>
#include <vector>

#include "vectobeat/common/settings.hpp"

namespace vb::app {

struct role_options {
  settings config;
  // Extra role-specific values from the command line (e.g. the bot's shard range).
  std::string shard_range;  // "0-3" or "2"; empty: all
  int total_shards = 0;     // 0: from config or /gateway/bot
};

int run_up(role_options opts);
int run_bot(role_options opts);
int run_node(role_options opts);
int run_panel(role_options opts);
int run_fake_discord(role_options opts);

}  // namespace vb::app
