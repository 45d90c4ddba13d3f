#pragma once
// What the bot sends: messages with embeds and components, and interaction responses
// (discord.md §5.3). Build the plain structs, then validate() or to_json(), which
// refuses anything that breaks Discord's limits instead of letting Discord answer 400.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/discord/model_error.hpp"
#include "vectobeat/discord/snowflake.hpp"

namespace vb::discord {

// Discord's limits (DDOCS resources/message.mdx "Embed Limits", components reference).
namespace limits {
inline constexpr std::size_t content = 2000;
inline constexpr std::size_t embeds = 10;
inline constexpr std::size_t embed_title = 256;
inline constexpr std::size_t embed_description = 4096;
inline constexpr std::size_t embed_fields = 25;
inline constexpr std::size_t field_name = 256;
inline constexpr std::size_t field_value = 1024;
inline constexpr std::size_t footer_text = 2048;
inline constexpr std::size_t author_name = 256;
inline constexpr std::size_t embed_total = 6000;  // all embeds of one message together
inline constexpr std::size_t action_rows = 5;
inline constexpr std::size_t buttons_per_row = 5;
inline constexpr std::size_t custom_id = 100;
inline constexpr std::size_t button_label = 80;
inline constexpr std::size_t select_options = 25;
inline constexpr std::size_t select_option_text = 100;  // label, value, description
inline constexpr std::size_t select_placeholder = 150;
inline constexpr std::size_t autocomplete_choices = 25;
inline constexpr std::size_t modal_title = 45;
}  // namespace limits

struct embed_field {
  std::string name;
  std::string value;
  bool is_inline = false;
};

struct embed_footer {
  std::string text;
  std::optional<std::string> icon_url;
};

struct embed_author {
  std::string name;
  std::optional<std::string> url;
  std::optional<std::string> icon_url;
};

struct embed {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> url;
  std::optional<std::string> timestamp;  // ISO 8601
  std::optional<std::uint32_t> color;    // 0xRRGGBB
  std::optional<embed_footer> footer;
  std::optional<std::string> image_url;
  std::optional<std::string> thumbnail_url;
  std::optional<embed_author> author;
  std::vector<embed_field> fields;

  // Characters counted against the 6000 total (title, description, field names and
  // values, footer text, author name).
  std::size_t total_chars() const;
};

struct partial_emoji {
  std::optional<snowflake> id;  // custom emoji
  std::string name;             // unicode emoji or custom name
  bool animated = false;
};

enum class button_style : std::uint8_t { primary = 1, secondary = 2, success = 3, danger = 4, link = 5 };

struct button {
  button_style style = button_style::secondary;
  std::string label;
  std::string custom_id;            // not for link buttons
  std::optional<std::string> url;   // link buttons only
  std::optional<partial_emoji> emoji;
  bool disabled = false;
};

struct select_option {
  std::string label;
  std::string value;
  std::optional<std::string> description;
  std::optional<partial_emoji> emoji;
  bool is_default = false;
};

enum class select_type : std::uint8_t { string = 3, user = 5, role = 6, mentionable = 7, channel = 8 };

struct select_menu {
  select_type type = select_type::string;
  std::string custom_id;
  std::vector<select_option> options;  // string selects: 1-25
  std::optional<std::string> placeholder;
  int min_values = 1;
  int max_values = 1;
  bool disabled = false;
};

struct text_input {  // modals only
  std::string custom_id;
  std::string label;
  int style = 1;  // 1 short, 2 paragraph
  std::optional<int> min_length;
  std::optional<int> max_length;
  bool required = true;
  std::optional<std::string> value;
  std::optional<std::string> placeholder;
};

using component = std::variant<button, select_menu, text_input>;

struct action_row {
  std::vector<component> components;
};

struct allowed_mentions {
  std::vector<std::string> parse;  // "roles", "users", "everyone"
  std::vector<snowflake> users;
  std::vector<snowflake> roles;
  bool replied_user = false;
};

namespace message_flags {
inline constexpr std::uint32_t suppress_embeds = 1u << 2;
inline constexpr std::uint32_t ephemeral = 1u << 6;
inline constexpr std::uint32_t suppress_notifications = 1u << 12;
}  // namespace message_flags

// A message to create or edit. Unset optionals are omitted from the JSON (on edit:
// unchanged); an empty embeds/components vector that is set clears them.
struct message_payload {
  std::optional<std::string> content;
  std::optional<std::vector<embed>> embeds;
  std::optional<std::vector<action_row>> components;
  std::optional<allowed_mentions> mentions;
  std::optional<std::uint32_t> flags;
  bool tts = false;
};

struct command_option_choice {
  std::string name;
  std::variant<std::string, std::int64_t, double> value;
};

enum class callback_type : std::uint8_t {
  pong = 1,
  channel_message = 4,
  deferred_channel_message = 5,
  deferred_update_message = 6,
  update_message = 7,
  autocomplete_result = 8,
  modal = 9,
};

struct modal_payload {
  std::string custom_id;
  std::string title;
  std::vector<action_row> components;  // each row holds one text_input
};

struct interaction_response {
  callback_type type = callback_type::channel_message;
  std::optional<message_payload> message;          // 4, 7 (and 5: flags only)
  std::vector<command_option_choice> choices;       // 8
  std::optional<modal_payload> modal;               // 9

  static interaction_response pong() { return {callback_type::pong, {}, {}, {}}; }
  static interaction_response reply(message_payload m) { return {callback_type::channel_message, std::move(m), {}, {}}; }
  static interaction_response defer(bool ephemeral);
  static interaction_response defer_update() { return {callback_type::deferred_update_message, {}, {}, {}}; }
  static interaction_response update(message_payload m) { return {callback_type::update_message, std::move(m), {}, {}}; }
  static interaction_response autocomplete(std::vector<command_option_choice> c) {
    return {callback_type::autocomplete_result, {}, std::move(c), {}};
  }
  static interaction_response show_modal(modal_payload m) { return {callback_type::modal, {}, {}, std::move(m)}; }
};

using validation = expected<void, model_failure>;

validation validate(const embed& e, std::string_view where = "embed");
validation validate(const action_row& row, std::string_view where = "components[0]");
validation validate(const message_payload& m);
validation validate(const interaction_response& r);

// JSON bodies; they validate first and return the failure instead of a body.
expected<boost::json::object, model_failure> to_json(const message_payload& m);
expected<boost::json::object, model_failure> to_json(const interaction_response& r);

}  // namespace vb::discord
