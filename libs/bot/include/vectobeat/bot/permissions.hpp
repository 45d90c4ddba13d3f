#pragma once
// Who may control playback (DJ rules, contracts §2.1) and whether the bot can join a voice
// channel (the voice-permission preflight).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vectobeat/discord/permissions.hpp"
#include "vectobeat/discord/snowflake.hpp"

namespace vb::bot {

// Manage Server or Administrator.
bool can_manage_guild(discord::permissions member_perms) noexcept;

// DJ: Manage Server/Administrator, or the guild has no DJ roles, or the member holds one.
bool is_dj(discord::permissions member_perms, const std::vector<discord::snowflake>& member_roles,
           const std::set<std::uint64_t>& dj_roles) noexcept;

// The bot may act on a track when it is a DJ (above) or the track is the member's own.
bool may_control_track(bool dj, std::optional<std::uint64_t> requester, std::uint64_t user) noexcept;

struct voice_target {
  std::optional<discord::permissions> bot_perms;  // in the channel; nullopt: unknown
  int user_limit = 0;                             // 0: unlimited
  std::size_t occupants = 0;                      // members in the channel now (bot excluded)
  bool bot_inside = false;
};

// A message for the user when the bot cannot join or speak there; nullopt when it can.
std::optional<std::string> voice_preflight(const voice_target& t);

}  // namespace vb::bot
