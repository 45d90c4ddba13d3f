#pragma once
// Runs an external command (the yt-dlp compatible resolver) without a shell: argv is passed as
// is (posix_spawnp), stdin is /dev/null, stdout is collected up to a bound, stderr's tail is
// kept for the log, and the process is killed when it runs past its time limit. Blocking: call
// it on a loader thread, never on an I/O or worker thread.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "vectobeat/common/expected.hpp"

namespace vb::node {

struct process_limits {
  std::chrono::milliseconds timeout{20000};
  std::size_t max_stdout = 8u << 20;
  std::size_t max_stderr_tail = 4096;
};

struct process_result {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err_tail;
};

enum class process_error { spawn_failed, timeout, output_too_large };

expected<process_result, process_error> run_process(const std::vector<std::string>& argv, const process_limits& limits);

}  // namespace vb::node
