#include "vectobeat/node/frame_scheduler.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <thread>

#include "lavalink_node/test_media.hpp"
#include "vectobeat/audio/memory_source.hpp"

namespace vb::node {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<track_media> tone_media(double seconds, double freq = 440) {
  auto d = audio::decoder::open(std::make_unique<audio::memory_source>(test::wav_tone(freq, seconds)));
  return d ? std::make_unique<track_media>(std::move(*d)) : nullptr;
}

// Waits (bounded) for `cond`, polling; the scheduler runs on its own threads.
template <class F>
bool eventually(F cond, std::chrono::milliseconds limit = 10s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

TEST(FrameScheduler, AssignsPlayersToTheLeastLoadedWorker) {
  asio::thread_pool loader(1);
  scheduler_options o;
  o.workers = 3;
  frame_scheduler s(o, loader.get_executor());
  EXPECT_EQ(s.worker_count(), 3);
  EXPECT_EQ(s.assign_worker(), 0);
  EXPECT_EQ(s.assign_worker(), 1);
  EXPECT_EQ(s.assign_worker(), 2);
  EXPECT_EQ(s.assign_worker(), 0);
  auto p = std::make_shared<playback>(playback_options{}, nullptr);
  s.attach(1, p);
  s.poll_for_test(1);
  EXPECT_EQ(s.stats().playbacks, 1u);
  s.detach(1, p);
  s.poll_for_test(1);
  EXPECT_EQ(s.stats().playbacks, 0u);
  EXPECT_EQ(s.assign_worker(), 1);  // worker 1 lost its player
}

TEST(FrameScheduler, DrivesPlaybacksByHandInTests) {
  asio::thread_pool loader(1);
  frame_scheduler s({}, loader.get_executor());
  auto sink = std::make_shared<test::recording_sink>();
  auto listener = std::make_shared<test::recording_listener>();
  auto p = std::make_shared<playback>(playback_options{}, listener);
  p->set_sink(sink);
  s.attach(0, p);
  s.poll_for_test(0);
  auto now = std::chrono::steady_clock::now();
  p->begin(1, now);
  p->load(1, tone_media(0.2), now);
  for (int i = 0; i < 15 && listener->ends().empty(); ++i) {
    s.run_ahead_for_test(0);
    s.tick_for_test(0, now += 20ms);
  }
  EXPECT_EQ(sink->count(), 10u);
  ASSERT_EQ(listener->ends().size(), 1u);
}

TEST(FrameScheduler, PlaysInRealTimeOnItsWorkerThreads) {
  asio::thread_pool loader(1);
  scheduler_options o;
  o.workers = 2;
  int started = 0;
  std::mutex mu;
  o.on_thread_start = [&](int) {
    std::lock_guard lk(mu);
    ++started;
  };
  frame_scheduler s(o, loader.get_executor());
  auto sink = std::make_shared<test::recording_sink>();
  auto listener = std::make_shared<test::recording_listener>();
  auto p = std::make_shared<playback>(playback_options{}, listener);
  const int w = s.assign_worker();
  s.attach(w, p);
  auto media = tone_media(1.0);
  asio::post(s.executor(w), [p, sink, m = std::move(media)]() mutable {
    p->set_sink(sink);
    p->begin(1, std::chrono::steady_clock::now());
    p->load(1, std::move(m), std::chrono::steady_clock::now());
  });
  const auto t0 = std::chrono::steady_clock::now();
  s.start();
  ASSERT_TRUE(eventually([&] { return !listener->ends().empty(); }));
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(sink->count(), 50u);
  EXPECT_GE(elapsed, 950ms);  // paced by the 20 ms clock, not as fast as possible
  {
    std::lock_guard lk(mu);
    EXPECT_EQ(started, 2);
  }
  const auto st = s.stats();
  EXPECT_GE(st.ticks, 50u);
  EXPECT_LT(st.lateness_quantile_ms(0.5), 20.0);
  auto a = test::analyse_opus(sink->frames());
  EXPECT_NEAR(a.frequency_hz, 440.0, 4.4);
  s.stop();
}

TEST(FrameScheduler, SeeksOnTheLoader) {
  asio::thread_pool loader(1);
  frame_scheduler s({}, loader.get_executor());
  auto sink = std::make_shared<test::recording_sink>();
  auto listener = std::make_shared<test::recording_listener>();
  auto p = std::make_shared<playback>(playback_options{}, listener);
  s.attach(0, p);
  auto media = tone_media(3.0);
  asio::post(s.executor(0), [p, sink, m = std::move(media)]() mutable {
    p->set_sink(sink);
    p->begin(1, std::chrono::steady_clock::now());
    p->load(1, std::move(m), std::chrono::steady_clock::now());
  });
  p->set_pending_seek(2500);
  s.seek(0, p, 1, 2500);
  EXPECT_EQ(p->position_ms(), 2500);  // reported at once
  s.start();
  ASSERT_TRUE(eventually([&] { return !listener->ends().empty(); }));
  EXPECT_LE(sink->count(), 25u + 20u);  // 0.5 s after the seek (+ at most one buffer of ghosted frames)
  EXPECT_GE(sink->count(), 25u);
  s.stop();
}

TEST(SchedulerStats, LatenessQuantiles) {
  scheduler_stats st;
  st.lateness[0] = 90;
  st.lateness[50] = 9;   // 5.0 ms
  st.lateness[200] = 1;  // 20.0 ms
  EXPECT_DOUBLE_EQ(st.lateness_quantile_ms(0.5), 0.0);
  EXPECT_DOUBLE_EQ(st.lateness_quantile_ms(0.95), 5.0);
  EXPECT_DOUBLE_EQ(st.lateness_quantile_ms(1.0), 20.0);
  EXPECT_DOUBLE_EQ(scheduler_stats{}.lateness_quantile_ms(0.99), 0.0);
}

}  // namespace
}  // namespace vb::node
