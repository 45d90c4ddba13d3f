#pragma once
// All shards of this process: the shard range (`--shards 0-3 --total-shards 8` lets
// several processes split one bot), IDENTIFY in max_concurrency buckets
// (rate_limit_key = shard_id % max_concurrency, one IDENTIFY per key per 5 s, lower
// shards first), the session start limit, voice state updates routed to the owning
// shard, and per-shard state and latency for the status API. Dispatches go through the
// event table into the cache and the typed bus.
//
//   shard_manager gw(executor, clock, gateway_options_from(settings));
//   auto sub = gw.events().on<voice_server_update_event>(...);
//   gw.start(*co_await rest_api.get_gateway_bot());
//
// Threading: public members are safe from any thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/discord/event_bus.hpp"
#include "vectobeat/discord/event_dispatcher.hpp"
#include "vectobeat/discord/gateway_cache.hpp"
#include "vectobeat/discord/shard_session.hpp"

namespace vb {
class clock;
struct settings;
}  // namespace vb

namespace vb::discord {

struct gateway_options {
  std::optional<int> shard_count;  // total across processes; nullopt: GET /gateway/bot's
  std::vector<int> shard_ids;      // this process's shards; empty: all
  std::string gateway_url;         // override (the fake Discord); empty: GET /gateway/bot's
  std::chrono::milliseconds identify_interval{5'000};
  // Template for every session (token, intents, compression, presence, limits, ...);
  // shard_id, shard_count and gateway_url are filled in per shard.
  shard_session_options session;
};

// From the configuration: token, intents (+ members), shard_count/shard_ids,
// gateway compression, large_threshold, gateway_url and presence.
gateway_options gateway_options_from(const settings& s);

// "0-3", "5", "0,2,4-6"; empty or "all": every shard of `total`. Ids must lie in
// [0, total); duplicates are refused.
expected<std::vector<int>, std::string> parse_shard_range(std::string_view spec, int total);

// Grants IDENTIFY permits: per rate-limit key one per interval, the lowest waiting shard
// first, and none while the session start limit is used up (until it resets).
class identify_scheduler {
 public:
  identify_scheduler(clock& clk, int max_concurrency, std::chrono::milliseconds interval, session_start_limit limit);
  ~identify_scheduler();
  identify_scheduler(const identify_scheduler&) = delete;
  identify_scheduler& operator=(const identify_scheduler&) = delete;

  // Completes when `shard_id` may send IDENTIFY. Awaited on the caller's executor.
  task<void> acquire(int shard_id);
  int remaining_starts() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

class shard_manager {
 public:
  shard_manager(asio::any_io_executor ex, clock& clk, gateway_options opts);
  ~shard_manager();  // stops every shard
  shard_manager(const shard_manager&) = delete;
  shard_manager& operator=(const shard_manager&) = delete;

  // Creates and starts this process's shards with Discord's gateway information.
  // Errors: invalid_shard when a configured id is outside the total. Call once.
  std::error_code start(const gateway_bot& info);
  void stop();

  event_bus& events() noexcept;
  gateway_cache& cache() noexcept;
  dispatch_stats dispatch_counters() const noexcept;

  // op 4 on the shard that owns the guild; channel empty: leave. Errors:
  // shard_not_owned, not_connected (not started), send_queue_full, stopped.
  std::error_code update_voice_state(snowflake guild_id, snowflake channel_id, bool self_mute, bool self_deaf);
  // op 3 on every shard.
  void update_presence(const presence& p);

  int total_shards() const noexcept;  // 0 before start()
  std::vector<int> shard_ids() const;
  bool owns(snowflake guild_id) const noexcept;
  std::vector<shard_status> status() const;
  // Mean latency of the ready shards; -1 when none has one.
  int average_latency_ms() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::discord
