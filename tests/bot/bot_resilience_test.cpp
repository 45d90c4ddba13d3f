// What users must never notice: a node dying mid-track, the bot restarting, the gateway
// dropping, a burst of commands.
#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include "bot/bot_fixture.hpp"

namespace vb::bot::test {
namespace {

class BotResilience : public BotE2E {
 protected:
  void play_and_hear(const std::string& path) {
    ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
    auto play = run(demo_.alice, "play", {str_opt("query", media_->url(path))});
    ASSERT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
    ASSERT_TRUE(wait_audio(100)) << "no audio";
  }
};

TEST_F(BotResilience, NodeFailoverResumesOnTheOtherNodeNearThePosition) {
  start_node("alpha");
  start_node("beta");
  start_bot();
  play_and_hear("/a440.wav");
  ASSERT_TRUE(eventually([&] { return player()->position >= 3000; }, 15s));
  const auto before = *player();
  ASSERT_FALSE(before.node.empty());
  const auto old_conn = fake_->wait_for_voice_connection(demo_.guild, 1s);
  ASSERT_TRUE(old_conn);
  std::size_t idx = before.node == nodes_[0].name ? 0 : 1;
  const auto killed_at = std::chrono::steady_clock::now();
  nodes_[idx].server->stop();

  // Audio flows again from the other node (a new voice connection) within 2 s.
  auto resumed = fake_->wait_for_voice_connection(demo_.guild, 10s, [&](const fake::voice_connection_info& v) {
    return v.id != old_conn->id && v.open && v.stats.packets >= 5;
  });
  const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed_at);
  ASSERT_TRUE(resumed) << "playback did not resume on the other node";
  std::printf("failover: audio again after %lld ms\n", static_cast<long long>(gap.count()));
  EXPECT_LT(gap.count(), 2000);
  EXPECT_TRUE(eventually([&] { return player()->node == nodes_[1 - idx].name; }, 5s)) << player()->node;
  // Near the same position (the pool rewinds 1 s), not from the start.
  EXPECT_GE(player()->position, before.position - 1500);
  EXPECT_EQ(player()->current->track.info.uri.value_or(""), media_->url("/a440.wav"));
}

TEST_F(BotResilience, RestartRestoresEveryQueue) {
  start_node("main");
  start_bot();
  play_and_hear("/a440.wav");
  auto second = run(demo_.alice, "play", {str_opt("query", media_->url("/e660.wav"))});
  ASSERT_NE(reply_text(second).find("Added to Queue"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return player()->position >= 3000; }, 15s));
  stop_bot();

  start_bot();
  ASSERT_TRUE(eventually([&] {
    auto p = player();
    return p && p->current && p->upcoming.size() == 1;
  }, 15s)) << "the queue was not restored";
  auto p = *player();
  EXPECT_EQ(p.current->track.info.uri.value_or(""), media_->url("/a440.wav"));
  EXPECT_EQ(p.upcoming[0].track.info.uri.value_or(""), media_->url("/e660.wav"));
  EXPECT_GE(p.position, 2000);
  // Audio flows again after the restart.
  auto conns = fake_->voice_connections();
  std::uint64_t packets = 0;
  for (auto& c : conns) packets = std::max(packets, c.stats.packets);
  ASSERT_TRUE(wait_audio(packets + 50, 20s)) << "no audio after the restart";
  auto queue = run(demo_.alice, "queue");
  EXPECT_NE(reply_text(queue).find("1 track"), std::string::npos) << reply_text(queue);
}

TEST_F(BotResilience, ForcedGatewayDisconnectLosesNoInteraction) {
  start_node("main");
  start_bot();
  ASSERT_GE(fake_->inject_gateway_fault(0, fake::gateway_fault::abort_tcp), 1);
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 5; ++i) {
    fake::command_invocation c;
    c.guild_id = demo_.guild;
    c.channel_id = demo_.general;
    c.user_id = demo_.alice;
    c.name = "uptime";
    auto r = fake_->start_command(c);
    ASSERT_TRUE(r);
    ids.push_back(r->id);
  }
  EXPECT_TRUE(fake_->wait_for_resume(0, 15s));
  for (auto id : ids) {
    auto r = fake_->wait_for_response(id, 10s);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->expired) << "interaction " << id << " was lost";
    EXPECT_TRUE(r->callback_type.has_value());
  }
}

TEST_F(BotResilience, BurstOf200CommandsCausesNo429) {
  start_node("main");
  start_bot();
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 200; ++i) {
    fake::command_invocation c;
    c.guild_id = demo_.guild;
    c.channel_id = demo_.general;
    c.user_id = i % 2 ? demo_.alice : demo_.bob;
    c.name = i % 2 ? "queue" : "uptime";
    auto r = fake_->start_command(c);
    ASSERT_TRUE(r);
    ids.push_back(r->id);
  }
  int answered = 0;
  for (auto id : ids) {
    auto r = fake_->wait_for_response(id, 10s);
    if (r && !r->expired && r->callback_type) ++answered;
  }
  EXPECT_EQ(answered, 200);
  EXPECT_EQ(fake_->rest_statistics().rate_limited, 0u);
  // Counted once each answer went out.
  EXPECT_TRUE(eventually([&] {
    return bot_->metrics_text().find("vectobeat_commands_total{command=\"uptime\",status=\"success\"} 100") !=
           std::string::npos;
  }, 10s)) << bot_->metrics_text();
}

}  // namespace
}  // namespace vb::bot::test
