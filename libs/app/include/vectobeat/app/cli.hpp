#pragma once
// The `vectobeat` command line: subcommands up, bot, node, panel, fake-discord.
#include <variant>

#include "vectobeat/app/roles.hpp"

namespace vb::app {

enum class role { up, bot, node, panel, fake_discord };

struct cli_command {
  role which = role::up;
  role_options options;  // settings resolved: defaults < file < environment < flags
};

// Parses the arguments and resolves the settings, without side effects beyond printing. For
// --help, --version, usage errors and configuration errors it prints (help to stdout, errors
// to stderr) and returns the exit code instead: 0 for help/version, 2 for a configuration
// error, CLI11's non-zero code for a usage error.
std::variant<cli_command, int> parse_cli(int argc, const char* const* argv);

// parse_cli, then configures logging and runs the chosen role. Returns the process exit code
// (0 ok, 1 runtime failure, 2 usage/configuration error).
int run_cli(int argc, char** argv);

}  // namespace vb::app
