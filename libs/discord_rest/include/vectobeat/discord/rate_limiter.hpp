#pragma once
// Rate-limit bookkeeping of the REST client (discord.md §4.2-4.3), without I/O so it is
// tested with vb::manual_clock: buckets learned from X-RateLimit-* headers and keyed by
// (bucket, major parameter), the global limit (50 requests per second, interaction
// routes exempt), 429 with retry_after/global/scope, and the invalid-request budget
// (401/403/429 per 10 minutes; shared-scope 429s do not count).
//
// Thread-safe. The client asks wait_for() until it returns zero, then sends and reports
// the answer with on_response().
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vectobeat/common/net/http.hpp"
#include "vectobeat/discord/route.hpp"

namespace vb {
class clock;
}

namespace vb::discord {

struct rate_limit_options {
  int global_limit = 50;
  // Discord's window is 1 s as it counts arrivals; 50 ms more keeps a request that left
  // just after the window from arriving inside it.
  std::chrono::milliseconds global_window{1'050};
  // Stay far below Discord's 10,000 per 10 minutes (a Cloudflare ban for the whole IP).
  int invalid_request_budget = 2'000;
  std::chrono::milliseconds invalid_window{600'000};
  std::size_t max_buckets = 20'000;  // expired buckets are pruned past this
};

struct rate_limit_stats {
  std::uint64_t bucket_waits = 0;   // times a request waited for its bucket
  std::uint64_t global_waits = 0;   // times a request waited for the global limit
  std::uint64_t responses_429 = 0;  // 429s received
  std::uint64_t global_429 = 0;
  int invalid_requests_in_window = 0;
  std::size_t buckets = 0;
};

// What on_response() learnt from a 429.
struct retry_hint {
  std::chrono::milliseconds after{0};
  bool global = false;
  bool shared = false;
};

class rate_limiter {
 public:
  rate_limiter(clock& clk, rate_limit_options opts);
  ~rate_limiter();
  rate_limiter(const rate_limiter&) = delete;
  rate_limiter& operator=(const rate_limiter&) = delete;

  // The queue a request of `r` waits in: the learnt bucket id (or the route key while
  // unknown) plus the major parameter.
  std::string queue_key(const route& r) const;

  // How long `r` must wait before it may be sent; zero means "send now", and then the
  // request's slot (bucket remaining and global window) is taken.
  std::chrono::milliseconds acquire(const route& r);

  // True while the invalid-request budget is used up (requests are refused).
  bool budget_exhausted();

  // Learns from an answer. For a 429 returns how long to wait before retrying.
  std::optional<retry_hint> on_response(const route& r, int status, const net::header_map& headers,
                                        std::string_view body);

  rate_limit_stats stats() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::discord
