#include "vectobeat/discord/rate_limiter.hpp"

#include <boost/json/parse.hpp>

#include <cmath>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/log.hpp"

namespace vb::discord {

namespace {

using ms = std::chrono::milliseconds;

std::optional<double> header_number(const net::header_map& h, std::string_view name) {
  auto v = h.get(name);
  if (!v || v->empty() || v->size() > 32) return std::nullopt;
  char* end = nullptr;
  const std::string s(*v);
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d) || d < 0) return std::nullopt;
  return d;
}

ms seconds_to_ms(double s) {
  // Round up: waiting a millisecond too long is harmless, too short costs a 429.
  return ms(static_cast<std::int64_t>(std::ceil(std::min(s, 86'400.0) * 1000.0)));
}

struct bucket_state {
  int limit = -1;  // unknown until the first answer
  int remaining = 1;
  steady_time reset_at{};
  std::chrono::milliseconds window{0};  // the last X-RateLimit-Reset-After seen
};

}  // namespace

struct rate_limiter::impl {
  impl(clock& c, rate_limit_options o) : clk(c), opts(o) {}
  clock& clk;
  const rate_limit_options opts;
  mutable std::mutex mu;
  std::unordered_map<std::string, std::string> route_bucket;  // route key -> X-RateLimit-Bucket
  std::unordered_map<std::string, bucket_state> buckets;      // queue key -> state
  std::deque<steady_time> global_sends;
  steady_time global_blocked_until{};
  std::deque<steady_time> invalid;
  rate_limit_stats stats;
  log::logger log{"rest"};

  std::string key_of(const route& r) const {
    auto it = route_bucket.find(r.key());
    std::string k = it != route_bucket.end() ? it->second : r.key();
    k += '|';
    k += r.major;
    return k;
  }

  void prune_invalid(steady_time now) {
    while (!invalid.empty() && now - invalid.front() >= opts.invalid_window) invalid.pop_front();
  }

  void prune_buckets(steady_time now) {
    if (buckets.size() <= opts.max_buckets) return;
    for (auto it = buckets.begin(); it != buckets.end();) {
      if (it->second.reset_at <= now) it = buckets.erase(it);
      else ++it;
    }
  }
};

rate_limiter::rate_limiter(clock& clk, rate_limit_options opts) : impl_(std::make_unique<impl>(clk, opts)) {}
rate_limiter::~rate_limiter() = default;

std::string rate_limiter::queue_key(const route& r) const {
  std::lock_guard lk(impl_->mu);
  return impl_->key_of(r);
}

std::chrono::milliseconds rate_limiter::acquire(const route& r) {
  auto& p = *impl_;
  std::lock_guard lk(p.mu);
  const auto now = p.clk.now();
  // A global 429 blocks every route, interaction routes included.
  if (p.global_blocked_until > now) {
    ++p.stats.global_waits;
    return std::chrono::ceil<ms>(p.global_blocked_until - now);
  }
  auto& b = p.buckets[p.key_of(r)];
  if (b.remaining <= 0) {
    if (b.reset_at > now) {
      ++p.stats.bucket_waits;
      return std::max(ms(1), std::chrono::ceil<ms>(b.reset_at - now));
    }
    // The window reset. Until an answer tells the new reset time, assume the same window.
    b.remaining = b.limit > 0 ? b.limit : 1;
    b.reset_at = now + b.window;
  }
  if (!r.global_exempt) {
    while (!p.global_sends.empty() && now - p.global_sends.front() >= p.opts.global_window) p.global_sends.pop_front();
    if (static_cast<int>(p.global_sends.size()) >= p.opts.global_limit) {
      ++p.stats.global_waits;
      return std::max(ms(1), std::chrono::ceil<ms>(p.global_sends.front() + p.opts.global_window - now));
    }
    p.global_sends.push_back(now);
  }
  --b.remaining;
  return ms(0);
}

bool rate_limiter::budget_exhausted() {
  std::lock_guard lk(impl_->mu);
  impl_->prune_invalid(impl_->clk.now());
  return static_cast<int>(impl_->invalid.size()) >= impl_->opts.invalid_request_budget;
}

std::optional<retry_hint> rate_limiter::on_response(const route& r, int status, const net::header_map& h,
                                                    std::string_view body) {
  auto& p = *impl_;
  std::lock_guard lk(p.mu);
  const auto now = p.clk.now();
  // Learn the bucket id for this route; requests then queue on (bucket, major).
  std::string key = p.key_of(r);
  if (auto bucket = h.get("X-RateLimit-Bucket"); bucket && !bucket->empty() && bucket->size() <= 64) {
    auto& known = p.route_bucket[r.key()];
    if (known != *bucket) {
      const std::string old_key = key;
      known = std::string(*bucket);
      key = p.key_of(r);
      if (auto it = p.buckets.find(old_key); it != p.buckets.end() && old_key != key) {
        p.buckets.try_emplace(key, it->second);
        p.buckets.erase(it);
      }
    }
  }
  auto& b = p.buckets[key];
  auto limit = header_number(h, "X-RateLimit-Limit");
  auto remaining = header_number(h, "X-RateLimit-Remaining");
  auto reset_after = header_number(h, "X-RateLimit-Reset-After");
  if (limit) b.limit = static_cast<int>(*limit);
  if (remaining) b.remaining = std::min(b.remaining, static_cast<int>(*remaining));
  if (remaining && reset_after) {
    b.remaining = static_cast<int>(*remaining);
    b.window = seconds_to_ms(*reset_after);
    b.reset_at = now + b.window;
  }
  const auto scope = h.get("X-RateLimit-Scope");
  const bool shared = scope && *scope == "shared";
  if (status == 401 || status == 403 || (status == 429 && !shared)) {
    p.prune_invalid(now);
    p.invalid.push_back(now);
    const auto n = static_cast<int>(p.invalid.size());
    if (n == p.opts.invalid_request_budget / 2 || n == p.opts.invalid_request_budget)
      p.log.error("{} invalid requests (401/403/429) in the last {} s; the budget is {}", n,
                  std::chrono::duration_cast<std::chrono::seconds>(p.opts.invalid_window).count(),
                  p.opts.invalid_request_budget);
  }
  p.prune_buckets(now);
  if (status != 429) return std::nullopt;

  ++p.stats.responses_429;
  retry_hint hint;
  hint.shared = shared;
  double retry_after = header_number(h, "Retry-After").value_or(1.0);
  bool global = h.get("X-RateLimit-Global").has_value() || (scope && *scope == "global");
  auto parsed = json::parse(body, {64 * 1024, 8});
  if (parsed && parsed->is_object()) {
    if (auto ra = json::get_number(parsed->get_object(), "retry_after"); ra && *ra >= 0 && std::isfinite(*ra))
      retry_after = *ra;
    if (json::get_bool(parsed->get_object(), "global").value_or(false)) global = true;
  }
  hint.after = seconds_to_ms(retry_after);
  hint.global = global;
  if (global) {
    ++p.stats.global_429;
    p.global_blocked_until = std::max(p.global_blocked_until, now + hint.after);
  } else {
    b.remaining = 0;
    b.reset_at = std::max(b.reset_at, now + hint.after);
  }
  p.log.warn("429 on {} ({}, scope {}): retrying after {} ms", r.key(), global ? "global" : "bucket",
             scope ? std::string(*scope) : std::string("-"), hint.after.count());
  return hint;
}

rate_limit_stats rate_limiter::stats() const {
  std::lock_guard lk(impl_->mu);
  auto s = impl_->stats;
  s.invalid_requests_in_window = static_cast<int>(impl_->invalid.size());
  s.buckets = impl_->buckets.size();
  return s;
}

}  // namespace vb::discord
