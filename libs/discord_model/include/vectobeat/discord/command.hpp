#pragma once
// Application command definitions (discord.md §6): what the bot registers by bulk
// overwrite, validation of Discord's limits before any request, and a stable hash so
// the bot re-registers only when its definitions changed.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vectobeat/discord/interaction.hpp"
#include "vectobeat/discord/message.hpp"
#include "vectobeat/discord/permissions.hpp"
#include "vectobeat/discord/types.hpp"

namespace vb::discord {

enum class command_type : std::uint8_t { chat_input = 1, user = 2, message = 3, primary_entry_point = 4 };

struct command_option {
  option_type type = option_type::string;
  std::string name;
  std::string description;
  bool required = false;
  std::vector<command_option_choice> choices;
  std::vector<command_option> options;  // sub-command (group) children
  std::vector<channel_type> channel_types;
  std::optional<double> min_value;
  std::optional<double> max_value;
  std::optional<int> min_length;
  std::optional<int> max_length;
  bool autocomplete = false;
};

struct command_definition {
  command_type type = command_type::chat_input;
  std::string name;
  std::string description;  // chat_input: 1-100; empty for user/message commands
  std::vector<command_option> options;
  // "0": administrators only; nullopt: everyone (Discord's default).
  std::optional<permissions> default_member_permissions;
  std::optional<std::vector<int>> contexts;           // 0 guild, 1 bot DM, 2 private channel
  std::optional<std::vector<int>> integration_types;  // 0 guild install, 1 user install
  bool nsfw = false;
  snowflake id;  // set by Discord (parse_command); not part of the definition's identity
};

namespace command_limits {
inline constexpr std::size_t name = 32;
inline constexpr std::size_t description = 100;
inline constexpr std::size_t options = 25;
inline constexpr std::size_t choices = 25;
inline constexpr std::size_t choice_name = 100;
inline constexpr std::size_t choice_string_value = 100;
inline constexpr std::size_t chat_input_commands = 100;
inline constexpr std::size_t user_commands = 15;
inline constexpr std::size_t message_commands = 15;
inline constexpr std::int64_t max_safe_integer = (1LL << 53) - 1;
inline constexpr int max_string_length = 6000;
// Name, description, value and choice texts of one command together (DDOCS: 8000).
inline constexpr std::size_t total_chars = 8000;
}  // namespace command_limits

// Name rule `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lower case where a lower
// case exists. ASCII is checked exactly; other characters are accepted unless they are
// whitespace, controls or general punctuation (no Unicode tables in this library).
bool valid_command_name(std::string_view name, bool chat_input = true) noexcept;

validation validate(const command_definition& c);
// Every definition, plus: unique (type, name), at most 100 chat-input commands and the
// user/message command caps.
validation validate(std::span<const command_definition> commands);

boost::json::object to_json(const command_definition& c);
boost::json::array to_json(std::span<const command_definition> commands);
// Lenient: reads what Discord returns from the command endpoints.
parsed<command_definition> parse_command(const boost::json::object& o);

// A canonical JSON text (sorted by type then name; defaults written out) and its
// 64-bit FNV-1a hash as 16 hex digits. Stable across runs, builds and platforms.
std::string canonical_json(std::span<const command_definition> commands);
std::string stable_hash(std::span<const command_definition> commands);

// True when `remote` (what Discord has) matches `local` (what the bot wants) so a bulk
// overwrite can be skipped. Fields left unset locally (contexts, integration_types)
// are not compared, because Discord fills in its own defaults.
bool commands_match(std::span<const command_definition> local, std::span<const command_definition> remote);

}  // namespace vb::discord
