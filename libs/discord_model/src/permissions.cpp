#include "vectobeat/discord/permissions.hpp"

#include <algorithm>
#include <charconv>

namespace vb::discord {

std::optional<permissions> parse_permissions(std::string_view text) noexcept {
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return permissions(v);
}

std::string_view permission_name(permission p) noexcept {
  switch (p) {
    case permission::create_instant_invite: return "create_instant_invite";
    case permission::kick_members: return "kick_members";
    case permission::ban_members: return "ban_members";
    case permission::administrator: return "administrator";
    case permission::manage_channels: return "manage_channels";
    case permission::manage_guild: return "manage_guild";
    case permission::add_reactions: return "add_reactions";
    case permission::view_audit_log: return "view_audit_log";
    case permission::priority_speaker: return "priority_speaker";
    case permission::stream: return "stream";
    case permission::view_channel: return "view_channel";
    case permission::send_messages: return "send_messages";
    case permission::send_tts_messages: return "send_tts_messages";
    case permission::manage_messages: return "manage_messages";
    case permission::embed_links: return "embed_links";
    case permission::attach_files: return "attach_files";
    case permission::read_message_history: return "read_message_history";
    case permission::mention_everyone: return "mention_everyone";
    case permission::use_external_emojis: return "use_external_emojis";
    case permission::view_guild_insights: return "view_guild_insights";
    case permission::connect: return "connect";
    case permission::speak: return "speak";
    case permission::mute_members: return "mute_members";
    case permission::deafen_members: return "deafen_members";
    case permission::move_members: return "move_members";
    case permission::use_vad: return "use_vad";
    case permission::change_nickname: return "change_nickname";
    case permission::manage_nicknames: return "manage_nicknames";
    case permission::manage_roles: return "manage_roles";
    case permission::manage_webhooks: return "manage_webhooks";
    case permission::manage_guild_expressions: return "manage_guild_expressions";
    case permission::use_application_commands: return "use_application_commands";
    case permission::request_to_speak: return "request_to_speak";
    case permission::manage_events: return "manage_events";
    case permission::manage_threads: return "manage_threads";
    case permission::create_public_threads: return "create_public_threads";
    case permission::create_private_threads: return "create_private_threads";
    case permission::use_external_stickers: return "use_external_stickers";
    case permission::send_messages_in_threads: return "send_messages_in_threads";
    case permission::use_embedded_activities: return "use_embedded_activities";
    case permission::moderate_members: return "moderate_members";
    case permission::view_creator_monetization_analytics: return "view_creator_monetization_analytics";
    case permission::use_soundboard: return "use_soundboard";
    case permission::create_guild_expressions: return "create_guild_expressions";
    case permission::create_events: return "create_events";
    case permission::use_external_sounds: return "use_external_sounds";
    case permission::send_voice_messages: return "send_voice_messages";
    case permission::send_polls: return "send_polls";
    case permission::use_external_apps: return "use_external_apps";
    case permission::pin_messages: return "pin_messages";
    case permission::bypass_slowmode: return "bypass_slowmode";
  }
  return "unknown";
}

std::string describe(permissions p) {
  std::string out;
  for (int bit = 0; bit < 64; ++bit) {
    const std::uint64_t b = 1ULL << bit;
    if (!(p.bits() & b)) continue;
    if (!out.empty()) out += ", ";
    auto name = permission_name(static_cast<permission>(b));
    if (name == "unknown") out += "bit " + std::to_string(bit);
    else out += name;
  }
  return out;
}

permissions base_permissions(bool is_owner, permissions everyone_role, std::span<const permissions> member_roles) noexcept {
  if (is_owner) return permissions::all();
  permissions p = everyone_role;
  for (auto r : member_roles) p |= r;
  if (p.has(permission::administrator)) return permissions::all();
  return p;
}

permissions channel_permissions(permissions base, snowflake guild_id, snowflake member_id,
                                std::span<const snowflake> member_roles,
                                std::span<const permission_overwrite> overwrites, bool voice_channel) noexcept {
  if (base.has(permission::administrator)) return permissions::all();
  permissions p = base;
  const permission_overwrite* everyone = nullptr;
  const permission_overwrite* member = nullptr;
  permissions allow, deny;
  for (const auto& o : overwrites) {
    if (o.type == overwrite_type::role && o.id == guild_id) {
      everyone = &o;
    } else if (o.type == overwrite_type::member) {
      if (o.id == member_id) member = &o;
    } else if (std::find(member_roles.begin(), member_roles.end(), o.id) != member_roles.end()) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  if (everyone) {
    p &= ~everyone->deny;
    p |= everyone->allow;
  }
  p &= ~deny;
  p |= allow;
  if (member) {
    p &= ~member->deny;
    p |= member->allow;
  }
  // Implicit permissions (DDOCS "Implicit Permissions").
  if (!p.has(permission::view_channel)) return permissions();
  if (!p.has(permission::send_messages))
    p &= ~(permission::send_tts_messages | permission::mention_everyone | permission::attach_files |
           permission::embed_links);
  if (voice_channel && !p.has(permission::connect))
    p &= ~(permission::speak | permission::stream | permission::use_vad | permission::priority_speaker |
           permission::mute_members | permission::deafen_members | permission::move_members |
           permission::use_soundboard | permission::use_embedded_activities);
  return p;
}

}  // namespace vb::discord
