#include "vectobeat/discord/command.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "json_read.hpp"

namespace vb::discord {

using namespace detail;

namespace {

model_failure limit(std::string field, std::string detail) {
  return {model_error::limit_exceeded, std::move(field), std::move(detail)};
}

// Decodes one UTF-8 code point; returns 0 length on malformed input.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  return n;
}

bool is_value_type(option_type t) {
  return t != option_type::sub_command && t != option_type::sub_command_group;
}

std::size_t option_chars(const command_option& o) {
  std::size_t n = char_count(o.name) + char_count(o.description);
  for (const auto& c : o.choices) {
    n += char_count(c.name);
    if (auto* s = std::get_if<std::string>(&c.value)) n += char_count(*s);
  }
  for (const auto& child : o.options) n += option_chars(child);
  return n;
}

validation validate_option(const command_option& o, const std::string& where, int depth) {
  if (!valid_command_name(o.name)) return unexpected(limit(where + ".name", "must be 1-32 lower-case letters, digits, - _ '"));
  const auto dlen = char_count(o.description);
  if (dlen < 1 || dlen > command_limits::description) return unexpected(limit(where + ".description", "must be 1-100 characters"));
  if (o.choices.size() > command_limits::choices) return unexpected(limit(where + ".choices", "more than 25 choices"));
  if (o.options.size() > command_limits::options) return unexpected(limit(where + ".options", "more than 25 options"));
  const bool choosable = o.type == option_type::string || o.type == option_type::integer || o.type == option_type::number;
  if (!o.choices.empty() && !choosable) return unexpected(limit(where + ".choices", "only string, integer and number options have choices"));
  if (o.autocomplete && !choosable) return unexpected(limit(where + ".autocomplete", "only string, integer and number options autocomplete"));
  if (o.autocomplete && !o.choices.empty()) return unexpected(limit(where + ".autocomplete", "not allowed together with choices"));
  for (std::size_t i = 0; i < o.choices.size(); ++i) {
    const auto& c = o.choices[i];
    const std::string w = where + ".choices[" + std::to_string(i) + "]";
    const auto n = char_count(c.name);
    if (n < 1 || n > command_limits::choice_name) return unexpected(limit(w + ".name", "must be 1-100 characters"));
    const bool ok = std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string>) return o.type == option_type::string && char_count(v) <= command_limits::choice_string_value;
          else if constexpr (std::is_same_v<V, std::int64_t>) return (o.type == option_type::integer || o.type == option_type::number) && std::llabs(v) <= command_limits::max_safe_integer;
          else return o.type == option_type::number && std::isfinite(v);
        },
        c.value);
    if (!ok) return unexpected(limit(w + ".value", "does not fit the option type"));
  }
  if ((o.min_value || o.max_value) && o.type != option_type::integer && o.type != option_type::number)
    return unexpected(limit(where + ".min_value", "only integer and number options have min/max values"));
  if (o.min_value && o.max_value && *o.min_value > *o.max_value) return unexpected(limit(where + ".min_value", "above max_value"));
  for (auto v : {o.min_value, o.max_value})
    if (v && (!std::isfinite(*v) || std::fabs(*v) > static_cast<double>(command_limits::max_safe_integer)))
      return unexpected(limit(where + ".min_value", "outside -2^53..2^53"));
  if ((o.min_length || o.max_length) && o.type != option_type::string)
    return unexpected(limit(where + ".min_length", "only string options have lengths"));
  if (o.min_length && (*o.min_length < 0 || *o.min_length > command_limits::max_string_length))
    return unexpected(limit(where + ".min_length", "must be 0-6000"));
  if (o.max_length && (*o.max_length < 1 || *o.max_length > command_limits::max_string_length))
    return unexpected(limit(where + ".max_length", "must be 1-6000"));
  if (o.min_length && o.max_length && *o.min_length > *o.max_length) return unexpected(limit(where + ".min_length", "above max_length"));
  if (!o.channel_types.empty() && o.type != option_type::channel) return unexpected(limit(where + ".channel_types", "only channel options"));

  if (o.type == option_type::sub_command_group) {
    if (depth != 1) return unexpected(limit(where, "a sub-command group must be at the top level"));
    if (o.options.empty()) return unexpected(limit(where + ".options", "a sub-command group needs sub-commands"));
    for (std::size_t i = 0; i < o.options.size(); ++i)
      if (o.options[i].type != option_type::sub_command) return unexpected(limit(where + ".options", "a group holds only sub-commands"));
  } else if (o.type == option_type::sub_command) {
    if (depth > 2) return unexpected(limit(where, "sub-commands nest at most inside one group"));
    for (const auto& c : o.options)
      if (!is_value_type(c.type)) return unexpected(limit(where + ".options", "a sub-command holds only value options"));
  } else if (!o.options.empty()) {
    return unexpected(limit(where + ".options", "value options have no children"));
  }
  bool seen_optional = false;
  std::set<std::string> names;
  for (std::size_t i = 0; i < o.options.size(); ++i) {
    const auto& c = o.options[i];
    const std::string w = where + ".options[" + std::to_string(i) + "]";
    if (!names.insert(c.name).second) return unexpected(limit(w + ".name", "duplicate option name"));
    if (is_value_type(c.type)) {
      if (c.required && seen_optional) return unexpected(limit(w + ".required", "required options must come first"));
      if (!c.required) seen_optional = true;
    }
    if (auto v = validate_option(c, w, depth + 1); !v) return v;
  }
  return {};
}

boost::json::object option_json(const command_option& o) {
  boost::json::object j;
  j["type"] = static_cast<int>(o.type);
  j["name"] = o.name;
  j["description"] = o.description;
  if (is_value_type(o.type)) j["required"] = o.required;
  if (!o.choices.empty()) {
    boost::json::array cs;
    for (const auto& c : o.choices) {
      boost::json::object jc{{"name", c.name}};
      std::visit([&](const auto& v) { jc["value"] = v; }, c.value);
      cs.push_back(std::move(jc));
    }
    j["choices"] = std::move(cs);
  }
  if (!o.options.empty()) {
    boost::json::array os;
    for (const auto& c : o.options) os.push_back(option_json(c));
    j["options"] = std::move(os);
  }
  if (!o.channel_types.empty()) {
    boost::json::array ct;
    for (auto t : o.channel_types) ct.push_back(static_cast<int>(t));
    j["channel_types"] = std::move(ct);
  }
  auto num = [&](const char* key, const std::optional<double>& v) {
    if (!v) return;
    if (o.type == option_type::integer) j[key] = static_cast<std::int64_t>(*v);
    else j[key] = *v;
  };
  num("min_value", o.min_value);
  num("max_value", o.max_value);
  if (o.min_length) j["min_length"] = *o.min_length;
  if (o.max_length) j["max_length"] = *o.max_length;
  if (o.autocomplete) j["autocomplete"] = true;
  return j;
}

command_option parse_option_def(const bj::object& o) {
  command_option c;
  c.type = static_cast<option_type>(std::clamp<std::int64_t>(int_or(o, "type", 3), 1, 11));
  c.name = std::string(str(o, "name"));
  c.description = std::string(str(o, "description"));
  c.required = boolean(o, "required");
  if (auto* cs = arr(o, "choices"))
    for (const auto& v : *cs) {
      if (!v.is_object()) continue;
      const auto& co = v.get_object();
      command_option_choice ch;
      ch.name = std::string(str(co, "name"));
      const bj::value* val = field(co, "value");
      if (!val) continue;
      if (val->is_string()) ch.value = std::string(val->get_string());
      else if (val->is_int64()) ch.value = val->get_int64();
      else if (val->is_uint64()) ch.value = static_cast<std::int64_t>(val->get_uint64());
      else if (val->is_double()) ch.value = val->get_double();
      else continue;
      c.choices.push_back(std::move(ch));
    }
  if (auto* os = arr(o, "options"))
    for (const auto& v : *os)
      if (v.is_object()) c.options.push_back(parse_option_def(v.get_object()));
  if (auto* ct = arr(o, "channel_types"))
    for (const auto& v : *ct)
      if (v.is_int64()) c.channel_types.push_back(to_channel_type(v.get_int64()));
  c.min_value = opt_number(o, "min_value");
  c.max_value = opt_number(o, "max_value");
  if (auto v = opt_int(o, "min_length")) c.min_length = static_cast<int>(*v);
  if (auto v = opt_int(o, "max_length")) c.max_length = static_cast<int>(*v);
  c.autocomplete = boolean(o, "autocomplete");
  return c;
}

std::vector<const command_definition*> sorted(std::span<const command_definition> cs) {
  std::vector<const command_definition*> out;
  out.reserve(cs.size());
  for (const auto& c : cs) out.push_back(&c);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) {
    return std::tie(a->type, a->name) < std::tie(b->type, b->name);
  });
  return out;
}

// The definition as compared: contexts/integration_types only when `with_optional`.
boost::json::object identity_json(const command_definition& c, bool with_contexts, bool with_integrations) {
  boost::json::object j = to_json(c);
  if (!with_contexts) j.erase("contexts");
  if (!with_integrations) j.erase("integration_types");
  if (!j.contains("default_member_permissions")) j["default_member_permissions"] = nullptr;
  j["nsfw"] = c.nsfw;
  if (!j.contains("options")) j["options"] = boost::json::array();
  return j;
}

}  // namespace

bool valid_command_name(std::string_view name, bool chat_input) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < name.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(name, i, cp);
    if (n == 0) return false;
    i += n;
    ++count;
    if (!chat_input) {  // user/message commands: any printable text, spaces allowed
      if (cp < 0x20 || cp == 0x7F) return false;
      continue;
    }
    if (cp < 0x80) {
      const bool ok = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-' || cp == '_' || cp == '\'';
      if (!ok) return false;
    } else if (cp <= 0x9F || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF ||
               (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F)) {
      return false;
    }
  }
  return count >= 1 && count <= command_limits::name;
}

validation validate(const command_definition& c) {
  const std::string where = "command " + c.name;
  const bool chat = c.type == command_type::chat_input;
  if (!valid_command_name(c.name, chat)) return unexpected(limit(where + ".name", "must be 1-32 lower-case letters, digits, - _ '"));
  const auto dlen = char_count(c.description);
  if (chat && (dlen < 1 || dlen > command_limits::description))
    return unexpected(limit(where + ".description", "must be 1-100 characters"));
  if (!chat && (!c.description.empty() || !c.options.empty()))
    return unexpected(limit(where, "user and message commands have no description or options"));
  if (c.options.size() > command_limits::options) return unexpected(limit(where + ".options", "more than 25 options"));
  bool seen_optional = false;
  std::set<std::string> names;
  bool has_sub = false, has_value = false;
  std::size_t chars = char_count(c.name) + dlen;
  for (std::size_t i = 0; i < c.options.size(); ++i) {
    const auto& o = c.options[i];
    const std::string w = where + ".options[" + std::to_string(i) + "]";
    if (!names.insert(o.name).second) return unexpected(limit(w + ".name", "duplicate option name"));
    (is_value_type(o.type) ? has_value : has_sub) = true;
    if (is_value_type(o.type)) {
      if (o.required && seen_optional) return unexpected(limit(w + ".required", "required options must come first"));
      if (!o.required) seen_optional = true;
    }
    if (auto v = validate_option(o, w, 1); !v) return v;
    chars += option_chars(o);
  }
  if (has_sub && has_value) return unexpected(limit(where + ".options", "sub-commands cannot be mixed with value options"));
  if (chars > command_limits::total_chars) return unexpected(limit(where, "more than 8000 characters in total"));
  return {};
}

validation validate(std::span<const command_definition> commands) {
  std::set<std::pair<int, std::string>> seen;
  std::size_t chat = 0, user = 0, msg = 0;
  for (const auto& c : commands) {
    if (auto v = validate(c); !v) return v;
    if (!seen.emplace(static_cast<int>(c.type), c.name).second)
      return unexpected(limit("command " + c.name, "defined twice"));
    chat += c.type == command_type::chat_input;
    user += c.type == command_type::user;
    msg += c.type == command_type::message;
  }
  if (chat > command_limits::chat_input_commands) return unexpected(limit("commands", "more than 100 chat-input commands"));
  if (user > command_limits::user_commands) return unexpected(limit("commands", "too many user commands"));
  if (msg > command_limits::message_commands) return unexpected(limit("commands", "too many message commands"));
  return {};
}

boost::json::object to_json(const command_definition& c) {
  boost::json::object j;
  j["type"] = static_cast<int>(c.type);
  j["name"] = c.name;
  if (c.type == command_type::chat_input) j["description"] = c.description;
  if (!c.options.empty()) {
    boost::json::array os;
    for (const auto& o : c.options) os.push_back(option_json(o));
    j["options"] = std::move(os);
  }
  if (c.default_member_permissions) j["default_member_permissions"] = c.default_member_permissions->str();
  if (c.contexts) {
    boost::json::array a;
    for (int v : *c.contexts) a.push_back(v);
    j["contexts"] = std::move(a);
  }
  if (c.integration_types) {
    boost::json::array a;
    for (int v : *c.integration_types) a.push_back(v);
    j["integration_types"] = std::move(a);
  }
  if (c.nsfw) j["nsfw"] = true;
  return j;
}

boost::json::array to_json(std::span<const command_definition> commands) {
  boost::json::array a;
  for (const auto& c : commands) a.push_back(to_json(c));
  return a;
}

parsed<command_definition> parse_command(const bj::object& o) {
  command_definition c;
  c.name = std::string(str(o, "name"));
  if (c.name.empty()) return unexpected(missing("command.name"));
  const auto type = int_or(o, "type", 1);
  if (type < 1 || type > 4) return unexpected(invalid("command.type"));
  c.type = static_cast<command_type>(type);
  c.id = snow(o, "id");
  c.description = std::string(str(o, "description"));
  if (auto* os = arr(o, "options"))
    for (const auto& v : *os)
      if (v.is_object()) c.options.push_back(parse_option_def(v.get_object()));
  c.default_member_permissions = opt_perms(o, "default_member_permissions");
  auto ints = [&](const char* key) -> std::optional<std::vector<int>> {
    auto* a = arr(o, key);
    if (!a) return std::nullopt;
    std::vector<int> out;
    for (const auto& v : *a)
      if (v.is_int64()) out.push_back(static_cast<int>(v.get_int64()));
    return out;
  };
  c.contexts = ints("contexts");
  c.integration_types = ints("integration_types");
  c.nsfw = boolean(o, "nsfw");
  return c;
}

std::string canonical_json(std::span<const command_definition> commands) {
  boost::json::array a;
  for (const auto* c : sorted(commands)) a.push_back(identity_json(*c, true, true));
  return boost::json::serialize(a);
}

std::string stable_hash(std::span<const command_definition> commands) {
  const std::string text = canonical_json(commands);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = hex[h & 0xF];
  return out;
}

bool commands_match(std::span<const command_definition> local, std::span<const command_definition> remote) {
  if (local.size() != remote.size()) return false;
  auto l = sorted(local);
  auto r = sorted(remote);
  for (std::size_t i = 0; i < l.size(); ++i) {
    const bool ctx = l[i]->contexts.has_value();
    const bool integ = l[i]->integration_types.has_value();
    if (identity_json(*l[i], ctx, integ) != identity_json(*r[i], ctx, integ)) return false;
  }
  return true;
}

}  // namespace vb::discord
