#include "vectobeat/discord/shard_manager.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/config.hpp"
#include "vectobeat/common/settings.hpp"

namespace vb::discord {
namespace {

using namespace std::chrono_literals;

TEST(ShardRange, ParsesRangesListsAndAll) {
  EXPECT_EQ(*parse_shard_range("0-3", 8), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(*parse_shard_range("5", 8), (std::vector<int>{5}));
  EXPECT_EQ(*parse_shard_range("0, 2, 4-6", 8), (std::vector<int>{0, 2, 4, 5, 6}));
  EXPECT_EQ(*parse_shard_range("", 3), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(*parse_shard_range("all", 2), (std::vector<int>{0, 1}));
  EXPECT_FALSE(parse_shard_range("0-8", 8));  // outside the total
  EXPECT_FALSE(parse_shard_range("3-1", 8));
  EXPECT_FALSE(parse_shard_range("1,1", 8));
  EXPECT_FALSE(parse_shard_range("a", 8));
  EXPECT_FALSE(parse_shard_range("-1", 8));
  EXPECT_FALSE(parse_shard_range("0", 0));
  EXPECT_NE(parse_shard_range("9", 8).error().find("outside 0-7"), std::string::npos);
}

TEST(GatewayOptions, FromSettings) {
  auto doc = config::document::parse(R"(
bot:
  token: "abc.def.ghi"
  intents: {members: true}
  shard_count: 8
  shard_ids: [2, 3]
  gateway_compression: zstd-stream
  large_threshold: 100
  presence: {status: dnd, activity_type: watching, activity_name: "the queue"}
)",
                                      "test.yml", config::map_env({}));
  auto s = read_settings(doc);
  auto o = gateway_options_from(s);
  EXPECT_EQ(o.shard_count, 8);
  EXPECT_EQ(o.shard_ids, (std::vector<int>{2, 3}));
  EXPECT_EQ(o.session.token, "abc.def.ghi");
  EXPECT_EQ(o.session.intents, intents::music_bot | intents::guild_members);
  EXPECT_EQ(o.session.compression, gateway_compression::zstd_stream);
  EXPECT_EQ(o.session.large_threshold, 100);
  ASSERT_TRUE(o.session.initial_presence && o.session.initial_presence->act);
  EXPECT_EQ(o.session.initial_presence->status, "dnd");
  EXPECT_EQ(o.session.initial_presence->act->type, 3);
  EXPECT_EQ(o.session.initial_presence->act->name, "the queue");

  auto bad = config::document::parse("bot:\n  gateway_compression: brotli\n", "bad.yml", config::map_env({}));
  EXPECT_THROW(read_settings(bad), config::error);
}

class IdentifySchedulerTest : public ::testing::Test {
 protected:
  void request(identify_scheduler& s, int shard) {
    auto fn = [this, &s, shard]() -> task<void> {
      co_await s.acquire(shard);
      granted_.emplace_back(shard, clock_.now() - start_);
    };
    asio::co_spawn(ctx_, std::move(fn), asio::detached);
  }
  void settle() {
    for (int i = 0; i < 100; ++i) ctx_.poll();
  }
  asio::io_context ctx_;
  // Keeps poll() usable between requests (an io_context without work stops).
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(ctx_);
  manual_clock clock_;
  steady_time start_ = clock_.now();
  std::vector<std::pair<int, std::chrono::steady_clock::duration>> granted_;
};

TEST_F(IdentifySchedulerTest, OnePerBucketPerIntervalLowestShardFirst) {
  identify_scheduler s(clock_, 2, 5s, session_start_limit{1000, 1000, 0, 2});
  // Shards 6 and 7 (keys 0 and 1) identify at once: both buckets are busy for 5 s.
  request(s, 6);
  request(s, 7);
  settle();
  ASSERT_EQ(granted_.size(), 2u);
  // Then shards 0..5 queue up, out of order.
  for (int shard : {3, 1, 0, 2, 5, 4}) request(s, shard);
  settle();
  EXPECT_EQ(granted_.size(), 2u);
  clock_.advance(4999ms);
  settle();
  EXPECT_EQ(granted_.size(), 2u);
  clock_.advance(1ms);
  settle();
  // One per key, the lowest waiting shard of each key.
  ASSERT_EQ(granted_.size(), 4u);
  EXPECT_EQ(granted_[2].first + granted_[3].first, 0 + 1);
  clock_.advance(5s);
  settle();
  ASSERT_EQ(granted_.size(), 6u);
  EXPECT_EQ(granted_[4].first + granted_[5].first, 2 + 3);
  clock_.advance(5s);
  settle();
  ASSERT_EQ(granted_.size(), 8u);
  EXPECT_EQ(granted_[6].first + granted_[7].first, 4 + 5);
  EXPECT_EQ(granted_[7].second, 15s);
  EXPECT_EQ(s.remaining_starts(), 992);
}

TEST_F(IdentifySchedulerTest, WaitsForTheSessionStartLimitReset) {
  identify_scheduler s(clock_, 1, 5s, session_start_limit{1000, 1, 3'600'000, 1});
  request(s, 0);
  request(s, 1);
  settle();
  ASSERT_EQ(granted_.size(), 1u);
  clock_.advance(30min);
  settle();
  EXPECT_EQ(granted_.size(), 1u);  // no starts left until the reset
  clock_.advance(30min);
  settle();
  ASSERT_EQ(granted_.size(), 2u);
  EXPECT_EQ(granted_[1].second, 60min);
}

}  // namespace
}  // namespace vb::discord
