#include "vectobeat/node/process_runner.hpp"

#include <gtest/gtest.h>

namespace vb::node {
namespace {

using namespace std::chrono_literals;

TEST(ProcessRunner, CollectsStdoutAndExitCodeWithoutAShell) {
  process_limits l;
  auto r = run_process({"/bin/echo", "a b; $(echo injected)", "c"}, l);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out, "a b; $(echo injected) c\n");  // arguments are never interpreted
}

TEST(ProcessRunner, ReportsExitCodesAndKeepsTheStderrTail) {
  process_limits l;
  l.max_stderr_tail = 8;
  auto r = run_process({"/bin/sh", "-c", "echo 0123456789abcdef >&2; exit 3"}, l);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->err_tail, "9abcdef\n");
}

TEST(ProcessRunner, MissingProgramFailsToSpawn) {
  auto r = run_process({"/nonexistent/vectobeat-resolver"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), process_error::spawn_failed);
  EXPECT_FALSE(run_process({}, {}));
}

TEST(ProcessRunner, KillsAProcessThatRunsTooLong) {
  process_limits l;
  l.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto r = run_process({"/bin/sleep", "30"}, l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), process_error::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(ProcessRunner, BoundsTheOutput) {
  process_limits l;
  l.max_stdout = 1000;
  auto r = run_process({"/bin/sh", "-c", "yes | head -c 100000"}, l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), process_error::output_too_large);
}

}  // namespace
}  // namespace vb::node
