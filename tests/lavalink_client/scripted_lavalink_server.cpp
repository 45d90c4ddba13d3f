#include "scripted_lavalink_server.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <deque>
#include <mutex>

#include "vectobeat/common/json.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/common/net/websocket.hpp"
#include "vectobeat/lavalink/info.hpp"
#include "vectobeat/lavalink/player_update.hpp"
#include "vectobeat/lavalink/track_codec.hpp"

namespace vb::llc::test {

namespace {

struct session_state {
  std::string id;
  bool resuming = false;
  std::int64_t timeout = lavalink::default_resume_timeout_s;
  std::shared_ptr<net::websocket> ws;  // null while paused
  std::optional<steady_time> paused_at;
  std::vector<std::string> queued;
  std::map<std::uint64_t, lavalink::player> players;
};

struct failure_rule {
  int status = 500;
  std::string message;
  int remaining = 1;
  std::string prefix;
};

}  // namespace

struct scripted_lavalink_server::impl : std::enable_shared_from_this<impl> {
  impl(asio::any_io_executor ex, clock& c, scripted_node_options o) : clk(c), opts(std::move(o)) {
    net::server_options so;
    so.name = "scripted-lavalink";
    so.default_headers.set("Lavalink-Api-Version", "4");
    server = std::make_unique<net::http_server>(
        ex, so, [this](net::http_request& r) { return on_request(r); },
        [this](net::http_request& r) { return on_upgrade(r); });
    server->listen("127.0.0.1", 0);
  }

  clock& clk;
  scripted_node_options opts;
  std::unique_ptr<net::http_server> server;

  mutable std::mutex mu;
  std::map<std::string, session_state> sessions;
  std::string current;
  int connections = 0;
  int live = 0;
  int rejected = 0;
  net::header_map last_hs;
  bool last_resumed = false;
  int next_id = 0;
  bool refusing = false;
  lavalink::stats stats;
  std::deque<failure_rule> failures;
  std::map<std::string, lavalink::load_result> load_results;
  std::vector<recorded_request> log;

  // ---------------------------------------------------------------- helpers (mu held)
  void record(const net::http_request& r) {
    log.push_back({r.method, std::string(r.path()), std::string(r.query()), r.headers, r.body, clk.now()});
  }

  void deliver(session_state& s, std::string text) {
    if (s.ws && s.ws->is_open()) s.ws->send_text(std::move(text));
    else if (s.paused_at) s.queued.push_back(std::move(text));
  }

  void deliver(session_state& s, const lavalink::message& m) { deliver(s, lavalink::to_json_text(m)); }

  std::string new_session_id() {
    std::string id = opts.name + std::to_string(++next_id);
    for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (id.size() < 16) id += '0';
    return id.substr(0, 16);
  }

  void expire_paused() {
    for (auto it = sessions.begin(); it != sessions.end();) {
      auto& s = it->second;
      if (!s.ws && s.paused_at && clk.now() - *s.paused_at >= std::chrono::seconds(s.timeout)) it = sessions.erase(it);
      else ++it;
    }
  }

  // ---------------------------------------------------------------- WebSocket
  task<net::upgrade_result> on_upgrade(net::http_request& req) {
    std::lock_guard lk(mu);
    record(req);
    last_hs = req.headers;
    if (refusing) {
      ++rejected;
      co_return net::http_response::empty(503);
    }
    if (req.path() != "/v4/websocket") {
      ++rejected;
      co_return net::http_response::error(404, "Not Found", std::string(req.path()));
    }
    auto auth = req.headers.get("Authorization");
    if (!auth || *auth != opts.password) {
      ++rejected;
      co_return net::http_response::empty(401);
    }
    auto user = req.headers.get("User-Id");
    auto uid = user ? vb::json::parse_u64(*user) : std::nullopt;
    if (!uid || *uid == 0) {
      ++rejected;
      co_return net::http_response::empty(400);
    }
    expire_paused();
    std::string id;
    bool resumed = false;
    if (auto sid = req.headers.get("Session-Id")) {
      auto it = sessions.find(std::string(*sid));
      if (it != sessions.end() && !it->second.ws && it->second.resuming) {
        id = it->first;
        resumed = true;
      }
    }
    if (!resumed) {
      id = new_session_id();
      sessions[id].id = id;
    }
    last_resumed = resumed;
    net::ws_accept accept;
    accept.response_headers.set("Session-Resumed", resumed ? "true" : "false");
    auto self = shared_from_this();
    accept.run = [self, id, resumed](std::shared_ptr<net::websocket> ws) { return run_session(self, id, resumed, ws); };
    co_return accept;
  }

  static task<void> run_session(std::shared_ptr<impl> self, std::string id, bool resumed,
                                std::shared_ptr<net::websocket> ws) {
    {
      std::lock_guard lk(self->mu);
      auto& s = self->sessions[id];
      s.id = id;
      s.ws = ws;
      s.paused_at.reset();
      self->current = id;
      ++self->connections;
      ++self->live;
      ws->send_text(lavalink::to_json_text(lavalink::message{lavalink::ready_message{resumed, id}}));
      if (resumed) {
        for (auto& q : s.queued) ws->send_text(std::move(q));
        for (auto& [g, p] : s.players)
          ws->send_text(lavalink::to_json_text(lavalink::message{lavalink::player_update_message{g, p.state}}));
      }
      s.queued.clear();
      if (self->opts.stats_on_connect)
        ws->send_text(lavalink::to_json_text(lavalink::message{lavalink::stats_message{self->stats}}));
    }
    while (co_await ws->read()) {
      // Lavalink v4 ignores client messages.
    }
    std::lock_guard lk(self->mu);
    --self->live;
    auto it = self->sessions.find(id);
    if (it == self->sessions.end() || it->second.ws != ws) co_return;
    it->second.ws.reset();
    if (it->second.resuming) it->second.paused_at = self->clk.now();
    else self->sessions.erase(it);
  }

  // ---------------------------------------------------------------- REST
  task<net::http_response> on_request(net::http_request& req) {
    std::lock_guard lk(mu);
    record(req);
    const std::string path(req.path());
    for (auto it = failures.begin(); it != failures.end(); ++it) {
      if (!path.starts_with(it->prefix)) continue;
      auto resp = net::http_response::error(it->status, it->message, path);
      if (--it->remaining <= 0) failures.erase(it);
      co_return resp;
    }
    auto auth = req.headers.get("Authorization");
    if (!auth) co_return net::http_response::empty(401);
    if (*auth != opts.password) co_return net::http_response::empty(403);
    co_return route(req, path);
  }

  net::http_response route(net::http_request& req, const std::string& path) {
    auto seg = req.path_segments();
    if (!seg.empty() && seg.front().empty()) seg.erase(seg.begin());
    if (req.method == "GET" && path == "/version") return net::http_response::text(200, "4.2.2");
    if (req.method == "GET" && path == "/v4/info") return net::http_response::json(200, lavalink::to_json_text(info()));
    if (req.method == "GET" && path == "/v4/stats") {
      auto s = stats;
      s.frame_stats.reset();
      return net::http_response::json(200, lavalink::to_json_text(s));
    }
    if (req.method == "GET" && path == "/v4/loadtracks") {
      auto id = req.query_param("identifier");
      if (!id) return net::http_response::error(400, "Required parameter 'identifier' is not present", path);
      auto it = load_results.find(*id);
      lavalink::load_result r = it != load_results.end() ? it->second : lavalink::load_result{};
      return net::http_response::json(200, lavalink::to_json_text(r));
    }
    if (req.method == "POST" && path == "/v4/decodetracks") {
      auto v = vb::json::parse(req.body);
      if (!v || !v->is_array() || v->as_array().empty())
        return net::http_response::error(400, "No tracks to decode provided", path);
      boost::json::array out;
      for (auto& item : v->as_array()) {
        if (!item.is_string()) return net::http_response::error(400, "No tracks to decode provided", path);
        auto t = decode(std::string(item.as_string()));
        if (!t) return net::http_response::error(500, "Failed to decode track", path);
        out.push_back(lavalink::to_json(*t));
      }
      return net::http_response::json(200, vb::json::serialize(out));
    }
    if (seg.size() >= 3 && seg[0] == "v4" && seg[1] == "sessions") {
      auto it = sessions.find(seg[2]);
      if (it == sessions.end()) return net::http_response::error(404, "Session not found", path);
      auto& s = it->second;
      if (seg.size() == 3 && req.method == "PATCH") {
        auto u = lavalink::parse_json<lavalink::session_update>(req.body);
        if (!u) return net::http_response::error(400, u.error(), path);
        if (u->resuming) s.resuming = *u->resuming;
        if (u->timeout) s.timeout = *u->timeout;
        return net::http_response::json(200, lavalink::to_json_text(lavalink::session_info{s.resuming, s.timeout}));
      }
      if (seg.size() == 4 && seg[3] == "players" && req.method == "GET") {
        std::vector<lavalink::player> all;
        for (auto& [g, p] : s.players) all.push_back(with_time(p));
        return net::http_response::json(200, vb::json::serialize(lavalink::to_json_array(all)));
      }
      if (seg.size() == 5 && seg[3] == "players") {
        auto guild = vb::json::parse_u64(seg[4]);
        if (!guild) return net::http_response::error(400, "Invalid guild id", path);
        if (req.method == "GET") {
          auto p = s.players.find(*guild);
          if (p == s.players.end()) return net::http_response::error(404, "Player not found", path);
          return net::http_response::json(200, lavalink::to_json_text(with_time(p->second)));
        }
        if (req.method == "DELETE") {
          s.players.erase(*guild);
          return net::http_response::empty(204);
        }
        if (req.method == "PATCH") return patch_player(s, *guild, req, path);
      }
    }
    return net::http_response::error(404, "Not Found", path);
  }

  lavalink::player with_time(lavalink::player p) const {
    p.state.time = clk.unix_ms();
    if (p.track) p.track->info.position = p.state.position;
    return p;
  }

  std::optional<lavalink::track> decode(const std::string& encoded) const {
    auto d = lavalink::decode_track(encoded);
    if (!d) return std::nullopt;
    auto t = lavalink::make_track(*d, encoded);
    t.info.is_seekable = !t.info.is_stream;
    return t;
  }

  net::http_response patch_player(session_state& s, std::uint64_t guild, net::http_request& req, const std::string& path) {
    auto u = lavalink::parse_player_update(req.body);
    if (!u) return net::http_response::error(400, u.error(), path);
    const bool no_replace = req.query_param("noReplace").value_or("false") == "true";
    auto& p = s.players[guild];
    p.guild_id = guild;
    if (u->voice) {
      p.voice = *u->voice;
      p.state.connected = true;
      p.state.ping = 20;
    }
    if (u->starts_track()) {
      auto t = u->effective_track();
      if (t.encoded && !*t.encoded) {
        if (p.track && opts.track_events)
          deliver(s, lavalink::message{lavalink::track_end_event{guild, *p.track, lavalink::track_end_reason::stopped}});
        p.track.reset();
        p.state.position = 0;
      } else if (t.encoded) {
        auto track = decode(**t.encoded);
        if (!track) return net::http_response::error(400, "Failed to decode track", path);
        if (!(no_replace && p.track)) {
          if (t.user_data) track->user_data = *t.user_data;
          auto old = p.track;
          p.track = *track;
          p.paused = u->paused.value_or(false);
          p.state.position = u->position.value_or(0);
          if (old && opts.track_events)
            deliver(s, lavalink::message{lavalink::track_end_event{guild, *old, lavalink::track_end_reason::replaced}});
          if (opts.track_events) deliver(s, lavalink::message{lavalink::track_start_event{guild, *p.track}});
        }
      } else {
        return net::http_response::error(400, "No matches found for identifier", path);
      }
    } else {
      if (u->paused) p.paused = *u->paused;
      if (u->position && p.track) p.state.position = *u->position;
    }
    if (u->volume) p.volume = *u->volume;
    if (u->filters) p.filters = *u->filters;
    return net::http_response::json(200, lavalink::to_json_text(with_time(p)));
  }

  lavalink::info info() const {
    lavalink::info i;
    i.version = {"4.2.2", 4, 2, 2, std::nullopt, std::nullopt};
    i.git = {"main", "abcdef0", 0};
    i.jvm = "scripted";
    i.lavaplayer = "scripted";
    i.source_managers = opts.source_managers;
    i.filters = {"volume", "equalizer", "timescale"};
    return i;
  }
};

scripted_lavalink_server::scripted_lavalink_server(asio::any_io_executor ex, clock& clk, scripted_node_options opts)
    : impl_(std::make_shared<impl>(std::move(ex), clk, std::move(opts))) {}

scripted_lavalink_server::~scripted_lavalink_server() {
  {
    std::lock_guard lk(impl_->mu);
    for (auto& [id, s] : impl_->sessions)
      if (s.ws) s.ws->abort();
  }
  impl_->server->stop();
}

std::uint16_t scripted_lavalink_server::port() const { return impl_->server->port(); }

node_config scripted_lavalink_server::config(std::string name, std::string region) const {
  node_config c;
  c.name = std::move(name);
  c.host = "127.0.0.1";
  c.port = port();
  c.password = impl_->opts.password;
  c.region = std::move(region);
  return c;
}

void scripted_lavalink_server::set_stats(lavalink::stats s) {
  std::lock_guard lk(impl_->mu);
  impl_->stats = std::move(s);
}

void scripted_lavalink_server::send_stats() {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->sessions.find(impl_->current);
  if (it != impl_->sessions.end()) impl_->deliver(it->second, lavalink::message{lavalink::stats_message{impl_->stats}});
}

void scripted_lavalink_server::send(const lavalink::message& m) {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->sessions.find(impl_->current);
  if (it != impl_->sessions.end()) impl_->deliver(it->second, m);
}

void scripted_lavalink_server::send_text(std::string raw) {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->sessions.find(impl_->current);
  if (it != impl_->sessions.end()) impl_->deliver(it->second, std::move(raw));
}

void scripted_lavalink_server::drop() {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->sessions.find(impl_->current);
  if (it != impl_->sessions.end() && it->second.ws) it->second.ws->abort();
}

void scripted_lavalink_server::close_socket(std::uint16_t code) {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->sessions.find(impl_->current);
  if (it != impl_->sessions.end() && it->second.ws) it->second.ws->close(code, "scripted close");
}

void scripted_lavalink_server::forget_sessions() {
  std::lock_guard lk(impl_->mu);
  for (auto& [id, s] : impl_->sessions)
    if (s.ws) s.ws->abort();
  impl_->sessions.clear();
}

void scripted_lavalink_server::refuse_connections(bool refuse) {
  std::lock_guard lk(impl_->mu);
  impl_->refusing = refuse;
}

void scripted_lavalink_server::fail_next(int status, std::string message, int count, std::string path_prefix) {
  std::lock_guard lk(impl_->mu);
  impl_->failures.push_back({status, std::move(message), count, std::move(path_prefix)});
}

void scripted_lavalink_server::set_load_result(std::string identifier, lavalink::load_result r) {
  std::lock_guard lk(impl_->mu);
  impl_->load_results[std::move(identifier)] = std::move(r);
}

void scripted_lavalink_server::set_player_position(std::uint64_t guild, std::int64_t position) {
  std::lock_guard lk(impl_->mu);
  for (auto& [id, s] : impl_->sessions)
    if (auto it = s.players.find(guild); it != s.players.end()) it->second.state.position = position;
}

std::vector<recorded_request> scripted_lavalink_server::requests() const {
  std::lock_guard lk(impl_->mu);
  return impl_->log;
}

std::vector<recorded_request> scripted_lavalink_server::requests(const std::string& method,
                                                                 const std::string& path_prefix) const {
  std::lock_guard lk(impl_->mu);
  std::vector<recorded_request> out;
  for (auto& r : impl_->log)
    if (r.method == method && r.path.starts_with(path_prefix)) out.push_back(r);
  return out;
}

int scripted_lavalink_server::connections() const {
  std::lock_guard lk(impl_->mu);
  return impl_->connections;
}

int scripted_lavalink_server::live_connections() const {
  std::lock_guard lk(impl_->mu);
  return impl_->live;
}

int scripted_lavalink_server::rejected_handshakes() const {
  std::lock_guard lk(impl_->mu);
  return impl_->rejected;
}

net::header_map scripted_lavalink_server::last_handshake() const {
  std::lock_guard lk(impl_->mu);
  return impl_->last_hs;
}

std::optional<std::string> scripted_lavalink_server::session_id() const {
  std::lock_guard lk(impl_->mu);
  if (impl_->current.empty()) return std::nullopt;
  return impl_->current;
}

bool scripted_lavalink_server::last_resumed() const {
  std::lock_guard lk(impl_->mu);
  return impl_->last_resumed;
}

lavalink::session_info scripted_lavalink_server::session_config() const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->sessions.find(impl_->current);
  if (it == impl_->sessions.end()) return {};
  return {it->second.resuming, it->second.timeout};
}

std::map<std::uint64_t, lavalink::player> scripted_lavalink_server::players() const {
  std::lock_guard lk(impl_->mu);
  std::map<std::uint64_t, lavalink::player> out;
  for (auto& [id, s] : impl_->sessions)
    for (auto& [g, p] : s.players) out[g] = p;
  return out;
}

}  // namespace vb::llc::test
