#include "vectobeat/node/stats_collector.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace vb::node {

namespace {
std::int64_t meminfo_kb(std::string_view key) {
  std::ifstream f("/proc/meminfo");
  std::string name;
  std::int64_t value = 0;
  std::string unit;
  while (f >> name >> value) {
    std::getline(f, unit);
    if (name.size() == key.size() + 1 && name.compare(0, key.size(), key) == 0) return value;
  }
  return 0;
}
}  // namespace

stats_collector::stats_collector(std::chrono::milliseconds cpu_refresh)
    : start_(std::chrono::steady_clock::now()), refresh_(cpu_refresh) {
  const unsigned n = std::thread::hardware_concurrency();
  cores_ = n == 0 ? 1 : static_cast<int>(n);
  last_ = cpu_sample();
  last_at_ = start_;
}

std::int64_t stats_collector::resident_bytes() {
  std::ifstream f("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  if (!(f >> size >> resident)) return 0;
  return resident * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
}

std::int64_t stats_collector::total_memory_bytes() { return meminfo_kb("MemTotal") * 1024; }
std::int64_t stats_collector::available_memory_bytes() { return meminfo_kb("MemAvailable") * 1024; }

proc_cpu_sample stats_collector::cpu_sample() {
  proc_cpu_sample s;
  {
    std::ifstream f("/proc/stat");
    std::string cpu;
    std::uint64_t v[10]{};
    if (f >> cpu) {
      for (auto& x : v)
        if (!(f >> x)) break;
      // user nice system idle iowait irq softirq steal guest guest_nice; guests are in user.
      const std::uint64_t idle = v[3] + v[4];
      const std::uint64_t total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
      s.system_total = total;
      s.system_busy = total - idle;
    }
  }
  {
    std::ifstream f("/proc/self/stat");
    std::string content((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may contain spaces) start after the last ')'.
    auto close = content.rfind(')');
    if (close != std::string::npos) {
      std::istringstream rest(content.substr(close + 2));
      std::string field;
      std::uint64_t utime = 0, stime = 0;
      for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
      }
      s.process_ticks = utime + stime;
    }
  }
  return s;
}

lavalink::stats stats_collector::collect() {
  lavalink::stats st;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lk(mu_);
    if (now - last_at_ >= refresh_) {
      const auto cur = cpu_sample();
      const auto total = cur.system_total - last_.system_total;
      if (total > 0) {
        system_load_ = std::clamp(static_cast<double>(cur.system_busy - last_.system_busy) / static_cast<double>(total), 0.0, 1.0);
        // Process ticks over all CPUs' ticks: the share of the whole machine, as Lavalink reports.
        process_load_ = std::clamp(static_cast<double>(cur.process_ticks - last_.process_ticks) / static_cast<double>(total), 0.0, 1.0);
      }
      last_ = cur;
      last_at_ = now;
    }
    st.cpu.cores = cores_;
    st.cpu.system_load = system_load_;
    st.cpu.lavalink_load = process_load_;
  }
  st.uptime = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
  const auto rss = resident_bytes();
  const auto total = total_memory_bytes();
  st.memory.used = rss;
  st.memory.allocated = rss;
  st.memory.reservable = total;
  st.memory.free = std::max<std::int64_t>(available_memory_bytes(), 0);
  return st;
}

}  // namespace vb::node
