#include "vectobeat/node/process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>

extern char** environ;

namespace vb::node {

namespace {

struct fd_pair {
  int r = -1, w = -1;
  ~fd_pair() {
    if (r >= 0) ::close(r);
    if (w >= 0) ::close(w);
  }
};

bool make_pipe(fd_pair& p) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  p.r = fds[0];
  p.w = fds[1];
  return true;
}

}  // namespace

expected<process_result, process_error> run_process(const std::vector<std::string>& argv, const process_limits& limits) {
  if (argv.empty()) return unexpected(process_error::spawn_failed);
  fd_pair out, err;
  if (!make_pipe(out) || !make_pipe(err)) return unexpected(process_error::spawn_failed);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out.w, 1);
  posix_spawn_file_actions_adddup2(&fa, err.w, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A process group of its own, so a timeout kills the resolver's children too.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);

  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return unexpected(process_error::spawn_failed);
  ::close(out.w);
  out.w = -1;
  ::close(err.w);
  err.w = -1;

  process_result res;
  std::string err_all;
  bool too_large = false, timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::array<char, 16384> buf{};
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out.r : -1, POLLIN, 0}, {err_open ? err.r : -1, POLLIN, 0}};
    const int n = ::poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf.data(), buf.size());
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      if (i == 0) {
        if (res.out.size() + static_cast<std::size_t>(got) > limits.max_stdout) {
          too_large = true;
          out_open = err_open = false;
          break;
        }
        res.out.append(buf.data(), static_cast<std::size_t>(got));
      } else {
        err_all.append(buf.data(), static_cast<std::size_t>(got));
        if (err_all.size() > 2 * limits.max_stderr_tail) err_all.erase(0, err_all.size() - limits.max_stderr_tail);
      }
    }
  }
  if (timed_out || too_large) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (err_all.size() > limits.max_stderr_tail) err_all.erase(0, err_all.size() - limits.max_stderr_tail);
  res.err_tail = std::move(err_all);
  if (timed_out) return unexpected(process_error::timeout);
  if (too_large) return unexpected(process_error::output_too_large);
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return res;
}

}  // namespace vb::node
