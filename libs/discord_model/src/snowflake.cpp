#include "vectobeat/discord/snowflake.hpp"


namespace vb::discord {

std::chrono::system_clock::time_point snowflake::timestamp() const noexcept {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds((value_ >> 22) + discord_epoch_ms));
}

std::string snowflake::str() const { return std::to_string(value_); }

std::optional<snowflake> parse_snowflake(std::string_view text) noexcept {
  // One pass: digits only, 1-20 of them, within uint64, non-zero (on every gateway id).
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text.substr(0, 19)) {  // 19 digits cannot overflow
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(c) - '0');
    if (digit > 9) return std::nullopt;
    v = v * 10 + digit;
  }
  if (text.size() == 20) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(text[19]) - '0');
    if (digit > 9 || __builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, digit, &v)) return std::nullopt;
  }
  if (v == 0) return std::nullopt;
  return snowflake(v);
}

}  // namespace vb::discord
