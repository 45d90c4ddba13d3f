#include "vectobeat/discord/discord_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "vectobeat/common/json.hpp"

namespace vb::discord {

namespace {

rest_error invalid_argument(const route& r, const model_failure& f) {
  return rest_error{rest_errc::invalid_argument, 0, 0, f.message(), {}, r.key()};
}

rest_error invalid_response(const route& r, std::string what) {
  return rest_error{rest_errc::invalid_response, 0, 0, std::move(what), {}, r.key()};
}

// Parses the body as one object with `parse`.
template <class T, class F>
rest_result<T> parse_object(const route& r, const std::string& body, F parse) {
  auto v = json::parse(body, {16u << 20, 64});
  if (!v || !v->is_object()) return unexpected(invalid_response(r, "expected a JSON object"));
  auto t = parse(v->get_object());
  if (!t) return unexpected(invalid_response(r, t.error().message()));
  return std::move(*t);
}

template <class T, class F>
rest_result<std::vector<T>> parse_array(const route& r, const std::string& body, F parse) {
  auto v = json::parse(body, {16u << 20, 64});
  if (!v || !v->is_array()) return unexpected(invalid_response(r, "expected a JSON array"));
  std::vector<T> out;
  for (const auto& e : v->get_array()) {
    if (!e.is_object()) continue;
    if (auto t = parse(e.get_object())) out.push_back(std::move(*t));
  }
  return out;
}

parsed<member> parse_member_result(const boost::json::object& o) { return parse_member(o); }

std::string id(snowflake s) { return s.str(); }

}  // namespace

task<rest_result<gateway_bot>> discord_api::get_gateway_bot() {
  auto r = make_route("GET", "/gateway/bot", {});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<gateway_bot>(r, resp->body, parse_gateway_bot);
}

task<rest_result<user>> discord_api::get_current_user() {
  auto r = make_route("GET", "/users/@me", {});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<user>(r, resp->body, parse_user);
}

task<rest_result<application>> discord_api::get_current_application() {
  auto r = make_route("GET", "/applications/@me", {});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<application>(r, resp->body, parse_application);
}

task<rest_result<std::vector<command_definition>>> discord_api::get_global_commands(snowflake app) {
  auto r = make_route("GET", "/applications/{application_id}/commands", {id(app)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_array<command_definition>(r, resp->body, parse_command);
}

task<rest_result<std::vector<command_definition>>> discord_api::bulk_overwrite_global_commands(
    snowflake app, std::vector<command_definition> commands) {
  auto r = make_route("PUT", "/applications/{application_id}/commands", {id(app)});
  if (auto v = validate(std::span<const command_definition>(commands)); !v) co_return unexpected(invalid_argument(r, v.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(to_json(std::span<const command_definition>(commands))));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_array<command_definition>(r, resp->body, parse_command);
}

task<rest_result<std::vector<command_definition>>> discord_api::get_guild_commands(snowflake app, snowflake guild) {
  auto r = make_route("GET", "/applications/{application_id}/guilds/{guild_id}/commands", {id(app), id(guild)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_array<command_definition>(r, resp->body, parse_command);
}

task<rest_result<std::vector<command_definition>>> discord_api::bulk_overwrite_guild_commands(
    snowflake app, snowflake guild, std::vector<command_definition> commands) {
  auto r = make_route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", {id(app), id(guild)});
  if (auto v = validate(std::span<const command_definition>(commands)); !v) co_return unexpected(invalid_argument(r, v.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(to_json(std::span<const command_definition>(commands))));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_array<command_definition>(r, resp->body, parse_command);
}

task<rest_result<void>> discord_api::create_interaction_response(snowflake interaction_id, std::string token,
                                                                 interaction_response response) {
  auto r = make_route("POST", "/interactions/{interaction_id}/{interaction_token}/callback", {id(interaction_id), token});
  auto body = to_json(response);
  if (!body) co_return unexpected(invalid_argument(r, body.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(*body));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return rest_result<void>();
}

namespace {
route webhook_route(std::string_view method, std::string_view tail, snowflake app, const std::string& token,
                     std::string_view message_id = {}) {
  if (tail == "/messages/@original")
    return make_route(method, "/webhooks/{application_id}/{interaction_token}/messages/@original", {app.str(), token});
  if (tail == "/messages")
    return make_route(method, "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                      {app.str(), token, message_id});
  return make_route(method, "/webhooks/{application_id}/{interaction_token}", {app.str(), token});
}
}  // namespace

task<rest_result<message>> discord_api::get_original_response(snowflake app, std::string token) {
  auto r = webhook_route("GET", "/messages/@original", app, token);
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<message>> discord_api::edit_original_response(snowflake app, std::string token, message_payload m) {
  auto r = webhook_route("PATCH", "/messages/@original", app, token);
  auto body = to_json(m);
  if (!body) co_return unexpected(invalid_argument(r, body.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(*body));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<void>> discord_api::delete_original_response(snowflake app, std::string token) {
  auto r = webhook_route("DELETE", "/messages/@original", app, token);
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return rest_result<void>();
}

task<rest_result<message>> discord_api::create_followup(snowflake app, std::string token, message_payload m) {
  auto r = webhook_route("POST", "", app, token);
  auto body = to_json(m);
  if (!body) co_return unexpected(invalid_argument(r, body.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(*body));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<message>> discord_api::edit_followup(snowflake app, std::string token, snowflake message_id,
                                                     message_payload m) {
  auto r = webhook_route("PATCH", "/messages", app, token, message_id.str());
  auto body = to_json(m);
  if (!body) co_return unexpected(invalid_argument(r, body.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(*body));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<void>> discord_api::delete_followup(snowflake app, std::string token, snowflake message_id) {
  auto r = webhook_route("DELETE", "/messages", app, token, message_id.str());
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return rest_result<void>();
}

task<rest_result<message>> discord_api::create_message(snowflake channel_id, message_payload m) {
  auto r = make_route("POST", "/channels/{channel_id}/messages", {id(channel_id)});
  auto body = to_json(m);
  if (!body) co_return unexpected(invalid_argument(r, body.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(*body));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<message>> discord_api::edit_message(snowflake channel_id, snowflake message_id, message_payload m) {
  auto r = make_route("PATCH", "/channels/{channel_id}/messages/{message_id}", {id(channel_id), id(message_id)});
  auto body = to_json(m);
  if (!body) co_return unexpected(invalid_argument(r, body.error()));
  auto resp = co_await rest_.request(r, boost::json::serialize(*body));
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<void>> discord_api::delete_message(snowflake channel_id, snowflake message_id) {
  auto r = make_route("DELETE", "/channels/{channel_id}/messages/{message_id}", {id(channel_id), id(message_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return rest_result<void>();
}

task<rest_result<message>> discord_api::get_message(snowflake channel_id, snowflake message_id) {
  auto r = make_route("GET", "/channels/{channel_id}/messages/{message_id}", {id(channel_id), id(message_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<message>(r, resp->body, parse_message);
}

task<rest_result<guild>> discord_api::get_guild(snowflake guild_id) {
  auto r = make_route("GET", "/guilds/{guild_id}", {id(guild_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<guild>(r, resp->body, parse_guild);
}

task<rest_result<channel>> discord_api::get_channel(snowflake channel_id) {
  auto r = make_route("GET", "/channels/{channel_id}", {id(channel_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<channel>(r, resp->body, parse_channel);
}

task<rest_result<std::vector<channel>>> discord_api::get_guild_channels(snowflake guild_id) {
  auto r = make_route("GET", "/guilds/{guild_id}/channels", {id(guild_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_array<channel>(r, resp->body, parse_channel);
}

task<rest_result<member>> discord_api::get_guild_member(snowflake guild_id, snowflake user_id) {
  auto r = make_route("GET", "/guilds/{guild_id}/members/{user_id}", {id(guild_id), id(user_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_object<member>(r, resp->body, parse_member_result);
}

task<rest_result<std::vector<role>>> discord_api::get_guild_roles(snowflake guild_id) {
  auto r = make_route("GET", "/guilds/{guild_id}/roles", {id(guild_id)});
  auto resp = co_await rest_.request(r, std::string());
  if (!resp) co_return unexpected(std::move(resp).error());
  co_return parse_array<role>(r, resp->body, parse_role);
}

}  // namespace vb::discord
