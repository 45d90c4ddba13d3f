#include "vectobeat/discord/snowflake.hpp"

#include <charconv>

namespace vb::discord {

std::chrono::system_clock::time_point snowflake::timestamp() const noexcept {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds((value_ >> 22) + discord_epoch_ms));
}

std::string snowflake::str() const { return std::to_string(value_); }

std::optional<snowflake> parse_snowflake(std::string_view text) noexcept {
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v == 0) return std::nullopt;
  return snowflake(v);
}

}  // namespace vb::discord
