#include "rest_router.hpp"

#include <fmt/format.h>

#include <cmath>

#include "rate_limiter.hpp"
#include "rest_util.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {

constexpr std::string_view api_prefix = "/api/v10";
constexpr std::size_t max_rest_body_bytes = 1u << 20;

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_param(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

// A request value echoed in an error message: percent-decoded path segments may hold any
// bytes, and the answer must stay valid UTF-8 JSON, so bytes outside printable ASCII become
// '?' and long values are cut.
std::string echo_value(std::string_view v) {
  constexpr std::size_t max_echo = 64;
  std::string out(v.substr(0, max_echo));
  for (auto& ch : out)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
  if (v.size() > max_echo) out += "...";
  return out;
}

}  // namespace

const guild_rec* bot_guild(core& c, snowflake id) {
  auto* g = c.w.find_guild(id);
  return g && g->members.count(c.w.bot_id) ? g : nullptr;
}
net::http_response unknown_guild() { return discord_error(404, discord_code::unknown_guild, "Unknown Guild"); }
net::http_response unknown_channel() { return discord_error(404, discord_code::unknown_channel, "Unknown Channel"); }

rest_router::rest_router(core& c) : c_(c) {
  std::vector<route_def> defs;
  add_general_routes(defs);
  add_message_routes(defs);
  add_command_routes(defs);
  add_interaction_routes(defs);
  for (auto& d : defs) routes_.push_back({d, split(d.pattern), std::string(d.method) + " " + d.pattern});
}

net::http_response rest_router::handle(const net::http_request& req) {
  std::string_view path = req.path();
  path.remove_prefix(std::min(path.size(), api_prefix.size()));
  const auto segments = [&] {
    // Percent-decoded segments of the path after the prefix.
    auto all = req.path_segments();
    std::vector<std::string> out;
    for (std::size_t i = 2; i < all.size(); ++i)
      if (!all[i].empty()) out.push_back(all[i]);
    return out;
  }();
  std::string scope;
  auto finish = [&](net::http_response res) {
    c_.limits->record(res.status, scope);
    return res;
  };

  if (c_.opts.require_user_agent) {
    auto ua = req.headers.get("User-Agent").value_or("");
    if (!ua.starts_with("DiscordBot"))
      return finish(discord_error(400, 0, "User-Agent must look like 'DiscordBot ($url, $versionNumber)'"));
  }

  const compiled* match = nullptr;
  bool path_matched = false;
  std::map<std::string, std::string, std::less<>> params;
  for (auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    std::map<std::string, std::string, std::less<>> p;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (is_param(r.segments[i])) p[r.segments[i].substr(1, r.segments[i].size() - 2)] = segments[i];
      else ok = r.segments[i] == segments[i];
    }
    if (!ok) continue;
    path_matched = true;
    if (req.method != r.def.method) continue;
    match = &r;
    params = std::move(p);
    break;
  }
  if (!match)
    return finish(path_matched ? discord_error(405, 0, "405: Method Not Allowed")
                               : discord_error(404, 0, "404: Not Found"));
  const auto& def = match->def;

  if (def.auth) {
    auto auth = req.headers.get("Authorization").value_or("");
    if (auth != "Bot " + c_.opts.token) {
      static log::rate_limit limit;
      std::uint64_t suppressed = 0;
      if (limit.allow(suppressed))
        c_.log.warn("rest: unauthorized {} from {} ({} similar suppressed)", match->key,
                    req.remote_address, suppressed);
      return finish(discord_error(401, 0, "401: Unauthorized"));
    }
  }

  rest_request rr{req, std::move(params), {}, nullptr};
  for (auto& [name, value] : rr.params) {
    if (!name.ends_with("_id")) continue;
    auto id = vb::json::parse_u64(value);
    if (!id || *id == 0)
      return finish(form_error(name, "NUMBER_TYPE_COERCE", fmt::format("Value \"{}\" is not snowflake.", echo_value(value))));
    rr.ids[name] = *id;
  }

  std::string major;
  if (*def.major) {
    major = rr.param(def.major);
    if (std::string_view(def.major) == "application_id" && rr.params.count("guild_id")) major += "/" + rr.param("guild_id");
    if (std::string_view(def.major) == "webhook_token") major = rr.param("application_id") + "/" + major;
  }
  auto decision = c_.limits->check(match->key, def.bucket, def.limit, std::chrono::milliseconds(def.window_ms), major,
                                   def.interaction);
  if (!decision.allowed) {
    scope = decision.scope;
    json::object body{{"message", "You are being rate limited."},
                      {"retry_after", std::round(decision.retry_after * 1000) / 1000},
                      {"global", decision.global}};
    auto res = net::http_response::json(429, json::serialize(body));
    for (auto& [k, v] : decision.headers) res.headers.set(k, v);
    return finish(std::move(res));
  }

  if (!req.body.empty()) {
    auto ct = req.headers.get("Content-Type").value_or("");
    if (ct.starts_with("multipart/"))
      return finish(discord_error(400, 0, "multipart bodies (file uploads) are not supported by the fake Discord"));
    auto parsed = vb::json::parse(req.body, {max_rest_body_bytes, max_json_depth});
    if (!parsed) return finish(discord_error(400, discord_code::invalid_json, "The request body contains invalid JSON."));
    rr.body = std::move(*parsed);
  }

  auto res = def.fn(c_, rr);
  for (auto& [k, v] : decision.headers) res.headers.set(k, v);
  return finish(std::move(res));
}

}  // namespace vb::fake::detail
