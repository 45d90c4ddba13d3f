#pragma once
// Discord ids: a strong 64-bit type so a channel id is never passed where a guild id
// belongs by accident of argument order, and so parsing happens once at the edge.
#include <fmt/format.h>

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace vb::discord {

// Milliseconds since the Unix epoch of 2015-01-01T00:00:00Z.
inline constexpr std::uint64_t discord_epoch_ms = 1420070400000ULL;

class snowflake {
 public:
  constexpr snowflake() noexcept = default;
  constexpr explicit snowflake(std::uint64_t v) noexcept : value_(v) {}

  constexpr std::uint64_t value() const noexcept { return value_; }
  constexpr bool empty() const noexcept { return value_ == 0; }
  constexpr explicit operator bool() const noexcept { return value_ != 0; }
  constexpr auto operator<=>(const snowflake&) const noexcept = default;

  // Creation time encoded in the id.
  std::chrono::system_clock::time_point timestamp() const noexcept;
  // The shard that receives this guild's events: (id >> 22) % shard_count. shard_count 0 -> 0.
  constexpr int shard_for(int shard_count) const noexcept {
    return shard_count <= 0 ? 0 : static_cast<int>((value_ >> 22) % static_cast<std::uint64_t>(shard_count));
  }

  std::string str() const;

 private:
  std::uint64_t value_ = 0;
};

// Decimal digits only (1-20), no sign or spaces, non-zero and within uint64.
std::optional<snowflake> parse_snowflake(std::string_view text) noexcept;

}  // namespace vb::discord

template <>
struct std::hash<vb::discord::snowflake> {
  std::size_t operator()(vb::discord::snowflake s) const noexcept { return std::hash<std::uint64_t>{}(s.value()); }
};

template <>
struct fmt::formatter<vb::discord::snowflake> : fmt::formatter<std::uint64_t> {
  template <class Ctx>
  auto format(vb::discord::snowflake s, Ctx& ctx) const {
    return fmt::formatter<std::uint64_t>::format(s.value(), ctx);
  }
};
