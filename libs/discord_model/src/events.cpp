#include "vectobeat/discord/events.hpp"

#include "json_read.hpp"

namespace vb::discord {

using namespace detail;

parsed<ready_event> parse_ready(const bj::object& d) {
  ready_event r;
  r.version = static_cast<int>(int_or(d, "v", 10));
  auto* u = obj(d, "user");
  if (!u) return unexpected(missing("READY.user"));
  auto self = parse_user(*u);
  if (!self) return unexpected(std::move(self).error());
  r.self = std::move(*self);
  r.session_id = std::string(str(d, "session_id"));
  if (r.session_id.empty()) return unexpected(missing("READY.session_id"));
  r.resume_gateway_url = std::string(str(d, "resume_gateway_url"));
  if (auto* guilds = arr(d, "guilds")) {
    r.guilds.reserve(guilds->size());
    for (const auto& g : *guilds)
      if (g.is_object())
        if (auto id = snow(g.get_object(), "id")) r.guilds.push_back(id);
  }
  if (auto* shard = arr(d, "shard"); shard && shard->size() == 2 && (*shard)[0].is_int64() && (*shard)[1].is_int64())
    r.shard = std::make_pair(static_cast<int>((*shard)[0].get_int64()), static_cast<int>((*shard)[1].get_int64()));
  if (auto* app = obj(d, "application")) r.application_id = snow(*app, "id");
  return r;
}

parsed<guild_create_event> parse_guild_create(const bj::object& d) {
  auto g = parse_guild(d);
  if (!g) return unexpected(std::move(g).error());
  return guild_create_event{std::move(*g)};
}

parsed<guild_update_event> parse_guild_update(const bj::object& d) {
  auto g = parse_guild(d);
  if (!g) return unexpected(std::move(g).error());
  return guild_update_event{std::move(*g)};
}

parsed<guild_delete_event> parse_guild_delete(const bj::object& d) {
  guild_delete_event e;
  e.guild_id = snow(d, "id");
  if (!e.guild_id) return unexpected(missing("GUILD_DELETE.id"));
  e.unavailable = boolean(d, "unavailable");
  return e;
}

parsed<channel> parse_channel_event(const bj::object& d) { return parse_channel(d); }

namespace {
parsed<std::pair<snowflake, role>> guild_role(const bj::object& d, const char* what) {
  const snowflake guild_id = snow(d, "guild_id");
  if (!guild_id) return unexpected(missing(std::string(what) + ".guild_id"));
  auto* r = obj(d, "role");
  if (!r) return unexpected(missing(std::string(what) + ".role"));
  auto parsed_role = parse_role(*r);
  if (!parsed_role) return unexpected(std::move(parsed_role).error());
  return std::make_pair(guild_id, std::move(*parsed_role));
}
}  // namespace

parsed<guild_role_create_event> parse_guild_role_create(const bj::object& d) {
  auto r = guild_role(d, "GUILD_ROLE_CREATE");
  if (!r) return unexpected(std::move(r).error());
  return guild_role_create_event{r->first, std::move(r->second)};
}

parsed<guild_role_update_event> parse_guild_role_update(const bj::object& d) {
  auto r = guild_role(d, "GUILD_ROLE_UPDATE");
  if (!r) return unexpected(std::move(r).error());
  return guild_role_update_event{r->first, std::move(r->second)};
}

parsed<guild_role_delete_event> parse_guild_role_delete(const bj::object& d) {
  guild_role_delete_event e;
  e.guild_id = snow(d, "guild_id");
  e.role_id = snow(d, "role_id");
  if (!e.guild_id || !e.role_id) return unexpected(missing("GUILD_ROLE_DELETE.guild_id/role_id"));
  return e;
}

parsed<voice_state_update_event> parse_voice_state_update(const bj::object& d) {
  auto v = parse_voice_state(d);
  if (!v) return unexpected(std::move(v).error());
  if (!v->guild_id) return unexpected(missing("VOICE_STATE_UPDATE.guild_id"));
  return voice_state_update_event{std::move(*v)};
}

parsed<voice_server_update_event> parse_voice_server_update(const bj::object& d) {
  voice_server_update_event e;
  e.guild_id = snow(d, "guild_id");
  if (!e.guild_id) return unexpected(missing("VOICE_SERVER_UPDATE.guild_id"));
  e.token = std::string(str(d, "token"));
  if (e.token.empty()) return unexpected(missing("VOICE_SERVER_UPDATE.token"));
  e.endpoint = opt_str(d, "endpoint");
  if (e.endpoint && e.endpoint->empty()) e.endpoint.reset();
  return e;
}

parsed<interaction_create_event> parse_interaction_create(const bj::object& d) {
  auto in = parse_interaction(d);
  if (!in) return unexpected(std::move(in).error());
  return interaction_create_event{std::move(*in)};
}

parsed<guild_member_add_event> parse_guild_member_add(const bj::object& d) {
  guild_member_add_event e;
  e.guild_id = snow(d, "guild_id");
  e.m = parse_member(d);
  if (!e.guild_id || !e.m.user_id) return unexpected(missing("GUILD_MEMBER_ADD.guild_id/user"));
  return e;
}

parsed<guild_member_update_event> parse_guild_member_update(const bj::object& d) {
  guild_member_update_event e;
  e.guild_id = snow(d, "guild_id");
  e.m = parse_member(d);
  if (!e.guild_id || !e.m.user_id) return unexpected(missing("GUILD_MEMBER_UPDATE.guild_id/user"));
  return e;
}

parsed<guild_member_remove_event> parse_guild_member_remove(const bj::object& d) {
  guild_member_remove_event e;
  e.guild_id = snow(d, "guild_id");
  auto* u = obj(d, "user");
  if (!e.guild_id || !u) return unexpected(missing("GUILD_MEMBER_REMOVE.guild_id/user"));
  auto pu = parse_user(*u);
  if (!pu) return unexpected(std::move(pu).error());
  e.u = std::move(*pu);
  return e;
}

}  // namespace vb::discord
