#pragma once
// INTERACTION_CREATE (discord.md §5.2): slash commands with options and sub-commands,
// autocomplete (the focused option), components (custom_id, select values), modals, and
// the resolved users/members/roles/channels.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vectobeat/discord/types.hpp"

namespace vb::discord {

enum class interaction_type : std::uint8_t {
  ping = 1,
  application_command = 2,
  message_component = 3,
  autocomplete = 4,
  modal_submit = 5,
};

enum class option_type : std::uint8_t {
  sub_command = 1,
  sub_command_group = 2,
  string = 3,
  integer = 4,
  boolean = 5,
  user = 6,
  channel = 7,
  role = 8,
  mentionable = 9,
  number = 10,
  attachment = 11,
};

struct interaction_option {
  std::string name;
  option_type type = option_type::string;
  // string for STRING (and for partial autocomplete input of any type), int64 for
  // INTEGER, double for NUMBER, bool for BOOLEAN, snowflake for USER/CHANNEL/ROLE/
  // MENTIONABLE/ATTACHMENT; monostate for sub-commands.
  std::variant<std::monostate, std::string, std::int64_t, double, bool, snowflake> value;
  bool focused = false;
  std::vector<interaction_option> options;  // sub-command (group) children

  std::optional<std::string_view> as_string() const;
  std::optional<std::int64_t> as_int() const;
  std::optional<double> as_number() const;  // NUMBER or INTEGER
  std::optional<bool> as_bool() const;
  std::optional<snowflake> as_snowflake() const;
};

struct resolved_channel {
  snowflake id;
  channel_type type = channel_type::unknown;
  std::string name;
  std::optional<permissions> perms;  // the invoking member's permissions there
};

struct resolved_data {
  std::vector<user> users;
  std::vector<member> members;  // user_id filled from the map key
  std::vector<role> roles;
  std::vector<resolved_channel> channels;

  const user* find_user(snowflake id) const;
  const member* find_member(snowflake id) const;
  const role* find_role(snowflake id) const;
  const resolved_channel* find_channel(snowflake id) const;
};

struct command_data {
  snowflake id;
  std::string name;
  int type = 1;  // command_type
  std::vector<interaction_option> options;
  resolved_data resolved;
  snowflake guild_id;
  snowflake target_id;  // USER/MESSAGE commands

  // "playlist save" for /playlist save; "play" for /play.
  std::string full_name() const;
  // The options of the innermost sub-command (or the top level without one).
  const std::vector<interaction_option>& leaf_options() const;
  const interaction_option* option(std::string_view name) const;  // among leaf_options()
  const interaction_option* focused() const;                      // autocomplete
};

struct component_data {
  std::string custom_id;
  int component_type = 0;  // 2 button, 3 string select, 5-8 entity selects
  std::vector<std::string> values;
  resolved_data resolved;
};

struct modal_data {
  std::string custom_id;
  std::vector<std::pair<std::string, std::string>> fields;  // text input custom_id -> value

  std::optional<std::string_view> field(std::string_view custom_id) const;
};

struct interaction {
  snowflake id;
  snowflake application_id;
  interaction_type type = interaction_type::ping;
  std::string token;  // secret-ish: valid 15 minutes for follow-ups; never log it
  int version = 1;
  snowflake guild_id;
  snowflake channel_id;
  std::optional<member> member_info;  // in guilds (with perms)
  std::optional<user> user_info;      // in DMs; in guilds the member's user
  permissions app_permissions;        // the bot's permissions in the channel
  std::string locale;
  std::string guild_locale;
  snowflake message_id;  // components: the message the component is on
  std::variant<std::monostate, command_data, component_data, modal_data> data;

  snowflake user_id() const;
  const command_data* command() const { return std::get_if<command_data>(&data); }
  const component_data* component() const { return std::get_if<component_data>(&data); }
  const modal_data* modal() const { return std::get_if<modal_data>(&data); }
};

// Needs id, application_id, type (1-5) and token. Options nest at most 3 levels deep
// (group > sub-command > value), as Discord defines; deeper nesting is refused.
parsed<interaction> parse_interaction(const boost::json::object& o);

}  // namespace vb::discord
