#include "vectobeat/discord/event_bus.hpp"

#include "vectobeat/common/log.hpp"

namespace vb::discord {

namespace {
const log::logger& bus_log() {
  static const log::logger l("gateway");
  return l;
}
struct raw_args {
  std::string_view name;
  const boost::json::value* d;
};
}  // namespace

event_bus::subscription& event_bus::subscription::operator=(subscription&& o) noexcept {
  if (this != &o) {
    reset();
    bus_ = o.bus_;
    slot_ = o.slot_;
    id_ = o.id_;
    o.bus_ = nullptr;
  }
  return *this;
}

void event_bus::subscription::reset() {
  if (bus_) bus_->remove(slot_, id_);
  bus_ = nullptr;
}

event_bus::subscription event_bus::add(std::size_t slot, std::function<void(const void*, const event_context&)> fn) {
  std::lock_guard lk(mu_);
  auto next = std::make_shared<list>();
  if (auto cur = lists_[slot].load()) *next = *cur;
  const std::uint64_t id = next_id_++;
  next->push_back({id, std::move(fn)});
  lists_[slot].store(std::shared_ptr<const list>(std::move(next)));
  if (slot == raw_slot) raw_count_.fetch_add(1);
  return subscription(this, slot, id);
}

void event_bus::remove(std::size_t slot, std::uint64_t id) {
  std::lock_guard lk(mu_);
  auto cur = lists_[slot].load();
  if (!cur) return;
  auto next = std::make_shared<list>(*cur);
  std::erase_if(*next, [&](const entry& e) { return e.id == id; });
  lists_[slot].store(std::shared_ptr<const list>(std::move(next)));
  if (slot == raw_slot) raw_count_.fetch_sub(1);
}

void event_bus::deliver(std::size_t slot, const void* e, const event_context& c) {
  auto l = lists_[slot].load();
  if (!l) return;
  for (const auto& entry : *l) {
    try {
      entry.fn(e, c);
    } catch (const std::exception& ex) {
      failures_.fetch_add(1, std::memory_order_relaxed);
      bus_log().error("[shard {}] event listener threw: {}", c.shard_id, ex.what());
    } catch (...) {
      failures_.fetch_add(1, std::memory_order_relaxed);
      bus_log().error("[shard {}] event listener threw a non-exception", c.shard_id);
    }
  }
}

event_bus::subscription event_bus::on_raw(raw_listener fn) {
  std::function<void(const void*, const event_context&)> erased = [f = std::move(fn)](const void* a,
                                                                                    const event_context& c) {
    const auto* args = static_cast<const raw_args*>(a);
    f(args->name, *args->d, c);
  };
  return add(raw_slot, std::move(erased));
}

void event_bus::publish_raw(std::string_view name, const boost::json::value& d, const event_context& c) {
  raw_args a{name, &d};
  deliver(raw_slot, &a, c);
}

}  // namespace vb::discord
