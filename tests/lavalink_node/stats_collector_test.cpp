#include "vectobeat/node/stats_collector.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace vb::node {
namespace {

TEST(StatsCollector, ReportsRealMemoryAndCpuFigures) {
  stats_collector c(std::chrono::milliseconds(0));
  // Burn a little CPU so the process load is measurable.
  volatile double x = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  while (std::chrono::steady_clock::now() < until) x = x + 1.0;
  auto s = c.collect();
  EXPECT_GT(s.memory.used, 1 << 20);
  EXPECT_EQ(s.memory.allocated, s.memory.used);
  EXPECT_GT(s.memory.reservable, s.memory.used);
  EXPECT_GE(s.memory.free, 0);
  EXPECT_GE(s.cpu.cores, 1);
  EXPECT_GE(s.cpu.system_load, 0.0);
  EXPECT_LE(s.cpu.system_load, 1.0);
  EXPECT_GE(s.cpu.lavalink_load, 0.0);
  EXPECT_LE(s.cpu.lavalink_load, 1.0);
  EXPECT_GE(s.uptime, 50);
  EXPECT_FALSE(s.frame_stats.has_value());
}

TEST(StatsCollector, ProcReaders) {
  EXPECT_GT(stats_collector::resident_bytes(), 0);
  EXPECT_GT(stats_collector::total_memory_bytes(), stats_collector::resident_bytes());
  auto a = stats_collector::cpu_sample();
  EXPECT_GT(a.system_total, 0u);
  EXPECT_LE(a.system_busy, a.system_total);
}

}  // namespace
}  // namespace vb::node
