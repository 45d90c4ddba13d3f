#pragma once
// Process and machine figures for Lavalink's Stats object (lavalink-v4.md §4.8): RSS as
// memory.used, the machine's memory as reservable, CPU load from /proc (refreshed at most every
// `cpu_refresh`, like Lavalink's 30 s cache but shorter by default), uptime from construction.
// Player counts and frameStats are the caller's (they need the sessions).
#include <chrono>
#include <cstdint>
#include <mutex>

#include "vectobeat/lavalink/stats.hpp"

namespace vb::node {

struct proc_cpu_sample {
  std::uint64_t process_ticks = 0;  // utime + stime of this process
  std::uint64_t system_busy = 0;    // all CPUs, non-idle jiffies
  std::uint64_t system_total = 0;
};

class stats_collector {
 public:
  explicit stats_collector(std::chrono::milliseconds cpu_refresh = std::chrono::seconds(5));

  // memory, cpu and uptime filled; players, playingPlayers and frameStats left for the caller.
  lavalink::stats collect();

  // /proc readers, exposed for tests. 0 when unreadable.
  static std::int64_t resident_bytes();
  static std::int64_t total_memory_bytes();
  static std::int64_t available_memory_bytes();
  static proc_cpu_sample cpu_sample();

 private:
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::milliseconds refresh_;
  std::chrono::steady_clock::time_point last_at_{};
  proc_cpu_sample last_{};
  double system_load_ = 0;
  double process_load_ = 0;
  int cores_ = 1;
};

}  // namespace vb::node
