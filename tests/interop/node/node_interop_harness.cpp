// Runs one npm Lavalink client against the real `vectobeat node` binary:
//   1. serves test media (a 3 s 1 kHz tone and a long track) over HTTP on 127.0.0.1,
//   2. runs a loopback Discord voice server (wss with a test CA, both AEAD modes),
//   3. starts `vectobeat node --port 0 --password ... --config <tmp>` and reads its port,
//   4. runs the client's script (Node 22) with the addresses in its environment,
//   5. checks what the voice server received for the tone guild: the frequency within 1 %,
//      the duration within 60 ms.
// Exit code 0 when the script and the recording both pass.
//
//   node_interop_harness --vectobeat PATH --node-js PATH --script PATH --workdir DIR
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "discord_voice/test_certificate.hpp"
#include "lavalink_node/loopback_voice_server.hpp"
#include "lavalink_node/media_server.hpp"
#include "lavalink_node/test_media.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace asio = boost::asio;

constexpr std::uint64_t guild_tone = 300000000000000001;
constexpr std::uint64_t guild_control = 300000000000000002;
constexpr const char* password = "interop-password";

int fail(const std::string& why) {
  std::fprintf(stderr, "node_interop_harness: FAIL: %s\n", why.c_str());
  return 1;
}

struct child {
  pid_t pid = -1;
  int out = -1;  // read end of stdout when captured
};

child spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env, bool capture_stdout,
            const std::string& cwd) {
  int fds[2] = {-1, -1};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (capture_stdout) {
    if (::pipe2(fds, O_CLOEXEC) != 0) return {};
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  }
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) envs.emplace_back(*e);
  for (auto& [k, v] : extra_env) envs.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  child c;
  if (posix_spawn(&c.pid, args[0], &fa, nullptr, args.data(), envp.data()) != 0) c.pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  if (capture_stdout) {
    ::close(fds[1]);
    c.out = fds[0];
  }
  return c;
}

// The first line the child prints, within `limit`.
std::string read_line(int fd, std::chrono::milliseconds limit) {
  std::string line;
  const auto until = std::chrono::steady_clock::now() + limit;
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[256];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  return line.substr(0, line.find('\n'));
}

// Waits for the child; kills it after `limit`. Returns its exit code (-1: killed or signalled).
int wait_for(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (true) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > until) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(20ms);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt;
  for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
  for (const char* k : {"--vectobeat", "--node-js", "--script", "--workdir"})
    if (!opt.count(k)) return fail(std::string("missing ") + k);
  if (!fs::exists(opt["--node-js"]))
    return fail("Node 22 not found at " + opt["--node-js"] + " (run `cd tests/interop && npm ci`)");
  if (!fs::exists(opt["--vectobeat"])) return fail("vectobeat binary not found at " + opt["--vectobeat"]);

  asio::io_context ctx;
  auto guard = asio::make_work_guard(ctx);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { ctx.run(); });
  int rc = 0;
  {
    vb::node::test::media_server media;
    auto tone = vb::node::test::wav_tone(1000, 3.0);
    auto long_track = vb::node::test::wav_tone(440, 90.0, 16000);
    vb::node::test::media_route r;
    r.content_type = "audio/wav";
    r.body.assign(tone.begin(), tone.end());
    media.add("/tone.wav", r);
    r.body.assign(long_track.begin(), long_track.end());
    media.add("/long.wav", r);

    vb::voice::test::test_certificate cert;
    vb::node::test::loopback_voice_options vo;
    vo.tls = vb::net::tls_files{cert.cert_file(), cert.key_file()};
    vb::node::test::loopback_voice_server voice(ctx.get_executor(), vo);

    const auto dir = fs::temp_directory_path() / ("vb_node_interop_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto config = dir / "node.yml";
    std::ofstream(config) << "logging:\n  level: warn\n"
                          << "node:\n  voice_ca_file: " << cert.cert_file() << "\n"
                          << "  allow_private_addresses: true\n  worker_threads: 1\n  sources: {http: true}\n";

    auto node = spawn({opt["--vectobeat"], "node", "--port", "0", "--address", "127.0.0.1", "--password", password,
                       "--config", config.string()},
                      {}, true, "");
    if (node.pid < 0) {
      rc = fail("cannot start vectobeat");
    } else {
      const auto line = read_line(node.out, 20s);
      const auto colon = line.rfind(':');
      const std::string port = colon == std::string::npos ? "" : line.substr(colon + 1);
      if (port.empty() || line.find("listening") == std::string::npos) {
        rc = fail("vectobeat node did not report its port (got '" + line + "')");
      } else {
        std::printf("node_interop_harness: vectobeat node on port %s, voice at %s\n", port.c_str(), voice.endpoint().c_str());
        std::fflush(stdout);
        auto script = spawn({opt["--node-js"], opt["--script"]},
                            {{"NODE_PORT", port},
                             {"NODE_PASSWORD", password},
                             {"VOICE_ENDPOINT", voice.endpoint()},
                             {"TONE_URL", media.url("/tone.wav")},
                             {"LONG_URL", media.url("/long.wav")},
                             {"GUILD_TONE", std::to_string(guild_tone)},
                             {"GUILD_CONTROL", std::to_string(guild_control)}},
                            false, opt["--workdir"]);
        const int script_rc = script.pid < 0 ? -1 : wait_for(script.pid, 180s);
        if (script_rc != 0) {
          rc = fail("the client script failed (exit " + std::to_string(script_rc) + ")");
        } else {
          std::vector<std::vector<std::uint8_t>> opus;
          for (auto& f : voice.frames(guild_tone)) opus.push_back(f.opus);
          const auto a = vb::node::test::analyse_opus(opus);
          std::printf("node_interop_harness: tone guild received %zu frames: %.2f Hz, %.1f ms (mode %s)\n", a.frames,
                      a.frequency_hz, a.duration_ms, voice.mode(guild_tone).c_str());
          if (std::abs(a.frequency_hz - 1000.0) > 10.0) rc = fail("tone frequency off by more than 1 %");
          else if (std::abs(a.duration_ms - 3000.0) > 60.0) rc = fail("tone duration off by more than 60 ms");
          else if (voice.frame_count(guild_control) < 50) rc = fail("the control guild received almost no audio");
          else if (voice.undecryptable() != 0) rc = fail("the voice server got undecryptable packets");
        }
      }
      ::kill(node.pid, SIGTERM);
      if (wait_for(node.pid, 15s) != 0 && rc == 0) rc = fail("vectobeat node did not exit cleanly on SIGTERM");
      ::close(node.out);
    }
    voice.stop();
    fs::remove_all(dir);
  }
  guard.reset();
  ctx.stop();
  for (auto& t : threads) t.join();
  if (rc == 0) std::printf("node_interop_harness: PASS\n");
  return rc;
}
