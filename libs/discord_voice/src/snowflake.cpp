#include "vectobeat/voice/snowflake.hpp"

#include <charconv>

namespace vb::voice {

std::optional<snowflake> parse_snowflake(std::string_view text) noexcept {
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  snowflake out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size() || out == 0) return std::nullopt;
  return out;
}

std::string to_string(snowflake id) { return std::to_string(id); }

}  // namespace vb::voice
