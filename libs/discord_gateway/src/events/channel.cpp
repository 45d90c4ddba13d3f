// CHANNEL_CREATE / CHANNEL_UPDATE / CHANNEL_DELETE.
#include "../event_table.hpp"

namespace vb::discord::detail {

namespace {

void on_channel_create(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "CHANNEL_CREATE", d, ctx, parse_channel_event, [&](const channel& c) {
    self.cache().upsert_channel(c);
    self.bus().publish(channel_create_event{c}, ctx);
  });
}

void on_channel_update(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "CHANNEL_UPDATE", d, ctx, parse_channel_event, [&](const channel& c) {
    self.cache().upsert_channel(c);
    self.bus().publish(channel_update_event{c}, ctx);
  });
}

void on_channel_delete(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "CHANNEL_DELETE", d, ctx, parse_channel_event, [&](const channel& c) {
    self.cache().remove_channel(c.guild_id, c.id);
    self.bus().publish(channel_delete_event{c}, ctx);
  });
}

}  // namespace

void register_channel_events(event_table& t) {
  t.emplace("CHANNEL_CREATE", on_channel_create);
  t.emplace("CHANNEL_UPDATE", on_channel_update);
  t.emplace("CHANNEL_DELETE", on_channel_delete);
}

}  // namespace vb::discord::detail
