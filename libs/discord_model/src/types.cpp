#include "vectobeat/discord/types.hpp"

#include <algorithm>

#include "json_read.hpp"

namespace vb::discord {

using namespace detail;

channel_type to_channel_type(std::int64_t raw) noexcept {
  switch (raw) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 10: case 11: case 12: case 13: case 14: case 15: case 16:
      return static_cast<channel_type>(raw);
    default: return channel_type::unknown;
  }
}

parsed<user> parse_user(const bj::object& o) {
  user u;
  u.id = snow(o, "id");
  if (!u.id) return unexpected(missing("user.id"));
  u.username = std::string(str(o, "username"));
  u.global_name = opt_str(o, "global_name");
  u.avatar = opt_str(o, "avatar");
  u.bot = boolean(o, "bot");
  return u;
}

parsed<role> parse_role(const bj::object& o) {
  role r;
  r.id = snow(o, "id");
  if (!r.id) return unexpected(missing("role.id"));
  r.name = std::string(str(o, "name"));
  auto p = opt_perms(o, "permissions");
  if (!p) return unexpected(invalid("role.permissions", "not a permission string"));
  r.perms = *p;
  r.position = static_cast<int>(int_or(o, "position", 0));
  r.color = static_cast<std::uint32_t>(int_or(o, "color", 0));
  r.managed = boolean(o, "managed");
  return r;
}

parsed<permission_overwrite> parse_overwrite(const bj::object& o) {
  permission_overwrite ow;
  ow.id = snow(o, "id");
  if (!ow.id) return unexpected(missing("overwrite.id"));
  const auto type = opt_int(o, "type");
  if (!type) {
    // Older payloads sent "role"/"member" strings.
    auto s = str(o, "type");
    if (s == "role") ow.type = overwrite_type::role;
    else if (s == "member") ow.type = overwrite_type::member;
    else return unexpected(invalid("overwrite.type"));
  } else if (*type == 0 || *type == 1) {
    ow.type = static_cast<overwrite_type>(*type);
  } else {
    return unexpected(invalid("overwrite.type"));
  }
  ow.allow = opt_perms(o, "allow").value_or(permissions());
  ow.deny = opt_perms(o, "deny").value_or(permissions());
  return ow;
}

parsed<channel> parse_channel(const bj::object& o) {
  channel c;
  c.id = snow(o, "id");
  if (!c.id) return unexpected(missing("channel.id"));
  auto type = opt_int(o, "type");
  if (!type) return unexpected(missing("channel.type"));
  c.type = to_channel_type(*type);
  c.guild_id = snow(o, "guild_id");
  c.name = std::string(str(o, "name"));
  c.parent_id = snow(o, "parent_id");
  c.position = static_cast<int>(int_or(o, "position", 0));
  c.user_limit = static_cast<int>(int_or(o, "user_limit", 0));
  c.bitrate = static_cast<int>(int_or(o, "bitrate", 0));
  if (auto* ows = arr(o, "permission_overwrites")) {
    c.overwrites.reserve(ows->size());
    for (const auto& v : *ows) {
      if (!v.is_object()) continue;
      if (auto ow = parse_overwrite(v.get_object())) c.overwrites.push_back(*ow);
    }
  }
  return c;
}

member parse_member(const bj::object& o) {
  member m;
  if (auto* u = obj(o, "user")) {
    if (auto parsed_user = parse_user(*u)) {
      m.user_id = parsed_user->id;
      m.user_info = std::move(*parsed_user);
    }
  }
  m.nick = opt_str(o, "nick");
  if (auto* roles = arr(o, "roles")) {
    m.roles.reserve(roles->size());
    for (const auto& r : *roles)
      if (auto id = snow_of(r)) m.roles.push_back(id);
  }
  m.perms = opt_perms(o, "permissions");
  m.deaf = boolean(o, "deaf");
  m.mute = boolean(o, "mute");
  return m;
}

parsed<voice_state> parse_voice_state(const bj::object& o) {
  voice_state v;
  v.user_id = snow(o, "user_id");
  if (!v.user_id) return unexpected(missing("voice_state.user_id"));
  v.guild_id = snow(o, "guild_id");
  v.channel_id = snow(o, "channel_id");
  v.session_id = std::string(str(o, "session_id"));
  v.deaf = boolean(o, "deaf");
  v.mute = boolean(o, "mute");
  v.self_deaf = boolean(o, "self_deaf");
  v.self_mute = boolean(o, "self_mute");
  v.self_stream = boolean(o, "self_stream");
  v.self_video = boolean(o, "self_video");
  v.suppress = boolean(o, "suppress");
  if (auto* m = obj(o, "member")) v.member_info = parse_member(*m);
  return v;
}

parsed<guild> parse_guild(const bj::object& o) {
  guild g;
  g.id = snow(o, "id");
  if (!g.id) return unexpected(missing("guild.id"));
  g.unavailable = boolean(o, "unavailable");
  g.name = std::string(str(o, "name"));
  g.owner_id = snow(o, "owner_id");
  g.large = boolean(o, "large");
  g.member_count = static_cast<int>(int_or(o, "member_count", int_or(o, "approximate_member_count", 0)));
  g.icon = opt_str(o, "icon");
  g.preferred_locale = std::string(str(o, "preferred_locale"));
  if (auto* a = arr(o, "roles")) {
    g.roles.reserve(a->size());
    for (const auto& v : *a)
      if (v.is_object())
        if (auto r = parse_role(v.get_object())) g.roles.push_back(std::move(*r));
  }
  if (auto* a = arr(o, "channels")) {
    g.channels.reserve(a->size());
    for (const auto& v : *a)
      if (v.is_object())
        if (auto c = parse_channel(v.get_object())) {
          if (!c->guild_id) c->guild_id = g.id;
          g.channels.push_back(std::move(*c));
        }
  }
  if (auto* a = arr(o, "voice_states")) {
    g.voice_states.reserve(a->size());
    for (const auto& v : *a)
      if (v.is_object())
        if (auto s = parse_voice_state(v.get_object())) {
          if (!s->guild_id) s->guild_id = g.id;
          g.voice_states.push_back(std::move(*s));
        }
  }
  if (auto* a = arr(o, "members")) {
    g.members.reserve(a->size());
    for (const auto& v : *a)
      if (v.is_object()) g.members.push_back(parse_member(v.get_object()));
  }
  return g;
}

parsed<application> parse_application(const bj::object& o) {
  application a;
  a.id = snow(o, "id");
  if (!a.id) return unexpected(missing("application.id"));
  a.name = std::string(str(o, "name"));
  a.flags = static_cast<std::uint64_t>(int_or(o, "flags", 0));
  return a;
}

parsed<message> parse_message(const bj::object& o) {
  message m;
  m.id = snow(o, "id");
  if (!m.id) return unexpected(missing("message.id"));
  m.channel_id = snow(o, "channel_id");
  m.guild_id = snow(o, "guild_id");
  if (auto* a = obj(o, "author")) m.author_id = snow(*a, "id");
  m.content = std::string(str(o, "content"));
  m.flags = static_cast<std::uint32_t>(int_or(o, "flags", 0));
  if (auto* e = arr(o, "embeds")) m.embed_count = e->size();
  if (auto w = snow(o, "webhook_id")) m.webhook_id = w;
  return m;
}

parsed<gateway_bot> parse_gateway_bot(const bj::object& o) {
  gateway_bot g;
  g.url = std::string(str(o, "url"));
  if (g.url.empty()) return unexpected(missing("gateway_bot.url"));
  const auto shards = opt_int(o, "shards");
  if (!shards || *shards < 1 || *shards > 1'000'000) return unexpected(invalid("gateway_bot.shards"));
  g.shards = static_cast<int>(*shards);
  if (auto* l = obj(o, "session_start_limit")) {
    g.limit.total = static_cast<int>(int_or(*l, "total", 1000));
    g.limit.remaining = static_cast<int>(std::max<std::int64_t>(0, int_or(*l, "remaining", g.limit.total)));
    g.limit.reset_after_ms = std::max<std::int64_t>(0, int_or(*l, "reset_after", 0));
    g.limit.max_concurrency = static_cast<int>(std::clamp<std::int64_t>(int_or(*l, "max_concurrency", 1), 1, 4096));
  }
  return g;
}

}  // namespace vb::discord
