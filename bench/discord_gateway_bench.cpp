// Gateway dispatch rate and cache memory, on one thread, through the real path: frame
// parse (gateway_frame_parser) -> event table -> typed parse -> gateway_cache -> event
// bus (one listener per event type). Optionally with zlib-stream decompression in front.
//
// Run: build/bench/discord_gateway_bench [guilds=10000] [mixed_events=300000]
// Results: docs/benchmarks.md.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "discord_gateway/compressors.hpp"
#include "discord_model/sample_payloads.hpp"
#include "vectobeat/discord/event_dispatcher.hpp"
#include "vectobeat/discord/gateway_payload.hpp"
#include "vectobeat/discord/transport_decompressor.hpp"

namespace {

using namespace vb::discord;
namespace t = vb::discord::test;
using clk = std::chrono::steady_clock;

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

struct pipeline {
  gateway_cache cache;
  event_bus bus;
  event_dispatcher dispatcher{cache, bus};
  gateway_frame_parser parser;
  std::uint64_t delivered = 0;
  std::vector<event_bus::subscription> subs;

  pipeline() {
    subs.push_back(bus.on<guild_create_event>([this](const auto&, const auto&) { ++delivered; }));
    subs.push_back(bus.on<voice_state_update_event>([this](const auto&, const auto&) { ++delivered; }));
    subs.push_back(bus.on<interaction_create_event>([this](const auto&, const auto&) { ++delivered; }));
    subs.push_back(bus.on<ready_event>([this](const auto&, const auto&) { ++delivered; }));
  }

  void feed(std::string_view text) {
    auto f = parser.parse(text);
    if (!f || f->op != 0) std::abort();
    dispatcher.dispatch(f->t, *f->d, {0, f->s.value_or(0)});
  }
};

// CPU time of this thread: the rate per core even when other processes share the cores
// (wall time is reported next to it).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct timing {
  double cpu = 0;
  double wall = 0;
};

timing run(pipeline& p, const std::vector<std::string>& stream, std::size_t events) {
  const auto start = clk::now();
  const double cpu0 = thread_cpu_seconds();
  for (std::size_t i = 0; i < events; ++i) p.feed(stream[i % stream.size()]);
  return {thread_cpu_seconds() - cpu0, std::chrono::duration<double>(clk::now() - start).count()};
}

std::size_t bytes_of(const std::vector<std::string>& v) {
  std::size_t n = 0;
  for (const auto& s : v) n += s.size();
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t guilds = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000;
  const std::size_t mixed_events = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 300'000;

  std::printf("discord gateway bench: %llu guilds (20 channels, 10 roles, 3 voice states, 4 members each)\n",
              static_cast<unsigned long long>(guilds));

  // ---- streams (generated before any measurement)
  std::vector<std::string> creates;
  creates.reserve(guilds);
  for (std::uint64_t g = 0; g < guilds; ++g) creates.push_back(t::dispatch("GUILD_CREATE", static_cast<std::int64_t>(g + 2), t::guild_create_json(g)));
  std::vector<std::string> voice, interactions;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const std::uint64_t g = (i * 7919) % guilds;
    voice.push_back(t::dispatch("VOICE_STATE_UPDATE", static_cast<std::int64_t>(i),
                                t::voice_state_json(t::guild_id(g), t::channel_id(g, 13 + static_cast<int>(i % 6)),
                                                    t::user_id(g, 20 + static_cast<int>(i % 50)), true, true)));
    interactions.push_back(t::dispatch("INTERACTION_CREATE", static_cast<std::int64_t>(i), t::interaction_json(g, i, t::play_command_data(g))));
  }
  // The steady-state mix of a music bot: mostly voice state changes, then commands and
  // button presses, and guilds (re)appearing (joins, outage recoveries).
  std::vector<std::string> mixed;
  for (std::size_t i = 0; i < 2000; ++i) {
    const std::size_t k = i % 20;
    if (k < 13) mixed.push_back(voice[i]);          // 65 %
    else if (k < 19) mixed.push_back(interactions[i]);  // 30 %
    else mixed.push_back(creates[i % creates.size()]);  // 5 %
  }
  std::printf("payload sizes: GUILD_CREATE %zu B, VOICE_STATE_UPDATE %zu B, INTERACTION_CREATE %zu B\n",
              creates[0].size(), voice[0].size(), interactions[0].size());

  // ---- memory per cached guild
  malloc_trim(0);
  pipeline p;
  p.feed(t::dispatch("READY", 1, t::ready_json(0, 1, "bench", "[]")));
  malloc_trim(0);
  const long before = rss_bytes();
  const timing create_t = run(p, creates, creates.size());
  malloc_trim(0);
  const long after = rss_bytes();
  if (p.cache.guild_count() != guilds) std::abort();
  std::printf("GUILD_CREATE x %llu: %.0f events/s per core; RSS +%.1f MiB = %.0f bytes per cached guild\n",
              static_cast<unsigned long long>(guilds), static_cast<double>(guilds) / create_t.cpu,
              static_cast<double>(after - before) / (1024.0 * 1024.0),
              static_cast<double>(after - before) / static_cast<double>(guilds));

  // ---- dispatch rates per type and mixed (cache already holds every guild)
  auto report = [&](const char* name, const std::vector<std::string>& s, std::size_t n) {
    run(p, s, std::min<std::size_t>(n / 10, s.size()));  // warm-up
    const timing tm = run(p, s, n);
    std::printf("%-22s %9.0f events/s per core  (%.0f MB/s of JSON; wall clock %.0f events/s)\n", name,
                static_cast<double>(n) / tm.cpu,
                static_cast<double>(bytes_of(s)) / static_cast<double>(s.size()) * static_cast<double>(n) / tm.cpu / 1e6,
                static_cast<double>(n) / tm.wall);
  };
  report("VOICE_STATE_UPDATE", voice, mixed_events);
  report("INTERACTION_CREATE", interactions, mixed_events);
  report("GUILD_CREATE (update)", creates, std::min<std::size_t>(mixed_events / 5, 50'000));
  report("mixed 65/30/5", mixed, mixed_events);

  // ---- the same mixed stream through zlib-stream decompression
  {
    t::zlib_stream_compressor z;
    std::vector<std::string> compressed;
    std::size_t plain = 0, packed = 0;
    for (const auto& m : mixed) {
      compressed.push_back(z.compress(m));
      plain += m.size();
      packed += compressed.back().size();
    }
    const int rounds = static_cast<int>(std::max<std::size_t>(1, mixed_events / mixed.size()));
    double secs = 0;
    for (int r = 0; r < rounds; ++r) {
      transport_decompressor d(gateway_compression::zlib_stream, 32u << 20);
      const double cpu0 = thread_cpu_seconds();
      for (const auto& c : compressed) {
        auto out = d.feed(c);
        if (!out || !*out) std::abort();
        p.feed(**out);
      }
      secs += thread_cpu_seconds() - cpu0;
    }
    std::printf("%-22s %9.0f events/s per core  (compression ratio %.1fx)\n", "mixed + zlib-stream",
                static_cast<double>(rounds) * static_cast<double>(mixed.size()) / secs,
                static_cast<double>(plain) / static_cast<double>(packed));
  }
  const auto st = p.dispatcher.stats();
  std::printf("dispatched %llu, delivered to listeners %llu, parse failures %llu\n",
              static_cast<unsigned long long>(st.dispatched), static_cast<unsigned long long>(p.delivered),
              static_cast<unsigned long long>(st.parse_failures));
  return st.parse_failures == 0 ? 0 : 1;
}
