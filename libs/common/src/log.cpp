#include "vectobeat/common/log.hpp"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace vb::log {

namespace {

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out;
}

// JSON lines: {"ts":"...","level":"info","component":"gateway","msg":"..."}
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto tp = std::chrono::time_point_cast<std::chrono::milliseconds>(msg.time);
    auto secs = std::chrono::system_clock::to_time_t(tp);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    auto ms = tp.time_since_epoch().count() % 1000;
    auto line = fmt::format(
        R"({{"ts":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z","level":"{}","component":"{}","msg":"{}"}})"
        "\n",
        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms,
        level_name(static_cast<level>(msg.level)), json_escape({msg.logger_name.data(), msg.logger_name.size()}),
        json_escape({msg.payload.data(), msg.payload.size()}));
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }
};

class capture_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> snapshot() {
    std::lock_guard lk(mutex_);
    return lines;
  }

 private:
  std::vector<std::string> lines;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    lines.emplace_back(buf.data(), buf.size());
  }
  void flush_() override {}
};

spdlog::level::level_enum to_spd(level l) { return static_cast<spdlog::level::level_enum>(static_cast<int>(l)); }

}  // namespace

struct logger::component_state {
  std::string name;
  std::atomic<int> lvl{static_cast<int>(level::info)};
  std::shared_ptr<spdlog::logger> out;
};

namespace {

struct registry {
  std::mutex mu;
  options opts;
  std::vector<spdlog::sink_ptr> sinks;
  std::shared_ptr<capture_sink> capture;
  std::unordered_map<std::string, std::unique_ptr<logger::component_state>> components;

  std::shared_mutex secrets_mu;
  std::vector<std::string> secrets;

  registry() { sinks = make_sinks(opts, capture); }

  // Throws (spdlog::spdlog_ex) when the log file cannot be opened; nothing is changed then.
  static std::vector<spdlog::sink_ptr> make_sinks(const options& o, const std::shared_ptr<capture_sink>& cap) {
    std::vector<spdlog::sink_ptr> out;
    if (o.file.empty()) out.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    else out.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(o.file));
    if (cap) out.push_back(cap);
    for (auto& s : out) {
      if (o.fmt == format::json) s->set_formatter(std::make_unique<json_formatter>());
      else
        s->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v",
                                                                     spdlog::pattern_time_type::utc));
    }
    return out;
  }

  level level_for(std::string_view name) const {
    if (auto it = opts.components.find(name); it != opts.components.end()) return it->second;
    // "node.player" inherits from "node".
    for (auto dot = name.rfind('.'); dot != std::string_view::npos; dot = name.rfind('.', dot - 1)) {
      if (auto it = opts.components.find(name.substr(0, dot)); it != opts.components.end()) return it->second;
      if (dot == 0) break;
    }
    return opts.default_level;
  }

  void apply(logger::component_state& c) {
    c.out = std::make_shared<spdlog::logger>(c.name, sinks.begin(), sinks.end());
    c.out->set_level(spdlog::level::trace);
    c.out->flush_on(spdlog::level::warn);
    c.lvl.store(static_cast<int>(level_for(c.name)), std::memory_order_relaxed);
  }
};

registry& reg() {
  static registry* r = new registry();  // never destroyed: loggers may log during static teardown
  return *r;
}

}  // namespace

std::optional<level> parse_level(std::string_view n) {
  static const std::pair<std::string_view, level> names[] = {
      {"trace", level::trace}, {"debug", level::debug}, {"info", level::info},       {"warn", level::warn},
      {"warning", level::warn}, {"error", level::error}, {"critical", level::critical}, {"off", level::off}};
  for (auto& [k, v] : names)
    if (k == n) return v;
  return std::nullopt;
}

std::string_view level_name(level l) {
  static constexpr std::string_view names[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  return names[static_cast<int>(l)];
}

void configure(const options& opts) {
  auto& r = reg();
  std::lock_guard lk(r.mu);
  auto sinks = registry::make_sinks(opts, r.capture);
  r.opts = opts;
  r.sinks = std::move(sinks);
  for (auto& [name, c] : r.components) r.apply(*c);
}

void add_secret(std::string_view secret) {
  if (secret.size() < 4) return;
  auto& r = reg();
  std::unique_lock lk(r.secrets_mu);
  if (std::find(r.secrets.begin(), r.secrets.end(), secret) == r.secrets.end()) {
    r.secrets.emplace_back(secret);
    // Longest first, so a secret containing another is replaced whole.
    std::sort(r.secrets.begin(), r.secrets.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
  }
}

namespace {

bool ieq(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Replaces the value following a credential-like key: `Authorization: Bot abc`,
// `"token":"abc"`, `password=abc`, `x-api-key: abc`.
void redact_keyed_values(std::string& s) {
  static constexpr std::string_view keys[] = {"authorization", "token", "password", "passwd", "secret",
                                              "api_key", "apikey", "api-key", "client_secret", "secret_key"};
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t key_len = 0;
    for (auto k : keys) {
      if (i + k.size() > s.size()) continue;
      bool m = true;
      for (std::size_t j = 0; j < k.size() && m; ++j) m = ieq(s[i + j], k[j]);
      // The key must end a word: `token` in `token:` but not in `tokens`; a prefix
      // like `x-api-key` or `bot_token` is fine.
      if (m && (i + k.size() == s.size() || !is_key_char(s[i + k.size()]))) key_len = std::max(key_len, k.size());
    }
    if (!key_len) continue;
    std::size_t p = i + key_len;
    if (p < s.size() && (s[p] == '"' || s[p] == '\'')) ++p;
    while (p < s.size() && s[p] == ' ') ++p;
    if (p >= s.size() || (s[p] != ':' && s[p] != '=')) continue;
    ++p;
    while (p < s.size() && s[p] == ' ') ++p;
    char quote = 0;
    if (p < s.size() && (s[p] == '"' || s[p] == '\'')) quote = s[p++];
    std::size_t start = p;
    auto stop = [&](char c) {
      if (quote) return c == quote;
      return c == ' ' || c == ',' || c == '}' || c == '&' || c == ';' || c == '\n' || c == '\r' || c == '"';
    };
    auto scan = [&] {
      while (p < s.size() && !stop(s[p])) p += (s[p] == '\\' && p + 1 < s.size()) ? 2 : 1;  // JSON escapes
      if (p > s.size()) p = s.size();
    };
    scan();
    std::string_view word(s.data() + start, p - start);
    // "Bot xyz" / "Bearer xyz": the credential is the next word.
    if (!quote && p < s.size() && s[p] == ' ' &&
        (word == "Bot" || word == "Bearer" || word == "Basic" || word == "bot" || word == "bearer")) {
      start = p + 1;
      p = start;
      scan();
    }
    if (p > start && std::string_view(s.data() + start, p - start) != "***" &&
        std::string_view(s.data() + start, p - start) != "null") {
      s.replace(start, p - start, "***");
      p = start + 3;
    }
    i = p;
  }
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out(text);
  {
    auto& r = reg();
    std::shared_lock lk(r.secrets_mu);
    for (auto& secret : r.secrets) {
      for (std::size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
        out.replace(pos, secret.size(), "***");
    }
  }
  redact_keyed_values(out);
  return out;
}

logger::logger(std::string_view component) {
  auto& r = reg();
  std::lock_guard lk(r.mu);
  auto it = r.components.find(std::string(component));
  if (it == r.components.end()) {
    auto c = std::make_unique<component_state>();
    c->name = std::string(component);
    r.apply(*c);
    it = r.components.emplace(c->name, std::move(c)).first;
  }
  state_ = it->second.get();
  level_ = &state_->lvl;
}

const std::string& logger::component() const { return state_->name; }

void logger::write(level l, std::string_view message) const {
  if (!enabled(l)) return;
  std::string clean = redact(message);
  std::shared_ptr<spdlog::logger> out;
  format f;
  {
    auto& r = reg();
    std::lock_guard lk(r.mu);
    out = state_->out;
    f = r.opts.fmt;
  }
  // One record per line: a peer-supplied "\n" must not forge a log line. (The JSON
  // formatter escapes control characters itself.)
  if (f == format::text && clean.find_first_of("\r\n") != std::string::npos) {
    std::string escaped;
    escaped.reserve(clean.size() + 8);
    for (char c : clean) {
      if (c == '\n') escaped += "\\n";
      else if (c == '\r') escaped += "\\r";
      else escaped += c;
    }
    clean = std::move(escaped);
  }
  out->log(to_spd(l), std::string_view(clean));
}

bool rate_limit::allow(std::uint64_t& suppressed) { return allow(suppressed, std::chrono::steady_clock::now()); }

bool rate_limit::allow(std::uint64_t& suppressed, std::chrono::steady_clock::time_point now_tp) {
  auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now_tp.time_since_epoch()).count();
  auto next = next_ns_.load(std::memory_order_relaxed);
  if (now_ns >= next &&
      next_ns_.compare_exchange_strong(next, now_ns + std::chrono::nanoseconds(period_).count())) {
    suppressed = dropped_.exchange(0);
    return true;
  }
  dropped_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void capture_for_test(bool enable) {
  auto& r = reg();
  std::lock_guard lk(r.mu);
  r.capture = enable ? std::make_shared<capture_sink>() : nullptr;
  r.sinks = registry::make_sinks(r.opts, r.capture);
  for (auto& [name, c] : r.components) r.apply(*c);
}

std::vector<std::string> captured_for_test() {
  auto& r = reg();
  std::lock_guard lk(r.mu);
  if (!r.capture) return {};
  for (auto& [name, c] : r.components) c->out->flush();
  return r.capture->snapshot();
}

}  // namespace vb::log
