#include "vectobeat/discord/interaction.hpp"

#include "json_read.hpp"

namespace vb::discord {

using namespace detail;

namespace {

constexpr int max_option_depth = 3;
constexpr std::size_t max_options_per_level = 25;

template <class T>
const T* find_by_id(const std::vector<T>& v, snowflake id) {
  for (const auto& x : v)
    if (x.id == id) return &x;
  return nullptr;
}

parsed<interaction_option> parse_option(const bj::object& o, int depth) {
  interaction_option opt;
  opt.name = std::string(str(o, "name"));
  if (opt.name.empty()) return unexpected(missing("option.name"));
  auto type = opt_int(o, "type");
  if (!type || *type < 1 || *type > 11) return unexpected(invalid("option.type"));
  opt.type = static_cast<option_type>(*type);
  opt.focused = boolean(o, "focused");
  if (const bj::value* v = field(o, "value")) {
    if (opt.focused && v->is_string()) {
      opt.value = std::string(v->get_string());  // autocomplete: partial input as typed
    } else {
      switch (opt.type) {
        case option_type::string:
          if (!v->is_string()) return unexpected(invalid("option." + opt.name, "expected a string"));
          opt.value = std::string(v->get_string());
          break;
        case option_type::integer:
          if (auto i = opt_int(o, "value")) opt.value = *i;
          else return unexpected(invalid("option." + opt.name, "expected an integer"));
          break;
        case option_type::number:
          if (auto d = opt_number(o, "value")) opt.value = *d;
          else return unexpected(invalid("option." + opt.name, "expected a number"));
          break;
        case option_type::boolean:
          if (!v->is_bool()) return unexpected(invalid("option." + opt.name, "expected a boolean"));
          opt.value = v->get_bool();
          break;
        case option_type::user: case option_type::channel: case option_type::role: case option_type::mentionable:
        case option_type::attachment: {
          auto id = snow_of(*v);
          if (!id) return unexpected(invalid("option." + opt.name, "expected a snowflake"));
          opt.value = id;
          break;
        }
        case option_type::sub_command: case option_type::sub_command_group: break;
      }
    }
  }
  if (auto* children = arr(o, "options")) {
    if (depth >= max_option_depth) return unexpected(invalid("option." + opt.name, "nested too deep"));
    if (children->size() > max_options_per_level) return unexpected(invalid("option." + opt.name, "too many options"));
    opt.options.reserve(children->size());
    for (const auto& c : *children) {
      if (!c.is_object()) return unexpected(invalid("option." + opt.name + ".options"));
      auto child = parse_option(c.get_object(), depth + 1);
      if (!child) return unexpected(std::move(child).error());
      opt.options.push_back(std::move(*child));
    }
  }
  return opt;
}

parsed<std::vector<interaction_option>> parse_options(const bj::object& o) {
  std::vector<interaction_option> out;
  if (auto* a = arr(o, "options")) {
    if (a->size() > max_options_per_level) return unexpected(invalid("options", "too many options"));
    out.reserve(a->size());
    for (const auto& v : *a) {
      if (!v.is_object()) return unexpected(invalid("options"));
      auto opt = parse_option(v.get_object(), 1);
      if (!opt) return unexpected(std::move(opt).error());
      out.push_back(std::move(*opt));
    }
  }
  return out;
}

resolved_data parse_resolved(const bj::object* r) {
  resolved_data out;
  if (!r) return out;
  if (auto* users = obj(*r, "users"))
    for (const auto& [k, v] : *users)
      if (v.is_object())
        if (auto u = parse_user(v.get_object())) out.users.push_back(std::move(*u));
  if (auto* members = obj(*r, "members"))
    for (const auto& [k, v] : *members) {
      if (!v.is_object()) continue;
      auto id = parse_snowflake(k);
      if (!id) continue;
      member m = parse_member(v.get_object());
      m.user_id = *id;
      out.members.push_back(std::move(m));
    }
  if (auto* roles = obj(*r, "roles"))
    for (const auto& [k, v] : *roles)
      if (v.is_object())
        if (auto ro = parse_role(v.get_object())) out.roles.push_back(std::move(*ro));
  if (auto* channels = obj(*r, "channels"))
    for (const auto& [k, v] : *channels) {
      if (!v.is_object()) continue;
      const auto& c = v.get_object();
      resolved_channel rc;
      rc.id = snow(c, "id");
      if (!rc.id) continue;
      rc.type = to_channel_type(int_or(c, "type", 255));
      rc.name = std::string(str(c, "name"));
      rc.perms = opt_perms(c, "permissions");
      out.channels.push_back(std::move(rc));
    }
  return out;
}

}  // namespace

std::optional<std::string_view> interaction_option::as_string() const {
  if (auto* s = std::get_if<std::string>(&value)) return std::string_view(*s);
  return std::nullopt;
}
std::optional<std::int64_t> interaction_option::as_int() const {
  if (auto* i = std::get_if<std::int64_t>(&value)) return *i;
  return std::nullopt;
}
std::optional<double> interaction_option::as_number() const {
  if (auto* d = std::get_if<double>(&value)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  return std::nullopt;
}
std::optional<bool> interaction_option::as_bool() const {
  if (auto* b = std::get_if<bool>(&value)) return *b;
  return std::nullopt;
}
std::optional<snowflake> interaction_option::as_snowflake() const {
  if (auto* s = std::get_if<snowflake>(&value)) return *s;
  return std::nullopt;
}

const user* resolved_data::find_user(snowflake id) const { return find_by_id(users, id); }
const role* resolved_data::find_role(snowflake id) const { return find_by_id(roles, id); }
const resolved_channel* resolved_data::find_channel(snowflake id) const { return find_by_id(channels, id); }
const member* resolved_data::find_member(snowflake id) const {
  for (const auto& m : members)
    if (m.user_id == id) return &m;
  return nullptr;
}

std::string command_data::full_name() const {
  std::string n = name;
  const std::vector<interaction_option>* level = &options;
  while (level->size() == 1 && ((*level)[0].type == option_type::sub_command ||
                                 (*level)[0].type == option_type::sub_command_group)) {
    n += ' ';
    n += (*level)[0].name;
    level = &(*level)[0].options;
  }
  return n;
}

const std::vector<interaction_option>& command_data::leaf_options() const {
  const std::vector<interaction_option>* level = &options;
  while (level->size() == 1 && ((*level)[0].type == option_type::sub_command ||
                                 (*level)[0].type == option_type::sub_command_group))
    level = &(*level)[0].options;
  return *level;
}

const interaction_option* command_data::option(std::string_view n) const {
  for (const auto& o : leaf_options())
    if (o.name == n) return &o;
  return nullptr;
}

const interaction_option* command_data::focused() const {
  for (const auto& o : leaf_options())
    if (o.focused) return &o;
  return nullptr;
}

std::optional<std::string_view> modal_data::field(std::string_view id) const {
  for (const auto& [k, v] : fields)
    if (k == id) return std::string_view(v);
  return std::nullopt;
}

snowflake interaction::user_id() const {
  if (member_info && member_info->user_id) return member_info->user_id;
  if (user_info) return user_info->id;
  return snowflake();
}

parsed<interaction> parse_interaction(const bj::object& o) {
  interaction in;
  in.id = snow(o, "id");
  if (!in.id) return unexpected(missing("interaction.id"));
  in.application_id = snow(o, "application_id");
  if (!in.application_id) return unexpected(missing("interaction.application_id"));
  auto type = opt_int(o, "type");
  if (!type || *type < 1 || *type > 5) return unexpected(invalid("interaction.type"));
  in.type = static_cast<interaction_type>(*type);
  in.token = std::string(str(o, "token"));
  if (in.token.empty()) return unexpected(missing("interaction.token"));
  in.version = static_cast<int>(int_or(o, "version", 1));
  in.guild_id = snow(o, "guild_id");
  in.channel_id = snow(o, "channel_id");
  if (!in.channel_id)
    if (auto* ch = obj(o, "channel")) in.channel_id = snow(*ch, "id");
  if (auto* m = obj(o, "member")) {
    in.member_info = parse_member(*m);
    if (in.member_info->user_info) in.user_info = in.member_info->user_info;
  }
  if (!in.user_info)
    if (auto* u = obj(o, "user"))
      if (auto pu = parse_user(*u)) in.user_info = std::move(*pu);
  in.app_permissions = opt_perms(o, "app_permissions").value_or(permissions());
  in.locale = std::string(str(o, "locale"));
  in.guild_locale = std::string(str(o, "guild_locale"));
  if (auto* msg = obj(o, "message")) in.message_id = snow(*msg, "id");

  const bj::object* d = obj(o, "data");
  switch (in.type) {
    case interaction_type::ping: break;
    case interaction_type::application_command:
    case interaction_type::autocomplete: {
      if (!d) return unexpected(missing("interaction.data"));
      command_data c;
      c.id = snow(*d, "id");
      c.name = std::string(str(*d, "name"));
      if (c.name.empty()) return unexpected(missing("interaction.data.name"));
      c.type = static_cast<int>(int_or(*d, "type", 1));
      auto opts = parse_options(*d);
      if (!opts) return unexpected(std::move(opts).error());
      c.options = std::move(*opts);
      c.resolved = parse_resolved(obj(*d, "resolved"));
      c.guild_id = snow(*d, "guild_id");
      c.target_id = snow(*d, "target_id");
      in.data = std::move(c);
      break;
    }
    case interaction_type::message_component: {
      if (!d) return unexpected(missing("interaction.data"));
      component_data c;
      c.custom_id = std::string(str(*d, "custom_id"));
      if (c.custom_id.empty()) return unexpected(missing("interaction.data.custom_id"));
      c.component_type = static_cast<int>(int_or(*d, "component_type", 0));
      if (auto* vals = arr(*d, "values"))
        for (const auto& v : *vals)
          if (v.is_string() && c.values.size() < 25) c.values.emplace_back(v.get_string());
      c.resolved = parse_resolved(obj(*d, "resolved"));
      in.data = std::move(c);
      break;
    }
    case interaction_type::modal_submit: {
      if (!d) return unexpected(missing("interaction.data"));
      modal_data m;
      m.custom_id = std::string(str(*d, "custom_id"));
      if (m.custom_id.empty()) return unexpected(missing("interaction.data.custom_id"));
      // components: action rows (or labels) holding text inputs {custom_id, value}.
      if (auto* rows = arr(*d, "components"))
        for (const auto& row : *rows) {
          if (!row.is_object()) continue;
          auto collect = [&](const bj::object& c) {
            auto id = str(c, "custom_id");
            if (!id.empty() && m.fields.size() < 25) m.fields.emplace_back(std::string(id), std::string(str(c, "value")));
          };
          if (auto* inner = arr(row.get_object(), "components")) {
            for (const auto& c : *inner)
              if (c.is_object()) collect(c.get_object());
          } else if (auto* comp = obj(row.get_object(), "component")) {
            collect(*comp);
          }
        }
      in.data = std::move(m);
      break;
    }
  }
  return in;
}

}  // namespace vb::discord
