#include "rest_api.hpp"

#include <boost/json/array.hpp>

#include "session.hpp"
#include "vectobeat/common/api_error.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/version.hpp"
#include "vectobeat/lavalink/info.hpp"
#include "vectobeat/lavalink/player_update.hpp"
#include "vectobeat/lavalink/session.hpp"
#include "vectobeat/lavalink/track_codec.hpp"

namespace vb::node::detail {

namespace {

const char* const decode_failed_message = "Failed to decode track due to a mismatching version or missing source manager";
constexpr std::string_view all_filters[] = {"volume",   "equalizer", "karaoke",  "timescale",  "tremolo",
                                            "vibrato",  "distortion", "rotation", "channelMix", "lowPass"};

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

net::http_response fail(const net::http_request& req, int status, std::string message) {
  api_error e;
  e.status = status;
  e.message = std::move(message);
  e.path = std::string(req.path());
  if (req.query_param("trace") == "true") e.trace = "vectobeat: " + std::to_string(status) + " " + e.message + " (" + e.path + ")";
  return net::http_response::error(e);
}

net::http_response json_ok(const boost::json::value& v) { return net::http_response::json(200, json::serialize(v)); }

std::optional<std::uint64_t> parse_guild(std::string_view s) {
  auto v = json::parse_u64(s);
  if (!v || *v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return v;
}

lavalink::info node_info(const node_state& st) {
  lavalink::info i;
  std::string_view semver = lavalink_compat_version;
  i.version.semver = std::string(semver);
  int parts[3] = {0, 0, 0};
  int k = 0;
  for (char c : semver) {
    if (c == '.') ++k;
    else if (k < 3 && c >= '0' && c <= '9') parts[k] = parts[k] * 10 + (c - '0');
  }
  i.version.major = parts[0];
  i.version.minor = parts[1];
  i.version.patch = parts[2];
  i.build_time = 0;
  i.git = {"main", "unknown", 0};
  i.jvm = "vectobeat " + std::string(vb::version) + " (native C++20)";
  i.lavaplayer = "vectobeat audio (FFmpeg, libopus)";
  i.source_managers = st.sources->enabled_sources();
  for (auto f : all_filters)
    if (st.config.disabled_filters.find(f) == st.config.disabled_filters.end()) i.filters.emplace_back(f);
  return i;
}

// Decodes an encoded track for this node (its registry knows the spotify layout).
expected<lavalink::track, std::string> decode_encoded(const node_state& st, std::string_view encoded,
                                                      lavalink::decoded_track* out = nullptr) {
  auto d = lavalink::decode_track(encoded, st.sources->registry());
  if (!d) return unexpected(std::string(decode_failed_message));
  if (out) *out = *d;
  return lavalink::make_track(*d, std::string(encoded));
}

// Holds the sources, not the node: a load may wait in the loader's queue (node_state.hpp).
task<net::http_response> load_tracks(std::shared_ptr<source_manager> sources, net::http_request& req) {
  auto id = req.query_param("identifier");
  if (!id) co_return fail(req, 400, "Required parameter 'identifier' is not present");
  auto result = co_await sources->load(std::move(*id));
  co_return json_ok(lavalink::to_json(result));
}

net::http_response decode_one(const node_state& st, net::http_request& req) {
  auto enc = req.query_param("encodedTrack");
  if (!enc) enc = req.query_param("track");
  if (!enc || enc->empty()) return fail(req, 400, "No track to decode provided");
  auto t = decode_encoded(st, *enc);
  if (!t) return fail(req, 400, t.error());
  return json_ok(lavalink::to_json(*t));
}

net::http_response decode_many(const node_state& st, net::http_request& req) {
  auto v = json::parse(req.body);
  if (!v || !v->is_array()) return fail(req, 400, "The body must be a JSON array of encoded tracks");
  const auto& arr = v->as_array();
  if (arr.empty()) return fail(req, 400, "No tracks to decode provided");
  boost::json::array out;
  for (auto& item : arr) {
    if (!item.is_string()) return fail(req, 400, "The body must be a JSON array of encoded tracks");
    auto t = decode_encoded(st, item.as_string());
    if (!t) return fail(req, 400, t.error());
    out.push_back(lavalink::to_json(*t));
  }
  return json_ok(out);
}

// PATCH /v4/sessions/{sessionId}/players/{guildId} (lavalink-v4.md §5.2).
task<net::http_response> patch_player(std::shared_ptr<node_state> st, std::shared_ptr<session> s, std::uint64_t guild,
                                      net::http_request& req) {
  auto parsed = lavalink::parse_player_update(req.body);
  if (!parsed) co_return fail(req, 400, parsed.error());
  auto& u = *parsed;
  if (u.filters) {
    std::vector<std::string> disabled(st->config.disabled_filters.begin(), st->config.disabled_filters.end());
    if (auto e = lavalink::disabled_filters_error(*u.filters, disabled)) co_return fail(req, 400, *e);
  }
  const auto tu = u.effective_track();
  std::optional<lavalink::track> new_track;
  lavalink::decoded_track decoded;
  bool stop_requested = false;
  if (tu.encoded.present()) {
    if (!tu.encoded->has_value()) {
      stop_requested = true;
    } else {
      auto t = decode_encoded(*st, **tu.encoded, &decoded);
      if (!t) co_return fail(req, 400, t.error());
      new_track = std::move(*t);
    }
  } else if (tu.identifier.present()) {
    auto r = co_await st->sources->load(*tu.identifier);
    switch (r.type()) {
      case lavalink::load_type::track: {
        auto t = decode_encoded(*st, std::get<lavalink::track>(r.data).encoded, &decoded);
        if (!t) co_return fail(req, 400, t.error());
        new_track = std::move(*t);
        break;
      }
      case lavalink::load_type::playlist:
      case lavalink::load_type::search:
        co_return fail(req, 400, "Cannot play a playlist or search result");
      case lavalink::load_type::empty:
        co_return fail(req, 400, "No matches found for identifier");
      case lavalink::load_type::error:
        co_return fail(req, 400, std::get<lavalink::exception_info>(r.data).message.value_or("Failed to load the track"));
    }
  }
  if (new_track && tu.user_data.present()) new_track->user_data = *tu.user_data;
  const bool no_replace = req.query_param("noReplace") == "true";

  std::lock_guard lk(s->mu);
  auto p = s->get_or_create_player(guild);
  if (!p) co_return fail(req, 400, "Too many players in this session");
  if (u.voice && !p->set_voice(*s, *u.voice)) co_return fail(req, 500, "Failed to connect to voice server");
  const bool starts = new_track.has_value() || stop_requested;
  if (!starts) {
    if (u.paused) p->set_paused(*u.paused);
    if (tu.user_data.present()) p->set_user_data(*tu.user_data);
    if (u.position) p->seek(*s, *u.position);
    if (u.end_time) p->set_end_time(*u.end_time);
  }
  if (u.volume) p->set_volume(*u.volume);
  if (u.filters) p->set_filters(*s, *u.filters);
  if (starts && !(no_replace && p->has_track())) {
    if (stop_requested) {
      if (u.paused) p->set_paused(*u.paused);
      p->stop(*s);
    } else {
      std::optional<std::int64_t> end;
      if (u.end_time) end = *u.end_time;
      p->play(*s, std::move(*new_track), std::move(decoded), u.position.value_or(0), end, u.paused.value_or(false));
    }
  }
  co_return json_ok(lavalink::to_json(p->model()));
}

task<net::http_response> sessions_route(std::shared_ptr<node_state> st, net::http_request& req,
                                        const std::vector<std::string>& seg) {
  // seg: v4 sessions {id} [players [guild]]
  auto s = st->find_session(seg[2]);
  if (seg.size() == 3) {
    if (req.method != "PATCH") co_return fail(req, 405, "Method Not Allowed");
    if (!s) co_return fail(req, 404, "Session not found");
    auto v = json::parse(req.body);
    if (!v) co_return fail(req, 400, "invalid JSON: " + v.error());
    auto u = lavalink::from_json<lavalink::session_update>(*v);
    if (!u) co_return fail(req, 400, u.error());
    if (u->timeout && *u->timeout < 0) co_return fail(req, 400, "timeout must be >= 0");
    std::lock_guard lk(s->mu);
    s->update(*u);
    co_return json_ok(lavalink::to_json(s->info()));
  }
  if (seg[3] != "players" || seg.size() > 5) co_return fail(req, 404, "Not Found");
  if (seg.size() == 4) {
    if (req.method != "GET") co_return fail(req, 405, "Method Not Allowed");
    if (!s) co_return fail(req, 404, "Session not found");
    boost::json::array out;
    std::lock_guard lk(s->mu);
    for (auto& [g, p] : s->players()) out.push_back(lavalink::to_json(p->model()));
    co_return json_ok(out);
  }
  if (req.method != "GET" && req.method != "PATCH" && req.method != "DELETE") co_return fail(req, 405, "Method Not Allowed");
  if (!s) co_return fail(req, 404, "Session not found");
  auto guild = parse_guild(seg[4]);
  if (!guild) co_return fail(req, 400, "Invalid guild id: " + seg[4]);
  if (req.method == "GET") {
    std::lock_guard lk(s->mu);
    auto p = s->find_player(*guild);
    if (!p) co_return fail(req, 404, "Player not found");
    co_return json_ok(lavalink::to_json(p->model()));
  }
  if (req.method == "DELETE") {
    std::lock_guard lk(s->mu);
    s->destroy_player(*guild);
    co_return net::http_response::empty(204);
  }
  co_return co_await patch_player(st, s, *guild, req);
}

}  // namespace

task<net::http_response> handle_rest(std::shared_ptr<node_state> st, net::http_request& req) {
  auto auth = req.headers.get("Authorization");
  if (!auth) {
    st->log.warn("authorization missing for {} on {}", req.remote_address, req.path());
    co_return net::http_response::empty(401);
  }
  if (!constant_time_equal(*auth, st->config.password)) {
    st->log.warn("authorization failed for {} on {}", req.remote_address, req.path());
    co_return net::http_response::empty(403);
  }
  const auto seg = req.path_segments();
  const auto& m = req.method;
  if (seg.size() == 1 && seg[0] == "version") {
    if (m != "GET") co_return fail(req, 405, "Method Not Allowed");
    co_return net::http_response::text(200, std::string(lavalink_compat_version));
  }
  if (seg.size() < 2 || seg[0] != "v4") co_return fail(req, 404, "Not Found");
  const auto& r = seg[1];
  if (seg.size() == 2) {
    if (r == "info" || r == "stats" || r == "loadtracks" || r == "decodetrack") {
      if (m != "GET") co_return fail(req, 405, "Method Not Allowed");
      if (r == "info") co_return json_ok(lavalink::to_json(node_info(*st)));
      if (r == "stats") co_return json_ok(lavalink::to_json(st->node_stats()));
      if (r == "decodetrack") co_return decode_one(*st, req);
      auto sources = st->sources;
      st.reset();
      co_return co_await load_tracks(std::move(sources), req);
    }
    if (r == "decodetracks") {
      if (m != "POST") co_return fail(req, 405, "Method Not Allowed");
      co_return decode_many(*st, req);
    }
  }
  if (r == "sessions" && seg.size() >= 3) co_return co_await sessions_route(st, req, seg);
  if (r == "routeplanner") {
    if (seg.size() == 3 && seg[2] == "status") {
      if (m != "GET") co_return fail(req, 405, "Method Not Allowed");
      co_return net::http_response::empty(204);  // no route planner
    }
    if (seg.size() == 4 && seg[2] == "free" && (seg[3] == "address" || seg[3] == "all")) {
      if (m != "POST") co_return fail(req, 405, "Method Not Allowed");
      co_return fail(req, 500, "Can't access disabled route planner");
    }
  }
  co_return fail(req, 404, "Not Found");
}

task<net::upgrade_result> handle_upgrade(std::shared_ptr<node_state> st, net::http_request& req) {
  if (req.path() != "/v4/websocket") {
    if (req.path() == "/" || req.path() == "/v3/websocket")
      st->log.warn("{} tried {}: only the v4 WebSocket (/v4/websocket) exists", req.remote_address, req.path());
    co_return fail(req, 404, "Not Found");
  }
  auto auth = req.headers.get("Authorization");
  if (!auth || !constant_time_equal(*auth, st->config.password)) {
    st->log.warn("WebSocket authorization failed for {}", req.remote_address);
    co_return net::http_response::empty(401);
  }
  auto user = json::parse_u64(std::string(req.headers.get("User-Id").value_or("")));
  if (!user || *user == 0) co_return fail(req, 400, "Invalid or missing User-Id header");
  std::string client_name(req.headers.get("Client-Name").value_or(""));
  if (client_name.empty()) st->log.warn("{} connected without a Client-Name header", req.remote_address);
  std::shared_ptr<session> resumed;
  if (auto sid = req.headers.get("Session-Id"); sid && !sid->empty()) {
    if (auto s = st->find_session(*sid); s && s->try_claim_for_resume()) resumed = s;
  }
  if (!resumed) {
    std::lock_guard lk(st->sessions_mu);
    if (st->sessions.size() >= st->config.max_sessions) co_return fail(req, 503, "Too many sessions");
  }
  net::ws_accept a;
  a.response_headers.set("Session-Resumed", resumed ? "true" : "false");
  const auto user_id = *user;
  a.run = [st, resumed, user_id, client_name](std::shared_ptr<net::websocket> ws) -> task<void> {
    std::shared_ptr<session> s = resumed;
    if (!s) {
      s = std::make_shared<session>(st, st->new_session_id(), user_id, client_name);
      std::lock_guard lk(st->sessions_mu);
      if (st->stopping.load()) co_return;
      st->sessions.emplace(s->id(), s);
    }
    co_await s->run(std::move(ws), resumed != nullptr);
  };
  co_return a;
}

}  // namespace vb::node::detail
