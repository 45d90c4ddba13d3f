#pragma once
// Internal: REST rate limits as Discord applies them (discord.md §4.2-4.3): per bucket and
// major parameter, a global per-second limit (interaction routes exempt), scripted 429s,
// and the invalid-request count (401/403/429 per 10 minutes).
#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::fake::detail {

struct rate_decision {
  bool allowed = true;
  double retry_after = 0;  // seconds (429 only)
  bool global = false;
  std::string scope;       // 429 only: user, global or shared
  net::header_map headers;  // X-RateLimit-* for the response
};

class rate_limiter {
 public:
  explicit rate_limiter(core& c);

  // One request on route `route_key` ("POST /channels/{channel_id}/messages"), whose
  // bucket is `bucket` with the given default limit unless an override exists.
  rate_decision check(const std::string& route_key, std::string_view bucket, int limit,
                      std::chrono::milliseconds window, std::string_view major, bool global_exempt);
  // Counts the response for statistics and the invalid-request window.
  void record(int status, std::string_view scope);

  void force(const rate_limit_fault& f);
  void set_limit(const route_limit& l);
  rest_stats stats();

  static std::string bucket_hash(std::string_view bucket);

 private:
  struct bucket_state {
    int remaining = 0;
    steady_time reset_at{};
  };
  void add_headers(net::header_map& h, int limit, int remaining, double reset_after, std::string_view bucket) const;

  core& c_;
  std::map<std::string, route_limit, std::less<>> overrides_;
  std::map<std::string, bucket_state, std::less<>> buckets_;  // bucket hash + ":" + major
  std::vector<rate_limit_fault> forced_;
  int global_count_ = 0;
  steady_time global_reset_{};
  std::deque<steady_time> invalid_;  // bounded to the 10-minute window
  rest_stats stats_;
};

}  // namespace vb::fake::detail
