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

// The hot parsers (user, member, voice state, channel, overwrite, role) walk the object
// once and dispatch on the key, instead of one lookup per field.
parsed<user> parse_user(const bj::object& o) {
  user u;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    const bj::value& v = kv.value();
    switch (k.size()) {
      case 2: if (k == "id") u.id = snow_of(v); break;
      case 3: if (k == "bot") u.bot = bool_of(v); break;
      case 6: if (k == "avatar") u.avatar = opt_str_of(v); break;
      case 8: if (k == "username") u.username = std::string(str_of(v)); break;
      case 11: if (k == "global_name") u.global_name = opt_str_of(v); break;
      default: break;
    }
  }
  if (!u.id) return unexpected(missing("user.id"));
  return u;
}

parsed<role> parse_role(const bj::object& o) {
  role r;
  std::optional<permissions> p;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    const bj::value& v = kv.value();
    switch (k.size()) {
      case 2: if (k == "id") r.id = snow_of(v); break;
      case 4: if (k == "name") r.name = std::string(str_of(v)); break;
      case 5: if (k == "color") r.color = static_cast<std::uint32_t>(int_of(v).value_or(0)); break;
      case 7: if (k == "managed") r.managed = bool_of(v); break;
      case 8: if (k == "position") r.position = static_cast<int>(int_of(v).value_or(0)); break;
      case 11: if (k == "permissions") p = perms_of(v); break;
      default: break;
    }
  }
  if (!r.id) return unexpected(missing("role.id"));
  if (!p) return unexpected(invalid("role.permissions", "not a permission string"));
  r.perms = *p;
  return r;
}

parsed<permission_overwrite> parse_overwrite(const bj::object& o) {
  permission_overwrite ow;
  const bj::value* type = nullptr;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    const bj::value& v = kv.value();
    if (k == "id") ow.id = snow_of(v);
    else if (k == "type") type = &v;
    else if (k == "allow") ow.allow = perms_of(v).value_or(permissions());
    else if (k == "deny") ow.deny = perms_of(v).value_or(permissions());
  }
  if (!ow.id) return unexpected(missing("overwrite.id"));
  if (!type) return unexpected(invalid("overwrite.type"));
  if (auto t = int_of(*type)) {
    if (*t != 0 && *t != 1) return unexpected(invalid("overwrite.type"));
    ow.type = static_cast<overwrite_type>(*t);
  } else if (str_of(*type) == "role") {  // older payloads sent "role"/"member"
    ow.type = overwrite_type::role;
  } else if (str_of(*type) == "member") {
    ow.type = overwrite_type::member;
  } else {
    return unexpected(invalid("overwrite.type"));
  }
  return ow;
}

parsed<channel> parse_channel(const bj::object& o) {
  channel c;
  std::optional<std::int64_t> type;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    const bj::value& v = kv.value();
    switch (k.size()) {
      case 2: if (k == "id") c.id = snow_of(v); break;
      case 4:
        if (k == "type") type = int_of(v);
        else if (k == "name") c.name = std::string(str_of(v));
        break;
      case 7: if (k == "bitrate") c.bitrate = static_cast<int>(int_of(v).value_or(0)); break;
      case 8:
        if (k == "guild_id") c.guild_id = snow_of(v);
        else if (k == "position") c.position = static_cast<int>(int_of(v).value_or(0));
        break;
      case 9: if (k == "parent_id") c.parent_id = snow_of(v); break;
      case 10: if (k == "user_limit") c.user_limit = static_cast<int>(int_of(v).value_or(0)); break;
      case 21:
        if (k == "permission_overwrites" && v.is_array()) {
          const auto& ows = v.get_array();
          c.overwrites.reserve(ows.size());
          for (const auto& ov : ows)
            if (ov.is_object())
              if (auto ow = parse_overwrite(ov.get_object())) c.overwrites.push_back(*ow);
        }
        break;
      default: break;
    }
  }
  if (!c.id) return unexpected(missing("channel.id"));
  if (!type) return unexpected(missing("channel.type"));
  c.type = to_channel_type(*type);
  return c;
}

member parse_member(const bj::object& o) {
  member m;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    const bj::value& v = kv.value();
    switch (k.size()) {
      case 4:
        if (k == "user" && v.is_object()) {
          if (auto parsed_user = parse_user(v.get_object())) {
            m.user_id = parsed_user->id;
            m.user_info = std::move(*parsed_user);
          }
        } else if (k == "nick") {
          m.nick = opt_str_of(v);
        } else if (k == "deaf") {
          m.deaf = bool_of(v);
        } else if (k == "mute") {
          m.mute = bool_of(v);
        }
        break;
      case 5:
        if (k == "roles" && v.is_array()) {
          const auto& roles = v.get_array();
          m.roles.reserve(roles.size());
          for (const auto& r : roles)
            if (auto id = snow_of(r)) m.roles.push_back(id);
        }
        break;
      case 11: if (k == "permissions") m.perms = perms_of(v); break;
      default: break;
    }
  }
  return m;
}

parsed<voice_state> parse_voice_state(const bj::object& o) {
  voice_state s;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    const bj::value& v = kv.value();
    switch (k.size()) {
      case 4:
        if (k == "deaf") s.deaf = bool_of(v);
        else if (k == "mute") s.mute = bool_of(v);
        break;
      case 6: if (k == "member" && v.is_object()) s.member_info = parse_member(v.get_object()); break;
      case 7: if (k == "user_id") s.user_id = snow_of(v); break;
      case 8:
        if (k == "guild_id") s.guild_id = snow_of(v);
        else if (k == "suppress") s.suppress = bool_of(v);
        break;
      case 9:
        if (k == "self_deaf") s.self_deaf = bool_of(v);
        else if (k == "self_mute") s.self_mute = bool_of(v);
        break;
      case 10:
        if (k == "channel_id") s.channel_id = snow_of(v);
        else if (k == "session_id") s.session_id = std::string(str_of(v));
        else if (k == "self_video") s.self_video = bool_of(v);
        break;
      case 11: if (k == "self_stream") s.self_stream = bool_of(v); break;
      default: break;
    }
  }
  if (!s.user_id) return unexpected(missing("voice_state.user_id"));
  return s;
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
