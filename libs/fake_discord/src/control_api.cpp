#include "control_api.hpp"

#include <boost/json/serialize.hpp>

#include "actions.hpp"
#include "gateway.hpp"
#include "interactions.hpp"
#include "rate_limiter.hpp"
#include "voice_server.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;
using net::http_response;

namespace {

http_response ok(const json::value& v, int status = 200) { return http_response::json(status, json::serialize(v)); }
http_response bad(const net::http_request& req, std::string message) {
  return http_response::error(400, std::move(message), std::string(req.path()));
}
http_response not_found(const net::http_request& req, std::string message) {
  return http_response::error(404, std::move(message), std::string(req.path()));
}
http_response from_error(const net::http_request& req, std::error_code ec) {
  const bool missing = ec == fake_error::unknown_guild || ec == fake_error::unknown_channel || ec == fake_error::unknown_user ||
                       ec == fake_error::unknown_role || ec == fake_error::unknown_message ||
                       ec == fake_error::unknown_interaction || ec == fake_error::unknown_connection ||
                       ec == fake_error::unknown_command;
  return http_response::error(missing ? 404 : 400, ec.message(), std::string(req.path()));
}

std::optional<snowflake> id_of(const json::object& o, std::string_view key) { return vb::json::get_snowflake(o, key); }

std::optional<channel_type> parse_channel_type(const json::value* v) {
  if (!v) return channel_type::guild_text;
  if (v->is_string()) {
    auto s = v->get_string();
    if (s == "text") return channel_type::guild_text;
    if (s == "voice") return channel_type::guild_voice;
    if (s == "stage") return channel_type::guild_stage_voice;
    if (s == "category") return channel_type::guild_category;
    return std::nullopt;
  }
  if (v->is_int64()) {
    switch (v->get_int64()) {
      case 0: return channel_type::guild_text;
      case 2: return channel_type::guild_voice;
      case 4: return channel_type::guild_category;
      case 13: return channel_type::guild_stage_voice;
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_permissions(const json::object& o) {
  auto* v = vb::json::find(o, "permissions");
  if (!v) return 0;
  if (v->is_string()) return vb::json::parse_u64(v->get_string()).value_or(0);
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

json::value opt_time(const std::optional<system_time>& t) { return t ? json::value(iso8601(*t)) : json::value(nullptr); }

}  // namespace

// ---------------------------------------------------------------- JSON of the model

json::object to_json(const voice_state& v) {
  return json::object{{"guild_id", id_string(v.guild_id)}, {"user_id", id_string(v.user_id)},
                      {"channel_id", v.channel_id ? json::value(id_string(v.channel_id)) : json::value(nullptr)},
                      {"session_id", v.session_id}, {"self_mute", v.self_mute}, {"self_deaf", v.self_deaf}};
}

json::object to_json(const guild& g) {
  json::array channels, roles, members, voice;
  for (auto& c : g.channels) channels.push_back(channel_json(c));
  for (auto& r : g.roles) roles.push_back(role_json(r));
  for (auto& m : g.members) {
    json::array mr;
    for (auto r : m.roles) mr.push_back(json::value(id_string(r)));
    members.push_back(json::object{{"user_id", id_string(m.user_id)}, {"roles", std::move(mr)}});
  }
  for (auto& v : g.voice_states) voice.push_back(to_json(v));
  return json::object{{"id", id_string(g.id)},     {"name", g.name},          {"owner_id", id_string(g.owner_id)},
                      {"channels", std::move(channels)}, {"roles", std::move(roles)}, {"members", std::move(members)},
                      {"voice_states", std::move(voice)}};
}

json::object to_json(const message& m) {
  return json::object{{"id", id_string(m.id)},
                      {"channel_id", id_string(m.channel_id)},
                      {"guild_id", id_string(m.guild_id)},
                      {"author_id", id_string(m.author_id)},
                      {"type", m.type},
                      {"content", m.content},
                      {"embeds", m.embeds},
                      {"components", m.components},
                      {"flags", m.flags},
                      {"ephemeral", m.ephemeral()},
                      {"loading", (m.flags & message_flag_loading) != 0},
                      {"interaction_id", m.interaction_id ? json::value(id_string(m.interaction_id)) : json::value(nullptr)},
                      {"timestamp", iso8601(m.timestamp)},
                      {"edited_timestamp", opt_time(m.edited_timestamp)},
                      {"edits", m.edits},
                      {"deleted", m.deleted}};
}

json::object to_json(const interaction& i) {
  json::array followups;
  for (auto f : i.followups) followups.push_back(json::value(id_string(f)));
  return json::object{
      {"id", id_string(i.id)},
      {"token", i.token},
      {"type", static_cast<int>(i.type)},
      {"guild_id", id_string(i.guild_id)},
      {"channel_id", id_string(i.channel_id)},
      {"user_id", id_string(i.user_id)},
      {"name", i.name},
      {"data", i.data},
      {"callback_type", i.callback_type ? json::value(*i.callback_type) : json::value(nullptr)},
      {"callback_data", i.callback_data},
      {"response_time_ms", i.response_time ? json::value(i.response_time->count()) : json::value(nullptr)},
      {"expired", i.expired},
      {"message_id", i.message_id ? json::value(id_string(i.message_id)) : json::value(nullptr)},
      {"followups", std::move(followups)},
      {"last_rejection", i.last_rejection}};
}

json::object to_json(const voice_connection_info& v) {
  const auto& s = v.stats;
  json::object stats{{"packets", s.packets},
                     {"bytes", s.bytes},
                     {"lost", s.lost},
                     {"duplicates", s.duplicates},
                     {"out_of_order", s.out_of_order},
                     {"decrypt_failures", s.decrypt_failures},
                     {"invalid_opus", s.invalid_opus},
                     {"silence_frames", s.silence_frames},
                     {"keep_alives", s.keep_alives},
                     {"before_speaking", s.before_speaking},
                     {"truncated", s.truncated},
                     {"jitter_p50_ms", s.jitter_p50_ms},
                     {"jitter_p99_ms", s.jitter_p99_ms},
                     {"lateness_p50_ms", s.lateness_p50_ms},
                     {"lateness_p99_ms", s.lateness_p99_ms},
                     {"speaking", s.speaking},
                     {"recorded_ms", s.recorded.count()}};
  return json::object{{"id", v.id},
                      {"guild_id", id_string(v.guild_id)},
                      {"channel_id", id_string(v.channel_id)},
                      {"user_id", id_string(v.user_id)},
                      {"ssrc", v.ssrc},
                      {"mode", v.mode},
                      {"max_dave_protocol_version", v.max_dave_protocol_version},
                      {"ready", v.ready},
                      {"open", v.open},
                      {"ended", v.ended},
                      {"resumes", v.resumes},
                      {"close_code", v.close_code ? json::value(*v.close_code) : json::value(nullptr)},
                      {"stats", std::move(stats)}};
}

json::object to_json(const gateway_session_info& s) {
  return json::object{{"session_id", s.session_id}, {"shard", s.shard},          {"num_shards", s.num_shards},
                      {"intents", s.intents},       {"seq", s.seq},              {"connected", s.connected},
                      {"compression", s.compression}, {"resumes", s.resumes}};
}

// ---------------------------------------------------------------- routes

task<json::value> control_api::wait_interaction(snowflake id, std::chrono::milliseconds wait) {
  const auto deadline = c_.clk.now() + wait;
  for (;;) {
    const auto* r = c_.ix->find(id);
    if (!r) co_return nullptr;
    auto snap = c_.ix->snapshot(*r);
    if (snap.callback_type || snap.expired || c_.clk.now() >= deadline || c_.stopped) co_return to_json(snap);
    co_await c_.wait_change(deadline);
  }
}

task<http_response> control_api::interaction_call(const net::http_request& req, const std::string& kind,
                                                  const json::object& b) {
  expected<interaction, std::error_code> started = unexpected(make_error_code(fake_error::invalid_argument));
  if (kind == "commands" || kind == "autocomplete") {
    command_invocation inv;
    inv.guild_id = id_of(b, "guild_id").value_or(c_.demo ? c_.demo->guild : 0);
    inv.channel_id = id_of(b, "channel_id").value_or(c_.demo ? c_.demo->general : 0);
    inv.user_id = id_of(b, "user_id").value_or(0);
    inv.name = std::string(vb::json::get_string(b, "name").value_or(""));
    if (auto* raw = vb::json::get_array(b, "raw_options")) inv.raw_options = *raw;
    if (auto* opts = vb::json::get_array(b, "options"))
      for (auto& o : *opts) {
        auto* oo = o.if_object();
        if (!oo || !vb::json::get_string(*oo, "name") || !vb::json::find(*oo, "value"))
          co_return bad(req, "each option needs a name and a value");
        command_option opt;
        opt.name = std::string(*vb::json::get_string(*oo, "name"));
        opt.value = *vb::json::find(*oo, "value");
        opt.type = static_cast<int>(vb::json::get_int(*oo, "type").value_or(0));
        opt.focused = vb::json::get_bool(*oo, "focused").value_or(false);
        inv.options.push_back(std::move(opt));
      }
    started = c_.ix->start_command(inv, kind == "commands" ? interaction_type::application_command : interaction_type::autocomplete);
  } else if (kind == "components") {
    component_invocation inv;
    inv.message_id = id_of(b, "message_id").value_or(0);
    inv.user_id = id_of(b, "user_id").value_or(0);
    inv.custom_id = std::string(vb::json::get_string(b, "custom_id").value_or(""));
    if (auto* values = vb::json::get_array(b, "values"))
      for (auto& v : *values)
        if (v.is_string()) inv.values.emplace_back(v.get_string());
    started = c_.ix->start_component(inv);
  } else if (kind == "modals") {
    modal_submission m;
    m.interaction_id = id_of(b, "interaction_id").value_or(0);
    m.user_id = id_of(b, "user_id").value_or(0);
    if (auto* values = vb::json::get_object(b, "values"))
      for (auto& [k, v] : *values)
        if (v.is_string()) m.values.emplace_back(std::string(k), std::string(v.get_string()));
    started = c_.ix->start_modal_submit(m);
  } else {
    co_return not_found(req, "unknown interaction kind");
  }
  if (!started) co_return from_error(req, started.error());
  c_.notify();
  std::chrono::milliseconds wait{0};
  if (auto* w = vb::json::find(b, "wait")) {
    if (w->is_bool() && w->get_bool()) wait = c_.opts.interaction_deadline + std::chrono::seconds(1);
    else if (w->is_int64() && w->get_int64() > 0) wait = std::chrono::milliseconds(std::min<std::int64_t>(w->get_int64(), 60'000));
  }
  if (wait.count() == 0) co_return ok(to_json(*started), 201);
  auto j = co_await wait_interaction(started->id, wait);
  co_return ok(j, 201);
}

task<http_response> control_api::handle(net::http_request req) {
  auto seg = req.path_segments();
  seg.erase(seg.begin(), seg.begin() + std::min<std::size_t>(2, seg.size()));  // "control", "v1"
  std::erase(seg, std::string());
  const std::string& m = req.method;
  json::object body;
  if (!req.body.empty()) {
    auto parsed = vb::json::parse(req.body, {1u << 20, 32});
    if (!parsed || !parsed->is_object()) co_return bad(req, "the body must be a JSON object");
    body = parsed->get_object();
  }
  auto seg_id = [&](std::size_t i) -> std::optional<snowflake> {
    return i < seg.size() ? vb::json::parse_u64(seg[i]) : std::nullopt;
  };
  const std::size_t n = seg.size();
  c_.notify();

  if (n == 1 && seg[0] == "info" && m == "GET") {
    json::object o{{"rest", c_.http_base() + "/api/v10"}, {"gateway", c_.gateway_url()}, {"control", c_.http_base() + "/control/v1"},
                   {"voice_endpoint", c_.voice_endpoint()}, {"voice_tls", c_.opts.voice_tls}, {"voice_udp_port", c_.voice->udp_port()},
                   {"ca_file", c_.voice->ca_file()}, {"application_id", id_string(c_.w.application_id)},
                   {"bot_user_id", id_string(c_.w.bot_id)}};
    if (c_.demo) {
      auto& d = *c_.demo;
      o["demo"] = json::object{{"guild", id_string(d.guild)}, {"general", id_string(d.general)}, {"music", id_string(d.music)},
                               {"lounge", id_string(d.lounge)}, {"dj_role", id_string(d.dj_role)}, {"alice", id_string(d.alice)},
                               {"bob", id_string(d.bob)}, {"carol", id_string(d.carol)}};
    }
    co_return ok(o);
  }
  if (n == 1 && seg[0] == "users" && m == "POST") {
    auto name = vb::json::get_string(body, "username");
    if (!name || name->empty() || name->size() > 32) co_return bad(req, "username: 1-32 characters required");
    co_return ok(json::object{{"id", id_string(c_.act->create_user(std::string(*name), vb::json::get_bool(body, "bot").value_or(false)))}}, 201);
  }
  if (n >= 1 && seg[0] == "guilds") {
    if (n == 1 && m == "GET") {
      json::array out;
      for (auto& [id, g] : c_.w.guilds()) out.push_back(json::object{{"id", id_string(id)}, {"name", g.name}});
      co_return ok(out);
    }
    if (n == 1 && m == "POST") {
      auto name = vb::json::get_string(body, "name");
      if (!name || name->empty() || name->size() > 100) co_return bad(req, "name: 1-100 characters required");
      const snowflake owner = id_of(body, "owner_id").value_or(0);
      if (owner && !c_.w.find_user(owner)) co_return not_found(req, "unknown owner");
      co_return ok(json::object{{"id", id_string(c_.act->create_guild(std::string(*name), owner))}}, 201);
    }
    auto gid = seg_id(1);
    if (!gid) co_return not_found(req, "no such route");
    if (n == 2 && m == "GET") {
      auto* g = c_.w.find_guild(*gid);
      if (!g) co_return not_found(req, "unknown guild");
      co_return ok(to_json(c_.w.snapshot(*g)));
    }
    if (n == 3 && seg[2] == "channels" && m == "POST") {
      auto type = parse_channel_type(vb::json::find(body, "type"));
      if (!type) co_return bad(req, "type: text, voice, stage, category or a Discord channel type");
      auto r = c_.act->create_channel(*gid, std::string(vb::json::get_string(body, "name").value_or("")), *type,
                                      static_cast<int>(vb::json::get_int(body, "user_limit").value_or(0)));
      if (!r) co_return from_error(req, r.error());
      co_return ok(json::object{{"id", id_string(*r)}}, 201);
    }
    if (n == 3 && seg[2] == "roles" && m == "POST") {
      auto perms = parse_permissions(body);
      if (!perms) co_return bad(req, "permissions: a decimal string or a non-negative integer");
      auto r = c_.act->create_role(*gid, std::string(vb::json::get_string(body, "name").value_or("")), *perms);
      if (!r) co_return from_error(req, r.error());
      co_return ok(json::object{{"id", id_string(*r)}}, 201);
    }
    if (n == 4 && seg[2] == "members" && seg_id(3)) {
      std::error_code ec;
      if (m == "PUT") {
        std::vector<snowflake> roles;
        if (auto* arr = vb::json::get_array(body, "roles"))
          for (auto& v : *arr)
            if (auto id = v.is_string() ? vb::json::parse_u64(v.get_string()) : std::nullopt) roles.push_back(*id);
        ec = c_.act->add_member(*gid, *seg_id(3), std::move(roles));
      } else if (m == "DELETE") {
        ec = c_.act->remove_member(*gid, *seg_id(3));
      } else {
        co_return http_response::error(405, "method not allowed", std::string(req.path()));
      }
      if (ec) co_return from_error(req, ec);
      co_return http_response::empty(204);
    }
    if (n == 4 && seg[2] == "voice" && seg_id(3) && m == "PUT") {
      snowflake channel = 0;
      if (auto* v = vb::json::find(body, "channel_id"); v && !v->is_null()) {
        auto id = id_of(body, "channel_id");
        if (!id) co_return bad(req, "channel_id: a snowflake or null");
        channel = *id;
      }
      auto ec = c_.act->set_user_voice(*gid, *seg_id(3), channel, vb::json::get_bool(body, "self_mute").value_or(false),
                                       vb::json::get_bool(body, "self_deaf").value_or(false));
      if (ec) co_return from_error(req, ec);
      co_return http_response::empty(204);
    }
  }
  if (n == 3 && seg[0] == "channels" && seg[2] == "messages" && m == "GET" && seg_id(1)) {
    json::array out;
    for (auto& msg : c_.w.channel_messages(*seg_id(1))) out.push_back(to_json(msg));
    co_return ok(out);
  }
  if (n == 1 && seg[0] == "commands" && m == "GET") {
    const snowflake guild = req.query_param("guild_id") ? vb::json::parse_u64(*req.query_param("guild_id")).value_or(0) : 0;
    json::array out;
    if (auto* list = c_.w.find_commands(guild))
      for (auto& cmd : *list) out.push_back(cmd.definition);
    co_return ok(out);
  }
  if (n == 2 && seg[0] == "interactions" && m == "POST") co_return co_await interaction_call(req, seg[1], body);
  if (n == 2 && seg[0] == "interactions" && m == "GET" && seg_id(1)) {
    auto wait = std::chrono::milliseconds(
        std::clamp<std::int64_t>(vb::json::parse_i64(req.query_param("wait_ms").value_or("0")).value_or(0), 0, 60'000));
    auto j = co_await wait_interaction(*seg_id(1), wait);
    if (j.is_null()) co_return not_found(req, "unknown interaction");
    co_return ok(j);
  }
  if (n >= 1 && seg[0] == "gateway") {
    if (n == 2 && seg[1] == "sessions" && m == "GET") {
      json::array out;
      for (auto& s : c_.gw->sessions()) out.push_back(to_json(s));
      co_return ok(out);
    }
    if (n == 4 && seg[1] == "shards" && seg[3] == "faults" && m == "POST") {
      auto shard = vb::json::parse_i64(seg[2]);
      auto type = vb::json::get_string(body, "type").value_or("");
      gateway_fault f;
      if (type == "abort") f = gateway_fault::abort_tcp;
      else if (type == "close") f = gateway_fault::close;
      else if (type == "reconnect") f = gateway_fault::reconnect;
      else if (type == "invalid_session")
        f = vb::json::get_bool(body, "resumable").value_or(false) ? gateway_fault::invalid_session_resumable : gateway_fault::invalid_session;
      else co_return bad(req, "type: abort, close, reconnect or invalid_session");
      if (!shard) co_return bad(req, "shard must be an integer");
      auto code = vb::json::get_int(body, "code").value_or(4000);
      if (code < 1000 || code > 4999) co_return bad(req, "code: 1000-4999");
      const int affected = c_.gw->inject_fault(static_cast<int>(*shard), f, static_cast<std::uint16_t>(code));
      co_return ok(json::object{{"affected", affected}});
    }
    if (n == 2 && seg[1] == "heartbeat-acks" && m == "POST") {
      c_.gw->stall_heartbeat_acks(static_cast<int>(vb::json::get_int(body, "shard").value_or(-1)),
                                  vb::json::get_bool(body, "stalled").value_or(true));
      co_return http_response::empty(204);
    }
    if (n == 2 && seg[1] == "dispatch" && m == "POST") {
      auto event = vb::json::get_string(body, "event");
      auto* d = vb::json::find(body, "d");
      if (!event || event->empty() || !d) co_return bad(req, "event and d are required");
      c_.gw->dispatch_guild(id_of(body, "guild_id").value_or(0), *event, *d, 0);
      co_return http_response::empty(204);
    }
  }
  if (n >= 2 && seg[0] == "rest") {
    if (seg[1] == "stats" && m == "GET") {
      auto s = c_.limits->stats();
      co_return ok(json::object{{"requests", s.requests}, {"rate_limited", s.rate_limited},
                                {"invalid_requests", s.invalid_requests}, {"unauthorized", s.unauthorized}});
    }
    if (seg[1] == "rate-limits" && m == "POST") {
      rate_limit_fault f;
      f.route = std::string(vb::json::get_string(body, "route").value_or("*"));
      f.count = static_cast<int>(vb::json::get_int(body, "count").value_or(1));
      f.retry_after = vb::json::get_number(body, "retry_after").value_or(1.0);
      f.scope = std::string(vb::json::get_string(body, "scope").value_or("user"));
      if (f.scope != "user" && f.scope != "global" && f.scope != "shared") co_return bad(req, "scope: user, global or shared");
      if (f.count < 1 || f.retry_after < 0 || f.retry_after > 3600) co_return bad(req, "count >= 1, 0 <= retry_after <= 3600");
      c_.limits->force(f);
      co_return http_response::empty(204);
    }
    if (seg[1] == "limits" && m == "PUT") {
      route_limit l;
      l.route = std::string(vb::json::get_string(body, "route").value_or(""));
      l.limit = static_cast<int>(vb::json::get_int(body, "limit").value_or(0));
      l.window = std::chrono::milliseconds(vb::json::get_int(body, "window_ms").value_or(0));
      if (l.route.empty() || l.limit < 1 || l.window.count() < 1) co_return bad(req, "route, limit >= 1 and window_ms >= 1 are required");
      c_.limits->set_limit(l);
      co_return http_response::empty(204);
    }
  }
  if (n >= 2 && seg[0] == "voice") {
    if (seg[1] == "connections" && n == 2 && m == "GET") {
      json::array out;
      for (auto& v : c_.voice->connections()) out.push_back(to_json(v));
      co_return ok(out);
    }
    if (seg[1] == "connections" && n >= 3) {
      auto id = vb::json::parse_u64(seg[2]);
      if (!id) co_return not_found(req, "unknown connection");
      if (n == 3 && m == "GET") {
        auto info = c_.voice->connection(*id);
        if (!info) co_return not_found(req, "unknown connection");
        co_return ok(to_json(*info));
      }
      if (n == 4 && seg[3] == "close" && m == "POST") {
        auto code = vb::json::get_int(body, "code").value_or(4014);
        if (code < 1000 || code > 4999) co_return bad(req, "code: 1000-4999");
        auto ec = c_.voice->close_connection(*id, static_cast<std::uint16_t>(code));
        if (ec) co_return from_error(req, ec);
        co_return http_response::empty(204);
      }
    }
    if (seg[1] == "guilds" && n == 4 && seg[3] == "move" && m == "POST" && seg_id(2)) {
      auto ec = c_.act->move_voice_server(*seg_id(2));
      if (ec) co_return from_error(req, ec);
      co_return http_response::empty(204);
    }
  }
  co_return not_found(req, "no such control route");
}

}  // namespace vb::fake::detail
