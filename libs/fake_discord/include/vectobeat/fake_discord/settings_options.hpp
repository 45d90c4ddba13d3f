#pragma once
// Server options from the `fake_discord` configuration section (docs/configuration.md),
// for the `fake-discord` role and for `vectobeat up`, which starts the fake in-process.
#include "vectobeat/common/settings.hpp"
#include "vectobeat/fake_discord/server.hpp"

namespace vb::fake {

server_options options_from_settings(const fake_discord_settings& s);

}  // namespace vb::fake
