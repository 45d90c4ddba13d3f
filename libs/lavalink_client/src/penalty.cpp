#include "vectobeat/lavalink_client/penalty.hpp"

#include <algorithm>
#include <cmath>

namespace vb::llc {

double penalty(const lavalink::stats& s) noexcept {
  constexpr double frames_per_minute = 3000.0;
  const double playing = std::max<double>(0, s.playing_players);
  double load = s.cpu.system_load;
  if (!std::isfinite(load)) load = 1.0;
  load = std::clamp(load, 0.0, 1.0);
  double p = playing + (std::pow(1.05, 100.0 * load) * 10.0 - 10.0);
  if (s.frame_stats) {
    const double nulled = std::clamp<double>(s.frame_stats->nulled, 0, frames_per_minute);
    const double deficit = std::clamp<double>(s.frame_stats->deficit, 0, frames_per_minute);
    p += 2.0 * (std::pow(1.03, 500.0 * nulled / frames_per_minute) * 300.0 - 300.0);
    p += std::pow(1.03, 500.0 * deficit / frames_per_minute) * 600.0 - 600.0;
  }
  return p;
}

}  // namespace vb::llc
