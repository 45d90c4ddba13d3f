#include "interactions.hpp"

#include <random>

#include "actions.hpp"
#include "gateway.hpp"
#include "rest_util.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {

constexpr std::int64_t attachment_size_limit = 10 * 1024 * 1024;

std::string interaction_token() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::string s = "aW50ZXJhY3Rpb246";  // "interaction:" like Discord's, then random
  for (int i = 0; i < 80; ++i) s.push_back(alphabet[rng() % 64]);
  return s;
}

const json::object* find_component(const json::array& components, std::string_view custom_id) {
  for (auto& c : components) {
    if (!c.is_object()) continue;
    auto& o = c.get_object();
    if (vb::json::get_string(o, "custom_id") == custom_id) return &o;
    if (auto* children = vb::json::get_array(o, "components"))
      if (auto* found = find_component(*children, custom_id)) return found;
    if (auto* acc = vb::json::get_object(o, "accessory"))
      if (vb::json::get_string(*acc, "custom_id") == custom_id) return acc;
  }
  return nullptr;
}

bool allowed_response(interaction_type t, int response, bool modal_from_component) {
  switch (t) {
    case interaction_type::ping: return response == 1;
    case interaction_type::application_command: return response == 4 || response == 5 || response == 9;
    case interaction_type::message_component: return response == 4 || response == 5 || response == 6 || response == 7 || response == 9;
    case interaction_type::autocomplete: return response == 8;
    case interaction_type::modal_submit:
      return response == 4 || response == 5 || ((response == 6 || response == 7) && modal_from_component);
  }
  return false;
}

constexpr std::uint64_t response_flags =
    message_flag_ephemeral | flag_suppress_embeds | flag_suppress_notifications | flag_components_v2;

}  // namespace

const interaction_rec* interactions::find(snowflake id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

interaction_rec* interactions::by_token(const std::string& token) {
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return nullptr;
  auto r = by_id_.find(it->second);
  return r == by_id_.end() ? nullptr : &r->second;
}

bool interactions::expired(const interaction_rec& r) const {
  return !r.pub.callback_type && (r.pub.expired || c_.clk.now() - r.created >= c_.opts.interaction_deadline);
}

interaction interactions::snapshot(const interaction_rec& r) const {
  interaction i = r.pub;
  i.expired = expired(r);
  return i;
}

expected<interaction, std::error_code> interactions::start_command(const command_invocation& inv, interaction_type type) {
  auto* g = c_.w.find_guild(inv.guild_id);
  if (!g) return unexpected(make_error_code(fake_error::unknown_guild));
  auto* ch = c_.w.find_channel(inv.channel_id);
  if (!ch || ch->guild_id != g->id) return unexpected(make_error_code(fake_error::unknown_channel));
  if (!c_.w.find_user(inv.user_id)) return unexpected(make_error_code(fake_error::unknown_user));
  if (!g->members.count(inv.user_id)) return unexpected(make_error_code(fake_error::not_a_member));
  const application_command* cmd = nullptr;
  for (snowflake scope : {g->id, snowflake{0}})
    if (auto* list = c_.w.find_commands(scope); list && !cmd)
      for (auto& c : *list)
        if (c.name == inv.name && c.type == 1) cmd = &c;
  if (!cmd) return unexpected(make_error_code(fake_error::unknown_command));

  json::object data{{"id", id_string(cmd->id)}, {"name", cmd->name}, {"type", 1}};
  if (cmd->guild_id) data["guild_id"] = id_string(cmd->guild_id);
  json::array options;
  json::object resolved_users, resolved_members, resolved_channels, resolved_roles;
  if (!inv.raw_options.empty()) {
    options = inv.raw_options;
  } else {
    const json::array* defs = vb::json::get_array(cmd->definition, "options");
    for (auto& o : inv.options) {
      int t = o.type;
      if (t == 0 && defs)
        for (auto& d : *defs)
          if (d.is_object() && vb::json::get_string(d.get_object(), "name") == o.name)
            t = static_cast<int>(vb::json::get_int(d.get_object(), "type").value_or(0));
      if (t == 0) return unexpected(make_error_code(fake_error::invalid_argument));
      json::object opt{{"name", o.name}, {"type", t}, {"value", o.value}};
      if (o.focused) opt["focused"] = true;
      options.push_back(std::move(opt));
      // Resolved objects for entity options (discord.md §5.2).
      auto id = o.value.is_string() ? vb::json::parse_u64(o.value.get_string()) : std::nullopt;
      if (!id) continue;
      if (t == 6 || t == 9)
        if (auto* u = c_.w.find_user(*id)) {
          resolved_users[id_string(*id)] = user_json(*u);
          if (auto m = g->members.find(*id); m != g->members.end()) {
            auto mj = member_json(c_.w, *g, m->second, false);
            mj["permissions"] = std::to_string(c_.w.permissions(*g, *id));
            resolved_members[id_string(*id)] = std::move(mj);
          }
        }
      if (t == 7)
        if (auto* rc = c_.w.find_channel(*id)) {
          auto cj = channel_json(*rc);
          cj["permissions"] = std::to_string(c_.w.permissions(*g, inv.user_id));
          resolved_channels[id_string(*id)] = std::move(cj);
        }
      if (t == 8 || t == 9)
        if (auto* rr = c_.w.find_role(*g, *id)) resolved_roles[id_string(*id)] = role_json(*rr);
    }
  }
  if (!options.empty()) data["options"] = std::move(options);
  json::object resolved;
  if (!resolved_users.empty()) resolved["users"] = std::move(resolved_users);
  if (!resolved_members.empty()) resolved["members"] = std::move(resolved_members);
  if (!resolved_channels.empty()) resolved["channels"] = std::move(resolved_channels);
  if (!resolved_roles.empty()) resolved["roles"] = std::move(resolved_roles);
  if (!resolved.empty()) data["resolved"] = std::move(resolved);

  interaction_rec r;
  r.pub.type = type;
  r.pub.name = cmd->name;
  r.pub.data = std::move(data);
  return create(std::move(r), g->id, ch->id, inv.user_id);
}

expected<interaction, std::error_code> interactions::start_component(const component_invocation& inv) {
  auto* m = c_.w.find_message(inv.message_id);
  if (!m || m->deleted) return unexpected(make_error_code(fake_error::unknown_message));
  auto* g = c_.w.find_guild(m->guild_id);
  if (!g) return unexpected(make_error_code(fake_error::unknown_guild));
  if (!c_.w.find_user(inv.user_id)) return unexpected(make_error_code(fake_error::unknown_user));
  if (!g->members.count(inv.user_id)) return unexpected(make_error_code(fake_error::not_a_member));
  const json::object* comp = find_component(m->components, inv.custom_id);
  if (!comp) return unexpected(make_error_code(fake_error::invalid_argument));
  json::object data{{"custom_id", inv.custom_id},
                    {"component_type", vb::json::get_int(*comp, "type").value_or(2)}};
  if (!inv.values.empty()) {
    json::array values;
    for (auto& v : inv.values) values.push_back(json::value(v));
    data["values"] = std::move(values);
  }
  interaction_rec r;
  r.pub.type = interaction_type::message_component;
  r.pub.name = inv.custom_id;
  r.pub.data = std::move(data);
  r.source_message = m->id;
  return create(std::move(r), g->id, m->channel_id, inv.user_id);
}

expected<interaction, std::error_code> interactions::start_modal_submit(const modal_submission& sub) {
  auto it = by_id_.find(sub.interaction_id);
  if (it == by_id_.end()) return unexpected(make_error_code(fake_error::unknown_interaction));
  const auto& parent = it->second;
  if (parent.pub.callback_type != 9) return unexpected(make_error_code(fake_error::invalid_argument));
  const snowflake user = sub.user_id ? sub.user_id : parent.pub.user_id;
  auto custom_id = vb::json::get_string(parent.modal, "custom_id").value_or("");
  json::array rows;
  for (auto& [id, value] : sub.values)
    rows.push_back(json::object{{"type", 1},
                                {"components", json::array{json::object{{"type", 4}, {"custom_id", id}, {"value", value}}}}});
  interaction_rec r;
  r.pub.type = interaction_type::modal_submit;
  r.pub.name = std::string(custom_id);
  r.pub.data = json::object{{"custom_id", custom_id}, {"components", std::move(rows)}};
  r.modal_source = parent.pub.id;
  r.source_message = parent.source_message;
  return create(std::move(r), parent.pub.guild_id, parent.pub.channel_id, user);
}

expected<interaction, std::error_code> interactions::create(interaction_rec r, snowflake guild, snowflake channel,
                                                            snowflake user) {
  auto* g = c_.w.find_guild(guild);
  auto* ch = c_.w.find_channel(channel);
  if (!g || !ch) return unexpected(make_error_code(fake_error::unknown_channel));
  r.pub.id = c_.w.new_id();
  r.pub.token = interaction_token();
  r.pub.guild_id = guild;
  r.pub.channel_id = channel;
  r.pub.user_id = user;
  r.created = c_.clk.now();

  const auto member_perms = std::to_string(c_.w.permissions(*g, user));
  json::object d;
  d["id"] = id_string(r.pub.id);
  d["application_id"] = id_string(c_.w.application_id);
  d["type"] = static_cast<int>(r.pub.type);
  d["data"] = r.pub.data;
  d["guild"] = json::object{{"id", id_string(guild)}, {"locale", "en-US"}, {"features", json::array()}};
  d["guild_id"] = id_string(guild);
  auto cj = channel_json(*ch);
  cj["permissions"] = member_perms;
  d["channel"] = std::move(cj);
  d["channel_id"] = id_string(channel);
  if (auto m = g->members.find(user); m != g->members.end()) {
    auto mj = member_json(c_.w, *g, m->second, true);
    mj["permissions"] = member_perms;
    d["member"] = std::move(mj);
  }
  d["token"] = r.pub.token;
  d["version"] = 1;
  d["app_permissions"] = std::to_string(c_.w.permissions(*g, c_.w.bot_id));
  d["locale"] = "en-US";
  d["guild_locale"] = "en-US";
  d["entitlements"] = json::array();
  d["authorizing_integration_owners"] = json::object{{"0", id_string(guild)}};
  d["context"] = 0;
  d["attachment_size_limit"] = attachment_size_limit;
  if (r.source_message)
    if (auto* m = c_.w.find_message(r.source_message)) d["message"] = message_json(c_.w, *m);

  if (by_id_.size() >= max_interactions) {
    const auto now = c_.clk.now();
    for (auto it = by_id_.begin(); it != by_id_.end() && by_id_.size() >= max_interactions;) {
      if (now - it->second.created > c_.opts.interaction_token_lifetime && !deadlines_.count(it->first)) {
        tokens_.erase(it->second.pub.token);
        it = by_id_.erase(it);
      } else {
        ++it;
      }
    }
  }
  const auto id = r.pub.id;
  tokens_[r.pub.token] = id;
  auto& stored = by_id_[id] = std::move(r);
  c_.gw->dispatch_guild(guild, "INTERACTION_CREATE", d, 0);
  spawn(c_.strand, run_deadline(id, stored.created + c_.opts.interaction_deadline), "interaction deadline");
  c_.log.debug("interactions: {} {} '{}' by user {} in guild {}", static_cast<int>(stored.pub.type), id,
               stored.pub.name, user, guild);
  return snapshot(stored);
}

task<void> interactions::run_deadline(snowflake id, steady_time at) {
  task_guard guard(c_);
  auto& t = deadlines_[id] = c_.clk.make_timer(c_.strand);
  const bool fired = co_await t->wait_until(at);
  deadlines_.erase(id);
  if (!fired || c_.stopped) co_return;
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.pub.callback_type) co_return;
  it->second.pub.expired = true;
  c_.log.info("interactions: {} '{}' was not answered within {} ms (\"The application did not respond\")", id,
              it->second.pub.name, c_.opts.interaction_deadline.count());
  c_.notify();
}

void interactions::stop() {
  for (auto& [id, t] : deadlines_) t->cancel();
}

net::http_response interactions::reject(interaction_rec& r, int status, int code, std::string message) {
  r.pub.last_rejection = message;
  return discord_error(status, code, message);
}

net::http_response interactions::callback(snowflake id, const std::string& token, const json::value& body,
                                          bool with_response) {
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.pub.token != token)
    return discord_error(404, discord_code::unknown_interaction, "Unknown interaction");
  auto& r = it->second;
  if (r.pub.callback_type)
    return reject(r, 400, discord_code::already_acknowledged, "Interaction has already been acknowledged.");
  if (expired(r)) return reject(r, 404, discord_code::unknown_interaction, "Unknown interaction");
  if (!body.is_object()) return discord_error(400, discord_code::invalid_json, "The request body contains invalid JSON.");
  auto type = vb::json::get_int(body.get_object(), "type");
  if (!type) return form_error("type", "BASE_TYPE_REQUIRED", "This field is required");
  const bool modal_from_component = r.modal_source && r.source_message;
  if (!allowed_response(r.pub.type, static_cast<int>(*type), modal_from_component)) {
    r.pub.last_rejection = "response type " + std::to_string(*type) + " is not valid for this interaction";
    return form_error("type", "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid interaction response type");
  }
  static const json::value empty_object = json::object();
  const json::value* data = vb::json::find(body.get_object(), "data");
  const json::value& data_or_empty = (data && !data->is_null()) ? *data : empty_object;

  message* msg = nullptr;
  switch (*type) {
    case 4: {
      auto f = parse_message_body(data_or_empty, true, response_flags);
      if (!f) return std::move(f).error();
      message m;
      m.id = c_.w.new_id();
      m.channel_id = r.pub.channel_id;
      m.guild_id = r.pub.guild_id;
      m.author_id = c_.w.bot_id;
      m.type = r.pub.type == interaction_type::application_command ? 20 : 19;
      m.timestamp = c_.w.now();
      m.interaction_id = r.pub.id;
      apply_message_fields(m, *f);
      msg = &c_.act->post_message(std::move(m));
      r.pub.message_id = msg->id;
      break;
    }
    case 5: {
      std::uint64_t flags = 0;
      if (data_or_empty.is_object()) flags = static_cast<std::uint64_t>(vb::json::get_int(data_or_empty.get_object(), "flags").value_or(0));
      message m;
      m.id = c_.w.new_id();
      m.channel_id = r.pub.channel_id;
      m.guild_id = r.pub.guild_id;
      m.author_id = c_.w.bot_id;
      m.type = r.pub.type == interaction_type::application_command ? 20 : 19;
      m.timestamp = c_.w.now();
      m.interaction_id = r.pub.id;
      m.flags = message_flag_loading | (flags & message_flag_ephemeral);
      msg = &c_.act->post_message(std::move(m));
      r.pub.message_id = msg->id;
      r.deferred = true;
      break;
    }
    case 6: break;
    case 7: {
      auto* source = c_.w.find_message(r.source_message);
      if (!source || source->deleted) return reject(r, 404, discord_code::unknown_message, "Unknown Message");
      auto f = parse_message_body(data_or_empty, false, response_flags);
      if (!f) return std::move(f).error();
      apply_message_fields(*source, *f);
      source->edited_timestamp = c_.w.now();
      ++source->edits;
      c_.act->message_updated(*source);
      msg = source;
      r.pub.message_id = source->id;
      break;
    }
    case 8: {
      auto* choices = data_or_empty.is_object() ? vb::json::get_array(data_or_empty.get_object(), "choices") : nullptr;
      if (!choices) return form_error("data.choices", "BASE_TYPE_REQUIRED", "This field is required");
      if (choices->size() > 25) return form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
      for (std::size_t i = 0; i < choices->size(); ++i) {
        auto* c = (*choices)[i].if_object();
        auto name = c ? vb::json::get_string(*c, "name") : std::nullopt;
        if (!name || name->empty() || name->size() > 100 || !vb::json::find(*c, "value"))
          return form_error("data.choices." + std::to_string(i), "BASE_TYPE_BAD_LENGTH", "Invalid choice");
      }
      break;
    }
    case 9: {
      auto* o = data_or_empty.if_object();
      auto cid = o ? vb::json::get_string(*o, "custom_id") : std::nullopt;
      auto title = o ? vb::json::get_string(*o, "title") : std::nullopt;
      auto* comps = o ? vb::json::get_array(*o, "components") : nullptr;
      if (!cid || cid->empty() || cid->size() > 100) return form_error("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
      if (!title || title->empty() || utf8_length(*title) > 45) return form_error("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.");
      if (!comps || comps->empty() || comps->size() > 5) return form_error("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
      r.modal = *o;
      break;
    }
    default: break;
  }
  r.pub.callback_type = static_cast<int>(*type);
  r.pub.callback_data = data ? *data : json::value(nullptr);
  r.pub.response_time = std::chrono::duration_cast<std::chrono::milliseconds>(c_.clk.now() - r.created);
  c_.log.debug("interactions: {} answered with type {} after {} ms", r.pub.id, *type, r.pub.response_time->count());
  if (!with_response) return net::http_response::empty(204);
  json::object ij{{"id", id_string(r.pub.id)}, {"type", static_cast<int>(r.pub.type)}, {"activity_instance_id", nullptr}};
  json::object resource{{"type", *type}};
  if (msg) {
    ij["response_message_id"] = id_string(msg->id);
    ij["response_message_loading"] = (msg->flags & message_flag_loading) != 0;
    ij["response_message_ephemeral"] = msg->ephemeral();
    resource["message"] = message_json(c_.w, *msg);
  }
  return json_response(200, json::object{{"interaction", std::move(ij)}, {"resource", std::move(resource)}});
}

net::http_response interactions::webhook(const std::string& method, snowflake app, const std::string& token,
                                         const std::string& message_ref, const json::value& body) {
  if (app != c_.w.application_id) return discord_error(404, discord_code::unknown_webhook, "Unknown Webhook");
  auto* r = by_token(token);
  if (!r || c_.clk.now() - r->created > c_.opts.interaction_token_lifetime)
    return discord_error(401, discord_code::invalid_webhook_token, "Invalid Webhook Token");
  if (!r->pub.callback_type) return discord_error(404, discord_code::unknown_webhook, "Unknown Webhook");

  auto stamp_edit = [&](message& m) {
    m.edited_timestamp = c_.w.now();
    ++m.edits;
  };

  if (message_ref.empty()) {
    if (method != "POST") return discord_error(405, 0, "405: Method Not Allowed");
    auto f = parse_message_body(body, true, response_flags);
    if (!f) return std::move(f).error();
    // After a deferred reply (type 5) the first follow-up completes the "thinking" message.
    if (r->deferred) {
      if (auto* orig = c_.w.find_message(r->pub.message_id); orig && !orig->deleted) {
        apply_message_fields(*orig, *f);
        orig->flags &= ~message_flag_loading;
        stamp_edit(*orig);
        r->deferred = false;
        c_.act->message_updated(*orig);
        return json_response(200, message_json(c_.w, *orig));
      }
    }
    message m;
    m.id = c_.w.new_id();
    m.channel_id = r->pub.channel_id;
    m.guild_id = r->pub.guild_id;
    m.author_id = c_.w.bot_id;
    m.type = 0;
    m.timestamp = c_.w.now();
    m.interaction_id = r->pub.id;
    apply_message_fields(m, *f);
    auto& stored = c_.act->post_message(std::move(m));
    r->pub.followups.push_back(stored.id);
    return json_response(200, message_json(c_.w, stored));
  }

  snowflake target = 0;
  if (message_ref == "@original") {
    target = r->pub.message_id ? r->pub.message_id : r->source_message;
  } else if (auto id = vb::json::parse_u64(message_ref)) {
    const bool mine = *id == r->pub.message_id || *id == r->source_message ||
                      std::find(r->pub.followups.begin(), r->pub.followups.end(), *id) != r->pub.followups.end();
    if (mine) target = *id;
  }
  auto* m = target ? c_.w.find_message(target) : nullptr;
  if (!m || m->deleted) return discord_error(404, discord_code::unknown_message, "Unknown Message");
  if (method == "GET") return json_response(200, message_json(c_.w, *m));
  if (method == "DELETE") {
    m->deleted = true;
    c_.act->message_deleted(*m);
    return net::http_response::empty(204);
  }
  if (method != "PATCH") return discord_error(405, 0, "405: Method Not Allowed");
  auto f = parse_message_body(body, false, response_flags);
  if (!f) return std::move(f).error();
  apply_message_fields(*m, *f);
  if (m->id == r->pub.message_id && r->deferred) {
    m->flags &= ~message_flag_loading;
    r->deferred = false;
  }
  stamp_edit(*m);
  c_.act->message_updated(*m);
  return json_response(200, message_json(c_.w, *m));
}

}  // namespace vb::fake::detail
