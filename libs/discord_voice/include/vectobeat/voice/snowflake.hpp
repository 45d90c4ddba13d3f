#pragma once
// Discord ids. The voice library keeps them as plain uint64 (it depends only on common);
// they travel as decimal strings on the wire.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vb::voice {

using snowflake = std::uint64_t;

// Decimal digits only, no sign or spaces, non-zero and within uint64; nullopt otherwise.
std::optional<snowflake> parse_snowflake(std::string_view text) noexcept;
std::string to_string(snowflake id);

}  // namespace vb::voice
