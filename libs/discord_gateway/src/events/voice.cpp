// VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE (discord.md §7).
#include "../event_table.hpp"

namespace vb::discord::detail {

namespace {

void on_voice_state(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "VOICE_STATE_UPDATE", d, ctx, parse_voice_state_update, [&](const voice_state_update_event& e) {
    self.cache().update_voice_state(e.state);
    self.bus().publish(e, ctx);
  });
}

void on_voice_server(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "VOICE_SERVER_UPDATE", d, ctx, parse_voice_server_update,
         [&](const voice_server_update_event& e) { self.bus().publish(e, ctx); });
}

}  // namespace

void register_voice_events(event_table& t) {
  t.emplace("VOICE_STATE_UPDATE", on_voice_state);
  t.emplace("VOICE_SERVER_UPDATE", on_voice_server);
}

}  // namespace vb::discord::detail
