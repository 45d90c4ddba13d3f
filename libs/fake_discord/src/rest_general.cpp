// REST: gateway discovery, users, application, and guild/channel/member/role reads.
#include "gateway.hpp"
#include "rest_router.hpp"
#include "rest_util.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {

net::http_response get_gateway(core& c, const rest_request&) {
  return json_response(200, json::object{{"url", c.gateway_url()}});
}

net::http_response get_gateway_bot(core& c, const rest_request&) {
  const int used = c.gw->session_starts();
  json::object limit{{"total", c.opts.session_start_total},
                     {"remaining", std::max(0, c.opts.session_start_total - used)},
                     {"reset_after", 86'400'000},
                     {"max_concurrency", c.opts.max_concurrency}};
  return json_response(200, json::object{{"url", c.gateway_url()},
                                         {"shards", c.opts.recommended_shards},
                                         {"session_start_limit", std::move(limit)}});
}

net::http_response get_me(core& c, const rest_request&) {
  auto* u = c.w.find_user(c.w.bot_id);
  auto o = user_json(*u);
  o["verified"] = true;
  o["mfa_enabled"] = false;
  o["email"] = nullptr;
  o["locale"] = "en-US";
  return json_response(200, o);
}

net::http_response get_user(core& c, const rest_request& r) {
  auto* u = c.w.find_user(r.id("user_id"));
  if (!u) return discord_error(404, discord_code::unknown_user, "Unknown User");
  return json_response(200, user_json(*u));
}

net::http_response get_application(core& c, const rest_request&) {
  auto* bot = c.w.find_user(c.w.bot_id);
  json::object o{{"id", id_string(c.w.application_id)},
                 {"name", bot->username},
                 {"icon", nullptr},
                 {"description", "VectoBeat on the fake Discord"},
                 {"summary", ""},
                 {"bot_public", true},
                 {"bot_require_code_grant", false},
                 {"verify_key", "0000000000000000000000000000000000000000000000000000000000000000"},
                 {"flags", 0},
                 {"team", nullptr},
                 {"bot", user_json(*bot)},
                 {"guild_count", c.w.guilds().size()}};
  return json_response(200, o);
}

net::http_response get_guild(core& c, const rest_request& r) {
  auto* g = bot_guild(c, r.id("guild_id"));
  if (!g) return unknown_guild();
  auto o = guild_json(c.w, *g);
  if (r.http.query_param("with_counts") == "true") {
    o["approximate_member_count"] = g->members.size();
    o["approximate_presence_count"] = 0;
  }
  return json_response(200, o);
}

net::http_response get_guild_channels(core& c, const rest_request& r) {
  auto* g = bot_guild(c, r.id("guild_id"));
  if (!g) return unknown_guild();
  json::array out;
  for (auto id : g->channels)
    if (auto* ch = c.w.find_channel(id)) out.push_back(channel_json(*ch));
  return json_response(200, out);
}

net::http_response get_guild_roles(core& c, const rest_request& r) {
  auto* g = bot_guild(c, r.id("guild_id"));
  if (!g) return unknown_guild();
  json::array out;
  for (auto& role : g->roles) out.push_back(role_json(role));
  return json_response(200, out);
}

net::http_response get_member(core& c, const rest_request& r) {
  auto* g = bot_guild(c, r.id("guild_id"));
  if (!g) return unknown_guild();
  auto it = g->members.find(r.id("user_id"));
  if (it == g->members.end()) return discord_error(404, discord_code::unknown_member, "Unknown Member");
  return json_response(200, member_json(c.w, *g, it->second, true));
}

net::http_response list_members(core& c, const rest_request& r) {
  auto* g = bot_guild(c, r.id("guild_id"));
  if (!g) return unknown_guild();
  auto limit = vb::json::parse_i64(r.http.query_param("limit").value_or("1")).value_or(-1);
  if (limit < 1 || limit > 1000) return form_error("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 1000.");
  const snowflake after = vb::json::parse_u64(r.http.query_param("after").value_or("0")).value_or(0);
  json::array out;
  for (auto it = g->members.upper_bound(after); it != g->members.end() && static_cast<std::int64_t>(out.size()) < limit; ++it)
    out.push_back(member_json(c.w, *g, it->second, true));
  return json_response(200, out);
}

net::http_response get_voice_state(core& c, const rest_request& r) {
  auto* g = bot_guild(c, r.id("guild_id"));
  if (!g) return unknown_guild();
  const snowflake user = r.params.count("user_id") ? r.id("user_id") : c.w.bot_id;
  auto it = g->voice_states.find(user);
  if (it == g->voice_states.end()) return discord_error(404, 10065, "Unknown Voice State");
  return json_response(200, voice_state_json(c.w, *g, it->second, true));
}

net::http_response get_channel(core& c, const rest_request& r) {
  auto* ch = c.w.find_channel(r.id("channel_id"));
  if (!ch || !bot_guild(c, ch->guild_id)) return unknown_channel();
  return json_response(200, channel_json(*ch));
}

}  // namespace

void add_general_routes(std::vector<route_def>& r) {
  r.push_back({"GET", "/gateway", "gateway", 50, 1000, "", false, false, get_gateway});
  r.push_back({"GET", "/gateway/bot", "gateway-bot", 50, 1000, "", true, false, get_gateway_bot});
  r.push_back({"GET", "/users/@me", "users-me", 50, 1000, "", true, false, get_me});
  r.push_back({"GET", "/users/{user_id}", "users", 50, 1000, "", true, false, get_user});
  r.push_back({"GET", "/applications/@me", "application", 50, 1000, "", true, false, get_application});
  r.push_back({"GET", "/oauth2/applications/@me", "application", 50, 1000, "", true, false, get_application});
  r.push_back({"GET", "/guilds/{guild_id}", "guild", 50, 1000, "guild_id", true, false, get_guild});
  r.push_back({"GET", "/guilds/{guild_id}/channels", "guild-channels", 50, 1000, "guild_id", true, false, get_guild_channels});
  r.push_back({"GET", "/guilds/{guild_id}/roles", "guild-roles", 50, 1000, "guild_id", true, false, get_guild_roles});
  r.push_back({"GET", "/guilds/{guild_id}/members", "guild-members", 10, 10000, "guild_id", true, false, list_members});
  r.push_back({"GET", "/guilds/{guild_id}/members/{user_id}", "guild-member", 50, 1000, "guild_id", true, false, get_member});
  r.push_back({"GET", "/guilds/{guild_id}/voice-states/@me", "voice-state", 50, 1000, "guild_id", true, false, get_voice_state});
  r.push_back({"GET", "/guilds/{guild_id}/voice-states/{user_id}", "voice-state", 50, 1000, "guild_id", true, false, get_voice_state});
  r.push_back({"GET", "/channels/{channel_id}", "channel", 50, 1000, "channel_id", true, false, get_channel});
}

}  // namespace vb::fake::detail
