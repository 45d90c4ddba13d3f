#include "gateway.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "actions.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

namespace {


std::string random_hex(std::size_t n) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(n, '0');
  for (auto& ch : s) ch = digits[rng() & 0xF];
  return s;
}

bool invalidates_session(std::uint16_t code, bool by_client) {
  if (by_client) return code == 1000 || code == 1001;
  switch (code) {
    case gateway_close::authentication_failed:
    case gateway_close::invalid_seq:
    case gateway_close::session_timed_out:
    case gateway_close::invalid_shard:
    case gateway_close::sharding_required:
    case gateway_close::invalid_api_version:
    case gateway_close::invalid_intents:
    case gateway_close::disallowed_intents: return true;
    default: return false;
  }
}

std::string compression_name(const gateway_connection& c) {
  switch (c.transport_) {
    case compression::zlib_stream: return "zlib-stream";
    case compression::zstd_stream: return "zstd-stream";
    default: return c.payload_compression ? "payload" : "";
  }
}

}  // namespace

// ---------------------------------------------------------------- connection

gateway_connection::gateway_connection(core& c, std::shared_ptr<net::websocket> ws, compression comp)
    : ws_(std::move(ws)), transport_(comp), c_(c) {
  if (comp != compression::none) comp_ = std::make_unique<compressor>(comp);
  last_heartbeat = window_start = c_.clk.now();
}

void gateway_connection::send_frame(std::string_view text) {
  if (closed_) return;
  if (comp_) {
    try {
      ws_->send_binary(comp_->compress(text));
    } catch (const std::exception& e) {
      c_.log.error("gateway: compression failed: {}", e.what());
      close(gateway_close::unknown_error, "compression failed");
    }
  } else {
    ws_->send_text(std::string(text));
  }
}

void gateway_connection::close(std::uint16_t code, std::string reason) {
  if (closed_) return;
  closed_ = true;
  if (watchdog) watchdog->cancel();
  ws_->close(code, std::move(reason));
}

void gateway_connection::abort() {
  if (closed_) return;
  closed_ = true;
  if (watchdog) watchdog->cancel();
  ws_->abort();
}

// ---------------------------------------------------------------- gateway

task<void> gateway::run_connection(std::shared_ptr<net::websocket> ws) {
  net::http_request target;
  target.target = ws->target();
  const auto v = target.query_param("v");
  const auto encoding = target.query_param("encoding");
  const auto compress = target.query_param("compress");

  compression comp = compression::none;
  std::uint16_t reject = 0;
  std::string reject_reason;
  if (v && *v != "10" && *v != "9") {
    reject = gateway_close::invalid_api_version, reject_reason = "Invalid API version";
  } else if (encoding && *encoding != "json") {
    reject = gateway_close::decode_error, reject_reason = "Only encoding=json is supported";
  } else if (compress) {
    if (*compress == "zlib-stream") comp = compression::zlib_stream;
    else if (*compress == "zstd-stream") comp = compression::zstd_stream;
    else reject = gateway_close::decode_error, reject_reason = "Unknown compression";
  }

  auto conn = std::make_shared<gateway_connection>(c_, ws, comp);
  conn->number = ++next_connection_;
  connections_.insert(conn);
  if (reject) {
    conn->close(reject, reject_reason);
  } else {
    send_op(*conn, 10, fmt::format(R"({{"heartbeat_interval":{}}})", c_.opts.heartbeat_interval.count()));
    conn->watchdog = c_.clk.make_timer(c_.strand);
    spawn(c_.strand, run_watchdog(conn), "gateway watchdog");
  }
  c_.notify();

  for (;;) {
    auto msg = co_await ws->read();
    if (!msg) break;
    if (conn->closed_) continue;  // drain until the close handshake ends
    const auto now = c_.clk.now();
    if (now - conn->window_start >= std::chrono::minutes(1)) {
      conn->window_start = now;
      conn->window_sends = 0;
    }
    if (++conn->window_sends > c_.opts.gateway_sends_per_minute) {
      conn->close(gateway_close::rate_limited, "You are being rate limited.");
      continue;
    }
    if (msg->kind != net::ws_kind::text) {
      conn->close(gateway_close::decode_error, "Binary frames are not valid with encoding=json");
      continue;
    }
    if (msg->data.size() > c_.opts.max_gateway_payload_bytes) {
      conn->close(gateway_close::decode_error, "Payload too large");
      continue;
    }
    on_text(conn, msg->data);
    c_.notify();
  }
  const auto info = ws->close_info();
  detach(*conn, info.code, info.by_remote);
  conn->closed_ = true;
  if (conn->watchdog) conn->watchdog->cancel();
  connections_.erase(conn);
  c_.notify();
}

task<void> gateway::run_watchdog(std::shared_ptr<gateway_connection> conn) {
  task_guard guard(c_);
  const auto timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      c_.opts.heartbeat_interval * c_.opts.heartbeat_timeout_factor);
  while (!conn->closed_) {
    const auto deadline = conn->last_heartbeat + timeout;
    const bool fired = co_await conn->watchdog->wait_until(deadline);
    if (!fired || conn->closed_) co_return;
    if (c_.clk.now() >= conn->last_heartbeat + timeout) {
      c_.log.info("gateway: connection {} sent no heartbeat in time; closing it (4009)", conn->number);
      conn->close(gateway_close::session_timed_out, "Session timed out");
      c_.notify();
      co_return;
    }
  }
}

void gateway::send_op(gateway_connection& conn, int op, std::string_view d_json) {
  conn.send_frame(fmt::format(R"({{"op":{},"d":{},"s":null,"t":null}})", op, d_json));
}

void gateway::on_text(const std::shared_ptr<gateway_connection>& conn, std::string_view text) {
  auto parsed = vb::json::parse(text, {c_.opts.max_gateway_payload_bytes, max_json_depth});
  if (!parsed || !parsed->is_object()) {
    conn->close(gateway_close::decode_error, "Error while decoding payload.");
    return;
  }
  auto& o = parsed->get_object();
  auto op = vb::json::get_int(o, "op");
  if (!op) {
    conn->close(gateway_close::decode_error, "Error while decoding payload.");
    return;
  }
  const json::value* d = vb::json::find(o, "d");
  const bool authed = conn->session != nullptr;
  auto need_object = [&]() -> const json::object* {
    if (!d || !d->is_object()) {
      conn->close(gateway_close::decode_error, "Error while decoding payload.");
      return nullptr;
    }
    return &d->get_object();
  };
  switch (*op) {
    case 1: on_heartbeat(conn); return;
    case 2:
      if (authed) return conn->close(gateway_close::already_authenticated, "Already authenticated.");
      if (auto* obj = need_object()) on_identify(conn, *obj);
      return;
    case 6:
      if (authed) return conn->close(gateway_close::already_authenticated, "Already authenticated.");
      if (auto* obj = need_object()) on_resume(conn, *obj);
      return;
    case 3:
    case 4:
    case 8:
    case 31:
    case 43:
      if (!authed) return conn->close(gateway_close::not_authenticated, "Not authenticated.");
      if (*op == 4) {
        if (auto* obj = need_object()) on_voice_state(conn, *obj);
      } else if (*op == 8) {
        if (auto* obj = need_object()) on_request_members(conn, *obj);
      }
      return;
    default:
      conn->close(gateway_close::unknown_opcode, "Unknown opcode.");
      return;
  }
}

void gateway::on_heartbeat(const std::shared_ptr<gateway_connection>& conn) {
  conn->last_heartbeat = c_.clk.now();
  const int shard = conn->session ? conn->session->shard : -1;
  if (acks_stalled(shard)) return;
  send_op(*conn, 11, "null");
}

bool gateway::acks_stalled(int shard) const { return stall_all_ || (shard >= 0 && stalled_shards_.count(shard)); }

void gateway::stall_heartbeat_acks(int shard, bool stalled) {
  if (shard < 0) {
    stall_all_ = stalled;
    if (!stalled) stalled_shards_.clear();
  } else if (stalled) {
    stalled_shards_.insert(shard);
  } else {
    stalled_shards_.erase(shard);
  }
}

void gateway::on_identify(const std::shared_ptr<gateway_connection>& conn, const json::object& d) {
  auto token = vb::json::get_string(d, "token").value_or("");
  if (token.starts_with("Bot ")) token.remove_prefix(4);
  if (token != c_.opts.token) {
    c_.log.warn("gateway: Identify with a wrong token from {}", conn->ws_->remote_address());
    return conn->close(gateway_close::authentication_failed, "Authentication failed.");
  }
  auto intents = vb::json::get_int(d, "intents");
  if (!intents || *intents < 0 || (static_cast<std::uint64_t>(*intents) & ~intent::all))
    return conn->close(gateway_close::invalid_intents, "Invalid intent(s).");
  const auto wanted = static_cast<std::uint64_t>(*intents);
  if (wanted & intent::privileged & ~c_.opts.enabled_privileged_intents)
    return conn->close(gateway_close::disallowed_intents, "Disallowed intent(s).");

  int shard = 0, num_shards = 1;
  if (auto* s = vb::json::find(d, "shard"); s && !s->is_null()) {
    const bool ok = s->is_array() && s->get_array().size() == 2 && s->get_array()[0].is_int64() &&
                    s->get_array()[1].is_int64();
    if (ok) {
      shard = static_cast<int>(s->get_array()[0].get_int64());
      num_shards = static_cast<int>(s->get_array()[1].get_int64());
    }
    if (!ok || num_shards < 1 || shard < 0 || shard >= num_shards)
      return conn->close(gateway_close::invalid_shard, "Invalid shard.");
  }
  std::size_t guilds_in_shard = 0;
  for (auto& [id, g] : c_.w.guilds())
    if (shard_of(id, num_shards) == shard) ++guilds_in_shard;
  if (guilds_in_shard > static_cast<std::size_t>(c_.opts.max_guilds_per_shard))
    return conn->close(gateway_close::sharding_required, "Sharding required.");

  // Identify concurrency (discord.md §2): one identify per rate-limit key per window.
  const auto now = c_.clk.now();
  const int key = shard % std::max(1, c_.opts.max_concurrency);
  if (auto it = identify_buckets_.find(key); it != identify_buckets_.end() && now - it->second < c_.opts.identify_window) {
    c_.log.info("gateway: shard {} identified too soon after another shard of bucket {}; op 9", shard, key);
    return send_op(*conn, 9, "false");
  }
  if (session_starts_ >= c_.opts.session_start_total) {
    c_.log.warn("gateway: session start limit ({}) exhausted", c_.opts.session_start_total);
    return send_op(*conn, 9, "false");
  }
  identify_buckets_[key] = now;
  ++session_starts_;
  expire_sessions();

  if (vb::json::get_bool(d, "compress").value_or(false) && conn->transport_ == compression::none) {
    conn->comp_ = std::make_unique<compressor>(compression::zlib_payload);
    conn->payload_compression = true;
  }

  auto s = std::make_shared<gateway_session>();
  s->id = random_hex(32);
  s->shard = shard;
  s->num_shards = num_shards;
  s->intents = wanted;
  s->conn = conn;
  s->compression = compression_name(*conn);
  conn->session = s;
  sessions_[s->id] = s;
  ++identifies_[shard];
  c_.log.info("gateway: [shard {}/{}] identified (session {}, intents {})", shard, num_shards, s->id, wanted);

  const auto* bot = c_.w.find_user(c_.w.bot_id);
  json::object ready;
  ready["v"] = 10;
  json::object u = bot ? user_json(*bot) : json::object();
  u["verified"] = true;
  u["mfa_enabled"] = false;
  u["email"] = nullptr;
  ready["user"] = std::move(u);
  json::array guilds;
  std::vector<const guild_rec*> mine;
  for (auto& [id, g] : c_.w.guilds())
    if (shard_of(id, num_shards) == shard && g.members.count(c_.w.bot_id)) {
      guilds.push_back(json::object{{"id", id_string(id)}, {"unavailable", true}});
      mine.push_back(&g);
    }
  ready["guilds"] = std::move(guilds);
  ready["session_id"] = s->id;
  ready["resume_gateway_url"] = c_.gateway_url();
  ready["shard"] = json::array{shard, num_shards};
  ready["application"] = json::object{{"id", id_string(c_.w.application_id)}, {"flags", 0}};
  ready["user_settings"] = json::object();
  ready["private_channels"] = json::array();
  ready["relationships"] = json::array();
  ready["presences"] = json::array();
  ready["guild_join_requests"] = json::array();
  ready["geo_ordered_rtc_regions"] = json::array{"local"};
  ready["session_type"] = "normal";
  ready["auth"] = json::object();
  ready["_trace"] = json::array{"[\"vectobeat-fake-discord\"]"};
  dispatch(*s, "READY", json::serialize(ready));
  for (auto* g : mine) dispatch(*s, "GUILD_CREATE", json::serialize(guild_create_json(c_.w, *g, wanted)));
}

void gateway::on_resume(const std::shared_ptr<gateway_connection>& conn, const json::object& d) {
  auto token = vb::json::get_string(d, "token").value_or("");
  if (token.starts_with("Bot ")) token.remove_prefix(4);
  if (token != c_.opts.token) return conn->close(gateway_close::authentication_failed, "Authentication failed.");
  expire_sessions();
  auto sid = vb::json::get_string(d, "session_id").value_or("");
  auto seq = vb::json::get_int(d, "seq");
  auto it = sessions_.find(std::string(sid));
  if (it == sessions_.end()) return send_op(*conn, 9, "false");
  auto s = it->second;
  const std::int64_t from = seq.value_or(0);
  if (from > s->seq || from < 0) return conn->close(gateway_close::invalid_seq, "Invalid seq.");
  if (from < s->seq && (s->replay.empty() || s->replay.front().first > from + 1)) {
    c_.log.info("gateway: session {} cannot replay from {} (buffer starts later); op 9", s->id, from);
    sessions_.erase(it);
    return send_op(*conn, 9, "false");
  }
  if (s->conn && s->conn != conn) {
    auto old = s->conn;
    old->session.reset();
    old->close(gateway_close::unknown_error, "Session resumed on another connection");
  }
  s->conn = conn;
  s->compression = compression_name(*conn);
  s->detached_at.reset();
  conn->session = s;
  ++s->resumes;
  ++resumes_[s->shard];
  std::size_t replayed = 0;
  for (auto& [n, frame] : s->replay)
    if (n > from) {
      conn->send_frame(frame);
      ++replayed;
    }
  c_.log.info("gateway: [shard {}/{}] session {} resumed from seq {} ({} replayed)", s->shard, s->num_shards, s->id,
              from, replayed);
  dispatch(*s, "RESUMED", R"({"_trace":["[\"vectobeat-fake-discord\"]"]})");
}

void gateway::on_voice_state(const std::shared_ptr<gateway_connection>& conn, const json::object& d) {
  auto guild = vb::json::get_snowflake(d, "guild_id");
  if (!guild) return conn->close(gateway_close::decode_error, "Invalid voice state payload.");
  snowflake channel = 0;
  if (auto* ch = vb::json::find(d, "channel_id"); ch && !ch->is_null()) {
    auto parsed = vb::json::get_snowflake(d, "channel_id");
    if (!parsed) return conn->close(gateway_close::decode_error, "Invalid voice state payload.");
    channel = *parsed;
  }
  auto& s = *conn->session;
  if (shard_of(*guild, s.num_shards) != s.shard) {
    c_.log.debug("gateway: op 4 for guild {} on shard {} which does not own it; ignored", *guild, s.shard);
    return;
  }
  if (!c_.w.find_guild(*guild)) return;
  c_.act->bot_voice_update(s, *guild, channel, vb::json::get_bool(d, "self_mute").value_or(false),
                           vb::json::get_bool(d, "self_deaf").value_or(false));
}

void gateway::on_request_members(const std::shared_ptr<gateway_connection>& conn, const json::object& d) {
  auto guild = vb::json::get_snowflake(d, "guild_id");
  auto& s = *conn->session;
  const auto* g = guild ? c_.w.find_guild(*guild) : nullptr;
  if (!g || shard_of(g->id, s.num_shards) != s.shard) return;
  const auto query = vb::json::get_string(d, "query").value_or("");
  const auto limit = vb::json::get_int(d, "limit").value_or(0);
  std::vector<snowflake> wanted;
  if (auto* ids = vb::json::get_array(d, "user_ids"))
    for (auto& v : *ids)
      if (v.is_string())
        if (auto id = vb::json::parse_u64(v.get_string())) wanted.push_back(*id);
  json::array members;
  for (auto& [uid, m] : g->members) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), uid) == wanted.end()) continue;
    const auto* u = c_.w.find_user(uid);
    if (wanted.empty() && !query.empty() && (!u || !u->username.starts_with(query))) continue;
    members.push_back(member_json(c_.w, *g, m, true));
    if (limit > 0 && static_cast<std::int64_t>(members.size()) >= limit) break;
  }
  json::object chunk{{"guild_id", id_string(g->id)}, {"members", std::move(members)}, {"chunk_index", 0},
                     {"chunk_count", 1}};
  if (auto* nonce = vb::json::find(d, "nonce")) chunk["nonce"] = *nonce;
  dispatch(s, "GUILD_MEMBERS_CHUNK", json::serialize(chunk));
}

void gateway::detach(gateway_connection& conn, std::uint16_t code, bool by_client) {
  auto s = conn.session;
  if (!s || s->conn.get() != &conn) return;
  s->conn.reset();
  s->detached_at = c_.clk.now();
  if (invalidates_session(code, by_client)) {
    c_.log.info("gateway: session {} ended (close {})", s->id, code);
    sessions_.erase(s->id);
  }
}

void gateway::expire_sessions() {
  const auto now = c_.clk.now();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto& s = *it->second;
    if (!s.conn && s.detached_at && now - *s.detached_at > c_.opts.resume_window) it = sessions_.erase(it);
    else ++it;
  }
}

void gateway::dispatch_guild(snowflake guild, std::string_view event, const json::value& d,
                             std::uint64_t required_intent) {
  std::string dj;
  for (auto& [id, s] : sessions_) {
    const int shard = guild ? shard_of(guild, s->num_shards) : 0;
    if (shard != s->shard) continue;
    if (required_intent && !(s->intents & required_intent)) continue;
    if (dj.empty()) dj = json::serialize(d);
    dispatch(*s, event, dj);
  }
}

void gateway::dispatch_guild_create(const guild_rec& g) {
  for (auto& [id, s] : sessions_)
    if (shard_of(g.id, s->num_shards) == s->shard)
      dispatch(*s, "GUILD_CREATE", json::serialize(guild_create_json(c_.w, g, s->intents)));
}

void gateway::dispatch(gateway_session& s, std::string_view event, std::string_view d_json) {
  const std::int64_t seq = ++s.seq;
  std::string frame = fmt::format(R"({{"op":0,"s":{},"t":"{}","d":{}}})", seq, event, d_json);
  if (s.conn && s.conn->open()) s.conn->send_frame(frame);
  s.replay.emplace_back(seq, std::move(frame));
  while (s.replay.size() > c_.opts.replay_buffer_messages) s.replay.pop_front();
}

int gateway::inject_fault(int shard, gateway_fault f, std::uint16_t code) {
  int n = 0;
  // By connection, not by session: a connection keeps its (maybe invalidated) session.
  std::vector<std::shared_ptr<gateway_connection>> targets;
  for (auto& conn : connections_)
    if (conn->session && conn->session->shard == shard && conn->open()) targets.push_back(conn);
  for (auto& conn : targets) {
    auto s = conn->session;
    ++n;
    switch (f) {
      case gateway_fault::abort_tcp: conn->abort(); break;
      case gateway_fault::close: conn->close(code, "Fault injected"); break;
      case gateway_fault::reconnect: send_op(*conn, 7, "null"); break;
      case gateway_fault::invalid_session_resumable: send_op(*conn, 9, "true"); break;
      case gateway_fault::invalid_session:
        send_op(*conn, 9, "false");
        sessions_.erase(s->id);
        break;
    }
  }
  return n;
}

std::vector<gateway_session_info> gateway::sessions() const {
  std::vector<gateway_session_info> out;
  for (auto& [id, s] : sessions_) {
    gateway_session_info i;
    i.session_id = s->id;
    i.shard = s->shard;
    i.num_shards = s->num_shards;
    i.intents = s->intents;
    i.seq = s->seq;
    i.connected = s->conn && s->conn->open();
    i.resumes = s->resumes;
    i.compression = s->compression;
    i.compressed = !i.compression.empty();
    out.push_back(std::move(i));
  }
  return out;
}

int gateway::identify_count(int shard) const {
  auto it = identifies_.find(shard);
  return it == identifies_.end() ? 0 : it->second;
}

int gateway::resume_count(int shard) const {
  auto it = resumes_.find(shard);
  return it == resumes_.end() ? 0 : it->second;
}

void gateway::stop() {
  for (auto& conn : connections_) conn->close(1001, "Server shutting down");
}

}  // namespace vb::fake::detail
