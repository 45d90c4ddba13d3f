#include "vectobeat/node/frame_ring.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace vb::node {
namespace {

std::vector<std::uint8_t> frame(std::size_t n, std::uint8_t fill) { return std::vector<std::uint8_t>(n, fill); }

TEST(FrameRing, KeepsOrderSizesAndPositions) {
  frame_ring r(4, 1000);
  EXPECT_TRUE(r.empty());
  ASSERT_TRUE(r.push(frame(10, 1), 0));
  ASSERT_TRUE(r.push(frame(20, 2), 20));
  ASSERT_TRUE(r.push(frame(30, 3), 40));
  EXPECT_EQ(r.size(), 3u);
  for (std::uint8_t i = 1; i <= 3; ++i) {
    auto f = r.front();
    EXPECT_EQ(f.data.size(), 10u * i);
    EXPECT_EQ(f.data[0], i);
    EXPECT_EQ(f.position_ms, (i - 1) * 20);
    r.pop();
  }
  EXPECT_TRUE(r.empty());
}

TEST(FrameRing, FullByCountAndByBytes) {
  frame_ring by_count(2, 1000);
  EXPECT_TRUE(by_count.push(frame(5, 1), 0));
  EXPECT_TRUE(by_count.push(frame(5, 2), 20));
  EXPECT_TRUE(by_count.full());
  EXPECT_FALSE(by_count.push(frame(5, 3), 40));

  frame_ring by_bytes(10, 100);
  EXPECT_TRUE(by_bytes.push(frame(60, 1), 0));
  EXPECT_FALSE(by_bytes.fits(50));
  EXPECT_FALSE(by_bytes.push(frame(50, 2), 20));
  EXPECT_TRUE(by_bytes.push(frame(40, 2), 20));
  EXPECT_FALSE(by_bytes.push(frame(1, 3), 40));  // 100 bytes used
}

TEST(FrameRing, RefusesEmptyAndOversizedFrames) {
  frame_ring r(4, 100);
  EXPECT_FALSE(r.push({}, 0));
  EXPECT_FALSE(r.push(frame(101, 1), 0));
  EXPECT_TRUE(r.empty());
}

TEST(FrameRing, WrapsWithoutSplittingFramesAndNeverCorruptsData) {
  // Random-ish sizes through a small ring: every frame comes out exactly as it went in.
  frame_ring r(8, 1000);
  std::uint32_t seed = 12345;
  std::vector<std::vector<std::uint8_t>> expected;
  std::size_t next_check = 0, produced = 0;
  for (int step = 0; step < 20000; ++step) {
    seed = seed * 1664525u + 1013904223u;
    const std::size_t size = 1 + (seed >> 8) % 400;
    const bool do_push = (seed & 3) != 0;
    if (do_push) {
      auto f = frame(size, static_cast<std::uint8_t>(produced));
      f[0] = static_cast<std::uint8_t>(size & 0xFF);
      if (r.push(f, static_cast<std::int64_t>(produced))) {
        expected.push_back(f);
        ++produced;
      } else {
        EXPECT_FALSE(r.fits(size));
      }
    } else if (!r.empty()) {
      auto got = r.front();
      ASSERT_EQ(std::vector<std::uint8_t>(got.data.begin(), got.data.end()), expected[next_check]);
      EXPECT_EQ(got.position_ms, static_cast<std::int64_t>(next_check));
      r.pop();
      ++next_check;
    }
  }
  EXPECT_GT(produced, 1000u);
}

TEST(FrameRing, ClearEmpties) {
  frame_ring r(4, 100);
  r.push(frame(10, 1), 0);
  r.clear();
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.push(frame(100, 1), 0));
}

TEST(FrameRing, ResetCapacityEmptiesAndResizesTheByteBudget) {
  frame_ring r(4, 100);
  ASSERT_TRUE(r.push(frame(60, 1), 0));
  r.reset_capacity(300);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.capacity_bytes(), 300u);
  EXPECT_TRUE(r.push(frame(150, 2), 0));
  EXPECT_TRUE(r.push(frame(150, 3), 20));
  EXPECT_FALSE(r.fits(1));
  EXPECT_EQ(r.front().data[0], 2);
  r.reset_capacity(50);
  EXPECT_FALSE(r.push(frame(60, 4), 0));  // larger than the whole ring now
  EXPECT_TRUE(r.push(frame(50, 4), 0));
}

}  // namespace
}  // namespace vb::node
