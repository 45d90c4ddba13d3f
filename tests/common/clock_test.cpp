#include "vectobeat/common/clock.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace vb {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

// Runs every handler that is ready now (the io_context may have stopped for lack of work).
void drain(asio::io_context& ioc) {
  ioc.restart();
  ioc.poll();
}

TEST(ManualClock, StartsAtAFixedTimeAndMovesOnlyWhenAdvanced) {
  manual_clock clk;
  auto t0 = clk.now();
  auto s0 = clk.system_now();
  EXPECT_EQ(clk.unix_ms(), 1767225600000);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(clk.now(), t0);
  clk.advance(1500ms);
  EXPECT_EQ(clk.now() - t0, 1500ms);
  EXPECT_EQ(clk.system_now() - s0, 1500ms);
  EXPECT_EQ(clk.unix_ms(), 1767225601500);
}

TEST(ManualClock, TimerFiresOnAdvanceAndNotBefore) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  std::optional<bool> result;
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_for(10s); }, asio::detached);
  drain(ioc);
  EXPECT_EQ(clk.waiting_timers(), 1u);
  clk.advance(9999ms);
  drain(ioc);
  EXPECT_FALSE(result.has_value());
  clk.advance(1ms);
  EXPECT_EQ(clk.waiting_timers(), 0u);
  EXPECT_FALSE(result.has_value());  // the completion is posted, not run inside advance()
  drain(ioc);
  EXPECT_EQ(result, true);
}

TEST(ManualClock, PastDeadlinesCompleteAtOnce) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  std::optional<bool> result;
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_until(clk.now()); }, asio::detached);
  drain(ioc);
  EXPECT_EQ(result, true);
}

TEST(ManualClock, CancelEndsTheWaitWithFalse) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  std::optional<bool> result;
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_for(10s); }, asio::detached);
  drain(ioc);
  std::thread([&] { t->cancel(); }).join();  // safe from any thread
  drain(ioc);
  EXPECT_EQ(result, false);
  clk.advance(20s);  // a cancelled wait does not fire later
  drain(ioc);
  EXPECT_EQ(result, false);
}

TEST(ManualClock, CancelWithoutAPendingWaitDoesNotAffectTheNextWait) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  t->cancel();
  std::optional<bool> result;
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_for(1s); }, asio::detached);
  drain(ioc);
  EXPECT_FALSE(result.has_value());
  clk.advance(1s);
  drain(ioc);
  EXPECT_EQ(result, true);
}

TEST(ManualClock, CancelAfterFiringDoesNotTurnTheResultIntoFalse) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  std::optional<bool> result;
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_for(1s); }, asio::detached);
  drain(ioc);
  clk.advance(1s);
  t->cancel();
  drain(ioc);
  EXPECT_EQ(result, true);
}

TEST(ManualClock, TimersFireInDeadlineOrder) {
  asio::io_context ioc;
  manual_clock clk;
  std::vector<std::unique_ptr<timer>> timers;
  std::vector<int> order;
  // Created in reverse deadline order; two share a deadline (creation order breaks the tie).
  for (int secs : {30, 10, 20, 10}) {
    timers.push_back(clk.make_timer(ioc.get_executor()));
    auto* t = timers.back().get();
    int tag = secs * 10 + static_cast<int>(timers.size());
    asio::co_spawn(
        ioc,
        [t, secs, tag, &order]() -> task<void> {
          if (co_await t->wait_for(std::chrono::seconds(secs))) order.push_back(tag);
        },
        asio::detached);
  }
  drain(ioc);
  EXPECT_EQ(clk.waiting_timers(), 4u);
  clk.advance(15s);
  drain(ioc);
  EXPECT_THAT(order, ElementsAre(102, 104));
  clk.advance(1h);
  drain(ioc);
  EXPECT_THAT(order, ElementsAre(102, 104, 203, 301));
}

TEST(ManualClock, DestroyingTheTimerEndsTheWait) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  std::optional<bool> result;
  auto* raw = t.get();
  asio::co_spawn(ioc, [raw, &result]() -> task<void> { result = co_await raw->wait_for(10s); }, asio::detached);
  drain(ioc);
  t.reset();
  drain(ioc);
  EXPECT_EQ(result, false);
  EXPECT_EQ(clk.waiting_timers(), 0u);
}

TEST(ManualClock, TimersCanBeReused) {
  asio::io_context ioc;
  manual_clock clk;
  auto t = clk.make_timer(ioc.get_executor());
  std::vector<bool> results;
  asio::co_spawn(
      ioc,
      [&]() -> task<void> {
        for (int i = 0; i < 3; ++i) results.push_back(co_await t->wait_for(1s));
      },
      asio::detached);
  for (int i = 0; i < 3; ++i) {
    drain(ioc);
    clk.advance(1s);
  }
  drain(ioc);
  EXPECT_THAT(results, ElementsAre(true, true, true));
}

TEST(ManualClock, SleepFor) {
  asio::io_context ioc;
  manual_clock clk;
  bool woke = false;
  asio::co_spawn(
      ioc,
      [&]() -> task<void> {
        co_await clk.sleep_for(ioc.get_executor(), 5s);
        woke = true;
      },
      asio::detached);
  drain(ioc);
  EXPECT_FALSE(woke);
  clk.advance(5s);
  drain(ioc);
  EXPECT_TRUE(woke);
}

TEST(SystemClock, TimerCompletesAtItsDeadline) {
  asio::io_context ioc;
  auto& clk = clock::system();
  auto t = clk.make_timer(ioc.get_executor());
  std::optional<bool> result;
  auto start = clk.now();
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_for(20ms); }, asio::detached);
  ioc.run();
  EXPECT_EQ(result, true);
  EXPECT_GE(clk.now() - start, 20ms);
  EXPECT_NEAR(static_cast<double>(clk.unix_ms()),
              static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()),
              1000.0);
}

TEST(SystemClock, CancelFromAnotherThreadEndsTheWait) {
  asio::io_context ioc;
  auto t = clock::system().make_timer(ioc.get_executor());
  std::optional<bool> result;
  asio::co_spawn(ioc, [&]() -> task<void> { result = co_await t->wait_for(1h); }, asio::detached);
  ioc.poll();  // the wait is now pending
  std::thread([&] { t->cancel(); }).join();
  ioc.run();
  EXPECT_EQ(result, false);
}

}  // namespace
}  // namespace vb
