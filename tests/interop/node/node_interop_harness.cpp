// Runs one npm Lavalink client against the real `vectobeat node` binary, playing into the
// fake Discord:
//   1. serves test media (a 3 s 1 kHz tone and a long track) over HTTP on 127.0.0.1,
//   2. runs the fake Discord in-process (gateway, REST, voice over wss with its generated CA,
//      the recorder): the tone plays in the demo guild's Music channel, the controls in a
//      second guild created for the run,
//   3. starts `vectobeat node --port 0 --password ... --config <tmp>` (trusting the fake's
//      voice CA) and reads its port,
//   4. runs the client's script (Node 22) with the addresses in its environment; the script
//      connects to the fake's gateway as the bot (@discordjs/ws), sends op 4 there and hands
//      the VOICE_STATE_UPDATE / VOICE_SERVER_UPDATE it gets to its Lavalink client,
//   5. checks the fake's recording of the tone guild: the frequency within 1 %, the duration
//      within 60 ms; and that the control guild's connection received audio.
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
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audio/signal.hpp"
#include "lavalink_node/media_server.hpp"
#include "lavalink_node/test_media.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/fake_discord/server.hpp"
#include "vectobeat/fake_discord/wav.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace asio = boost::asio;

constexpr const char* bot_token = "interop-bot-token";
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


// The fake's connection of `guild` that received the most audio (a re-join makes a new one).
std::optional<vb::fake::voice_connection_info> busiest_connection(const vb::fake::server& fake, std::uint64_t guild) {
  std::optional<vb::fake::voice_connection_info> best;
  for (auto& c : fake.voice_connections())
    if (c.guild_id == guild && (!best || c.stats.packets > best->stats.packets)) best = c;
  return best;
}

// The recorder's WAV of a connection, analysed like the node's own tests analyse Opus frames.
std::optional<vb::node::test::tone_analysis> analyse_recording(const vb::fake::server& fake, std::uint64_t connection) {
  auto bytes = fake.recording_wav(connection);
  if (!bytes) return std::nullopt;
  auto wav = vb::fake::decode_wav(*bytes);
  if (!wav || wav->channels != 2 || wav->sample_rate != 48000) return std::nullopt;
  std::vector<float> left(wav->frames());
  for (std::size_t i = 0; i < left.size(); ++i) left[i] = static_cast<float>(wav->samples[2 * i]) / 32768.0f;
  return vb::node::test::analyse_left(left);
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

    vb::fake::server_options fo;
    fo.token = bot_token;
    vb::fake::server fake(ctx.get_executor(), vb::clock::system(), fo);
    fake.start();
    const auto demo = *fake.demo();
    const std::uint64_t guild_tone = demo.guild;
    const std::uint64_t channel_tone = demo.music;
    const std::uint64_t guild_control = fake.create_guild("Interop controls");
    const std::uint64_t channel_control =
        fake.create_channel(guild_control, "Controls", vb::fake::channel_type::guild_voice).value_or(0);

    const auto dir = fs::temp_directory_path() / ("vb_node_interop_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto config = dir / "node.yml";
    std::ofstream(config) << "logging:\n  level: warn\n"
                          << "node:\n  voice_ca_file: " << fake.ca_file() << "\n"
                          << "  allow_private_addresses: true\n  worker_threads: 1\n  sources: {http: true}\n";

    child node;
    if (channel_control != 0)
      node = spawn({opt["--vectobeat"], "node", "--port", "0", "--address", "127.0.0.1", "--password", password,
                    "--config", config.string()},
                   {}, true, "");
    if (channel_control == 0) {
      rc = fail("cannot create the control guild's voice channel");
    } else if (node.pid < 0) {
      rc = fail("cannot start vectobeat");
    } else {
      const auto line = read_line(node.out, 20s);
      const auto colon = line.rfind(':');
      const std::string port = colon == std::string::npos ? "" : line.substr(colon + 1);
      if (port.empty() || line.find("listening") == std::string::npos) {
        rc = fail("vectobeat node did not report its port (got '" + line + "')");
      } else {
        std::printf("node_interop_harness: vectobeat node on port %s, fake Discord at %s (voice %s)\n", port.c_str(),
                    fake.rest_base().c_str(), fake.voice_endpoint().c_str());
        std::fflush(stdout);
        std::string api = fake.rest_base();
        if (api.ends_with("/v10")) api.resize(api.size() - 4);
        auto script = spawn({opt["--node-js"], opt["--script"]},
                            {{"NODE_PORT", port},
                             {"NODE_PASSWORD", password},
                             {"FAKE_API", api},
                             {"FAKE_TOKEN", bot_token},
                             {"BOT_ID", std::to_string(fake.bot_user_id())},
                             {"TONE_URL", media.url("/tone.wav")},
                             {"LONG_URL", media.url("/long.wav")},
                             {"GUILD_TONE", std::to_string(guild_tone)},
                             {"CHANNEL_TONE", std::to_string(channel_tone)},
                             {"GUILD_CONTROL", std::to_string(guild_control)},
                             {"CHANNEL_CONTROL", std::to_string(channel_control)}},
                            false, opt["--workdir"]);
        const int script_rc = script.pid < 0 ? -1 : wait_for(script.pid, 180s);
        if (script_rc != 0) {
          rc = fail("the client script failed (exit " + std::to_string(script_rc) + ")");
        } else {
          auto tone_conn = busiest_connection(fake, guild_tone);
          auto control_conn = busiest_connection(fake, guild_control);
          auto a = tone_conn ? analyse_recording(fake, tone_conn->id) : std::nullopt;
          if (!tone_conn || !a) {
            rc = fail("the fake Discord has no recording of the tone guild");
          } else {
            std::printf("node_interop_harness: the fake recorded %llu packets for the tone guild: %.2f Hz, %.1f ms "
                        "(mode %s, %llu decrypt failures, %llu lost)\n",
                        static_cast<unsigned long long>(tone_conn->stats.packets), a->frequency_hz, a->duration_ms,
                        tone_conn->mode.c_str(), static_cast<unsigned long long>(tone_conn->stats.decrypt_failures),
                        static_cast<unsigned long long>(tone_conn->stats.lost));
            if (std::abs(a->frequency_hz - 1000.0) > 10.0) rc = fail("tone frequency off by more than 1 %");
            else if (std::abs(a->duration_ms - 3000.0) > 60.0) rc = fail("tone duration off by more than 60 ms");
            else if (!control_conn || control_conn->stats.packets < 50) rc = fail("the control guild received almost no audio");
            else if (tone_conn->stats.decrypt_failures + control_conn->stats.decrypt_failures != 0)
              rc = fail("the fake's voice server got undecryptable packets");
          }
        }
      }
      ::kill(node.pid, SIGTERM);
      if (wait_for(node.pid, 15s) != 0 && rc == 0) rc = fail("vectobeat node did not exit cleanly on SIGTERM");
      ::close(node.out);
    }
    fake.stop();
    fs::remove_all(dir);
  }
  guard.reset();
  ctx.stop();
  for (auto& t : threads) t.join();
  if (rc == 0) std::printf("node_interop_harness: PASS\n");
  return rc;
}
