// GUILD_CREATE / GUILD_UPDATE / GUILD_DELETE and GUILD_ROLE_*.
#include "../event_table.hpp"

namespace vb::discord::detail {

namespace {

void on_guild_create(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_CREATE", d, ctx, parse_guild_create, [&](const guild_create_event& e) {
    self.cache().upsert_guild(e.g);
    self.bus().publish(e, ctx);
  });
}

void on_guild_update(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_UPDATE", d, ctx, parse_guild_update, [&](const guild_update_event& e) {
    self.cache().update_guild(e.g);
    self.bus().publish(e, ctx);
  });
}

void on_guild_delete(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_DELETE", d, ctx, parse_guild_delete, [&](const guild_delete_event& e) {
    self.cache().remove_guild(e.guild_id, e.unavailable);
    self.bus().publish(e, ctx);
  });
}

void on_role_create(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_ROLE_CREATE", d, ctx, parse_guild_role_create, [&](const guild_role_create_event& e) {
    self.cache().upsert_role(e.guild_id, e.r);
    self.bus().publish(e, ctx);
  });
}

void on_role_update(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_ROLE_UPDATE", d, ctx, parse_guild_role_update, [&](const guild_role_update_event& e) {
    self.cache().upsert_role(e.guild_id, e.r);
    self.bus().publish(e, ctx);
  });
}

void on_role_delete(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "GUILD_ROLE_DELETE", d, ctx, parse_guild_role_delete, [&](const guild_role_delete_event& e) {
    self.cache().remove_role(e.guild_id, e.role_id);
    self.bus().publish(e, ctx);
  });
}

}  // namespace

void register_guild_events(event_table& t) {
  t.emplace("GUILD_CREATE", on_guild_create);
  t.emplace("GUILD_UPDATE", on_guild_update);
  t.emplace("GUILD_DELETE", on_guild_delete);
  t.emplace("GUILD_ROLE_CREATE", on_role_create);
  t.emplace("GUILD_ROLE_UPDATE", on_role_update);
  t.emplace("GUILD_ROLE_DELETE", on_role_delete);
}

}  // namespace vb::discord::detail
