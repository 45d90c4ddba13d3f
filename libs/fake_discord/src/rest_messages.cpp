// REST: channel messages (create, read, list, edit, delete).
#include "actions.hpp"
#include "rest_router.hpp"
#include "rest_util.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {

constexpr std::uint64_t create_flags = flag_suppress_embeds | flag_suppress_notifications | flag_components_v2;

bool text_capable(channel_type t) { return t == channel_type::guild_text || t == channel_type::guild_voice || t == channel_type::guild_stage_voice; }

// The channel, when the bot can see it; otherwise the error to answer with.
expected<const channel*, net::http_response> visible_channel(core& c, const rest_request& r) {
  auto* ch = c.w.find_channel(r.id("channel_id"));
  if (!ch) return unexpected(unknown_channel());
  auto* g = bot_guild(c, ch->guild_id);
  if (!g) return unexpected(discord_error(403, discord_code::missing_access, "Missing Access"));
  if (!(c.w.permissions(*g, c.w.bot_id) & permission::view_channel))
    return unexpected(discord_error(403, discord_code::missing_access, "Missing Access"));
  return ch;
}

message* channel_message(core& c, const rest_request& r) {
  auto* m = c.w.find_message(r.id("message_id"));
  if (!m || m->deleted || m->channel_id != r.id("channel_id")) return nullptr;
  return m;
}

net::http_response unknown_message() { return discord_error(404, discord_code::unknown_message, "Unknown Message"); }

net::http_response create_message(core& c, const rest_request& r) {
  auto ch = visible_channel(c, r);
  if (!ch) return std::move(ch).error();
  if (!text_capable((*ch)->type)) return discord_error(400, discord_code::non_text_channel, "Cannot send messages in a non-text channel");
  auto* g = c.w.find_guild((*ch)->guild_id);
  if (!(c.w.permissions(*g, c.w.bot_id) & permission::send_messages))
    return discord_error(403, discord_code::missing_permissions, "Missing Permissions");
  auto f = parse_message_body(r.body, true, create_flags);
  if (!f) return std::move(f).error();
  message m;
  m.id = c.w.new_id();
  m.channel_id = (*ch)->id;
  m.guild_id = (*ch)->guild_id;
  m.author_id = c.w.bot_id;
  m.timestamp = c.w.now();
  if (r.body.is_object() && vb::json::get_object(r.body.get_object(), "message_reference")) m.type = 19;
  apply_message_fields(m, *f);
  auto& stored = c.act->post_message(std::move(m));
  return json_response(200, message_json(c.w, stored));
}

net::http_response get_message(core& c, const rest_request& r) {
  auto ch = visible_channel(c, r);
  if (!ch) return std::move(ch).error();
  auto* m = channel_message(c, r);
  if (!m || m->ephemeral()) return unknown_message();
  return json_response(200, message_json(c.w, *m));
}

net::http_response list_messages(core& c, const rest_request& r) {
  auto ch = visible_channel(c, r);
  if (!ch) return std::move(ch).error();
  auto limit = vb::json::parse_i64(r.http.query_param("limit").value_or("50")).value_or(-1);
  if (limit < 1 || limit > 100) return form_error("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100.");
  const snowflake before = vb::json::parse_u64(r.http.query_param("before").value_or("0")).value_or(0);
  const snowflake after = vb::json::parse_u64(r.http.query_param("after").value_or("0")).value_or(0);
  json::array out;  // newest first, as Discord returns them
  if (auto* ids = c.w.channel_message_ids((*ch)->id))
    for (auto it = ids->rbegin(); it != ids->rend() && static_cast<std::int64_t>(out.size()) < limit; ++it) {
      auto* m = c.w.find_message(*it);
      if (!m || m->deleted || m->ephemeral()) continue;
      if ((before && m->id >= before) || (after && m->id <= after)) continue;
      out.push_back(message_json(c.w, *m));
    }
  return json_response(200, out);
}

net::http_response edit_message(core& c, const rest_request& r) {
  auto ch = visible_channel(c, r);
  if (!ch) return std::move(ch).error();
  auto* m = channel_message(c, r);
  if (!m || m->ephemeral()) return unknown_message();
  if (m->author_id != c.w.bot_id)
    return discord_error(403, discord_code::cannot_edit_other_user, "Cannot edit a message authored by another user");
  auto f = parse_message_body(r.body, false, create_flags);
  if (!f) return std::move(f).error();
  apply_message_fields(*m, *f);
  m->edited_timestamp = c.w.now();
  ++m->edits;
  c.act->message_updated(*m);
  return json_response(200, message_json(c.w, *m));
}

net::http_response delete_message(core& c, const rest_request& r) {
  auto ch = visible_channel(c, r);
  if (!ch) return std::move(ch).error();
  auto* m = channel_message(c, r);
  if (!m || m->ephemeral()) return unknown_message();
  m->deleted = true;
  c.act->message_deleted(*m);
  return net::http_response::empty(204);
}

}  // namespace

void add_message_routes(std::vector<route_def>& r) {
  r.push_back({"GET", "/channels/{channel_id}/messages", "messages-read", 50, 1000, "channel_id", true, false, list_messages});
  r.push_back({"POST", "/channels/{channel_id}/messages", "messages-create", 5, 5000, "channel_id", true, false, create_message});
  r.push_back({"GET", "/channels/{channel_id}/messages/{message_id}", "messages-read", 50, 1000, "channel_id", true, false, get_message});
  r.push_back({"PATCH", "/channels/{channel_id}/messages/{message_id}", "messages-edit", 5, 5000, "channel_id", true, false, edit_message});
  r.push_back({"DELETE", "/channels/{channel_id}/messages/{message_id}", "messages-delete", 5, 5000, "channel_id", true, false, delete_message});
}

}  // namespace vb::fake::detail
