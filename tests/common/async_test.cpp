#include "vectobeat/common/async.hpp"

#include <boost/asio/io_context.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vectobeat/common/log.hpp"

namespace vb {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Async, SpawnRunsTheTaskAndLogsEscapingExceptions) {
  log::configure({});
  log::capture_for_test(true);
  asio::io_context ioc;
  bool ran = false;
  auto ok = [](bool& flag) -> task<void> {
    flag = true;
    co_return;
  };
  auto failing = []() -> task<void> {
    throw std::runtime_error("lost the voice connection");
    co_return;
  };
  spawn(ioc.get_executor(), ok(ran), "ok-task");
  spawn(ioc.get_executor(), failing(), "voice session");
  EXPECT_NO_THROW(ioc.run());
  EXPECT_TRUE(ran);
  auto lines = log::captured_for_test();
  log::capture_for_test(false);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("[async] task 'voice session' failed: lost the voice connection"));
}

TEST(Async, YieldLetsOtherHandlersRun) {
  asio::io_context ioc;
  std::vector<std::string> order;
  auto a = [](std::vector<std::string>& out) -> task<void> {
    out.push_back("a1");
    co_await yield();
    out.push_back("a2");
  };
  auto b = [](std::vector<std::string>& out) -> task<void> {
    out.push_back("b1");
    co_return;
  };
  spawn(ioc.get_executor(), a(order), "a");
  spawn(ioc.get_executor(), b(order), "b");
  ioc.run();
  EXPECT_THAT(order, ElementsAre("a1", "b1", "a2"));
}

}  // namespace
}  // namespace vb
