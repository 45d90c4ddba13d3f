#pragma once
// Per-component loggers. Formatting is lazy (only when the level is enabled), and every
// line passes through redact() before it reaches a sink, so tokens, passwords and
// Authorization values never land in logs even when a caller logs a raw payload.
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vb::log {

enum class level : int { trace = 0, debug, info, warn, error, critical, off };
enum class format { text, json };

struct options {
  level default_level = level::info;
  format fmt = format::text;
  std::map<std::string, level, std::less<>> components;  // per-component overrides
  std::string file;  // empty: stderr
};

std::optional<level> parse_level(std::string_view name);
std::string_view level_name(level l);

// (Re)configures every existing and future logger. Thread-safe.
void configure(const options& opts);

// Registers a secret whose exact text is replaced by "***" in every log line.
// Strings shorter than 4 characters are ignored (they would mangle ordinary text).
void add_secret(std::string_view secret);
// Redacts registered secrets and the values of credential-like keys
// (Authorization, token, password, secret, api_key, ...) in `text`.
std::string redact(std::string_view text);

class logger {
 public:
  explicit logger(std::string_view component);

  bool enabled(level l) const noexcept { return static_cast<int>(l) >= level_->load(std::memory_order_relaxed); }
  const std::string& component() const;

  template <class... A>
  void trace(fmt::format_string<A...> f, A&&... a) const { emit(level::trace, f, std::forward<A>(a)...); }
  template <class... A>
  void debug(fmt::format_string<A...> f, A&&... a) const { emit(level::debug, f, std::forward<A>(a)...); }
  template <class... A>
  void info(fmt::format_string<A...> f, A&&... a) const { emit(level::info, f, std::forward<A>(a)...); }
  template <class... A>
  void warn(fmt::format_string<A...> f, A&&... a) const { emit(level::warn, f, std::forward<A>(a)...); }
  template <class... A>
  void error(fmt::format_string<A...> f, A&&... a) const { emit(level::error, f, std::forward<A>(a)...); }
  template <class... A>
  void critical(fmt::format_string<A...> f, A&&... a) const { emit(level::critical, f, std::forward<A>(a)...); }

  // Writes an already formatted message (still redacted).
  void write(level l, std::string_view message) const;

  struct component_state;

 private:
  template <class... A>
  void emit(level l, fmt::format_string<A...> f, A&&... a) const {
    if (enabled(l)) write(l, fmt::vformat(f, fmt::make_format_args(a...)));
  }
  component_state* state_;
  const std::atomic<int>* level_;
};

// Lets a noisy message through at most once per `period`; counts what it suppressed.
class rate_limit {
 public:
  explicit rate_limit(std::chrono::milliseconds period = std::chrono::seconds(10)) : period_(period) {}
  // True when the caller should log now; `suppressed` then holds how many were dropped.
  // Thread-safe.
  bool allow(std::uint64_t& suppressed);
  // The same with the current time given (tests, or callers holding an injected clock).
  bool allow(std::uint64_t& suppressed, std::chrono::steady_clock::time_point now);

 private:
  std::chrono::milliseconds period_;
  std::atomic<std::int64_t> next_ns_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

// Test hook: while enabled, formatted lines are also kept in memory.
void capture_for_test(bool enable);
std::vector<std::string> captured_for_test();

}  // namespace vb::log
