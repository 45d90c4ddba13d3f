#include "rate_limiter.hpp"

#include <fmt/format.h>

#include <cmath>

namespace vb::fake::detail {

namespace {
constexpr auto invalid_window = std::chrono::minutes(10);
// The invalid-request deque holds at most this many entries (Discord bans at 10,000).
constexpr std::size_t max_invalid_tracked = 20'000;
// Bucket states kept (one per bucket and major parameter); beyond this, expired ones are
// forgotten (an expired state behaves exactly like a missing one).
constexpr std::size_t max_bucket_states = 10'000;

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}
}  // namespace

rate_limiter::rate_limiter(core& c) : c_(c) {
  for (auto& l : c_.opts.route_limits) set_limit(l);
}

std::string rate_limiter::bucket_hash(std::string_view bucket) {
  // Opaque like Discord's (32 hex digits), stable per bucket name: two FNV-1a 64 hashes.
  std::uint64_t a = 1469598103934665603ull, b = 1099511628211ull ^ 0x9E3779B97F4A7C15ull;
  for (unsigned char ch : bucket) {
    a = (a ^ ch) * 1099511628211ull;
    b = (b ^ ch) * 0x100000001B3ull + 0x7F4A7C15;
  }
  return fmt::format("{:016x}{:016x}", a, b);
}

void rate_limiter::set_limit(const route_limit& l) {
  if (l.limit > 0 && l.window.count() > 0) overrides_[l.route] = l;
}

void rate_limiter::force(const rate_limit_fault& f) {
  if (f.count > 0) forced_.push_back(f);
}

void rate_limiter::add_headers(net::header_map& h, int limit, int remaining, double reset_after,
                               std::string_view bucket) const {
  const double reset_epoch =
      std::chrono::duration<double>(c_.clk.system_now().time_since_epoch()).count() + reset_after;
  h.set("X-RateLimit-Limit", std::to_string(limit));
  h.set("X-RateLimit-Remaining", std::to_string(remaining));
  h.set("X-RateLimit-Reset", fmt::format("{:.3f}", reset_epoch));
  h.set("X-RateLimit-Reset-After", fmt::format("{:.3f}", reset_after));
  h.set("X-RateLimit-Bucket", bucket_hash(bucket));
}

rate_decision rate_limiter::check(const std::string& route_key, std::string_view bucket, int limit,
                                  std::chrono::milliseconds window, std::string_view major, bool global_exempt) {
  rate_decision d;
  const auto now = c_.clk.now();
  if (auto it = overrides_.find(route_key); it != overrides_.end()) {
    limit = it->second.limit;
    window = it->second.window;
  }

  // Scripted 429s first: they do not touch the real buckets.
  for (auto it = forced_.begin(); it != forced_.end(); ++it) {
    if (it->route != "*" && it->route != route_key) continue;
    d.allowed = false;
    d.retry_after = it->retry_after;
    d.scope = it->scope;
    d.global = it->scope == "global";
    if (!d.global) add_headers(d.headers, limit, 0, it->retry_after, bucket);
    if (--it->count <= 0) forced_.erase(it);
    break;
  }

  if (d.allowed && !global_exempt && c_.opts.global_requests_per_second > 0) {
    if (now >= global_reset_) {
      global_count_ = 0;
      global_reset_ = now + std::chrono::seconds(1);
    }
    if (global_count_ >= c_.opts.global_requests_per_second) {
      d.allowed = false;
      d.global = true;
      d.scope = "global";
      d.retry_after = seconds(global_reset_ - now);
    } else {
      ++global_count_;
    }
  }

  if (d.allowed) {
    if (buckets_.size() >= max_bucket_states) std::erase_if(buckets_, [&](const auto& kv) { return now >= kv.second.reset_at; });
    auto& b = buckets_[bucket_hash(bucket) + ":" + std::string(major)];
    if (now >= b.reset_at) {
      b.remaining = limit;
      b.reset_at = now + window;
    }
    const double reset_after = seconds(b.reset_at - now);
    if (b.remaining <= 0) {
      d.allowed = false;
      d.scope = "user";
      d.retry_after = reset_after;
      add_headers(d.headers, limit, 0, reset_after, bucket);
    } else {
      --b.remaining;
      add_headers(d.headers, limit, b.remaining, reset_after, bucket);
    }
  }

  if (!d.allowed) {
    // Retry-After is whole seconds (rounded up), the body's retry_after has decimals.
    d.headers.set("Retry-After", std::to_string(static_cast<long>(std::ceil(d.retry_after))));
    d.headers.set("X-RateLimit-Scope", d.scope);
    if (d.global) d.headers.set("X-RateLimit-Global", "true");
  }
  return d;
}

void rate_limiter::record(int status, std::string_view scope) {
  ++stats_.requests;
  if (status == 429) ++stats_.rate_limited;
  if (status == 401) ++stats_.unauthorized;
  const bool invalid = status == 401 || status == 403 || (status == 429 && scope != "shared");
  if (!invalid) return;
  invalid_.push_back(c_.clk.now());
  if (invalid_.size() > max_invalid_tracked) invalid_.pop_front();
}

rest_stats rate_limiter::stats() {
  const auto now = c_.clk.now();
  while (!invalid_.empty() && now - invalid_.front() > invalid_window) invalid_.pop_front();
  rest_stats s = stats_;
  s.invalid_requests = invalid_.size();
  return s;
}

}  // namespace vb::fake::detail
