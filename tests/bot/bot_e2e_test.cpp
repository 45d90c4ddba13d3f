// The bot end to end over loopback: the fake Discord, in-process audio nodes, a local
// media server and the bot. A scripted user joins voice and runs commands; the fake's
// recorder hears what the node sends.
#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include "bot/bot_fixture.hpp"

namespace vb::bot::test {
namespace {

class BotPlayback : public BotE2E {};

TEST_F(BotPlayback, PlayFromAUrlIsHeardAndTheControlsBehave) {
  start_node("main");
  start_bot();
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));

  // /play: deferred, then the reply shows the track; the recorder hears 440 Hz.
  auto play = run(demo_.alice, "play", {str_opt("query", media_->url("/a440.wav"))});
  EXPECT_EQ(play.callback_type.value_or(0), 5);
  EXPECT_NE(reply_text(play).find("Now Playing"), std::string::npos) << reply_text(play);
  auto bot_voice = fake_->wait_for_voice_state(demo_.guild, 10s);
  ASSERT_TRUE(bot_voice);
  EXPECT_EQ(bot_voice->channel_id, demo_.music);
  EXPECT_TRUE(bot_voice->self_deaf);
  auto conn = wait_audio(150);
  ASSERT_TRUE(conn) << "no audio reached the fake's voice server";
  const double f440 = recorded_frequency(*fake_, conn->id, 2.0);
  std::printf("recorded %.2f Hz (expected 440)\n", f440);
  EXPECT_NEAR(f440, 440.0, 4.4);

  // A second track is queued, visible in /queue (ephemeral).
  auto second = run(demo_.alice, "play", {str_opt("query", media_->url("/e660.wav"))});
  EXPECT_NE(reply_text(second).find("Added to Queue"), std::string::npos) << reply_text(second);
  auto queue = run(demo_.alice, "queue");
  EXPECT_TRUE(reply_ephemeral(queue));
  EXPECT_NE(reply_text(queue).find("1 track"), std::string::npos) << reply_text(queue);
  EXPECT_NE(reply_text(queue).find("`1.`"), std::string::npos) << reply_text(queue);

  // /loop, /volume, /seek, /pause, /resume change what the player does.
  auto loop = run(demo_.alice, "loop", {int_opt("mode", 1)});
  EXPECT_NE(reply_text(loop).find("Track"), std::string::npos);
  EXPECT_EQ(player()->loop, storage::loop_mode::track);
  run(demo_.alice, "loop", {int_opt("mode", 0)});
  EXPECT_EQ(player()->loop, storage::loop_mode::off);

  auto vol = run(demo_.alice, "volume", {int_opt("level", 50)});
  EXPECT_NE(reply_text(vol).find("50%"), std::string::npos) << reply_text(vol);
  EXPECT_EQ(player()->volume, 50);

  auto seek = run(demo_.alice, "seek", {str_opt("position", "0:20")});
  EXPECT_NE(reply_text(seek).find("0:20"), std::string::npos) << reply_text(seek);
  EXPECT_TRUE(eventually([&] { return player()->position >= 20000; }, 10s)) << player()->position;

  auto pause = run(demo_.alice, "pause");
  EXPECT_NE(reply_text(pause).find("Paused"), std::string::npos);
  EXPECT_TRUE(player()->paused);
  auto again = run(demo_.alice, "pause");
  EXPECT_TRUE(reply_ephemeral(again));
  EXPECT_NE(reply_text(again).find("already paused"), std::string::npos);
  run(demo_.alice, "resume");
  EXPECT_FALSE(player()->paused);

  // /skip: the queued 660 Hz track plays next.
  auto skip = run(demo_.alice, "skip");
  EXPECT_NE(reply_text(skip).find("Skipped"), std::string::npos) << reply_text(skip);
  ASSERT_TRUE(player()->current);
  EXPECT_EQ(player()->current->track.info.uri.value_or(""), media_->url("/e660.wav"));
  auto now = fake_->voice_connection(conn->id);
  ASSERT_TRUE(now);
  ASSERT_TRUE(wait_audio(now->stats.packets + 150, 20s));
  const double f660 = recorded_frequency(*fake_, conn->id, 1.5);
  std::printf("after skip %.2f Hz (expected 660)\n", f660);
  EXPECT_NEAR(f660, 660.0, 6.6);

  // The status API and the metrics see it.
  auto metrics = bot_->metrics_text();
  EXPECT_NE(metrics.find("vectobeat_commands_total{command=\"play\",status=\"success\"} 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("vectobeat_lavalink_active_players 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("vectobeat_lavalink_node_up{node=\"main\"} 1"), std::string::npos) << metrics;
}

TEST_F(BotPlayback, BadInputGetsAClearEphemeralMessage) {
  start_node("main");
  queue_limit_ = 2;
  start_bot();
  // An unknown command: one registered by an older version of the bot is still in the
  // user's client.
  ASSERT_EQ(discord_post("/applications/" + std::to_string(fake_->application_id()) + "/commands",
                         R"({"name":"oldcommand","description":"Gone in this version","type":1})"),
            201);
  auto unknown = run(demo_.alice, "oldcommand");
  EXPECT_TRUE(reply_ephemeral(unknown));
  EXPECT_NE(reply_text(unknown).find("I do not know the command `/oldcommand`"), std::string::npos) << reply_text(unknown);

  // A user outside voice.
  auto outside = run(demo_.carol, "play", {str_opt("query", media_->url("/a440.wav"))});
  EXPECT_TRUE(reply_ephemeral(outside));
  EXPECT_NE(reply_text(outside).find("Join a voice channel"), std::string::npos) << reply_text(outside);
  EXPECT_FALSE(player() && player()->current) << "nothing may start for a user outside voice";

  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.alice, demo_.music));
  // Nothing plays yet.
  auto idle = run(demo_.alice, "skip");
  EXPECT_TRUE(reply_ephemeral(idle));
  EXPECT_NE(reply_text(idle).find("Nothing is playing"), std::string::npos);
  // An unreachable URL.
  auto bad_url = run(demo_.alice, "play", {str_opt("query", "http://127.0.0.1:1/missing.wav")});
  EXPECT_TRUE(reply_ephemeral(bad_url)) << reply_text(bad_url);
  EXPECT_NE(reply_text(bad_url).find("I could not load that"), std::string::npos) << reply_text(bad_url);
  EXPECT_FALSE(player() && player()->current);

  auto ok = run(demo_.alice, "play", {str_opt("query", media_->url("/a440.wav"))});
  EXPECT_FALSE(reply_ephemeral(ok)) << reply_text(ok);
  // Invalid options.
  auto seek = run(demo_.alice, "seek", {str_opt("position", "soon")});
  EXPECT_TRUE(reply_ephemeral(seek));
  EXPECT_NE(reply_text(seek).find("not a position"), std::string::npos) << reply_text(seek);
  auto garbled = run(demo_.alice, "seek", {str_opt("position", "9x:zz")});
  EXPECT_TRUE(reply_ephemeral(garbled));
  EXPECT_NE(reply_text(garbled).find("`9x:zz` is not a position"), std::string::npos) << reply_text(garbled);
  auto too_far = run(demo_.alice, "seek", {str_opt("position", "9:00")});
  EXPECT_TRUE(reply_ephemeral(too_far));
  EXPECT_NE(reply_text(too_far).find("only 0:30 long"), std::string::npos) << reply_text(too_far);
  // Discord's client enforces min/max, but a stale or crafted client does not.
  auto loud = run(demo_.alice, "volume", {int_opt("level", 500)});
  EXPECT_TRUE(reply_ephemeral(loud));
  EXPECT_NE(reply_text(loud).find("between 0 and 200"), std::string::npos) << reply_text(loud);
  EXPECT_EQ(player()->volume, 100);
  auto loop = run(demo_.alice, "loop", {int_opt("mode", 7)});
  EXPECT_TRUE(reply_ephemeral(loop));
  EXPECT_NE(reply_text(loop).find("Off, Track or Queue"), std::string::npos) << reply_text(loop);
  auto remove = run(demo_.alice, "remove", {int_opt("index", 9)});
  EXPECT_TRUE(reply_ephemeral(remove));
  EXPECT_NE(reply_text(remove).find("no entry 9"), std::string::npos) << reply_text(remove);
  // A user in another channel cannot steer the bot.
  ASSERT_FALSE(fake_->set_user_voice(demo_.guild, demo_.bob, demo_.lounge));
  auto elsewhere = run(demo_.bob, "pause");
  EXPECT_TRUE(reply_ephemeral(elsewhere));
  EXPECT_NE(reply_text(elsewhere).find("with me"), std::string::npos) << reply_text(elsewhere);
  // A full queue (limit 2 in this test).
  for (int i = 0; i < 2; ++i) {
    auto added = run(demo_.alice, "play", {str_opt("query", media_->url("/e660.wav"))});
    EXPECT_NE(reply_text(added).find("Added to Queue"), std::string::npos) << reply_text(added);
  }
  auto full = run(demo_.alice, "play", {str_opt("query", media_->url("/e660.wav"))});
  EXPECT_TRUE(reply_ephemeral(full));
  EXPECT_NE(reply_text(full).find("The queue is full (2 tracks)"), std::string::npos) << reply_text(full);
  EXPECT_EQ(player()->upcoming.size(), 2u);
}

}  // namespace
}  // namespace vb::bot::test
