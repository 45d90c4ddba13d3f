#pragma once
// Node selection by load (lavalink-v4.md §9.4): the classic penalty of the original Java
// client and lavalink.py, which the original VectoBeat used. Lower is better.
#include "vectobeat/lavalink/stats.hpp"

namespace vb::llc {

// playingPlayers + (1.05^(100·systemLoad)·10 − 10)
//   + 2·(1.03^(500·nulled/3000)·300 − 300) + (1.03^(500·deficit/3000)·600 − 600)
// The frame terms count only when frameStats is present. Inputs come from the node and are
// clamped first (systemLoad to 0..1, negative player and frame counts to 0, frame counts to
// 3000), so a lying or broken node can neither overflow the sum nor earn a bonus below an
// idle healthy node.
double penalty(const lavalink::stats& s) noexcept;

}  // namespace vb::llc
