// Arbitrary bytes as a configuration file: YAML parsing, interpolation, the settings
// reader and the .env parser. Invalid input must end in config::error; any other
// exception escapes and aborts (libFuzzer reports it), as do sanitizer findings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vectobeat/common/config.hpp"
#include "vectobeat/common/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const vb::config::env_lookup env = vb::config::map_env(
      {{"LAVALINK_HOST", "lavalink"}, {"LAVALINK_PORT", "2333"}, {"EMPTY", ""}, {"LIST", "a,b, c"}});

  try {
    auto doc = vb::config::document::parse(text, "fuzz.yml", env);
    auto s = vb::read_settings(doc);
    (void)s;
  } catch (const vb::config::error&) {
  }
  (void)vb::config::interpolate(text, env);
  (void)vb::config::parse_dotenv(text);
  return 0;
}
