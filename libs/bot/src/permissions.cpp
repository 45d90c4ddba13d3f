#include "vectobeat/bot/permissions.hpp"

namespace vb::bot {

using discord::permission;

bool can_manage_guild(discord::permissions p) noexcept {
  return p.has(permission::administrator) || p.has(permission::manage_guild);
}

bool is_dj(discord::permissions p, const std::vector<discord::snowflake>& roles,
           const std::set<std::uint64_t>& dj_roles) noexcept {
  if (can_manage_guild(p) || dj_roles.empty()) return true;
  for (auto r : roles)
    if (dj_roles.count(r.value())) return true;
  return false;
}

bool may_control_track(bool dj, std::optional<std::uint64_t> requester, std::uint64_t user) noexcept {
  return dj || (requester && *requester == user);
}

std::optional<std::string> voice_preflight(const voice_target& t) {
  if (t.bot_perms) {
    std::string missing;
    auto need = [&](permission p, const char* name) {
      if (!t.bot_perms->has(p) && !t.bot_perms->has(permission::administrator)) {
        if (!missing.empty()) missing += ", ";
        missing += name;
      }
    };
    need(permission::view_channel, "View Channel");
    need(permission::connect, "Connect");
    need(permission::speak, "Speak");
    if (!missing.empty()) return "I am missing permissions in your voice channel: " + missing + ".";
  }
  if (!t.bot_inside && t.user_limit > 0 && t.occupants >= static_cast<std::size_t>(t.user_limit) &&
      !(t.bot_perms && t.bot_perms->has(permission::move_members)))
    return std::string("Your voice channel is full (") + std::to_string(t.user_limit) + " users).";
  return std::nullopt;
}

}  // namespace vb::bot
