// GUILD_MEMBER_ADD / UPDATE / REMOVE (members intent; the bot's own updates always).
#include "../event_table.hpp"

namespace vb::discord::detail {

namespace {

void on_member_add(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_MEMBER_ADD", d, ctx, parse_guild_member_add, [&](const guild_member_add_event& e) {
    self.cache().member_added(e.guild_id);
    self.bus().publish(e, ctx);
  });
}

void on_member_update(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_MEMBER_UPDATE", d, ctx, parse_guild_member_update, [&](const guild_member_update_event& e) {
    self.cache().member_updated(e.guild_id, e.m);
    self.bus().publish(e, ctx);
  });
}

void on_member_remove(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_MEMBER_REMOVE", d, ctx, parse_guild_member_remove, [&](const guild_member_remove_event& e) {
    self.cache().member_removed(e.guild_id, e.u.id);
    self.bus().publish(e, ctx);
  });
}

}  // namespace

void register_member_events(event_table& t) {
  t.emplace("GUILD_MEMBER_ADD", on_member_add);
  t.emplace("GUILD_MEMBER_UPDATE", on_member_update);
  t.emplace("GUILD_MEMBER_REMOVE", on_member_remove);
}

}  // namespace vb::discord::detail
