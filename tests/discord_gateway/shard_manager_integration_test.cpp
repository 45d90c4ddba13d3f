#include "vectobeat/discord/shard_manager.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <functional>

#include "discord_model/sample_payloads.hpp"
#include "scripted_gateway.hpp"
#include "vectobeat/common/clock.hpp"

namespace vb::discord {
namespace {

using namespace std::chrono_literals;

class ShardManagerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    managers_.clear();
    if (server_) server_->stop();
    for (int i = 0; i < 20; ++i) ctx_.poll();
  }

  gateway_options options(std::vector<int> ids, int total) {
    gateway_options o;
    o.shard_count = total;
    o.shard_ids = std::move(ids);
    o.session.token = "test-token";
    o.session.compression = gateway_compression::zlib_stream;
    o.session.random = [] { return 0.5; };
    return o;
  }

  gateway_bot info(int max_concurrency = 1) {
    gateway_bot b;
    b.url = server_->url();
    b.shards = 1;
    b.limit = {1000, 1000, 0, max_concurrency};
    return b;
  }

  shard_manager& make(gateway_options o) {
    managers_.push_back(std::make_unique<shard_manager>(ctx_.get_executor(), clock_, std::move(o)));
    return *managers_.back();
  }

  bool run_until(const std::function<bool()>& done) {
    const auto cap = std::chrono::steady_clock::now() + 15s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > cap) return false;
      ctx_.run_one_for(20ms);
    }
    return true;
  }

  bool all_ready(shard_manager& m) {
    for (const auto& s : m.status())
      if (s.state != shard_state::ready) return false;
    return !m.status().empty();
  }

  asio::io_context ctx_;
  manual_clock clock_;
  std::unique_ptr<test::scripted_gateway> server_;
  std::vector<std::unique_ptr<shard_manager>> managers_;
};

TEST_F(ShardManagerTest, TwoProcessesSplitTheGuildsByShardRange) {
  test::scripted_gateway_options so;
  for (std::uint64_t g = 0; g < 10; ++g) so.guilds.push_back(test::guild_create_json(g));
  server_ = std::make_unique<test::scripted_gateway>(ctx_.get_executor(), so);
  auto& a = make(options({0}, 2));
  auto& b = make(options({1}, 2));
  std::vector<int> ready_shards;
  auto sub = a.events().on<shard_ready_event>([&](const shard_ready_event& e, const event_context&) {
    ready_shards.push_back(e.shard_id);
  });
  ASSERT_FALSE(a.start(info()));
  ASSERT_FALSE(b.start(info()));
  ASSERT_TRUE(run_until([&] { return a.cache().guild_count() + b.cache().guild_count() == 10 && all_ready(a) && all_ready(b); }));
  for (std::uint64_t g = 0; g < 10; ++g) {
    const snowflake id(test::guild_id(g));
    const bool on_a = id.shard_for(2) == 0;
    EXPECT_EQ(a.cache().guild_info(id).has_value(), on_a) << g;
    EXPECT_EQ(b.cache().guild_info(id).has_value(), !on_a) << g;
    EXPECT_EQ(a.owns(id), on_a);
  }
  EXPECT_GT(a.cache().guild_count(), 0u);
  EXPECT_GT(b.cache().guild_count(), 0u);
  EXPECT_EQ(ready_shards, std::vector<int>{0});

  // Voice joins go to the shard that owns the guild, and only there.
  snowflake on_a, on_b;
  for (std::uint64_t g = 0; g < 10; ++g) {
    const snowflake id(test::guild_id(g));
    (id.shard_for(2) == 0 ? on_a : on_b) = id;
  }
  EXPECT_EQ(a.update_voice_state(on_b, snowflake(5), false, true), gateway_error::shard_not_owned);
  ASSERT_FALSE(a.update_voice_state(on_a, snowflake(5), false, true));
  ASSERT_FALSE(b.update_voice_state(on_b, snowflake(), false, false));
  ASSERT_TRUE(run_until([&] { return server_->count(4) == 2; }));
  const auto* join = server_->last(4, 0);
  ASSERT_TRUE(join);
  EXPECT_EQ(join->frame.at("d").as_object().at("guild_id").as_string(), on_a.str());
  EXPECT_EQ(join->frame.at("d").as_object().at("self_deaf").as_bool(), true);
  const auto* leave = server_->last(4, 1);
  ASSERT_TRUE(leave);
  EXPECT_TRUE(leave->frame.at("d").as_object().at("channel_id").is_null());
}

TEST_F(ShardManagerTest, IdentifiesInBucketsEveryFiveSecondsInShardOrder) {
  server_ = std::make_unique<test::scripted_gateway>(ctx_.get_executor());
  auto& m = make(options({}, 4));
  ASSERT_FALSE(m.start(info(2)));
  // max_concurrency 2: shards 0 and 1 at once, 2 and 3 five seconds later.
  ASSERT_TRUE(run_until([&] { return server_->count(2) == 2; }));
  for (int i = 0; i < 100; ++i) ctx_.poll();
  EXPECT_EQ(server_->count(2), 2u);
  EXPECT_EQ(server_->count(2, 0) + server_->count(2, 1), 2u);
  clock_.advance(5s);
  ASSERT_TRUE(run_until([&] { return server_->count(2) == 4 && all_ready(m); }));
  EXPECT_EQ(server_->count(2, 2) + server_->count(2, 3), 2u);
  EXPECT_EQ(m.total_shards(), 4);
  EXPECT_EQ(m.status().size(), 4u);
  // Latency appears once heartbeats were acknowledged.
  clock_.advance(20s);
  ASSERT_TRUE(run_until([&] { return m.average_latency_ms() == 0; }));
}

TEST_F(ShardManagerTest, ConfiguredShardsOutsideTheTotalAreRefused) {
  server_ = std::make_unique<test::scripted_gateway>(ctx_.get_executor());
  auto& m = make(options({0, 4}, 4));
  EXPECT_EQ(m.start(info()), gateway_error::invalid_shard);
  EXPECT_EQ(m.update_voice_state(snowflake(1), snowflake(2), false, false), gateway_error::not_connected);
}

}  // namespace
}  // namespace vb::discord
