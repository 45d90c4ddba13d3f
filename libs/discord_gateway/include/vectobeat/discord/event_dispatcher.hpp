#pragma once
// The gateway event table (STYLE §8): one map from dispatch name to handler, built in
// one place (event_table.cpp) from the handlers in src/events/*.cpp. A handler parses
// `d` into its typed event, updates the cache, then publishes on the bus. Unknown names
// are logged at debug; payloads that do not parse are counted and logged (rate-limited),
// never fatal.
#include <boost/json/value.hpp>

#include <atomic>
#include <cstdint>
#include <string_view>

#include "vectobeat/discord/event_bus.hpp"
#include "vectobeat/discord/gateway_cache.hpp"

namespace vb::discord {

struct dispatch_stats {
  std::uint64_t dispatched = 0;      // handled by a typed handler
  std::uint64_t unknown = 0;         // no handler for the name
  std::uint64_t parse_failures = 0;  // a handler refused the payload
};

class event_dispatcher {
 public:
  event_dispatcher(gateway_cache& cache, event_bus& bus);
  event_dispatcher(const event_dispatcher&) = delete;
  event_dispatcher& operator=(const event_dispatcher&) = delete;

  // One op-0 dispatch. Safe to call concurrently for different shards (the cache and the
  // bus are thread-safe; each guild is written by its own shard).
  void dispatch(std::string_view name, const boost::json::value& d, const event_context& ctx);

  dispatch_stats stats() const noexcept;

  // For handlers (src/events/*.cpp).
  gateway_cache& cache() noexcept { return cache_; }
  event_bus& bus() noexcept { return bus_; }
  void count_failure(std::string_view name, const model_failure& f, const event_context& ctx);

 private:
  gateway_cache& cache_;
  event_bus& bus_;
  std::atomic<std::uint64_t> dispatched_{0};
  std::atomic<std::uint64_t> unknown_{0};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace vb::discord
