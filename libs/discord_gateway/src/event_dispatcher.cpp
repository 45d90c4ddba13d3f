#include "vectobeat/discord/event_dispatcher.hpp"

#include "event_table.hpp"
#include "vectobeat/common/log.hpp"

namespace vb::discord {

namespace {
const log::logger& log_() {
  static const log::logger l("gateway");
  return l;
}
log::rate_limit& failure_limit() {
  static log::rate_limit r;
  return r;
}
}  // namespace

namespace detail {
const event_table& table() {
  static const event_table t = [] {
    event_table t;
    register_session_events(t);
    register_guild_events(t);
    register_channel_events(t);
    register_voice_events(t);
    register_interaction_events(t);
    register_member_events(t);
    return t;
  }();
  return t;
}
}  // namespace detail

event_dispatcher::event_dispatcher(gateway_cache& cache, event_bus& bus) : cache_(cache), bus_(bus) {}

void event_dispatcher::dispatch(std::string_view name, const boost::json::value& d, const event_context& ctx) {
  if (bus_.has_raw_listeners()) bus_.publish_raw(name, d, ctx);
  const auto& t = detail::table();
  auto it = t.find(name);
  if (it == t.end()) {
    unknown_.fetch_add(1, std::memory_order_relaxed);
    log_().debug("[shard {}] unhandled event {}", ctx.shard_id, name);
    return;
  }
  if (!d.is_object()) {
    count_failure(name, model_failure{model_error::not_an_object, "d", {}}, ctx);
    return;
  }
  dispatched_.fetch_add(1, std::memory_order_relaxed);
  it->second(*this, d.get_object(), ctx);
}

void event_dispatcher::count_failure(std::string_view name, const model_failure& f, const event_context& ctx) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t suppressed = 0;
  if (failure_limit().allow(suppressed))
    log_().warn("[shard {}] ignoring {} (seq {}): {} ({} similar suppressed)", ctx.shard_id, name, ctx.seq, f.message(),
                suppressed);
}

dispatch_stats event_dispatcher::stats() const noexcept {
  return {dispatched_.load(), unknown_.load(), failures_.load()};
}

}  // namespace vb::discord
