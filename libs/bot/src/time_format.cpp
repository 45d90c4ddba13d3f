#include "vectobeat/bot/time_format.hpp"

#include <charconv>
#include <limits>
#include <vector>

namespace vb::bot {

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::vector<std::int64_t> parts;
  while (true) {
    const auto colon = text.find(':');
    const auto field = text.substr(0, colon);
    std::int64_t v = -1;
    auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (field.empty() || ec != std::errc() || p != field.data() + field.size() || v < 0) return std::nullopt;
    parts.push_back(v);
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  if (parts.size() > 3) return std::nullopt;
  for (std::size_t i = 1; i < parts.size(); ++i)
    if (parts[i] >= 60) return std::nullopt;
  std::int64_t seconds = 0;
  for (auto v : parts) seconds = seconds * 60 + v;
  if (seconds > 24 * 3600) return std::nullopt;
  return seconds * 1000;
}

std::string format_duration(std::int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms >= std::numeric_limits<std::int64_t>::max() / 2) return "live";
  const auto total = ms / 1000;
  const auto h = total / 3600, m = (total / 60) % 60, s = total % 60;
  char buf[32];
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(h), static_cast<long long>(m),
                  static_cast<long long>(s));
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m), static_cast<long long>(s));
  return buf;
}

}  // namespace vb::bot
