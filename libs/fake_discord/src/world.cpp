#include "world.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

namespace vb::fake::detail {

// ---------------------------------------------------------------- snowflakes

std::int64_t snowflake_generator::now_ms() const {
  return std::max<std::int64_t>(clock_.unix_ms() - discord_epoch_ms, 1);
}

snowflake snowflake_generator::next() {
  std::int64_t ms = std::max(now_ms(), last_ms_);
  if (ms == last_ms_) {
    if (++increment_ > 0xFFF) {
      ++ms;
      increment_ = 0;
    }
  } else {
    increment_ = 0;
  }
  last_ms_ = ms;
  return (static_cast<snowflake>(ms) << 22) | (1u << 17) | increment_;
}

snowflake snowflake_generator::next_guild() {
  const std::int64_t ms = std::max(now_ms(), last_guild_ms_ + 1);
  last_guild_ms_ = ms;
  return (static_cast<snowflake>(ms) << 22) | (2u << 17);
}

// ---------------------------------------------------------------- world

user& world::add_user(std::string username, bool bot, snowflake id) {
  if (id == 0) id = new_id();
  user u;
  u.id = id;
  u.global_name = username;
  u.username = std::move(username);
  u.bot = bot;
  return users_[id] = std::move(u);
}

const user* world::find_user(snowflake id) const {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

guild_rec& world::add_guild(std::string name, snowflake owner) {
  guild_rec g;
  g.id = ids_.next_guild();
  g.name = std::move(name);
  g.owner_id = owner;
  g.created = now();
  role everyone;
  everyone.id = g.id;
  everyone.name = "@everyone";
  everyone.permissions = permission::everyone_default;
  g.roles.push_back(everyone);
  auto id = g.id;
  return guilds_[id] = std::move(g);
}

guild_rec* world::find_guild(snowflake id) {
  auto it = guilds_.find(id);
  return it == guilds_.end() ? nullptr : &it->second;
}
const guild_rec* world::find_guild(snowflake id) const {
  auto it = guilds_.find(id);
  return it == guilds_.end() ? nullptr : &it->second;
}

channel& world::add_channel(guild_rec& g, std::string name, channel_type type, int user_limit) {
  channel c;
  c.id = new_id();
  c.guild_id = g.id;
  c.type = type;
  c.name = std::move(name);
  c.position = static_cast<int>(g.channels.size());
  c.user_limit = user_limit;
  g.channels.push_back(c.id);
  auto id = c.id;
  return channels_[id] = std::move(c);
}

role& world::add_role(guild_rec& g, std::string name, std::uint64_t permissions) {
  role r;
  r.id = new_id();
  r.name = std::move(name);
  r.permissions = permissions;
  r.position = static_cast<int>(g.roles.size());
  g.roles.push_back(std::move(r));
  return g.roles.back();
}

member& world::add_member(guild_rec& g, snowflake user, std::vector<snowflake> roles) {
  member m;
  m.user_id = user;
  m.roles = std::move(roles);
  m.joined_at = now();
  return g.members[user] = std::move(m);
}

channel* world::find_channel(snowflake id) {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : &it->second;
}
const channel* world::find_channel(snowflake id) const {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : &it->second;
}

const role* world::find_role(const guild_rec& g, snowflake id) const {
  for (auto& r : g.roles)
    if (r.id == id) return &r;
  return nullptr;
}

std::uint64_t world::permissions(const guild_rec& g, snowflake user) const {
  if (user == g.owner_id) return permission::all;
  auto it = g.members.find(user);
  if (it == g.members.end()) return 0;
  std::uint64_t p = g.roles.front().permissions;
  for (auto rid : it->second.roles)
    if (auto* r = find_role(g, rid)) p |= r->permissions;
  if (p & permission::administrator) return permission::all;
  return p;
}

guild world::snapshot(const guild_rec& g) const {
  guild out;
  out.id = g.id;
  out.name = g.name;
  out.owner_id = g.owner_id;
  for (auto cid : g.channels)
    if (auto* c = find_channel(cid)) out.channels.push_back(*c);
  out.roles = g.roles;
  for (auto& [id, m] : g.members) out.members.push_back(m);
  for (auto& [id, v] : g.voice_states) out.voice_states.push_back(v);
  return out;
}

message& world::add_message(message m) {
  auto id = m.id;
  auto& ids = channel_messages_[m.channel_id];
  if (ids.size() >= max_messages_per_channel) {
    messages_.erase(ids.front());
    ids.erase(ids.begin());
  }
  ids.push_back(id);
  return messages_[id] = std::move(m);
}

message* world::find_message(snowflake id) {
  auto it = messages_.find(id);
  return it == messages_.end() ? nullptr : &it->second;
}
const message* world::find_message(snowflake id) const {
  auto it = messages_.find(id);
  return it == messages_.end() ? nullptr : &it->second;
}

std::vector<message> world::channel_messages(snowflake channel) const {
  std::vector<message> out;
  if (auto* ids = channel_message_ids(channel))
    for (auto id : *ids)
      if (auto* m = find_message(id)) out.push_back(*m);
  return out;
}

const std::vector<snowflake>* world::channel_message_ids(snowflake channel) const {
  auto it = channel_messages_.find(channel);
  return it == channel_messages_.end() ? nullptr : &it->second;
}

const std::vector<application_command>* world::find_commands(snowflake guild) const {
  auto it = commands_.find(guild);
  return it == commands_.end() ? nullptr : &it->second;
}

snowflake world::command_id_for(snowflake guild, const std::string& name, int type) {
  auto key = std::make_tuple(guild, name, type);
  auto it = command_ids_.find(key);
  if (it != command_ids_.end()) return it->second;
  auto id = new_id();
  command_ids_[key] = id;
  return id;
}

// ---------------------------------------------------------------- JSON

std::string iso8601(system_time t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1'000'000);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}+00:00", fmt::gmtime(secs), us % 1'000'000);
}

std::string id_string(snowflake id) { return std::to_string(id); }

namespace {
json::value id_or_null(snowflake id) { return id ? json::value(id_string(id)) : json::value(nullptr); }
}  // namespace

json::object user_json(const user& u) {
  json::object o;
  o["id"] = id_string(u.id);
  o["username"] = u.username;
  o["discriminator"] = "0";
  o["global_name"] = u.bot ? json::value(nullptr) : json::value(u.global_name);
  o["avatar"] = nullptr;
  if (u.bot) o["bot"] = true;
  o["public_flags"] = 0;
  o["flags"] = 0;
  o["banner"] = nullptr;
  o["accent_color"] = nullptr;
  o["avatar_decoration_data"] = nullptr;
  return o;
}

json::object role_json(const role& r) {
  json::object o;
  o["id"] = id_string(r.id);
  o["name"] = r.name;
  o["color"] = r.color;
  o["colors"] = json::object{{"primary_color", r.color}, {"secondary_color", nullptr}, {"tertiary_color", nullptr}};
  o["hoist"] = false;
  o["icon"] = nullptr;
  o["unicode_emoji"] = nullptr;
  o["position"] = r.position;
  o["permissions"] = std::to_string(r.permissions);
  o["managed"] = false;
  o["mentionable"] = false;
  o["flags"] = 0;
  return o;
}

json::object channel_json(const channel& c) {
  json::object o;
  o["id"] = id_string(c.id);
  o["type"] = static_cast<int>(c.type);
  o["guild_id"] = id_string(c.guild_id);
  o["name"] = c.name;
  o["position"] = c.position;
  o["permission_overwrites"] = json::array();
  o["flags"] = 0;
  o["parent_id"] = nullptr;
  o["nsfw"] = false;
  o["last_message_id"] = nullptr;
  o["rate_limit_per_user"] = 0;
  if (c.type == channel_type::guild_voice || c.type == channel_type::guild_stage_voice) {
    o["bitrate"] = 64000;
    o["user_limit"] = c.user_limit;
    o["rtc_region"] = nullptr;
  } else {
    o["topic"] = nullptr;
  }
  return o;
}

json::object member_json(const world& w, const guild_rec& g, const member& m, bool with_user) {
  json::object o;
  if (with_user) {
    if (auto* u = w.find_user(m.user_id)) o["user"] = user_json(*u);
  }
  o["nick"] = m.nick.empty() ? json::value(nullptr) : json::value(m.nick);
  o["avatar"] = nullptr;
  o["banner"] = nullptr;
  json::array roles;
  for (auto r : m.roles) roles.push_back(json::value(id_string(r)));
  o["roles"] = std::move(roles);
  o["joined_at"] = iso8601(m.joined_at);
  o["premium_since"] = nullptr;
  o["deaf"] = false;
  o["mute"] = false;
  o["flags"] = 0;
  o["pending"] = false;
  o["communication_disabled_until"] = nullptr;
  (void)g;
  return o;
}

json::object voice_state_json(const world& w, const guild_rec& g, const voice_state& v, bool with_member) {
  json::object o;
  o["guild_id"] = id_string(g.id);
  o["channel_id"] = id_or_null(v.channel_id);
  o["user_id"] = id_string(v.user_id);
  if (with_member) {
    auto it = g.members.find(v.user_id);
    if (it != g.members.end()) o["member"] = member_json(w, g, it->second, true);
  }
  o["session_id"] = v.session_id;
  o["deaf"] = false;
  o["mute"] = false;
  o["self_deaf"] = v.self_deaf;
  o["self_mute"] = v.self_mute;
  o["self_video"] = false;
  o["suppress"] = false;
  o["request_to_speak_timestamp"] = nullptr;
  return o;
}

json::object message_json(const world& w, const message& m) {
  json::object o;
  o["id"] = id_string(m.id);
  o["type"] = m.type;
  o["content"] = m.content;
  o["channel_id"] = id_string(m.channel_id);
  if (auto* u = w.find_user(m.author_id)) o["author"] = user_json(*u);
  o["attachments"] = json::array();
  o["embeds"] = m.embeds;
  o["mentions"] = json::array();
  o["mention_roles"] = json::array();
  o["pinned"] = false;
  o["mention_everyone"] = false;
  o["tts"] = false;
  o["timestamp"] = iso8601(m.timestamp);
  o["edited_timestamp"] = m.edited_timestamp ? json::value(iso8601(*m.edited_timestamp)) : json::value(nullptr);
  o["flags"] = m.flags;
  o["components"] = m.components;
  if (m.interaction_id) {
    o["application_id"] = id_string(w.application_id);
    o["webhook_id"] = id_string(w.application_id);
  }
  return o;
}

json::object guild_json(const world& w, const guild_rec& g) {
  json::object o;
  o["id"] = id_string(g.id);
  o["name"] = g.name;
  o["icon"] = nullptr;
  o["splash"] = nullptr;
  o["discovery_splash"] = nullptr;
  o["owner_id"] = id_string(g.owner_id);
  o["afk_channel_id"] = nullptr;
  o["afk_timeout"] = 300;
  o["widget_enabled"] = false;
  o["verification_level"] = 0;
  o["default_message_notifications"] = 0;
  o["explicit_content_filter"] = 0;
  json::array roles;
  for (auto& r : g.roles) roles.push_back(role_json(r));
  o["roles"] = std::move(roles);
  o["emojis"] = json::array();
  o["stickers"] = json::array();
  o["features"] = json::array();
  o["mfa_level"] = 0;
  o["application_id"] = nullptr;
  o["system_channel_id"] = nullptr;
  o["system_channel_flags"] = 0;
  o["rules_channel_id"] = nullptr;
  o["max_presences"] = nullptr;
  o["max_members"] = 500000;
  o["vanity_url_code"] = nullptr;
  o["description"] = nullptr;
  o["banner"] = nullptr;
  o["premium_tier"] = 0;
  o["premium_subscription_count"] = 0;
  o["preferred_locale"] = "en-US";
  o["public_updates_channel_id"] = nullptr;
  o["max_video_channel_users"] = 25;
  o["max_stage_video_channel_users"] = 50;
  o["nsfw_level"] = 0;
  o["nsfw"] = false;
  o["premium_progress_bar_enabled"] = false;
  o["safety_alerts_channel_id"] = nullptr;
  o["incidents_data"] = nullptr;
  (void)w;
  return o;
}

json::object guild_create_json(const world& w, const guild_rec& g, std::uint64_t intents) {
  json::object o = guild_json(w, g);
  auto bot_member = g.members.find(w.bot_id);
  o["joined_at"] = iso8601(bot_member != g.members.end() ? bot_member->second.joined_at : g.created);
  o["large"] = false;
  o["unavailable"] = false;
  o["lazy"] = true;
  o["member_count"] = g.members.size();
  json::array channels;
  for (auto cid : g.channels)
    if (auto* c = w.find_channel(cid)) {
      auto cj = channel_json(*c);
      cj.erase("guild_id");  // GUILD_CREATE omits it inside the guild
      channels.push_back(std::move(cj));
    }
  o["channels"] = std::move(channels);
  // Without GUILD_MEMBERS Discord still sends the bot itself and the members in voice.
  const bool all_members = (intents & intent::guild_members) != 0;
  const bool voice = (intents & intent::guild_voice_states) != 0;
  json::array members;
  for (auto& [uid, m] : g.members)
    if (all_members || uid == w.bot_id || (voice && g.voice_states.count(uid)))
      members.push_back(member_json(w, g, m, true));
  o["members"] = std::move(members);
  json::array vs;
  if (voice)
    for (auto& [uid, v] : g.voice_states) {
      auto vj = voice_state_json(w, g, v, false);
      vj.erase("guild_id");
      vs.push_back(std::move(vj));
    }
  o["voice_states"] = std::move(vs);
  o["threads"] = json::array();
  o["presences"] = json::array();
  o["stage_instances"] = json::array();
  o["guild_scheduled_events"] = json::array();
  o["soundboard_sounds"] = json::array();
  o["embedded_activities"] = json::array();
  o["activity_instances"] = json::array();
  o["application_command_counts"] = json::object();
  return o;
}

}  // namespace vb::fake::detail
