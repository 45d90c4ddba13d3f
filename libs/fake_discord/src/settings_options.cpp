#include "vectobeat/fake_discord/settings_options.hpp"

namespace vb::fake {

server_options options_from_settings(const fake_discord_settings& s) {
  server_options o;
  o.address = s.address;
  o.port = s.port;
  o.public_host = s.public_host;
  o.token = s.token;
  o.demo_guild = s.demo_guild;
  o.recommended_shards = s.shards;
  o.max_concurrency = s.max_concurrency;
  o.heartbeat_interval = std::chrono::milliseconds(s.heartbeat_interval_ms);
  o.voice_port = s.voice_port;
  o.voice_tls = s.voice_tls;
  o.require_dave = s.require_dave;
  o.recording_dir = s.recording_dir;
  return o;
}

}  // namespace vb::fake
