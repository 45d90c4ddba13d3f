#include "vectobeat/bot/activity_window.hpp"

#include <gtest/gtest.h>

namespace vb::bot {
namespace {

using namespace std::chrono_literals;

TEST(RollingCounter, CountsTheLast24HoursOnly) {
  manual_clock clk;
  rolling_counter c(clk);
  c.add(5);
  clk.advance(30min);
  c.add(2);
  EXPECT_EQ(c.sum(), 7u);
  // 10 hours later both are still inside the window.
  clk.advance(10h);
  c.add();
  EXPECT_EQ(c.sum(), 8u);
  // The first hour's commands leave once 24 buckets have passed since it.
  clk.advance(13h + 30min);  // 24 h after the start
  EXPECT_EQ(c.sum(), 1u);
  clk.advance(10h);  // 34 h: the command at 10.5 h left too
  EXPECT_EQ(c.sum(), 0u);
  c.add(3);
  EXPECT_EQ(c.sum(), 3u);
}

TEST(RollingCounter, ASlotReusedAfterADayStartsFromZero) {
  manual_clock clk;
  rolling_counter c(clk);
  c.add(100);
  clk.advance(24h);  // same slot position, next day
  c.add(1);
  EXPECT_EQ(c.sum(), 1u);
  clk.advance(48h);  // idle for two days
  EXPECT_EQ(c.sum(), 0u);
}

TEST(RollingCounter, PeakIsTheHighestSampleInTheWindow) {
  manual_clock clk;
  rolling_counter c(clk);
  c.sample(3);
  c.sample(9);
  c.sample(4);
  EXPECT_EQ(c.max(), 9u);
  clk.advance(12h);
  c.sample(5);
  EXPECT_EQ(c.max(), 9u);
  clk.advance(12h);  // the 9 is 24 h old
  EXPECT_EQ(c.max(), 5u);
  clk.advance(12h);
  EXPECT_EQ(c.max(), 0u);
}

TEST(DistinctWindow, CountsEachListenerOnceAndForgetsAfterTheSpan) {
  manual_clock clk;
  distinct_window w(clk);
  w.see(1);
  w.see(2);
  w.see(1);  // the same listener again is not a new one
  EXPECT_EQ(w.count(), 2u);
  clk.advance(20h);
  w.see(2);  // seen again: stays
  w.see(3);
  EXPECT_EQ(w.count(), 3u);
  clk.advance(5h);  // 25 h after listener 1 was last seen
  EXPECT_EQ(w.count(), 2u);
  clk.advance(24h);
  EXPECT_EQ(w.count(), 0u);
}

TEST(DistinctWindow, BoundedWithTheLeastRecentlySeenDroppedFirst) {
  manual_clock clk;
  distinct_window w(clk, 24h, 3);
  w.see(1);
  clk.advance(1s);
  w.see(2);
  clk.advance(1s);
  w.see(3);
  clk.advance(1s);
  w.see(1);  // refreshes 1
  w.see(4);  // full: 2 is the least recently seen
  EXPECT_EQ(w.count(), 3u);
  w.see(2);  // 2 was dropped, so it counts as new and evicts 3
  EXPECT_EQ(w.count(), 3u);
}

}  // namespace
}  // namespace vb::bot
