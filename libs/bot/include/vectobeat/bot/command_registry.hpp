#pragma once
// The command registry: every slash command declared once (name, description, category,
// options with choices/ranges/autocomplete, gates, handler). Registration (bulk overwrite),
// /help and the status command list are generated from it.
//
//   registry.add({.name = "play", .description = "...", .category = "Music", .options = {...},
//                 .gates = gate::in_voice, .defer = true, .handler = fn});
//   registry.add({.name = "playlist save", ...});   // a sub-command of /playlist
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/discord/command.hpp"
#include "vectobeat/discord/interaction.hpp"
#include "vectobeat/discord/message.hpp"

namespace vb::bot {

// Checks run before a handler (the router asks the bot to evaluate them).
namespace gate {
inline constexpr unsigned none = 0;
inline constexpr unsigned dj = 1u << 0;            // DJ role, Manage Server, or no DJ roles configured
inline constexpr unsigned manage_guild = 1u << 1;  // Manage Server or Administrator
inline constexpr unsigned in_voice = 1u << 2;      // the caller is in a voice channel
inline constexpr unsigned same_voice = 1u << 3;    // ... the bot's, when the bot is connected
inline constexpr unsigned playing = 1u << 4;       // something is playing
}  // namespace gate

// What a handler answers. The router turns it into the interaction response (type 4/7) or
// an edit of the deferred response.
struct reply {
  discord::message_payload message;
  bool ephemeral = false;
  bool error = false;           // counted as status="error"; always shown ephemerally
  bool update_message = false;  // components: replace the message the button is on (type 7)

  static reply text(std::string content, bool ephemeral = false);
  static reply embed(discord::embed e, bool ephemeral = false);
  static reply failure(std::string message);  // ephemeral, error colour
};

struct command_context {
  const discord::interaction& in;
  std::string command;  // full name ("playlist save"), or the component's namespace
  std::uint64_t guild_id = 0;
  std::uint64_t channel_id = 0;
  std::uint64_t user_id = 0;
  std::vector<std::string> args;  // component custom_id fields after the namespace

  const discord::interaction_option* option(std::string_view name) const;
  std::optional<std::string> string_option(std::string_view name) const;
  std::optional<std::int64_t> int_option(std::string_view name) const;
  std::optional<bool> bool_option(std::string_view name) const;
  std::optional<std::uint64_t> snowflake_option(std::string_view name) const;
  discord::permissions member_permissions() const;
  std::vector<discord::snowflake> member_roles() const;
};

using command_handler = std::function<task<reply>(command_context&)>;
using autocomplete_handler =
    std::function<task<std::vector<discord::command_option_choice>>(command_context&, std::string partial)>;

struct command_spec {
  std::string name;  // "play", or "group sub" for a sub-command
  std::string description;
  std::string category;
  std::vector<discord::command_option> options;
  unsigned gates = gate::none;
  bool defer = false;      // acknowledge at once (type 5) because the work may be slow
  bool ephemeral = false;  // replies (and the deferral) are ephemeral
  command_handler handler;
  autocomplete_handler autocomplete;
};

class command_registry {
 public:
  // Throws std::invalid_argument for duplicates or names Discord would refuse.
  void add(command_spec spec);
  void describe_group(std::string group, std::string description);

  const command_spec* find(std::string_view full_name) const;
  std::size_t size() const noexcept { return specs_.size(); }
  // Sorted by category, then name.
  std::vector<const command_spec*> all() const;
  std::map<std::string, std::vector<const command_spec*>> by_category() const;
  // What Discord registers: one definition per top-level command, sub-commands grouped.
  std::vector<discord::command_definition> definitions() const;

 private:
  std::vector<command_spec> specs_;
  std::map<std::string, std::string, std::less<>> groups_;
};

}  // namespace vb::bot
