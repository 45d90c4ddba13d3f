#pragma once
// Errors of the fake Discord's test and control API (not of the Discord protocols it
// speaks: those answer with Discord's own codes).
#include <string_view>
#include <system_error>

namespace vb::fake {

enum class fake_error {
  unknown_guild = 1,
  unknown_channel,
  unknown_user,
  unknown_role,
  unknown_message,
  unknown_command,       // no registered command of that name for the guild
  unknown_interaction,
  unknown_connection,    // voice connection id
  not_a_member,          // the user is not in the guild
  wrong_channel_type,    // e.g. a voice join on a text channel
  invalid_argument,
  channel_full,          // voice channel user limit reached
  no_session,            // no gateway session for that shard
  timeout,               // a wait ran out
};

const std::error_category& fake_category() noexcept;
std::error_code make_error_code(fake_error e) noexcept;
std::string_view to_string(fake_error e) noexcept;

}  // namespace vb::fake

template <>
struct std::is_error_code_enum<vb::fake::fake_error> : std::true_type {};
