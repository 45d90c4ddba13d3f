// READY and RESUMED.
#include "../event_table.hpp"

namespace vb::discord::detail {

namespace {

void on_ready(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "READY", d, ctx, parse_ready, [&](const ready_event& e) {
    self.cache().set_self_user(e.self.id);
    if (e.shard) self.cache().on_ready(e.shard->first, e.shard->second, e.guilds);
    self.bus().publish(e, ctx);
  });
}

void on_resumed(event_dispatcher& self, const boost::json::object&, const event_context& ctx) {
  self.bus().publish(resumed_event{}, ctx);
}

}  // namespace

void register_session_events(event_table& t) {
  t.emplace("READY", on_ready);
  t.emplace("RESUMED", on_resumed);
}

}  // namespace vb::discord::detail
