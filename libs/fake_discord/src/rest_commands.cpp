// REST: application commands, global and per guild (discord.md §6), with Discord's
// validation of names, descriptions, options and choices.
#include <algorithm>

#include "rest_router.hpp"
#include "rest_util.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {

constexpr std::size_t max_options = 25;
constexpr std::size_t max_choices = 25;
constexpr std::size_t max_chat_input_commands = 100;
constexpr std::size_t max_context_commands = 5;  // per type (USER, MESSAGE)
constexpr int max_option_depth = 2;              // groups -> sub-commands -> options

struct failure {
  std::string path;
  std::string code;
  std::string message;
};

// CHAT_INPUT names: 1-32 characters, no upper-case ASCII, no spaces; ASCII limited to
// [a-z0-9_'-]; other scripts are accepted (Discord's regex allows letters of any script).
bool valid_chat_name(std::string_view n) {
  const auto len = utf8_length(n);
  if (len < 1 || len > 32) return false;
  for (unsigned char ch : n) {
    if (ch >= 0x80) continue;
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '\'';
    if (!ok) return false;
  }
  return true;
}

std::optional<failure> check_options(const json::array& opts, const std::string& at, int depth) {
  if (opts.size() > max_options) return failure{at, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."};
  std::vector<std::string> names;
  bool optional_seen = false;
  for (std::size_t i = 0; i < opts.size(); ++i) {
    const std::string p = at + "." + std::to_string(i);
    auto* o = opts[i].if_object();
    if (!o) return failure{p, "MODEL_TYPE_CONVERT", "Must be an object."};
    auto type = vb::json::get_int(*o, "type");
    if (!type || *type < 1 || *type > 11) return failure{p + ".type", "BASE_TYPE_CHOICES", "Value must be one of {1..11}."};
    auto name = vb::json::get_string(*o, "name").value_or("");
    if (!valid_chat_name(name)) return failure{p + ".name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"};
    if (std::find(names.begin(), names.end(), name) != names.end())
      return failure{p + ".name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique"};
    names.emplace_back(name);
    auto desc = utf8_length(vb::json::get_string(*o, "description").value_or(""));
    if (desc < 1 || desc > 100) return failure{p + ".description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."};
    const bool sub = *type == 1 || *type == 2;
    if (sub) {
      if (depth >= max_option_depth || (*type == 2 && depth > 0))
        return failure{p + ".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command nesting is too deep"};
      if (auto* children = vb::json::get_array(*o, "options"))
        if (auto f = check_options(*children, p + ".options", depth + 1)) return f;
      continue;
    }
    const bool required = vb::json::get_bool(*o, "required").value_or(false);
    if (required && optional_seen)
      return failure{p + ".required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options"};
    if (!required) optional_seen = true;
    auto* choices = vb::json::get_array(*o, "choices");
    const bool autocomplete = vb::json::get_bool(*o, "autocomplete").value_or(false);
    if (autocomplete && choices && !choices->empty())
      return failure{p + ".autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES", "Autocomplete and choices are mutually exclusive"};
    if (autocomplete && *type != 3 && *type != 4 && *type != 10)
      return failure{p + ".autocomplete", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Autocomplete needs a STRING, INTEGER or NUMBER option"};
    if (choices) {
      if (choices->size() > max_choices) return failure{p + ".choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."};
      for (std::size_t j = 0; j < choices->size(); ++j) {
        const std::string cp = p + ".choices." + std::to_string(j);
        auto* c = (*choices)[j].if_object();
        auto cname = c ? utf8_length(vb::json::get_string(*c, "name").value_or("")) : 0;
        if (cname < 1 || cname > 100) return failure{cp + ".name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."};
        auto* value = vb::json::find(*c, "value");
        const bool value_ok = value && ((*type == 3 && value->is_string() && utf8_length(value->get_string()) <= 100) ||
                                        (*type != 3 && (value->is_int64() || value->is_uint64() || value->is_double())));
        if (!value_ok) return failure{cp + ".value", "BASE_TYPE_BAD_LENGTH", "Invalid choice value"};
      }
    }
  }
  return std::nullopt;
}

// Validates one command body and returns it normalised as Discord echoes it.
expected<json::object, failure> normalise(core& c, const json::value& v, snowflake guild, const std::string& at) {
  auto* o = v.if_object();
  if (!o) return unexpected(failure{at, "MODEL_TYPE_CONVERT", "Must be an object."});
  const int type = static_cast<int>(vb::json::get_int(*o, "type").value_or(1));
  if (type < 1 || type > 4) return unexpected(failure{at + ".type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}."});
  std::string name(vb::json::get_string(*o, "name").value_or(""));
  const auto name_len = utf8_length(name);
  if (type == 1 ? !valid_chat_name(name) : (name_len < 1 || name_len > 32))
    return unexpected(failure{at + ".name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"});
  std::string description(vb::json::get_string(*o, "description").value_or(""));
  if (type == 1 && (utf8_length(description) < 1 || utf8_length(description) > 100))
    return unexpected(failure{at + ".description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."});
  if ((type == 2 || type == 3) && !description.empty())
    return unexpected(failure{at + ".description", "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have a description"});
  json::array options;
  if (auto* opts = vb::json::get_array(*o, "options")) {
    if (type != 1 && !opts->empty()) return unexpected(failure{at + ".options", "APPLICATION_COMMAND_OPTIONS_INVALID", "Only chat input commands take options"});
    if (auto f = check_options(*opts, at + ".options", 0)) return unexpected(*f);
    options = *opts;
  }
  json::object out;
  out["id"] = id_string(c.w.command_id_for(guild, name, type));
  out["application_id"] = id_string(c.w.application_id);
  out["version"] = id_string(c.w.new_id());
  out["default_member_permissions"] = nullptr;
  if (auto* p = vb::json::find(*o, "default_member_permissions"); p && p->is_string()) {
    if (!vb::json::parse_u64(p->get_string()) && p->get_string() != "0")
      return unexpected(failure{at + ".default_member_permissions", "BASE_TYPE_BAD_INT", "Invalid permissions"});
    out["default_member_permissions"] = *p;
  }
  out["type"] = type;
  out["name"] = name;
  out["name_localizations"] = nullptr;
  out["description"] = description;
  out["description_localizations"] = nullptr;
  if (guild) out["guild_id"] = id_string(guild);
  else out["dm_permission"] = vb::json::get_bool(*o, "dm_permission").value_or(true);
  if (!options.empty()) out["options"] = std::move(options);
  out["nsfw"] = vb::json::get_bool(*o, "nsfw").value_or(false);
  out["integration_types"] = vb::json::find(*o, "integration_types") ? *vb::json::find(*o, "integration_types") : json::value(json::array{0});
  out["contexts"] = vb::json::find(*o, "contexts") ? *vb::json::find(*o, "contexts") : json::value(nullptr);
  return out;
}

application_command to_command(const json::object& def, snowflake guild) {
  application_command cmd;
  cmd.id = vb::json::get_snowflake(def, "id").value_or(0);
  cmd.guild_id = guild;
  cmd.name = std::string(vb::json::get_string(def, "name").value_or(""));
  cmd.type = static_cast<int>(vb::json::get_int(def, "type").value_or(1));
  cmd.definition = def;
  return cmd;
}

// Checks the path's application and guild; 0 when all is well, else the error.
std::optional<net::http_response> check_scope(core& c, const rest_request& r, snowflake& guild) {
  if (r.id("application_id") != c.w.application_id) return discord_error(403, discord_code::missing_access, "Missing Access");
  guild = r.params.count("guild_id") ? r.id("guild_id") : 0;
  if (guild && !bot_guild(c, guild)) return discord_error(403, discord_code::missing_access, "Missing Access");
  return std::nullopt;
}

net::http_response list_commands(core& c, const rest_request& r) {
  snowflake guild = 0;
  if (auto err = check_scope(c, r, guild)) return std::move(*err);
  json::array out;
  for (auto& cmd : c.w.commands(guild)) out.push_back(cmd.definition);
  return json_response(200, out);
}

net::http_response overwrite_commands(core& c, const rest_request& r) {
  snowflake guild = 0;
  if (auto err = check_scope(c, r, guild)) return std::move(*err);
  auto* arr = r.body.if_array();
  if (!arr) return form_error("", "BASE_TYPE_ARRAY", "Must be an array.");
  std::vector<application_command> next;
  std::size_t per_type[5] = {};
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto def = normalise(c, (*arr)[i], guild, std::to_string(i));
    if (!def) return form_error(def.error().path, def.error().code, def.error().message);
    auto cmd = to_command(*def, guild);
    for (auto& other : next)
      if (other.name == cmd.name && other.type == cmd.type)
        return form_error(std::to_string(i) + ".name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique");
    const std::size_t limit = cmd.type == 1 ? max_chat_input_commands : max_context_commands;
    if (++per_type[cmd.type] > limit) return form_error("", "BASE_TYPE_MAX_LENGTH", "Too many application commands");
    next.push_back(std::move(cmd));
  }
  c.w.commands(guild) = next;
  json::array out;
  for (auto& cmd : next) out.push_back(cmd.definition);
  c.log.info("rest: {} {} command(s) registered", next.size(), guild ? "guild " + std::to_string(guild) : std::string("global"));
  return json_response(200, out);
}

net::http_response create_command(core& c, const rest_request& r) {
  snowflake guild = 0;
  if (auto err = check_scope(c, r, guild)) return std::move(*err);
  auto def = normalise(c, r.body, guild, "");
  if (!def) return form_error(def.error().path.empty() ? "name" : def.error().path.substr(1), def.error().code, def.error().message);
  auto cmd = to_command(*def, guild);
  auto& list = c.w.commands(guild);
  for (auto& existing : list)
    if (existing.name == cmd.name && existing.type == cmd.type) {
      existing = cmd;
      return json_response(200, cmd.definition);
    }
  list.push_back(cmd);
  return json_response(201, cmd.definition);
}

application_command* find_command(core& c, snowflake guild, snowflake id) {
  for (auto& cmd : c.w.commands(guild))
    if (cmd.id == id) return &cmd;
  return nullptr;
}

net::http_response get_command(core& c, const rest_request& r) {
  snowflake guild = 0;
  if (auto err = check_scope(c, r, guild)) return std::move(*err);
  auto* cmd = find_command(c, guild, r.id("command_id"));
  if (!cmd) return discord_error(404, discord_code::unknown_command, "Unknown application command");
  return json_response(200, cmd->definition);
}

net::http_response edit_command(core& c, const rest_request& r) {
  snowflake guild = 0;
  if (auto err = check_scope(c, r, guild)) return std::move(*err);
  auto* cmd = find_command(c, guild, r.id("command_id"));
  if (!cmd) return discord_error(404, discord_code::unknown_command, "Unknown application command");
  if (!r.body.is_object()) return discord_error(400, discord_code::invalid_json, "The request body contains invalid JSON.");
  json::object merged = cmd->definition;
  for (auto& [k, v] : r.body.get_object()) merged[k] = v;
  auto def = normalise(c, merged, guild, "");
  if (!def) return form_error(def.error().path.empty() ? "name" : def.error().path.substr(1), def.error().code, def.error().message);
  *cmd = to_command(*def, guild);
  return json_response(200, cmd->definition);
}

net::http_response delete_command(core& c, const rest_request& r) {
  snowflake guild = 0;
  if (auto err = check_scope(c, r, guild)) return std::move(*err);
  auto& list = c.w.commands(guild);
  auto it = std::find_if(list.begin(), list.end(), [&](auto& cmd) { return cmd.id == r.id("command_id"); });
  if (it == list.end()) return discord_error(404, discord_code::unknown_command, "Unknown application command");
  list.erase(it);
  return net::http_response::empty(204);
}

}  // namespace

void add_command_routes(std::vector<route_def>& r) {
  struct scope {
    const char* list;
    const char* single;
  };
  for (auto sc : {scope{"/applications/{application_id}/commands", "/applications/{application_id}/commands/{command_id}"},
                  scope{"/applications/{application_id}/guilds/{guild_id}/commands",
                        "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}"}}) {
    r.push_back({"GET", sc.list, "commands-read", 50, 1000, "application_id", true, false, list_commands});
    r.push_back({"PUT", sc.list, "commands-write", 10, 20000, "application_id", true, false, overwrite_commands});
    r.push_back({"POST", sc.list, "commands-write", 10, 20000, "application_id", true, false, create_command});
    r.push_back({"GET", sc.single, "commands-read", 50, 1000, "application_id", true, false, get_command});
    r.push_back({"PATCH", sc.single, "commands-write", 10, 20000, "application_id", true, false, edit_command});
    r.push_back({"DELETE", sc.single, "commands-write", 10, 20000, "application_id", true, false, delete_command});
  }
}

}  // namespace vb::fake::detail
