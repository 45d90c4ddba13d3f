#pragma once
// The `vectobeat` command line: subcommands up, bot, node, panel, fake-discord.

namespace vb::app {

// Parses the arguments, loads the configuration and runs the chosen role. Returns the
// process exit code (0 ok, 1 runtime failure, 2 usage/configuration error).
int run_cli(int argc, char** argv);

}  // namespace vb::app
