#include "vectobeat/discord/snowflake.hpp"

#include <bit>
#include <cstring>

namespace vb::discord {

std::chrono::system_clock::time_point snowflake::timestamp() const noexcept {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds((value_ >> 22) + discord_epoch_ms));
}

std::string snowflake::str() const { return std::to_string(value_); }

namespace {

// Eight ASCII digits at p, most significant first (SWAR); false when one is not a digit.
bool eight_digits(const char* p, std::uint64_t& out) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, 8);
  if ((v & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL) return false;                // 0x30-0x3F
  if (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL) return false;  // not 0x3A-0x3F
  v = (v & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
  v = (v & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
  out = (v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
  return true;
}

}  // namespace

std::optional<snowflake> parse_snowflake(std::string_view text) noexcept {
  // Digits only, 1-20 of them, within uint64, non-zero (on every gateway id).
  const std::size_t n = text.size();
  if (n == 0 || n > 20) return std::nullopt;
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < n % 8; ++i) {  // the leading digits, then groups of eight
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(text[i]) - '0');
    if (digit > 9) return std::nullopt;
    v = v * 10 + digit;
  }
  for (; i < n; i += 8) {
    std::uint64_t chunk = 0;
    if constexpr (std::endian::native == std::endian::little) {
      if (!eight_digits(text.data() + i, chunk)) return std::nullopt;
    } else {
      for (std::size_t j = i; j < i + 8; ++j) {
        const auto digit = static_cast<unsigned>(static_cast<unsigned char>(text[j]) - '0');
        if (digit > 9) return std::nullopt;
        chunk = chunk * 10 + digit;
      }
    }
    // Only 20 digits can overflow, in the last group.
    if (__builtin_mul_overflow(v, 100000000ULL, &v) || __builtin_add_overflow(v, chunk, &v)) return std::nullopt;
  }
  if (v == 0) return std::nullopt;
  return snowflake(v);
}

}  // namespace vb::discord
