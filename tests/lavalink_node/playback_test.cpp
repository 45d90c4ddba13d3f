#include "vectobeat/node/playback.hpp"

#include <gtest/gtest.h>

#include "audio/fixtures.hpp"
#include "lavalink_node/test_media.hpp"
#include "vectobeat/audio/memory_source.hpp"

namespace vb::node {
namespace {

using namespace std::chrono_literals;
using test::recording_listener;
using test::recording_sink;

// A feed that is never ready: the network has not delivered anything.
class starving_feed final : public media_feed {
 public:
  bool ready(std::size_t) const override { return ready_; }
  void close() override {}
  bool ready_ = false;
};

// A source that fails after `good` bytes (a connection that breaks mid-track).
class failing_source final : public audio::byte_source {
 public:
  failing_source(std::vector<std::uint8_t> bytes, std::size_t good) : bytes_(std::move(bytes)), good_(good) {}
  expected<std::size_t, audio::audio_error> read(std::span<std::byte> out) override {
    if (pos_ >= good_) return unexpected(audio::audio_error::io_error);
    const auto n = std::min(out.size(), good_ - pos_);
    std::memcpy(out.data(), bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t good_, pos_ = 0;
};

class PlaybackTest : public ::testing::Test {
 protected:
  void SetUp() override { make(); }

  void make() {
    pb_ = std::make_unique<playback>(opts_, listener_);
    pb_->set_sink(sink_);
  }

  static std::unique_ptr<track_media> media_of(std::vector<std::uint8_t> bytes, std::shared_ptr<media_feed> feed = nullptr) {
    auto d = audio::decoder::open(std::make_unique<audio::memory_source>(std::move(bytes)));
    if (!d) return nullptr;
    return std::make_unique<track_media>(std::move(*d), std::move(feed));
  }

  void start(std::unique_ptr<track_media> m, std::uint64_t gen = 1) {
    pb_->begin(gen, now_);
    pb_->load(gen, std::move(m), now_);
  }

  // One 20 ms period: run ahead, then the clock ticks.
  void period(int n = 1) {
    for (int i = 0; i < n; ++i) {
      while (pb_->wants_frame()) pb_->produce(scratch_);
      pb_->tick(now_);
      now_ += 20ms;
    }
  }

  // Periods until the track ends (bounded).
  int play_to_end(int limit = 2000) {
    int n = 0;
    while (listener_->ends().empty() && n < limit) {
      period();
      ++n;
    }
    return n;
  }

  playback_options opts_;
  std::shared_ptr<recording_listener> listener_ = std::make_shared<recording_listener>();
  std::shared_ptr<recording_sink> sink_ = std::make_shared<recording_sink>();
  worker_scratch scratch_;
  steady_time now_{std::chrono::hours(10)};
  std::unique_ptr<playback> pb_;
};

TEST_F(PlaybackTest, PlaysAWholeTrackAndEndsFinished) {
  start(media_of(test::wav_tone(440, 1.0)));
  EXPECT_TRUE(pb_->playing());
  play_to_end();
  auto ends = listener_->ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].generation, 1u);
  EXPECT_EQ(ends[0].reason, lavalink::track_end_reason::finished);
  EXPECT_FALSE(ends[0].exception);
  EXPECT_EQ(sink_->count(), 50u);  // 1 s = 50 frames of 20 ms
  EXPECT_EQ(pb_->frames_sent(), 50u);
  EXPECT_EQ(pb_->frames_nulled(), 0u);
  auto a = test::analyse_opus(sink_->frames());
  EXPECT_NEAR(a.frequency_hz, 440.0, 440.0 * 0.01);
  EXPECT_NEAR(a.duration_ms, 1000.0, 60.0);
  EXPECT_FALSE(pb_->playing());
  EXPECT_GE(sink_->speaking_off(), 1);  // trailing silence requested after the last frame
}

TEST_F(PlaybackTest, RunAheadIsBoundedByTheBuffer) {
  opts_.max_frames = 5;
  make();
  start(media_of(test::wav_tone(440, 1.0)));
  while (pb_->wants_frame()) pb_->produce(scratch_);
  EXPECT_EQ(pb_->buffered(), 5u);
  EXPECT_EQ(sink_->count(), 0u);
}

TEST_F(PlaybackTest, RunAheadKeepsItsDepthWhenFramesAreLarge) {
  // The ring's byte budget follows the bitrate: noise at 256 kb/s (~640-byte frames, the most
  // an encoder spends) still buffers the whole depth, and plays without a gap.
  opts_.max_frames = 20;
  opts_.opus_bitrate = 256000;
  make();
  start(media_of(test::wav_noise(3.0)));
  while (pb_->wants_frame()) pb_->produce(scratch_);
  EXPECT_EQ(pb_->buffered(), 20u);
  play_to_end();
  EXPECT_EQ(sink_->count(), 150u);
  EXPECT_EQ(pb_->frames_nulled(), 0u);
  std::size_t bytes = 0;
  for (const auto& f : sink_->frames()) bytes += f.size();
  EXPECT_GT(bytes / sink_->count(), 500u);  // the frames really were large
}

TEST_F(PlaybackTest, FrameRingBudgetFollowsTheBitrate) {
  EXPECT_EQ(frame_ring_bytes(20, 64000), 20u * 320 + 1400);
  EXPECT_EQ(frame_ring_bytes(20, 510000), 20u * 1400 + 1400);  // at most one largest frame per frame
  EXPECT_EQ(frame_ring_bytes(20, 6000), 20u * 128 + 1400);
  EXPECT_EQ(frame_ring_bytes(20, 0), 20u * 512 + 1400);  // unknown bitrate
}

TEST_F(PlaybackTest, PositionFollowsTheFramesSent) {
  start(media_of(test::wav_tone(440, 2.0)));
  period(25);
  EXPECT_EQ(pb_->position_ms(), 480);  // the 25th frame starts at 480 ms
}

TEST_F(PlaybackTest, PausedAndUnreadySinksConsumeNothing) {
  start(media_of(test::wav_tone(440, 1.0)));
  period(5);
  pb_->set_paused(true);
  EXPECT_FALSE(pb_->playing());
  period(10);
  EXPECT_EQ(sink_->count(), 5u);
  pb_->set_paused(false);
  sink_->set_ready(false);  // voice connection not ready: not polled
  period(10);
  EXPECT_EQ(sink_->count(), 5u);
  EXPECT_EQ(pb_->frames_nulled(), 0u);
  sink_->set_ready(true);
  play_to_end();
  EXPECT_EQ(sink_->count(), 50u);
}

TEST_F(PlaybackTest, EndTimeFinishesTheTrackEarly) {
  start(media_of(test::wav_tone(440, 2.0)));
  pb_->set_end_time(500);
  play_to_end();
  ASSERT_EQ(listener_->ends().size(), 1u);
  EXPECT_EQ(listener_->ends()[0].reason, lavalink::track_end_reason::finished);
  EXPECT_EQ(sink_->count(), 25u);
}

TEST_F(PlaybackTest, AStarvedTrackCountsNulledFramesAndIsReportedStuckOnce) {
  opts_.stuck_threshold = 200ms;
  make();
  auto feed = std::make_shared<starving_feed>();
  start(media_of(test::wav_tone(440, 1.0), feed));
  period(9);
  EXPECT_TRUE(listener_->stuck().empty());
  period(5);
  EXPECT_EQ(listener_->stuck().size(), 1u);
  period(20);
  EXPECT_EQ(listener_->stuck().size(), 1u);  // once per stall
  EXPECT_EQ(pb_->frames_nulled(), 34u);
  EXPECT_EQ(sink_->count(), 0u);
  EXPECT_TRUE(listener_->ends().empty());  // stuck does not end the track
  feed->ready_ = true;
  period(3);
  EXPECT_EQ(sink_->count(), 3u);
}

TEST_F(PlaybackTest, AShortUnderrunKeepsSpeakingALongOneEndsIt) {
  opts_.max_frames = 2;
  opts_.speaking_grace_frames = 5;
  make();
  auto feed = std::make_shared<starving_feed>();
  feed->ready_ = true;
  start(media_of(test::wav_tone(440, 2.0), feed));
  period(10);
  ASSERT_EQ(sink_->count(), 10u);
  feed->ready_ = false;  // the network stalls: the buffered frame goes, then nothing
  period(1 + 4);
  EXPECT_EQ(sink_->count(), 11u);
  EXPECT_EQ(sink_->speaking_off(), 0);  // 4 empty ticks: within the grace, still speaking
  feed->ready_ = true;
  period(5);
  EXPECT_EQ(sink_->count(), 16u);
  EXPECT_EQ(sink_->speaking_off(), 0);
  feed->ready_ = false;
  period(1 + 5);
  EXPECT_EQ(sink_->speaking_off(), 1);  // the 5th empty tick in a row ends speaking, once
  period(10);
  EXPECT_EQ(sink_->speaking_off(), 1);
  EXPECT_EQ(pb_->frames_nulled(), 4u + 15u);
}

TEST_F(PlaybackTest, ADecodeFailureMidTrackEndsFinishedWithAnException) {
  auto bytes = test::wav_tone(440, 2.0);
  auto d = audio::decoder::open(std::make_unique<failing_source>(bytes, bytes.size() / 2));
  ASSERT_TRUE(d);
  start(std::make_unique<track_media>(std::move(*d)));
  play_to_end();
  auto ends = listener_->ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].reason, lavalink::track_end_reason::finished);
  ASSERT_TRUE(ends[0].exception);
  EXPECT_EQ(ends[0].exception->severity, lavalink::exception_severity::suspicious);
  EXPECT_GT(sink_->count(), 20u);
}

TEST_F(PlaybackTest, AFailedOpenEndsLoadFailed) {
  pb_->begin(7, now_);
  pb_->fail(6, {});  // stale generation: ignored
  EXPECT_TRUE(listener_->ends().empty());
  lavalink::exception_info e;
  e.message = "nope";
  pb_->fail(7, e);
  auto ends = listener_->ends();
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].reason, lavalink::track_end_reason::load_failed);
  EXPECT_EQ(ends[0].exception->message, "nope");
}

TEST_F(PlaybackTest, StaleMediaIsDroppedAndStopIsSilent) {
  pb_->begin(2, now_);
  pb_->load(1, media_of(test::wav_tone(440, 1.0)), now_);  // for an older track
  period(3);
  EXPECT_EQ(sink_->count(), 0u);
  pb_->load(2, media_of(test::wav_tone(440, 1.0)), now_);
  period(3);
  EXPECT_EQ(sink_->count(), 3u);
  pb_->stop();
  period(3);
  EXPECT_EQ(sink_->count(), 3u);
  EXPECT_TRUE(listener_->ends().empty());  // the control plane reports stops itself
}

TEST_F(PlaybackTest, SeekHandsTheMediaOutAndBack) {
  start(media_of(test::wav_tone(440, 3.0)));
  period(5);
  auto job = pb_->request_seek(1, 2000);
  ASSERT_TRUE(job);
  EXPECT_FALSE(pb_->request_seek(1, 2500));  // queued behind the running seek
  period(2);  // buffered frames keep playing meanwhile
  EXPECT_EQ(sink_->count(), 7u);
  ASSERT_TRUE(job->media->decoder.seek(2000ms));
  auto next = pb_->finish_seek(std::move(*job), true, now_);
  ASSERT_TRUE(next);  // the queued seek runs next
  EXPECT_EQ(next->position_ms, 2500);
  ASSERT_TRUE(next->media->decoder.seek(2500ms));
  EXPECT_FALSE(pb_->finish_seek(std::move(*next), true, now_));
  EXPECT_EQ(pb_->position_ms(), 2500);
  play_to_end();
  EXPECT_EQ(sink_->count(), 7u + 25u);  // 0.5 s left after 2.5 s
}

TEST_F(PlaybackTest, ASeekWhileTheTrackOpensRunsOnceItIsLoaded) {
  pb_->begin(1, now_);
  EXPECT_FALSE(pb_->request_seek(1, 2000));  // still opening: remembered
  auto job = pb_->load(1, media_of(test::wav_tone(440, 3.0)), now_);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->position_ms, 2000);
  ASSERT_TRUE(job->media->decoder.seek(std::chrono::milliseconds(job->position_ms)));
  EXPECT_FALSE(pb_->finish_seek(std::move(*job), true, now_));
  play_to_end();
  EXPECT_EQ(sink_->count(), 50u);  // the last second only
}

TEST_F(PlaybackTest, VolumeAndFiltersChangeTheSignal) {
  start(media_of(test::wav_tone(1000, 2.0)));
  period(40);
  audio::filter_settings f;
  pb_->configure(f, 50);  // lavaplayer curve: about -8 dB
  play_to_end();
  auto frames = sink_->frames();
  std::vector<std::vector<std::uint8_t>> before(frames.begin() + 5, frames.begin() + 30);
  std::vector<std::vector<std::uint8_t>> after(frames.begin() + 70, frames.begin() + 95);
  const auto a = test::analyse_opus(before), b = test::analyse_opus(after);
  ASSERT_GT(a.rms, 0.1);
  const double ratio = b.rms / a.rms;
  EXPECT_NEAR(ratio, std::tan(50 * 0.0079) / std::tan(100 * 0.0079), 0.05);
}

TEST_F(PlaybackTest, OpusIsPassedThroughUntilSomethingAltersTheAudio) {
  if (!audio::test::ffmpeg_available()) GTEST_SKIP() << "ffmpeg CLI not installed";
  auto bytes = audio::test::read_bytes(audio::test::fixture("tone.opus"));
  ASSERT_FALSE(bytes.empty());
  auto direct = audio::decoder::open(std::make_unique<audio::memory_source>(bytes));
  ASSERT_TRUE(direct);
  std::vector<std::vector<std::uint8_t>> container;
  audio::opus_packet pkt;
  while (true) {
    auto r = direct->next_opus_packet(pkt);
    if (!r || *r == audio::read_status::end_of_stream) break;
    container.emplace_back(pkt.data.begin(), pkt.data.end());
  }
  start(media_of(bytes));
  period(20);
  EXPECT_TRUE(pb_->passthrough_active());
  auto sent = sink_->frames();
  ASSERT_EQ(sent.size(), 20u);
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(sent[i], container[i]) << i;  // byte for byte
  pb_->configure({}, 150);
  period(40);
  EXPECT_FALSE(pb_->passthrough_active());
  sent = sink_->frames();
  EXPECT_NE(sent[55], container[55]);  // re-encoded after the buffered frames
}

TEST_F(PlaybackTest, MinuteCountersFollowLavalinksDefinition) {
  // Start just after a minute boundary so the first minute is partial (not usable).
  now_ = steady_time(std::chrono::minutes(600) + 10s);
  start(media_of(test::wav_tone(440, 200.0, 8000)));
  period(50 * 50);  // to 60 s: the partial minute ends
  EXPECT_FALSE(pb_->last_minute().usable);
  period(50 * 60 + 1);  // one whole minute, and the tick that closes it
  auto c = pb_->last_minute();
  EXPECT_TRUE(c.usable);
  EXPECT_EQ(c.sent + c.nulled, 3000);
  EXPECT_EQ(c.nulled, 0);
}

}  // namespace
}  // namespace vb::node
