#pragma once
// Durations as users type and read them: "1:05", "01:02:03", "75" (seconds).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vb::bot {

// "ss", "mm:ss" or "hh:mm:ss" (seconds and minutes below 60 after the first field) to ms.
// nullopt for anything else, negative or absurd (more than 24 h).
std::optional<std::int64_t> parse_timestamp(std::string_view text);
// 65000 -> "1:05", 3723000 -> "1:02:03"; streams (length unknown) -> "live".
std::string format_duration(std::int64_t ms);

}  // namespace vb::bot
