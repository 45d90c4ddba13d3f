#pragma once
// Node statistics (lavalink-v4.md §4.8): GET /v4/stats and the WebSocket `stats` op.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

struct memory_stats {
  std::int64_t free = 0;  // bytes
  std::int64_t used = 0;
  std::int64_t allocated = 0;
  std::int64_t reservable = 0;
  friend bool operator==(const memory_stats&, const memory_stats&) = default;
};

struct cpu_stats {
  std::int32_t cores = 0;
  double system_load = 0.0;    // 0..1, whole machine
  double lavalink_load = 0.0;  // 0..1, this process
  friend bool operator==(const cpu_stats&, const cpu_stats&) = default;
};

// Per-player averages over the previous minute; 3000 frames expected per minute.
struct frame_stats {
  std::int32_t sent = 0;
  std::int32_t nulled = 0;
  std::int32_t deficit = 0;  // 3000 - (sent + nulled)
  friend bool operator==(const frame_stats&, const frame_stats&) = default;
};

struct stats {
  std::int32_t players = 0;
  std::int32_t playing_players = 0;
  std::int64_t uptime = 0;  // ms
  memory_stats memory;
  cpu_stats cpu;
  std::optional<lavalink::frame_stats> frame_stats;  // omitted when absent (always on REST)

  friend bool operator==(const stats&, const stats&) = default;
};

boost::json::value to_json(const stats& s);
// frameStats absent or null -> nullopt.
template <>
expected<stats, std::string> from_json<stats>(const boost::json::value& v);

}  // namespace vb::lavalink
