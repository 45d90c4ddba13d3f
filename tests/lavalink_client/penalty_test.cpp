#include "vectobeat/lavalink_client/penalty.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace vb::llc {
namespace {

lavalink::stats with(int playing, double load) {
  lavalink::stats s;
  s.players = playing;
  s.playing_players = playing;
  s.cpu.cores = 4;
  s.cpu.system_load = load;
  return s;
}

TEST(Penalty, IdleNodeIsZero) { EXPECT_DOUBLE_EQ(penalty(with(0, 0.0)), 0.0); }

TEST(Penalty, ClassicFormulaWithoutFrameStats) {
  // 3 + (1.05^50 * 10 - 10) = 3 + 104.67...
  EXPECT_NEAR(penalty(with(3, 0.5)), 3 + (std::pow(1.05, 50) * 10 - 10), 1e-9);
}

TEST(Penalty, FrameTermsCountOnlyWhenPresent) {
  auto s = with(1, 0.0);
  s.frame_stats = lavalink::frame_stats{2900, 60, 40};
  const double nulled = 2 * (std::pow(1.03, 500.0 * 60 / 3000) * 300 - 300);
  const double deficit = std::pow(1.03, 500.0 * 40 / 3000) * 600 - 600;
  EXPECT_NEAR(penalty(s), 1 + nulled + deficit, 1e-9);
}

TEST(Penalty, BusierAndLossierNodesRankWorse) {
  auto healthy = with(5, 0.1);
  healthy.frame_stats = lavalink::frame_stats{3000, 0, 0};
  auto lossy = with(5, 0.1);
  lossy.frame_stats = lavalink::frame_stats{2700, 300, 0};
  EXPECT_LT(penalty(healthy), penalty(lossy));
  EXPECT_LT(penalty(with(5, 0.1)), penalty(with(6, 0.1)));
  EXPECT_LT(penalty(with(5, 0.1)), penalty(with(5, 0.2)));
}

TEST(Penalty, HostileValuesAreClamped) {
  auto s = with(-10, std::numeric_limits<double>::infinity());
  s.frame_stats = lavalink::frame_stats{0, -5000, -3010};  // negative deficit: no bonus
  const double p = penalty(s);
  EXPECT_TRUE(std::isfinite(p));
  EXPECT_NEAR(p, std::pow(1.05, 100) * 10 - 10, 1e-6);  // load clamped to 1, the rest to 0
  auto nan = with(0, std::nan(""));
  EXPECT_TRUE(std::isfinite(penalty(nan)));
  auto huge = with(0, 0);
  huge.frame_stats = lavalink::frame_stats{0, std::numeric_limits<int>::max(), std::numeric_limits<int>::max()};
  EXPECT_TRUE(std::isfinite(penalty(huge)));
}

}  // namespace
}  // namespace vb::llc
