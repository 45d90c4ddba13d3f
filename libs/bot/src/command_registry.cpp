#include "vectobeat/bot/command_registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace vb::bot {

reply reply::text(std::string content, bool ephemeral) {
  reply r;
  r.message.content = std::move(content);
  r.ephemeral = ephemeral;
  return r;
}

reply reply::embed(discord::embed e, bool ephemeral) {
  reply r;
  r.message.embeds = std::vector<discord::embed>{std::move(e)};
  r.ephemeral = ephemeral;
  return r;
}

reply reply::failure(std::string message) {
  reply r;
  discord::embed e;
  e.description = std::move(message);
  e.color = 0xED4245;
  r.message.embeds = std::vector<discord::embed>{std::move(e)};
  r.ephemeral = true;
  r.error = true;
  return r;
}

const discord::interaction_option* command_context::option(std::string_view name) const {
  if (auto* c = in.command()) return c->option(name);
  return nullptr;
}

std::optional<std::string> command_context::string_option(std::string_view name) const {
  if (auto* o = option(name))
    if (auto s = o->as_string()) return std::string(*s);
  return std::nullopt;
}

std::optional<std::int64_t> command_context::int_option(std::string_view name) const {
  if (auto* o = option(name)) {
    if (auto v = o->as_int()) return v;
    if (auto d = o->as_number()) return static_cast<std::int64_t>(*d);
  }
  return std::nullopt;
}

std::optional<bool> command_context::bool_option(std::string_view name) const {
  if (auto* o = option(name)) return o->as_bool();
  return std::nullopt;
}

std::optional<std::uint64_t> command_context::snowflake_option(std::string_view name) const {
  if (auto* o = option(name))
    if (auto s = o->as_snowflake()) return s->value();
  return std::nullopt;
}

discord::permissions command_context::member_permissions() const {
  if (in.member_info && in.member_info->perms) return *in.member_info->perms;
  return {};
}

std::vector<discord::snowflake> command_context::member_roles() const {
  if (in.member_info) return in.member_info->roles;
  return {};
}

void command_registry::add(command_spec spec) {
  if (find(spec.name)) throw std::invalid_argument("duplicate command " + spec.name);
  const auto space = spec.name.find(' ');
  const auto top = spec.name.substr(0, space);
  if (!discord::valid_command_name(top) ||
      (space != std::string::npos && !discord::valid_command_name(spec.name.substr(space + 1))))
    throw std::invalid_argument("invalid command name " + spec.name);
  if (spec.description.empty() || spec.description.size() > discord::command_limits::description)
    throw std::invalid_argument("invalid description for " + spec.name);
  if (!spec.handler) throw std::invalid_argument("no handler for " + spec.name);
  specs_.push_back(std::move(spec));
}

void command_registry::describe_group(std::string group, std::string description) {
  groups_[std::move(group)] = std::move(description);
}

const command_spec* command_registry::find(std::string_view full_name) const {
  for (const auto& s : specs_)
    if (s.name == full_name) return &s;
  return nullptr;
}

std::vector<const command_spec*> command_registry::all() const {
  std::vector<const command_spec*> out;
  for (const auto& s : specs_) out.push_back(&s);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) {
    return a->category != b->category ? a->category < b->category : a->name < b->name;
  });
  return out;
}

std::map<std::string, std::vector<const command_spec*>> command_registry::by_category() const {
  std::map<std::string, std::vector<const command_spec*>> out;
  for (auto* s : all()) out[s->category].push_back(s);
  return out;
}

std::vector<discord::command_definition> command_registry::definitions() const {
  std::vector<discord::command_definition> out;
  auto find_def = [&](const std::string& name) -> discord::command_definition* {
    for (auto& d : out)
      if (d.name == name) return &d;
    return nullptr;
  };
  for (const auto& s : specs_) {
    const auto space = s.name.find(' ');
    if (space == std::string::npos) {
      discord::command_definition d;
      d.name = s.name;
      d.description = s.description;
      d.options = s.options;
      for (auto& o : d.options)
        if (s.autocomplete && o.type == discord::option_type::string && o.name == "query") o.autocomplete = true;
      d.contexts = std::vector<int>{0};
      out.push_back(std::move(d));
      continue;
    }
    const auto group = s.name.substr(0, space);
    auto* d = find_def(group);
    if (!d) {
      discord::command_definition nd;
      nd.name = group;
      auto g = groups_.find(group);
      nd.description = g != groups_.end() ? g->second : group + " commands";
      nd.contexts = std::vector<int>{0};
      out.push_back(std::move(nd));
      d = &out.back();
    }
    discord::command_option sub;
    sub.type = discord::option_type::sub_command;
    sub.name = s.name.substr(space + 1);
    sub.description = s.description;
    sub.options = s.options;
    d->options.push_back(std::move(sub));
  }
  return out;
}

}  // namespace vb::bot
