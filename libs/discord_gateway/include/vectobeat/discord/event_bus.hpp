#pragma once
// The typed event bus the bot subscribes to:
//
//   auto sub = bus.on<voice_state_update_event>([](const auto& e, const event_context& c) { ... });
//
// Listeners run on the strand of the shard that received the event, in subscription
// order, after the cache was updated. A listener that throws is logged and the others
// still run. Subscribing and unsubscribing are safe from any thread (copy-on-write);
// a subscription ends when its handle is destroyed. The bus must outlive its handles.
#include <boost/json/value.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <variant>
#include <vector>

#include "vectobeat/discord/events.hpp"

namespace vb::discord {

struct event_context {
  int shard_id = 0;
  std::int64_t seq = 0;
};

// Shard lifecycle, published by the shard manager (not a Discord dispatch).
struct shard_ready_event {
  int shard_id = 0;
  bool resumed = false;  // true: RESUMED (missed events were replayed); false: READY
};

using gateway_event =
    std::variant<ready_event, resumed_event, guild_create_event, guild_update_event, guild_delete_event,
                 channel_create_event, channel_update_event, channel_delete_event, guild_role_create_event,
                 guild_role_update_event, guild_role_delete_event, voice_state_update_event, voice_server_update_event,
                 interaction_create_event, guild_member_add_event, guild_member_update_event, guild_member_remove_event,
                 shard_ready_event>;

namespace detail {
template <class T, class V>
struct variant_index;
template <class T, class... Ts>
struct variant_index<T, std::variant<Ts...>> {
  static constexpr std::size_t value = [] {
    constexpr bool matches[] = {std::is_same_v<T, Ts>...};
    for (std::size_t i = 0; i < sizeof...(Ts); ++i)
      if (matches[i]) return i;
    return sizeof...(Ts);
  }();
  static_assert(value < sizeof...(Ts), "not a gateway event type");
};
}  // namespace detail

class event_bus {
 public:
  using raw_listener = std::function<void(std::string_view name, const boost::json::value& d, const event_context&)>;

  class subscription {
   public:
    subscription() = default;
    subscription(subscription&& o) noexcept : bus_(o.bus_), slot_(o.slot_), id_(o.id_) { o.bus_ = nullptr; }
    subscription& operator=(subscription&& o) noexcept;
    ~subscription() { reset(); }
    void reset();

   private:
    friend class event_bus;
    subscription(event_bus* b, std::size_t slot, std::uint64_t id) : bus_(b), slot_(slot), id_(id) {}
    event_bus* bus_ = nullptr;
    std::size_t slot_ = 0;
    std::uint64_t id_ = 0;
  };

  event_bus() = default;
  event_bus(const event_bus&) = delete;
  event_bus& operator=(const event_bus&) = delete;

  template <class E, class F>
  [[nodiscard]] subscription on(F&& fn) {
    constexpr std::size_t slot = detail::variant_index<E, gateway_event>::value;
    std::function<void(const void*, const event_context&)> erased = [f = std::forward<F>(fn)](const void* e,
                                                                                           const event_context& c) {
      f(*static_cast<const E*>(e), c);
    };
    return add(slot, std::move(erased));
  }

  // Every dispatch by name with its raw `d`, including events without a typed struct.
  [[nodiscard]] subscription on_raw(raw_listener fn);

  template <class E>
  void publish(const E& e, const event_context& c) {
    constexpr std::size_t slot = detail::variant_index<E, gateway_event>::value;
    deliver(slot, &e, c);
  }
  void publish_raw(std::string_view name, const boost::json::value& d, const event_context& c);
  bool has_raw_listeners() const noexcept { return raw_count_.load(std::memory_order_relaxed) > 0; }

  std::uint64_t listener_failures() const noexcept { return failures_.load(std::memory_order_relaxed); }

 private:
  struct entry {
    std::uint64_t id;
    std::function<void(const void*, const event_context&)> fn;
  };
  using list = std::vector<entry>;
  static constexpr std::size_t raw_slot = std::variant_size_v<gateway_event>;

  subscription add(std::size_t slot, std::function<void(const void*, const event_context&)> fn);
  void remove(std::size_t slot, std::uint64_t id);
  void deliver(std::size_t slot, const void* e, const event_context& c);

  std::mutex mu_;  // writers only
  std::atomic<std::shared_ptr<const list>> lists_[raw_slot + 1];
  std::uint64_t next_id_ = 1;
  std::atomic<int> raw_count_{0};
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace vb::discord
