#pragma once
// Permission bits and the computation of a member's permissions in a channel
// (DDOCS topics/permissions.mdx "Permission Hierarchy"): base permissions from the guild
// owner, @everyone and the member's roles, Administrator, then the channel's overwrites
// (@everyone, roles together, the member), then the implicit rules.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vectobeat/discord/snowflake.hpp"

namespace vb::discord {

enum class permission : std::uint64_t {
  create_instant_invite = 1ULL << 0,
  kick_members = 1ULL << 1,
  ban_members = 1ULL << 2,
  administrator = 1ULL << 3,
  manage_channels = 1ULL << 4,
  manage_guild = 1ULL << 5,
  add_reactions = 1ULL << 6,
  view_audit_log = 1ULL << 7,
  priority_speaker = 1ULL << 8,
  stream = 1ULL << 9,
  view_channel = 1ULL << 10,
  send_messages = 1ULL << 11,
  send_tts_messages = 1ULL << 12,
  manage_messages = 1ULL << 13,
  embed_links = 1ULL << 14,
  attach_files = 1ULL << 15,
  read_message_history = 1ULL << 16,
  mention_everyone = 1ULL << 17,
  use_external_emojis = 1ULL << 18,
  view_guild_insights = 1ULL << 19,
  connect = 1ULL << 20,
  speak = 1ULL << 21,
  mute_members = 1ULL << 22,
  deafen_members = 1ULL << 23,
  move_members = 1ULL << 24,
  use_vad = 1ULL << 25,
  change_nickname = 1ULL << 26,
  manage_nicknames = 1ULL << 27,
  manage_roles = 1ULL << 28,
  manage_webhooks = 1ULL << 29,
  manage_guild_expressions = 1ULL << 30,
  use_application_commands = 1ULL << 31,
  request_to_speak = 1ULL << 32,
  manage_events = 1ULL << 33,
  manage_threads = 1ULL << 34,
  create_public_threads = 1ULL << 35,
  create_private_threads = 1ULL << 36,
  use_external_stickers = 1ULL << 37,
  send_messages_in_threads = 1ULL << 38,
  use_embedded_activities = 1ULL << 39,
  moderate_members = 1ULL << 40,
  view_creator_monetization_analytics = 1ULL << 41,
  use_soundboard = 1ULL << 42,
  create_guild_expressions = 1ULL << 43,
  create_events = 1ULL << 44,
  use_external_sounds = 1ULL << 45,
  send_voice_messages = 1ULL << 46,
  send_polls = 1ULL << 49,
  use_external_apps = 1ULL << 50,
  pin_messages = 1ULL << 51,
  bypass_slowmode = 1ULL << 52,
};

class permissions {
 public:
  constexpr permissions() noexcept = default;
  constexpr explicit permissions(std::uint64_t bits) noexcept : bits_(bits) {}
  constexpr permissions(permission p) noexcept : bits_(static_cast<std::uint64_t>(p)) {}  // NOLINT: implicit by design

  // Every bit up to the highest one Discord defines (what "ALL" means for owners and admins).
  static constexpr permissions all() noexcept { return permissions((1ULL << 53) - 1); }

  constexpr std::uint64_t bits() const noexcept { return bits_; }
  constexpr bool has(permissions p) const noexcept { return (bits_ & p.bits_) == p.bits_; }
  constexpr bool any(permissions p) const noexcept { return (bits_ & p.bits_) != 0; }
  constexpr bool empty() const noexcept { return bits_ == 0; }
  // The bits of `wanted` that are missing here.
  constexpr permissions missing(permissions wanted) const noexcept { return permissions(wanted.bits_ & ~bits_); }

  constexpr permissions operator|(permissions o) const noexcept { return permissions(bits_ | o.bits_); }
  constexpr permissions operator&(permissions o) const noexcept { return permissions(bits_ & o.bits_); }
  constexpr permissions operator~() const noexcept { return permissions(~bits_); }
  constexpr permissions& operator|=(permissions o) noexcept { bits_ |= o.bits_; return *this; }
  constexpr permissions& operator&=(permissions o) noexcept { bits_ &= o.bits_; return *this; }
  constexpr bool operator==(const permissions&) const noexcept = default;

  // Decimal string, as Discord sends and expects it.
  std::string str() const { return std::to_string(bits_); }

 private:
  std::uint64_t bits_ = 0;
};

constexpr permissions operator|(permission a, permission b) noexcept { return permissions(a) | permissions(b); }

// "1024" -> permissions; non-digits, empty or overflow -> nullopt.
std::optional<permissions> parse_permissions(std::string_view text) noexcept;
// Snake-case name of one bit ("view_channel"), "unknown" for others.
std::string_view permission_name(permission p) noexcept;
// Comma-separated names of the set bits ("connect, speak"), for messages to users.
std::string describe(permissions p);

enum class overwrite_type : std::uint8_t { role = 0, member = 1 };

struct permission_overwrite {
  snowflake id;
  overwrite_type type = overwrite_type::role;
  permissions allow;
  permissions deny;
  bool operator==(const permission_overwrite&) const = default;
};

// Guild-level permissions: everything for the owner; else @everyone | the member's roles,
// and everything when that includes Administrator.
permissions base_permissions(bool is_owner, permissions everyone_role, std::span<const permissions> member_roles) noexcept;

// Permissions in a channel from base permissions. `guild_id` is the id of the @everyone
// role (its overwrite applies first); role overwrites of the member's roles are combined
// (deny, then allow), then the member's own overwrite. Implicit rules: without
// view_channel nothing is granted; without send_messages, the message extras
// (tts, mention_everyone, attach_files, embed_links) are removed; without connect in a
// voice channel, the voice extras (speak, stream, use_vad, priority_speaker, ...) too.
permissions channel_permissions(permissions base, snowflake guild_id, snowflake member_id,
                                std::span<const snowflake> member_roles,
                                std::span<const permission_overwrite> overwrites, bool voice_channel = false) noexcept;

}  // namespace vb::discord
