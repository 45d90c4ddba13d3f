#include "vectobeat/common/runtime.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <future>
#include <set>
#include <thread>

namespace vb {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

TEST(Runtime, StopRunsHooksInOrderAndRunReturnsZero) {
  runtime rt(2);
  EXPECT_EQ(rt.threads(), 2u);
  std::vector<int> ran;
  rt.on_shutdown([&] { ran.push_back(1); });
  rt.on_shutdown([&] { throw std::runtime_error("a failing hook does not stop the others"); });
  rt.on_shutdown([&] { ran.push_back(3); });
  asio::post(rt.executor(), [&] { rt.stop(); });
  EXPECT_EQ(rt.run(), 0);
  EXPECT_THAT(ran, ElementsAre(1, 3));
}

TEST(Runtime, StopFromAnotherThreadBeforeRun) {
  runtime rt(1);
  bool hook = false;
  rt.on_shutdown([&] { hook = true; });
  std::thread([&] { rt.stop(); }).join();
  EXPECT_EQ(rt.run(), 0);
  EXPECT_TRUE(hook);
}

TEST(Runtime, WorkFinishesWithinTheGracePeriod) {
  runtime rt(2);
  std::atomic<bool> finished{false};
  // A hook starts the final work; run() waits for it instead of cutting it off.
  rt.on_shutdown([&] {
    asio::co_spawn(
        rt.make_strand(),
        [&]() -> task<void> {
          asio::steady_timer t(co_await asio::this_coro::executor, 20ms);
          co_await t.async_wait(asio::use_awaitable);
          finished = true;
        },
        asio::detached);
  });
  rt.stop();
  EXPECT_EQ(rt.run(10s), 0);
  EXPECT_TRUE(finished);
}

TEST(Runtime, SigtermGivesExitCode143) {
  runtime rt(2);
  bool hook = false;
  rt.on_shutdown([&] { hook = true; });
  asio::post(rt.executor(), [] { std::raise(SIGTERM); });
  EXPECT_EQ(rt.run(), 128 + SIGTERM);
  EXPECT_EQ(128 + SIGTERM, 143);
  EXPECT_TRUE(hook);
}

TEST(Runtime, SigintGivesExitCode130) {
  runtime rt(1);
  asio::post(rt.executor(), [] { std::raise(SIGINT); });
  EXPECT_EQ(rt.run(), 130);
}

TEST(Runtime, GracePeriodStopsHungWork) {
  runtime rt(2);
  std::promise<void> started;
  // Work that would never finish on its own.
  asio::co_spawn(
      rt.make_strand(),
      [&]() -> task<void> {
        asio::steady_timer t(co_await asio::this_coro::executor, 24h);
        started.set_value();
        co_await t.async_wait(asio::use_awaitable);
      },
      asio::detached);
  std::thread stopper([&] {
    started.get_future().wait();
    rt.stop();
  });
  auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(rt.run(100ms), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 30s);
  stopper.join();
}

TEST(Runtime, RunsOnTheRequestedNumberOfThreads) {
  runtime rt(3);
  std::mutex mu;
  std::condition_variable cv;
  std::set<std::thread::id> ids;
  int arrived = 0;
  // Three handlers that wait for each other: they can only all get through on three threads.
  for (int i = 0; i < 3; ++i) {
    asio::post(rt.executor(), [&] {
      std::unique_lock lk(mu);
      ids.insert(std::this_thread::get_id());
      ++arrived;
      cv.notify_all();
      cv.wait_for(lk, 10s, [&] { return arrived == 3; });
    });
  }
  rt.on_shutdown([] {});
  std::thread stopper([&] {
    {
      std::unique_lock lk(mu);
      cv.wait_for(lk, 10s, [&] { return arrived == 3; });
    }
    rt.stop();
  });
  EXPECT_EQ(rt.run(), 0);
  stopper.join();
  EXPECT_EQ(ids.size(), 3u);
}

}  // namespace
}  // namespace vb
