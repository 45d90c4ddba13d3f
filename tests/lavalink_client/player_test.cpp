#include "vectobeat/lavalink_client/player.hpp"

#include <gtest/gtest.h>

#include "test_track.hpp"

namespace vb::llc {
namespace {

using namespace std::chrono_literals;
using test::make_test_track;

class PlayerTest : public ::testing::Test {
 protected:
  manual_clock clk;
  player p{42, clk};
};

TEST_F(PlayerTest, VoiceIsSentOnlyWhenAllFourFieldsAreKnown) {
  EXPECT_FALSE(p.on_voice_state("sess", 7).has_value());  // no server yet
  auto v = p.on_voice_server("tok", std::string("eu.discord.media:443"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->token, "tok");
  EXPECT_EQ(v->endpoint, "eu.discord.media:443");
  EXPECT_EQ(v->session_id, "sess");
  EXPECT_EQ(v->channel_id, std::optional<std::string>("7"));
}

TEST_F(PlayerTest, ServerUpdateFirstThenStateUpdate) {
  EXPECT_FALSE(p.on_voice_server("tok", std::string("host:1")).has_value());
  auto v = p.on_voice_state("sess", 7);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->token, "tok");
}

TEST_F(PlayerTest, NullEndpointWaitsForTheNextUpdate) {
  (void)p.on_voice_state("sess", 7);
  ASSERT_TRUE(p.on_voice_server("tok1", std::string("a:1")).has_value());
  EXPECT_FALSE(p.on_voice_server("tok2", std::nullopt).has_value());
  EXPECT_FALSE(p.voice().has_value());
  auto v = p.on_voice_server("tok3", std::string("b:2"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->token, "tok3");
  EXPECT_EQ(v->endpoint, "b:2");
}

TEST_F(PlayerTest, EveryServerUpdateIsResentAndStateOnlyWhenChanged) {
  (void)p.on_voice_state("sess", 7);
  ASSERT_TRUE(p.on_voice_server("tok", std::string("a:1")).has_value());
  EXPECT_TRUE(p.on_voice_server("tok", std::string("a:1")).has_value());  // same server, still sent
  EXPECT_FALSE(p.on_voice_state("sess", 7).has_value());                  // nothing changed
  auto moved = p.on_voice_state("sess", 8);                               // moved channel
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->channel_id, std::optional<std::string>("8"));
  EXPECT_FALSE(p.on_voice_state("sess", std::nullopt).has_value());       // left voice
  EXPECT_FALSE(p.voice().has_value());
}

TEST_F(PlayerTest, PositionAdvancesWhilePlayingOnly) {
  p.set_track(make_test_track("a", "A", 60000), 1000, false, std::nullopt);
  clk.advance(2500ms);
  EXPECT_EQ(p.position(), 3500);
  p.set_paused(true);
  clk.advance(10s);
  EXPECT_EQ(p.position(), 3500);
  p.set_paused(false);
  clk.advance(500ms);
  EXPECT_EQ(p.position(), 4000);
  p.apply(lavalink::player_state{0, 10000, true, 30});  // playerUpdate corrects it
  EXPECT_EQ(p.position(), 10000);
  clk.advance(100s);
  EXPECT_EQ(p.position(), 60000);  // capped at the length
}

TEST_F(PlayerTest, TimescaleScalesTheExtrapolation) {
  p.set_track(make_test_track("a", "A", 600000), 0, false, std::nullopt);
  lavalink::filters f;
  f.timescale = lavalink::timescale_filter{1.5, 1.0, 1.0};
  p.set_filters(f);
  clk.advance(2s);
  EXPECT_EQ(p.position(), 3000);
}

TEST_F(PlayerTest, ExactlyOneAdvancePerEndedTrack) {
  auto a = make_test_track("a", "A");
  p.set_track(a, 0, false, std::nullopt);
  p.on_track_start(a);
  auto first = p.on_track_end(a, lavalink::track_end_reason::finished);
  EXPECT_TRUE(first.forward);
  EXPECT_TRUE(first.may_start_next);
  auto repeat = p.on_track_end(a, lavalink::track_end_reason::finished);  // replayed after a resume
  EXPECT_FALSE(repeat.forward);
  EXPECT_FALSE(repeat.may_start_next);
}

TEST_F(PlayerTest, EndOfAReplacedTrackNeverAdvances) {
  auto a = make_test_track("a", "A");
  auto b = make_test_track("b", "B");
  p.set_track(a, 0, false, std::nullopt);
  p.set_track(b, 0, false, std::nullopt);  // the bot skipped to B
  // Even a "finished" end of A that crossed the skip must not advance past B.
  auto late = p.on_track_end(a, lavalink::track_end_reason::finished);
  EXPECT_TRUE(late.forward);
  EXPECT_FALSE(late.may_start_next);
  auto replaced = p.on_track_end(a, lavalink::track_end_reason::replaced);
  EXPECT_FALSE(replaced.may_start_next);
  EXPECT_TRUE(p.track().has_value());
  EXPECT_TRUE(p.on_track_end(b, lavalink::track_end_reason::load_failed).may_start_next);
}

TEST_F(PlayerTest, StoppedAndCleanupDoNotAdvance) {
  auto a = make_test_track("a", "A");
  p.set_track(a, 0, false, std::nullopt);
  EXPECT_FALSE(p.on_track_end(a, lavalink::track_end_reason::cleanup).may_start_next);
  p.set_track(a, 0, false, std::nullopt);
  p.clear_track();
  EXPECT_FALSE(p.on_track_end(a, lavalink::track_end_reason::stopped).may_start_next);
}

TEST_F(PlayerTest, RestoreUpdateCarriesTheWholeStateMinusTheRewind) {
  (void)p.on_voice_state("sess", 7);
  (void)p.on_voice_server("tok", std::string("a:1"));
  auto a = make_test_track("a", "A", 300000);
  a.user_data["requester"] = "555";
  p.set_track(a, 0, false, 200000);
  clk.advance(90s);
  p.set_paused(true);
  p.set_volume(80);
  lavalink::filters f;
  f.volume = 0.5;
  p.set_filters(f);
  p.on_node_lost(1000ms);
  clk.advance(30s);  // no node plays it: the position stays
  auto u = p.restore_update(true);
  ASSERT_TRUE(u.voice.present());
  EXPECT_EQ(u.voice->channel_id, std::optional<std::string>("7"));
  ASSERT_TRUE(u.track.present());
  EXPECT_EQ(u.track->encoded.value(), std::optional<std::string>(a.encoded));
  EXPECT_EQ(u.track->user_data.value().at("requester"), "555");
  EXPECT_EQ(u.position.value(), 89000);
  EXPECT_EQ(u.paused.value(), true);
  EXPECT_EQ(u.volume.value(), 80);
  EXPECT_EQ(u.filters.value(), f);
  EXPECT_EQ(u.end_time.value(), std::optional<std::int64_t>(200000));
  EXPECT_TRUE(p.take_replay_flag(a));
  EXPECT_FALSE(p.take_replay_flag(a));
}

TEST_F(PlayerTest, StreamsRestartWithoutAPosition) {
  auto live = make_test_track("live", "Radio", 0, true);
  p.set_track(live, 0, false, std::nullopt);
  clk.advance(60s);
  p.on_node_lost(1000ms);
  auto u = p.restore_update(false);
  EXPECT_FALSE(u.position.present());
  EXPECT_TRUE(u.track.present());
}

TEST_F(PlayerTest, AnswerWithoutTrackDoesNotDropTheTrackTheBotStarted) {
  auto a = make_test_track("a", "A");
  p.set_track(a, 0, false, std::nullopt);
  lavalink::player answer;
  answer.guild_id = 42;
  p.apply(answer);  // e.g. the load failed at once; TrackEndEvent(loadFailed) follows
  ASSERT_TRUE(p.track().has_value());
  EXPECT_TRUE(p.on_track_end(a, lavalink::track_end_reason::load_failed).may_start_next);
}

TEST_F(PlayerTest, SnapshotRoundTripsThroughLoad) {
  auto a = make_test_track("a", "A");
  p.set_track(a, 5000, true, std::nullopt);
  p.set_volume(150);
  (void)p.on_voice_state("sess", 9);
  auto s = p.snapshot("main");
  EXPECT_EQ(s.node, "main");
  EXPECT_EQ(s.position, 5000);
  EXPECT_EQ(s.channel_id, std::optional<std::uint64_t>(9));
  player q(42, clk);
  q.load(s);
  EXPECT_EQ(q.snapshot("main").track, s.track);
  EXPECT_EQ(q.position(), 5000);
  EXPECT_EQ(q.volume(), 150);
  EXPECT_TRUE(q.paused());
}

}  // namespace
}  // namespace vb::llc
