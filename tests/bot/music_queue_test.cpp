#include "vectobeat/bot/music_queue.hpp"

#include <gtest/gtest.h>

namespace vb::bot {
namespace {

queue_entry entry(std::string id, std::int64_t length = 1000) {
  queue_entry e;
  e.track.encoded = "enc-" + id;
  e.track.info.identifier = id;
  e.track.info.length = length;
  return e;
}

std::vector<std::string> ids(const music_queue& q) {
  std::vector<std::string> out;
  for (auto& e : q.upcoming()) out.push_back(e.track.info.identifier);
  return out;
}

TEST(MusicQueue, AdvancesThroughTheQueueOnce) {
  music_queue q;
  q.set_current(entry("a"));
  q.add({entry("b"), entry("c")});
  EXPECT_EQ(q.advance()->track.info.identifier, "b");
  EXPECT_EQ(q.advance()->track.info.identifier, "c");
  EXPECT_FALSE(q.advance());
  EXPECT_TRUE(q.empty());
}

TEST(MusicQueue, LoopTrackReplaysButSkipMovesOn) {
  music_queue q;
  q.set_current(entry("a"));
  q.add({entry("b")});
  q.set_loop(loop_mode::track);
  EXPECT_EQ(q.advance()->track.info.identifier, "a");
  EXPECT_EQ(q.skip()->track.info.identifier, "b");
}

TEST(MusicQueue, LoopQueueCyclesEveryEntry) {
  music_queue q;
  q.set_current(entry("a"));
  q.add({entry("b")});
  q.set_loop(loop_mode::queue);
  EXPECT_EQ(q.advance()->track.info.identifier, "b");
  EXPECT_EQ(q.advance()->track.info.identifier, "a");
  EXPECT_EQ(q.advance()->track.info.identifier, "b");
}

TEST(MusicQueue, CapacityIsEnforced) {
  music_queue q(2);
  EXPECT_EQ(q.add({entry("a"), entry("b"), entry("c")}), 2u);
  EXPECT_EQ(q.room(), 0u);
  EXPECT_EQ(q.add({entry("d")}), 0u);
  EXPECT_EQ(ids(q), (std::vector<std::string>{"a", "b"}));
}

TEST(MusicQueue, RemoveAndMoveUseOneBasedIndexes) {
  music_queue q;
  q.add({entry("a"), entry("b"), entry("c")});
  EXPECT_FALSE(q.remove(0));
  EXPECT_FALSE(q.remove(4));
  EXPECT_EQ(q.remove(2)->track.info.identifier, "b");
  ASSERT_TRUE(q.move(2, 1));
  EXPECT_EQ(ids(q), (std::vector<std::string>{"c", "a"}));
  EXPECT_FALSE(q.move(1, 3));
}

TEST(MusicQueue, ShuffleKeepsEveryEntryAndNeedsTwo) {
  music_queue q;
  std::mt19937_64 rng(7);
  q.add({entry("a")});
  EXPECT_FALSE(q.shuffle(rng));
  q.add({entry("b"), entry("c"), entry("d"), entry("e")});
  ASSERT_TRUE(q.shuffle(rng));
  auto v = ids(q);
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

TEST(MusicQueue, RoundTripsThroughTheStoredState) {
  music_queue q;
  q.set_current(entry("a"));
  q.add({entry("b"), entry("c", 2000)});
  q.set_loop(loop_mode::queue);
  storage::queue_state s;
  q.to_state(s);
  music_queue r;
  r.from_state(s);
  EXPECT_EQ(r.current()->track.info.identifier, "a");
  EXPECT_EQ(ids(r), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(r.loop(), loop_mode::queue);
  EXPECT_EQ(r.upcoming_duration(), 3000);
}

}  // namespace
}  // namespace vb::bot
