#include "actions.hpp"

#include <random>

#include "gateway.hpp"
#include "voice_server.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {
std::string voice_token() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (auto& ch : s) ch = digits[rng() & 0xF];
  return s;
}

bool is_voice(channel_type t) { return t == channel_type::guild_voice || t == channel_type::guild_stage_voice; }
}  // namespace

void actions::create_bot_user() {
  auto id = c_.opts.application_id ? c_.opts.application_id : c_.w.new_id();
  c_.w.application_id = id;
  c_.w.bot_id = c_.w.add_user(c_.opts.bot_username, true, id).id;
}

snowflake actions::create_user(const std::string& name, bool bot) { return c_.w.add_user(name, bot).id; }

snowflake actions::create_guild(const std::string& name, snowflake owner) {
  auto& g = c_.w.add_guild(name, owner ? owner : c_.w.bot_id);
  c_.w.add_member(g, c_.w.bot_id, {});
  if (g.owner_id != c_.w.bot_id && c_.w.find_user(g.owner_id)) c_.w.add_member(g, g.owner_id, {});
  // Every session of the owning shard learns about the guild as Discord announces a join.
  c_.gw->dispatch_guild_create(g);
  return g.id;
}

expected<snowflake, std::error_code> actions::create_channel(snowflake guild, const std::string& name,
                                                             channel_type type, int user_limit) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return unexpected(make_error_code(fake_error::unknown_guild));
  if (name.empty() || name.size() > 100) return unexpected(make_error_code(fake_error::invalid_argument));
  auto& ch = c_.w.add_channel(*g, name, type, user_limit);
  c_.gw->dispatch_guild(guild, "CHANNEL_CREATE", channel_json(ch), intent::guilds);
  return ch.id;
}

expected<snowflake, std::error_code> actions::create_role(snowflake guild, const std::string& name,
                                                          std::uint64_t permissions) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return unexpected(make_error_code(fake_error::unknown_guild));
  if (name.empty() || name.size() > 100) return unexpected(make_error_code(fake_error::invalid_argument));
  auto& r = c_.w.add_role(*g, name, permissions);
  c_.gw->dispatch_guild(guild, "GUILD_ROLE_CREATE", json::object{{"guild_id", id_string(guild)}, {"role", role_json(r)}},
                        intent::guilds);
  return r.id;
}

std::error_code actions::add_member(snowflake guild, snowflake user, std::vector<snowflake> roles) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return fake_error::unknown_guild;
  if (!c_.w.find_user(user)) return fake_error::unknown_user;
  for (auto r : roles)
    if (!c_.w.find_role(*g, r) || r == guild) return fake_error::unknown_role;
  const bool existed = g->members.count(user) != 0;
  auto& m = c_.w.add_member(*g, user, std::move(roles));
  auto d = member_json(c_.w, *g, m, true);
  d["guild_id"] = id_string(guild);
  c_.gw->dispatch_guild(guild, existed ? "GUILD_MEMBER_UPDATE" : "GUILD_MEMBER_ADD", d, intent::guild_members);
  return {};
}

std::error_code actions::remove_member(snowflake guild, snowflake user) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return fake_error::unknown_guild;
  if (!g->members.count(user)) return fake_error::not_a_member;
  if (g->voice_states.count(user)) set_user_voice(guild, user, 0, false, false);
  g->members.erase(user);
  const auto* u = c_.w.find_user(user);
  c_.gw->dispatch_guild(guild, "GUILD_MEMBER_REMOVE",
                        json::object{{"guild_id", id_string(guild)}, {"user", u ? user_json(*u) : json::object()}},
                        intent::guild_members);
  return {};
}

demo_ids actions::create_demo() {
  demo_ids d;
  d.alice = create_user("alice", false);
  d.bob = create_user("bob", false);
  d.carol = create_user("carol", false);
  d.guild = create_guild("VectoBeat Demo", d.alice);
  d.general = *create_channel(d.guild, "general", channel_type::guild_text, 0);
  d.music = *create_channel(d.guild, "Music", channel_type::guild_voice, 0);
  d.lounge = *create_channel(d.guild, "Lounge", channel_type::guild_voice, 0);
  d.dj_role = *create_role(d.guild, "DJ", 0);
  add_member(d.guild, d.bob, {d.dj_role});
  add_member(d.guild, d.carol, {});
  return d;
}

std::error_code actions::set_user_voice(snowflake guild, snowflake user, snowflake channel, bool self_mute,
                                        bool self_deaf) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return fake_error::unknown_guild;
  if (!g->members.count(user)) return fake_error::not_a_member;
  snowflake old_channel = 0;
  if (auto it = g->voice_states.find(user); it != g->voice_states.end()) old_channel = it->second.channel_id;
  voice_state v;
  v.guild_id = guild;
  v.user_id = user;
  v.self_mute = self_mute;
  v.self_deaf = self_deaf;
  if (channel) {
    const auto* ch = c_.w.find_channel(channel);
    if (!ch || ch->guild_id != guild) return fake_error::unknown_channel;
    if (!is_voice(ch->type)) return fake_error::wrong_channel_type;
    if (ch->user_limit > 0 && channel != old_channel) {
      int in_channel = 0;
      for (auto& [uid, s] : g->voice_states) in_channel += s.channel_id == channel;
      if (in_channel >= ch->user_limit && !(c_.w.permissions(*g, user) & permission::move_members))
        return fake_error::channel_full;
    }
    v.channel_id = channel;
    v.session_id = voice_token() + voice_token();
    g->voice_states[user] = v;
  } else {
    g->voice_states.erase(user);
  }
  c_.gw->dispatch_guild(guild, "VOICE_STATE_UPDATE", voice_state_json(c_.w, *g, v, true), intent::guild_voice_states);
  if (old_channel != channel) {
    if (old_channel) c_.voice->user_left(guild, old_channel, user);
    if (channel) c_.voice->user_joined(guild, channel, user);
  }
  return {};
}

void actions::send_voice_server_update(snowflake guild, const std::string& token, bool null_endpoint) {
  json::object d{{"token", token}, {"guild_id", id_string(guild)}};
  d["endpoint"] = null_endpoint ? json::value(nullptr) : json::value(c_.voice_endpoint());
  c_.gw->dispatch_guild(guild, "VOICE_SERVER_UPDATE", d, 0);
}

void actions::bot_voice_update(const gateway_session& session, snowflake guild, snowflake channel, bool self_mute,
                               bool self_deaf) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return;
  const snowflake bot = c_.w.bot_id;
  voice_state v;
  v.guild_id = guild;
  v.user_id = bot;
  v.self_mute = self_mute;
  v.self_deaf = self_deaf;
  auto it = g->voice_states.find(bot);
  const snowflake old_channel = it == g->voice_states.end() ? 0 : it->second.channel_id;

  if (!channel) {
    if (!old_channel) return;
    g->voice_states.erase(bot);
    c_.gw->dispatch_guild(guild, "VOICE_STATE_UPDATE", voice_state_json(c_.w, *g, v, true),
                          intent::guild_voice_states);
    c_.voice->revoke(guild, bot, 4014, "Disconnected.");
    return;
  }
  const auto* ch = c_.w.find_channel(channel);
  if (!ch || ch->guild_id != guild || !is_voice(ch->type)) {
    c_.log.debug("gateway: op 4 to channel {} which is not a voice channel of guild {}; ignored", channel, guild);
    return;
  }
  if (ch->user_limit > 0 && channel != old_channel) {
    int in_channel = 0;
    for (auto& [uid, s] : g->voice_states) in_channel += s.channel_id == channel;
    // A full channel produces no events at all unless the bot may move members.
    if (in_channel >= ch->user_limit && !(c_.w.permissions(*g, bot) & permission::move_members)) return;
  }
  v.channel_id = channel;
  v.session_id = session.id;
  g->voice_states[bot] = v;
  c_.gw->dispatch_guild(guild, "VOICE_STATE_UPDATE", voice_state_json(c_.w, *g, v, true), intent::guild_voice_states);
  // Only a mute/deaf change on a live connection keeps the voice server; any other op 4
  // (join, move, rejoin after a drop) gets a fresh token (discord.md §7.4).
  if (channel == old_channel && c_.voice->has_live_connection(guild, bot)) return;
  auto token = voice_token();
  c_.voice->grant({guild, bot, channel, session.id, token});
  send_voice_server_update(guild, token, false);
}

std::error_code actions::move_voice_server(snowflake guild) {
  auto* g = c_.w.find_guild(guild);
  if (!g) return fake_error::unknown_guild;
  auto it = g->voice_states.find(c_.w.bot_id);
  if (it == g->voice_states.end()) return fake_error::invalid_argument;
  const auto state = it->second;
  send_voice_server_update(guild, voice_token(), true);
  c_.voice->revoke(guild, c_.w.bot_id, 4014, "Voice server changed.");
  auto token = voice_token();
  c_.voice->grant({guild, c_.w.bot_id, state.channel_id, state.session_id, token});
  send_voice_server_update(guild, token, false);
  return {};
}

message& actions::post_message(message m) {
  auto& stored = c_.w.add_message(std::move(m));
  if (!stored.ephemeral()) {
    auto d = message_json(c_.w, stored);
    if (stored.guild_id) {
      d["guild_id"] = id_string(stored.guild_id);
      if (auto* g = c_.w.find_guild(stored.guild_id))
        if (auto mit = g->members.find(stored.author_id); mit != g->members.end())
          d["member"] = member_json(c_.w, *g, mit->second, false);
    }
    c_.gw->dispatch_guild(stored.guild_id, "MESSAGE_CREATE", d, intent::guild_messages);
  }
  return stored;
}

void actions::message_updated(const message& m) {
  if (m.ephemeral()) return;
  auto d = message_json(c_.w, m);
  if (m.guild_id) d["guild_id"] = id_string(m.guild_id);
  c_.gw->dispatch_guild(m.guild_id, "MESSAGE_UPDATE", d, intent::guild_messages);
}

void actions::message_deleted(const message& m) {
  if (m.ephemeral()) return;
  json::object d{{"id", id_string(m.id)}, {"channel_id", id_string(m.channel_id)}};
  if (m.guild_id) d["guild_id"] = id_string(m.guild_id);
  c_.gw->dispatch_guild(m.guild_id, "MESSAGE_DELETE", d, intent::guild_messages);
}

}  // namespace vb::fake::detail
