// The audio node under load: N players on ONE pinned core, transcoding (a 44.1 kHz mp3: decode,
// resample, Opus complexity 10) and then in Opus passthrough (an Ogg/Opus file), each sending
// into a loopback Discord voice server. Writes the "## Audio node" section of
// docs/benchmarks.md (other sections are kept).
//
//   bash scripts/build.sh release node_bench vectobeat
//   build/bench/node_bench --out docs/benchmarks.md
//
// Layout: the node runs in this process with its frame worker pinned to --core (default 1);
// everything else (node I/O, loaders, this driver) is pinned to the other core, and the voice
// server runs in a forked child (so its memory is not counted) on that other core too.
// For each N of a ramp: add players (one REST PATCH each: voice + track), warm up, reset the
// scheduler statistics, measure for --seconds. A step passes when no frame was nulled (an
// underrun: a ready player had nothing buffered at its tick) and no tick was skipped. A failed
// step is measured once more (the machine is shared); the ramp stops at a step that fails twice.
// CPU per stream is the worker thread's CPU time / wall time / N; RSS per player is
// (RSS with N playing - RSS of the baseline) / N, the baseline taken after both bench media were
// loaded through /v4/loadtracks (so FFmpeg's libraries are resident whether they load at start or
// at the first open); the marginal figure is (RSS(N2) - RSS(N1)) / (N2 - N1) between consecutive
// steps of a ramp, which leaves out one-time costs the first players pay (code faulted in, malloc
// arenas of the worker thread). The idle figure is the real `vectobeat node` binary a few seconds
// after it starts.
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "node_floor.hpp"
#include "lavalink_node/loopback_voice_server.hpp"
#include "lavalink_node/node_client.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/node/node_server.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace asio = boost::asio;

struct options {
  int core = 1;
  int other_core = 0;
  int seconds = 10;
  int warmup = 3;
  int nice = 0;  // the worker thread's nice value (negative needs privileges): a shared machine's builds
  // Exit the process (exit(0), no teardown) after the first ramp with players while they still
  // play: under heaptrack, what a playing player holds is then reported as "leaked".
  bool exit_while_playing = false;
  // malloc_trim(0) before each RSS reading: how much of the RSS is free memory the allocator
  // keeps (an experiment; the node itself does not trim).
  bool trim = false;
  std::string out;
  std::string vectobeat;
  std::vector<int> transcode_ramp{5, 10, 20, 40, 60, 80, 90, 100, 110, 120, 140};
  std::vector<int> passthrough_ramp{50, 100, 250, 500, 1000, 1500, 2000, 3000, 4000};
};

std::vector<int> parse_ramp(const std::string& s) {
  std::vector<int> r;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) r.push_back(std::stoi(item));
  return r;
}

void pin(int core) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(core, &set);
  sched_setaffinity(0, sizeof set, &set);  // the calling thread; threads it creates inherit it
}

long status_kb(pid_t pid, const char* key) {
  std::ifstream in(pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  return -1;
}

// malloc'd bytes in use, every arena and mmapped chunks included.
std::size_t heap_in_use() {
  const auto m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

struct cpu_times {
  double user = 0, system = 0;
  double total() const { return user + system; }
};

// utime and stime of a thread (or the process with tid 0), in seconds.
cpu_times thread_cpu(long tid) {
  std::ifstream in(tid == 0 ? std::string("/proc/self/stat") : "/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = s.rfind(')');
  if (close == std::string::npos) return {};
  std::stringstream fields(s.substr(close + 2));
  std::string f;
  cpu_times t;
  const auto hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) t.user = std::stod(f) / hz;
    if (i == 15) t.system = std::stod(f) / hz;
  }
  return t;
}

bool make_media(const fs::path& dir) {
  const std::string mix =
      "\"sine=f=220:d=300:sample_rate=44100,volume=0.3[a];sine=f=1330:d=300:sample_rate=44100,volume=0.2[b];"
      "anoisesrc=d=300:c=pink:r=44100:a=0.1[c];[a][b][c]amix=inputs=3\"";
  const std::string mp3 = "ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i " + mix +
                          " -ac 2 -c:a libmp3lame -b:a 192k '" + (dir / "music.mp3").string() + "'";
  const std::string opus = "ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i " + mix +
                           " -ac 2 -ar 48000 -c:a libopus -b:a 96k -frame_duration 20 '" + (dir / "music.opus").string() + "'";
  return std::system(mp3.c_str()) == 0 && std::system(opus.c_str()) == 0;
}

// The loopback voice server in a child process (forked before any thread exists). Returns its
// endpoint; the child exits when `keepalive` (the write end kept by the parent) closes.
std::string start_voice_child(int other_core, pid_t& pid, int& keepalive) {
  int ep[2], ka[2];
  if (::pipe(ep) != 0 || ::pipe(ka) != 0) return {};
  pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::close(ep[0]);
    ::close(ka[1]);
    pin(other_core);
    asio::io_context ctx;
    auto guard = asio::make_work_guard(ctx);
    std::thread t([&] { ctx.run(); });
    {
      vb::node::test::loopback_voice_options o;
      o.record_payloads = false;
      o.udp_poll_interval = std::chrono::milliseconds(5);  // the node is not charged for waking it per packet
      vb::node::test::loopback_voice_server voice(ctx.get_executor(), o);
      const auto e = voice.endpoint() + "\n";
      (void)!::write(ep[1], e.data(), e.size());
      char c;
      while (::read(ka[0], &c, 1) > 0) {
      }
      voice.stop();
    }
    guard.reset();
    ctx.stop();
    t.join();
    ::_exit(0);
  }
  ::close(ep[1]);
  ::close(ka[0]);
  keepalive = ka[1];
  std::string line;
  char c;
  while (::read(ep[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  ::close(ep[0]);
  return line;
}

long idle_rss_of_binary(const std::string& vectobeat) {
  if (vectobeat.empty() || !fs::exists(vectobeat)) return -1;
  int out[2];
  if (::pipe(out) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execl(vectobeat.c_str(), vectobeat.c_str(), "node", "--port", "0", "--address", "127.0.0.1", "--password", "bench",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  std::this_thread::sleep_for(3s);  // let it settle (a measurement, not synchronisation)
  const long rss = line.find("listening") == std::string::npos ? -1 : status_kb(pid, "VmRSS:");
  ::kill(pid, SIGTERM);
  int st = 0;
  ::waitpid(pid, &st, 0);
  ::close(out[0]);
  return rss;
}

struct step {
  int n = 0;
  std::uint64_t sent = 0, expected = 0, nulled = 0, skipped = 0;
  double p50 = 0, p99 = 0, max_ms = 0;
  double worker_load = 0;  // worker CPU / wall
  double cpu_per_stream = 0;  // % of a core
  double cpu_per_frame_us = 0;  // worker CPU per frame actually sent
  double sys_per_frame_us = 0;  // the kernel's part of it (system time: mostly the UDP send)
  double implied_per_core() const { return cpu_per_frame_us > 0 ? 1e6 / (cpu_per_frame_us * 50.0) : 0; }
  double rss_per_player_kb = 0;
  double heap_per_player_kb = 0;  // malloc'd bytes in use (mallinfo2), for comparison
  long rss_kb = 0;                // process RSS at the end of the step
  double heap_kb = 0;             // malloc'd bytes in use at the end of the step
  // (value at this step - value at the previous step of the ramp) / (N - previous N); negative
  // when there is no previous step.
  double marginal_rss_kb = -1;
  double marginal_heap_kb = -1;
  std::size_t passthrough = 0;
  bool pass = false;
};

struct mode_result {
  std::vector<step> steps;
  int best = -1;  // index of the passing step with the largest N
  const step* best_step() const { return best < 0 ? nullptr : &steps[static_cast<std::size_t>(best)]; }
};

class bench {
 public:
  bench(options o, std::string voice_endpoint) : opt_(std::move(o)), voice_(std::move(voice_endpoint)) {}

  int run() {
    const auto media = fs::temp_directory_path() / ("vb_node_bench_" + std::to_string(::getpid()));
    fs::create_directories(media);
    std::fprintf(stderr, "node_bench: generating 5 min of mp3 and Ogg/Opus with ffmpeg...\n");
    if (!make_media(media)) {
      std::fprintf(stderr, "node_bench: ffmpeg failed (scripts/setup.sh --tests installs it)\n");
      return 1;
    }
    pin(opt_.other_core);
    asio::io_context ctx;
    auto guard = asio::make_work_guard(ctx);
    std::thread io([&] { ctx.run(); });

    vb::node::node_config c;
    c.password = "bench";
    c.sources = {"local"};
    c.local_roots = {media};
    c.voice_tls = false;
    c.worker_threads = 1;
    c.loader_threads = 1;
    c.opus_complexity = 10;
    c.max_players_per_session = 100000;
    vb::node::scheduler_options so;
    so.workers = 1;
    so.on_thread_start = [this](int) {
      pin(opt_.core);
      if (opt_.nice != 0) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), opt_.nice);
      worker_tid_.store(static_cast<long>(::syscall(SYS_gettid)));
    };
    int rc = 0;
    {
      vb::node::node_server node(ctx.get_executor(), vb::clock::system(), c, so);
      const auto port = node.listen("127.0.0.1", 0);
      vb::node::test::node_client client(ctx.get_executor(), port, "bench");
      if (!client.connect()) {
        std::fprintf(stderr, "node_bench: cannot connect to the node\n");
        rc = 1;
      } else {
        client.messages().stop_recording();  // playerUpdates would pile up in this process
        std::this_thread::sleep_for(1s);
        idle_rss_kb_ = status_kb(0, "VmRSS:");
        const auto mp3 = load(client, media / "music.mp3");
        const auto opus = load(client, media / "music.opus");
        // The baseline of the per-player figures: after a probe of each medium has run (the
        // media stack is loaded and faulted in), before the first player.
        std::this_thread::sleep_for(1s);
        if (opt_.trim) ::malloc_trim(0);
        base_rss_kb_ = status_kb(0, "VmRSS:");
        base_heap_ = heap_in_use();
        std::fprintf(stderr, "node_bench: in-process idle RSS %ld KB, %ld KB after loading the media\n", idle_rss_kb_,
                     base_rss_kb_);
        transcode_ = ramp(node, client, mp3, opt_.transcode_ramp, "transcode", 0);
        passthrough_ = ramp(node, client, opus, opt_.passthrough_ramp, "passthrough", 100000);
      }
      node.stop();
    }
    guard.reset();
    ctx.stop();
    io.join();
    if (rc == 0) {
      // The ceilings, on the worker's core, once the node is gone (so they have the core alone).
      std::fprintf(stderr, "node_bench: measuring the codec and UDP ceilings on core %d...\n", opt_.core);
      std::thread floor_thread([&] {
        pin(opt_.core);
        floors_ = vb::bench::measure_floors(media / "music.mp3");
      });
      floor_thread.join();
    }
    fs::remove_all(media);
    return rc;
  }

  std::string markdown(long binary_idle_kb, const std::string& load_before) const;

 private:
  std::string load(vb::node::test::node_client& client, const fs::path& p) {
    auto v = client.call_json("GET", "/v4/loadtracks?identifier=" + vb::net::url_encode(p.string()));
    const auto& o = v.as_object();
    if (o.at("loadType").as_string() != "track") throw std::runtime_error("cannot load " + p.string());
    return std::string(o.at("data").as_object().at("encoded").as_string());
  }

  void add_players(vb::node::test::node_client& client, const std::string& encoded, std::uint64_t base, int from, int to) {
    for (int i = from; i < to; ++i) {
      const auto guild = 400000000000000000ull + base + static_cast<std::uint64_t>(i);
      client.call_json("PATCH",
                       "/v4/sessions/" + client.session_id() + "/players/" + std::to_string(guild) + "?noReplace=false",
                       R"({"voice":{"token":"voice-token","endpoint":")" + voice_ +
                           R"(","sessionId":"voice-session","channelId":"222"},"track":{"encoded":")" + encoded + R"("}})");
    }
  }

  void remove_players(vb::node::test::node_client& client, std::uint64_t base, int n) {
    for (int i = 0; i < n; ++i) {
      const auto guild = 400000000000000000ull + base + static_cast<std::uint64_t>(i);
      client.call("DELETE", "/v4/sessions/" + client.session_id() + "/players/" + std::to_string(guild));
    }
  }

  step measure(vb::node::node_server& node, int n) {
    std::this_thread::sleep_for(std::chrono::seconds(opt_.warmup));
    node.reset_frame_stats();
    const auto t0 = node.totals();
    const long tid = worker_tid_.load();
    const auto c0 = thread_cpu(tid);
    const auto w0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(opt_.seconds));  // the measurement window
    const auto c1 = thread_cpu(tid);
    const auto w1 = std::chrono::steady_clock::now();
    const auto t1 = node.totals();
    const auto st = node.frame_stats();
    const double wall = std::chrono::duration<double>(w1 - w0).count();
    step s;
    s.n = n;
    s.sent = t1.sent - t0.sent;
    s.nulled = t1.nulled - t0.nulled;
    s.expected = static_cast<std::uint64_t>(wall / 0.020 * n);
    s.skipped = st.skipped_ticks;
    s.p50 = st.lateness_quantile_ms(0.50);
    s.p99 = st.lateness_quantile_ms(0.99);
    s.max_ms = st.lateness_quantile_ms(1.0);
    s.worker_load = (c1.total() - c0.total()) / wall;
    s.cpu_per_stream = n > 0 ? 100.0 * s.worker_load / n : 0;
    s.cpu_per_frame_us = s.sent > 0 ? (c1.total() - c0.total()) * 1e6 / static_cast<double>(s.sent) : 0;
    s.sys_per_frame_us = s.sent > 0 ? (c1.system - c0.system) * 1e6 / static_cast<double>(s.sent) : 0;
    if (opt_.trim) ::malloc_trim(0);
    const long rss = status_kb(0, "VmRSS:");
    s.rss_kb = rss;
    s.rss_per_player_kb = n > 0 ? static_cast<double>(rss - base_rss_kb_) / n : 0;
    s.passthrough = t1.passthrough_players;
    const auto heap = heap_in_use();
    s.heap_kb = static_cast<double>(heap) / 1024.0;
    s.heap_per_player_kb = n > 0 ? (static_cast<double>(heap) - static_cast<double>(base_heap_)) / 1024.0 / n : 0;
    // Sent frames below 97 % of real time also count (players not connected, or a stalled clock).
    s.pass = s.nulled == 0 && s.skipped == 0 && s.sent >= s.expected * 97 / 100;
    std::fprintf(stderr,
                 "node_bench: N=%d sent %llu/%llu nulled %llu skipped %llu lateness p50 %.2f p99 %.2f ms, worker %.0f %%, "
                 "%.3f %%/stream, %.1f us/frame (kernel %.1f, %.0f streams/core), %.0f KB/player (heap %.0f KB), passthrough %zu -> %s\n",
                 n, static_cast<unsigned long long>(s.sent), static_cast<unsigned long long>(s.expected),
                 static_cast<unsigned long long>(s.nulled), static_cast<unsigned long long>(s.skipped), s.p50, s.p99,
                 100 * s.worker_load, s.cpu_per_stream, s.cpu_per_frame_us, s.sys_per_frame_us, s.implied_per_core(), s.rss_per_player_kb, s.heap_per_player_kb, s.passthrough, s.pass ? "pass" : "FAIL");
    return s;
  }

  mode_result ramp(vb::node::node_server& node, vb::node::test::node_client& client, const std::string& encoded,
                   const std::vector<int>& steps, const char* name, std::uint64_t base) {
    mode_result r;
    int have = 0;
    std::fprintf(stderr, "node_bench: %s ramp\n", name);
    for (const int n : steps) {
      add_players(client, encoded, base, have, n);
      have = n;
      auto s = measure(node, n);
      if (!s.pass) s = measure(node, n);  // once more: the machine is shared
      if (!r.steps.empty() && n > r.steps.back().n) {
        const auto& prev = r.steps.back();
        s.marginal_rss_kb = static_cast<double>(s.rss_kb - prev.rss_kb) / (n - prev.n);
        s.marginal_heap_kb = (s.heap_kb - prev.heap_kb) / (n - prev.n);
      }
      std::fprintf(stderr, "node_bench: N=%d marginal %.0f KB/player (heap %.0f KB)\n", n, s.marginal_rss_kb,
                   s.marginal_heap_kb);
      r.steps.push_back(s);
      if (!s.pass) break;
    }
    if (opt_.exit_while_playing && have > 0) {
      std::fprintf(stderr, "node_bench: exiting with %d players playing (--exit-while-playing)\n", have);
      std::fflush(stderr);
      std::exit(0);
    }
    remove_players(client, base, have);
    std::this_thread::sleep_for(1s);
    for (std::size_t i = 0; i < r.steps.size(); ++i)
      if (r.steps[i].pass && (r.best < 0 || r.steps[i].n > r.steps[static_cast<std::size_t>(r.best)].n))
        r.best = static_cast<int>(i);
    return r;
  }

  options opt_;
  std::string voice_;
  std::atomic<long> worker_tid_{0};
  long idle_rss_kb_ = 0;
  long base_rss_kb_ = 0;
  vb::bench::floor_figures floors_;
  std::size_t base_heap_ = 0;
  mode_result transcode_, passthrough_;

 public:
  const mode_result& transcode() const { return transcode_; }
  const mode_result& passthrough() const { return passthrough_; }
};

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string marginal(double kb) { return kb < 0 ? std::string("–") : fmt("%.0f KB", kb); }

std::string table(const mode_result& r) {
  std::string s =
      "| N | frames sent / expected | underruns (nulled) | skipped ticks | lateness p50 | lateness p99 | worker CPU | "
      "CPU per stream | CPU per sent frame (of it kernel, streams per core) | RSS per player | heap per player | "
      "marginal RSS (heap) per player | result |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& x : r.steps)
    s += "| " + std::to_string(x.n) + " | " + std::to_string(x.sent) + " / " + std::to_string(x.expected) + " | " +
         std::to_string(x.nulled) + " | " + std::to_string(x.skipped) + " | " + fmt("%.2f ms", x.p50) + " | " +
         fmt("%.2f ms", x.p99) + " | " + fmt("%.0f %%", 100 * x.worker_load) + " | " + fmt("%.3f %%", x.cpu_per_stream) +
         " | " + fmt("%.1f us", x.cpu_per_frame_us) + " (" + fmt("%.1f", x.sys_per_frame_us) + ", " +
         fmt("%.0f", x.implied_per_core()) + ")" +
         " | " + fmt("%.0f KB", x.rss_per_player_kb) + " | " + fmt("%.0f KB", x.heap_per_player_kb) + " | " +
         marginal(x.marginal_rss_kb) + " (" + marginal(x.marginal_heap_kb) + ") | " + (x.pass ? "pass" : "**fail**") + " |\n";
  return s;
}

std::string bench::markdown(long binary_idle_kb, const std::string& load_before) const {
  std::string cpu = "unknown CPU";
  {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("model name", 0) == 0) {
        cpu = line.substr(line.find(':') + 2);
        break;
      }
  }
  char date[64];
  const auto now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  // The figures of a mode come from its largest passing step, or its largest step when none passed.
  auto pick = [](const mode_result& r) -> const step* {
    if (const auto* b = r.best_step()) return b;
    const step* b = nullptr;
    for (const auto& x : r.steps)
      if (!b || x.n > b->n) b = &x;
    return b;
  };
  const auto* t = pick(transcode_);
  const auto* p = pick(passthrough_);
  auto n_of = [](const step* s) { return s ? std::to_string(s->n) : std::string("none"); };
  auto last_n = [](const mode_result& r) { return r.steps.empty() ? 0 : r.steps.back().n; };
  std::string s = "## Audio node\n\n";
  s += "Measured by `bench/node_bench.cpp` on " + std::string(date) + ", " + cpu + ", " +
       std::to_string(std::thread::hardware_concurrency()) + " cores, load average before the run: " + load_before +
       " (a shared machine: other builds may run on the same cores).\n\n";
  s += "```sh\nbash scripts/build.sh release node_bench vectobeat\nbuild/bench/node_bench --out docs/benchmarks.md\n```\n\n";
  s += "The node runs in the benchmark's process with its one frame worker pinned to core " + std::to_string(opt_.core) +
       "; its I/O and loader threads and the driver run on core " + std::to_string(opt_.other_core) +
       ", the loopback voice server (gateway v8 + UDP, `aead_aes256_gcm_rtpsize`) in a forked child on core " +
       std::to_string(opt_.other_core) + ". Each player is one REST PATCH (voice + track) and a real voice connection. "
       "Transcoding: a 44.1 kHz 192 kb/s stereo mp3 (decode, resample to 48 kHz, Opus at complexity 10, 64 kb/s). "
       "Passthrough: an Ogg/Opus file (20 ms packets, sent as they are). Each step warms up " +
       std::to_string(opt_.warmup) + " s and measures " + std::to_string(opt_.seconds) +
       " s; it passes with zero underruns (nulled frames), zero skipped ticks and >= 97 % of real-time frames; a failed "
       "step is measured once more. Lateness is how late the worker's 20 ms tick ran. CPU per stream is the worker "
       "thread's CPU time / wall time / N (percent of one core); CPU per sent frame is the worker's CPU time / frames "
       "sent, and the streams per core it implies (1 s / (50 x that)) estimates what a whole core would carry (an "
       "estimate only: when other processes take the core it is inflated by context switches and by ticks that find "
       "nothing to send). RSS per player is (process RSS with N playing - baseline RSS) / N, the baseline taken after "
       "one /v4/loadtracks of each bench medium (the media libraries are loaded and faulted in) and before the "
       "first player; heap per player is the same for malloc'd bytes in use (mallinfo2), which shows how much of "
       "the RSS is allocator overhead. The marginal figures are (RSS(N) - RSS(previous N)) / (N - previous N) "
       "between consecutive steps of a ramp (the same for heap): what one more player costs, without the "
       "one-time costs the first players pay (library code faulted in, the worker thread's malloc arena). The kernel's part of the CPU per frame (system time) is "
       "mostly the UDP send: over loopback it includes the receive path up to the voice server's socket (the server "
       "polls its socket every 5 ms, so the node does not also pay for waking it per packet)." +
       (opt_.nice != 0 ? " The worker thread ran at nice " + std::to_string(opt_.nice) +
                             " so that other processes on the shared machine take less of its core." : std::string()) +
       "\n\n";
  s += "| figure | measured | target |\n|---|---|---|\n";
  auto implied = [&pick](const mode_result& r) {
    const step* b = pick(r);
    return b ? fmt("%.0f", b->implied_per_core()) + " (at N = " + std::to_string(b->n) + ", " +
                   fmt("%.1f us of worker CPU per frame sent", b->cpu_per_frame_us) + ")"
             : std::string("not measured");
  };
  s += "| transcoded streams on one core, zero underruns | " + n_of(transcode_.best_step()) +
       (transcode_.best_step() && t->n == last_n(transcode_) ? " (end of the ramp)" : "") + " | >= 110 |\n";
  s += "| transcoded streams per core implied by CPU time (1 core / worker CPU per stream-second) | " + implied(transcode_) +
       " | >= 110 |\n";
  if (t) {
    const std::string at = " (N = " + std::to_string(t->n) + (t->pass ? "" : ", a failed step") + ")";
    s += "| transcode: lateness p50 / p99" + at + " | " + fmt("%.2f", t->p50) + " / " + fmt("%.2f ms", t->p99) + " | |\n";
    s += "| transcode: CPU per stream" + at + " | " + fmt("%.3f %% of a core", t->cpu_per_stream) + " | <= 0.91 % (110 per core) |\n";
    s += "| transcode: RSS (heap) per playing player" + at + " | " + fmt("%.0f KB", t->rss_per_player_kb) + " (" +
         fmt("%.0f KB", t->heap_per_player_kb) + ") | <= 256 KB |\n";
    s += "| transcode: marginal RSS (heap) per player" + at + " | " + marginal(t->marginal_rss_kb) + " (" +
         marginal(t->marginal_heap_kb) + ") | <= 256 KB |\n";
  }
  s += "| passthrough streams on one core, zero underruns | " + n_of(passthrough_.best_step()) +
       (passthrough_.best_step() && p->n == last_n(passthrough_) ? " (end of the ramp)" : "") + " | >= 3,000 |\n";
  s += "| passthrough streams per core implied by CPU time | " + implied(passthrough_) + " | >= 3,000 |\n";
  if (p) {
    const std::string at = " (N = " + std::to_string(p->n) + (p->pass ? "" : ", a failed step") + ")";
    s += "| passthrough: lateness p50 / p99" + at + " | " + fmt("%.2f", p->p50) + " / " + fmt("%.2f ms", p->p99) + " | |\n";
    s += "| passthrough: CPU per stream" + at + " | " + fmt("%.4f %% of a core", p->cpu_per_stream) + " | <= 0.033 % (3,000 per core) |\n";
    s += "| passthrough: RSS (heap) per playing player" + at + " | " + fmt("%.0f KB", p->rss_per_player_kb) + " (" +
         fmt("%.0f KB", p->heap_per_player_kb) + ") | <= 256 KB |\n";
    s += "| passthrough: marginal RSS (heap) per player" + at + " | " + marginal(p->marginal_rss_kb) + " (" +
         marginal(p->marginal_heap_kb) + ") | <= 256 KB |\n";
    s += "| passthrough players actually in passthrough | " + std::to_string(p->passthrough) + " of " + std::to_string(p->n) + " | all |\n";
  }
  s += "| idle `vectobeat node` RSS (the binary, 3 s after start) | " +
       (binary_idle_kb >= 0 ? fmt("%.1f MB", binary_idle_kb / 1024.0) : std::string("not measured")) + " | < 30 MB |\n";
  s += "| idle node RSS in the benchmark process (node + client, before the first player) | " +
       fmt("%.1f MB", idle_rss_kb_ / 1024.0) + " | |\n";
  s += "| baseline of the per-player figures (the same, after one /v4/loadtracks of each medium) | " +
       fmt("%.1f MB", base_rss_kb_ / 1024.0) + " | |\n\n";
  s += "What the worker's core allows before the node does any work of its own (measured after the ramps, on the "
       "same core, by `bench/node_floor.cpp`): the codecs alone bound transcoding, and one kernel UDP send per "
       "packet bounds passthrough.\n\n" +
       vb::bench::floor_markdown(floors_) + "\n";
  s += "### Transcoding ramp\n\n" + table(transcode_) + "\n### Passthrough ramp\n\n" + table(passthrough_) + "\n";
  return s;
}

// Replaces the "## Audio node" section of `path` (up to the next "## " heading) or appends it.
void write_section(const std::string& path, const std::string& section) {
  std::string doc;
  {
    std::ifstream in(path);
    if (in) doc.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (doc.empty()) doc = "# Benchmarks\n\nMeasured figures, each section written by its benchmark's documented command.\n\n";
  const auto start = doc.find("## Audio node\n");
  if (start == std::string::npos) {
    if (doc.back() != '\n') doc += "\n";
    doc += "\n" + section;
  } else {
    auto end = doc.find("\n## ", start + 1);
    end = end == std::string::npos ? doc.size() : end + 1;
    doc.replace(start, end - start, section);
  }
  std::ofstream(path) << doc;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--out") o.out = v;
    else if (k == "--core") o.core = std::stoi(v);
    else if (k == "--other-core") o.other_core = std::stoi(v);
    else if (k == "--seconds") o.seconds = std::stoi(v);
    else if (k == "--warmup") o.warmup = std::stoi(v);
    else if (k == "--nice") o.nice = std::stoi(v);
    else if (k == "--vectobeat") o.vectobeat = v;
    else if (k == "--transcode") o.transcode_ramp = parse_ramp(v);
    else if (k == "--passthrough") o.passthrough_ramp = parse_ramp(v);
    else if (k == "--exit-while-playing") o.exit_while_playing = v == "1";
    else if (k == "--trim") o.trim = v == "1";
    else {
      std::fprintf(stderr,
                   "usage: node_bench [--out docs/benchmarks.md] [--core 1] [--other-core 0] [--seconds 10] [--warmup 3] [--nice 0]\n"
                   "                  [--vectobeat build/vectobeat] [--transcode 5,10,..] [--passthrough 50,100,..]\n"
                   "                  [--exit-while-playing 1]  (after the first ramp, for heaptrack)\n"
                   "                  [--trim 1]  (malloc_trim(0) before each RSS reading)\n");
      return 2;
    }
  }
  if (o.vectobeat.empty()) {
    std::error_code ec;
    const auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) o.vectobeat = (self.parent_path().parent_path() / "vectobeat").string();
  }
  std::string load_before;
  {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    load_before = a + " " + b + " " + c;
  }
  ::signal(SIGPIPE, SIG_IGN);
  vb::log::options lo;
  lo.default_level = vb::log::level::warn;
  vb::log::configure(lo);
  const long binary_idle = idle_rss_of_binary(o.vectobeat);
  pid_t voice_pid = -1;
  int keepalive = -1;
  const auto endpoint = start_voice_child(o.other_core, voice_pid, keepalive);
  if (endpoint.empty()) {
    std::fprintf(stderr, "node_bench: the voice server did not start\n");
    return 1;
  }
  bench b(o, endpoint);
  int rc = 1;
  try {
    rc = b.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "node_bench: %s\n", e.what());
  }
  ::close(keepalive);
  int st = 0;
  ::waitpid(voice_pid, &st, 0);
  if (rc != 0) return rc;
  const auto md = b.markdown(binary_idle, load_before);
  std::printf("%s", md.c_str());
  if (!o.out.empty()) write_section(o.out, md);
  return 0;
}
