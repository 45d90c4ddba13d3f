// The REST half of vb::llc::node (lavalink-v4.md §2-§3): every call carries the password
// in `Authorization`; 4xx/5xx answers become rest_error with the node's message.
#include <boost/json/array.hpp>

#include "node_impl.hpp"
#include "vectobeat/lavalink/error_response.hpp"

namespace vb::llc {

namespace {

template <class T>
expected<T, rest_error> decode(const net::http_response& r, std::string_view what) {
  auto parsed = lavalink::parse_json<T>(r.body);
  if (!parsed) return unexpected(rest_error{client_errc::invalid_response, r.status, std::string(what) + ": " + parsed.error()});
  return std::move(*parsed);
}

template <class T>
expected<std::vector<T>, rest_error> decode_array(const net::http_response& r, std::string_view what) {
  auto v = vb::json::parse(r.body);
  if (!v) return unexpected(rest_error{client_errc::invalid_response, r.status, std::string(what) + ": " + v.error()});
  auto items = lavalink::from_json_array<T>(*v);
  if (!items) return unexpected(rest_error{client_errc::invalid_response, r.status, std::string(what) + ": " + items.error()});
  return std::move(*items);
}

}  // namespace

rest_error error_from_response(const net::http_response& r) {
  rest_error e{client_errc::http_status, r.status, {}};
  if (auto body = lavalink::parse_json<lavalink::error_response>(r.body); body && !body->message.empty()) {
    e.message = body->message;
  } else if (!r.body.empty() && r.body.size() <= 512) {
    e.message = r.body;
  } else {
    e.message = r.status == 401 || r.status == 403 ? "the node refused the password" : "HTTP " + std::to_string(r.status);
  }
  return e;
}

task<expected<net::http_response, rest_error>> node::impl::call(std::string method, std::string path, std::string body) {
  net::header_map h;
  h.set("Authorization", cfg.password);
  if (!body.empty()) h.set("Content-Type", "application/json");
  auto r = co_await http.request(std::move(method), cfg.http_base() + path, std::move(h), std::move(body));
  if (!r) {
    const auto& e = r.error();
    co_return unexpected(rest_error{client_errc::transport, 0, std::string(net::to_string(e.code)) + ": " + e.message});
  }
  if (r->status >= 400) co_return unexpected(error_from_response(*r));
  co_return std::move(*r);
}

expected<std::string, rest_error> node::impl::session_path() const {
  std::lock_guard lk(mu);
  if (!session || state.load() == node_status::stopped)
    return unexpected(rest_error{client_errc::no_session, 0, "node '" + cfg.name + "' has no session"});
  return "/v4/sessions/" + net::url_encode(*session);
}

task<expected<lavalink::load_result, rest_error>> node::load_tracks(std::string identifier) {
  auto self = impl_;
  auto r = co_await self->call("GET", "/v4/loadtracks?identifier=" + net::url_encode(identifier), {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::load_result>(*r, "loadtracks");
}

task<expected<lavalink::track, rest_error>> node::decode_track(std::string encoded) {
  auto self = impl_;
  auto r = co_await self->call("GET", "/v4/decodetrack?encodedTrack=" + net::url_encode(encoded), {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::track>(*r, "decodetrack");
}

task<expected<std::vector<lavalink::track>, rest_error>> node::decode_tracks(std::vector<std::string> encoded) {
  auto self = impl_;
  boost::json::array body;
  body.reserve(encoded.size());
  for (auto& e : encoded) body.emplace_back(e);
  auto r = co_await self->call("POST", "/v4/decodetracks", vb::json::serialize(body));
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode_array<lavalink::track>(*r, "decodetracks");
}

task<expected<std::vector<lavalink::player>, rest_error>> node::get_players() {
  auto self = impl_;
  auto base = self->session_path();
  if (!base) co_return unexpected(std::move(base).error());
  auto r = co_await self->call("GET", *base + "/players", {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode_array<lavalink::player>(*r, "players");
}

task<expected<lavalink::player, rest_error>> node::get_player(std::uint64_t guild_id) {
  auto self = impl_;
  auto base = self->session_path();
  if (!base) co_return unexpected(std::move(base).error());
  auto r = co_await self->call("GET", *base + "/players/" + std::to_string(guild_id), {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::player>(*r, "player");
}

task<expected<lavalink::player, rest_error>> node::update_player(std::uint64_t guild_id, lavalink::player_update update,
                                                                 bool no_replace) {
  auto self = impl_;
  auto base = self->session_path();
  if (!base) co_return unexpected(std::move(base).error());
  auto target = *base + "/players/" + std::to_string(guild_id) + "?noReplace=" + (no_replace ? "true" : "false");
  auto r = co_await self->call("PATCH", std::move(target), lavalink::to_json_text(update));
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::player>(*r, "player");
}

task<expected<void, rest_error>> node::destroy_player(std::uint64_t guild_id) {
  auto self = impl_;
  auto base = self->session_path();
  if (!base) co_return unexpected(std::move(base).error());
  auto r = co_await self->call("DELETE", *base + "/players/" + std::to_string(guild_id), {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return expected<void, rest_error>{};
}

task<expected<lavalink::session_info, rest_error>> node::update_session(lavalink::session_update update) {
  auto self = impl_;
  auto base = self->session_path();
  if (!base) co_return unexpected(std::move(base).error());
  auto r = co_await self->call("PATCH", *base, lavalink::to_json_text(update));
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::session_info>(*r, "session");
}

task<expected<lavalink::info, rest_error>> node::fetch_info() {
  auto self = impl_;
  auto r = co_await self->call("GET", "/v4/info", {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::info>(*r, "info");
}

task<expected<lavalink::stats, rest_error>> node::fetch_stats() {
  auto self = impl_;
  auto r = co_await self->call("GET", "/v4/stats", {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return decode<lavalink::stats>(*r, "stats");
}

task<expected<std::string, rest_error>> node::fetch_version() {
  auto self = impl_;
  auto r = co_await self->call("GET", "/version", {});
  if (!r) co_return unexpected(std::move(r).error());
  co_return std::move(r->body);
}

}  // namespace vb::llc
