#include "voice_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "certificate.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/fake_discord/wav.hpp"
#include "vectobeat/voice/dave_frame.hpp"
#include "vectobeat/voice/ip_discovery.hpp"
#include "vectobeat/voice/rtp.hpp"

namespace vb::fake::detail {

namespace {

// Voice close codes (discord.md §8.6).
constexpr std::uint16_t close_unknown_opcode = 4001;
constexpr std::uint16_t close_decode_error = 4002;
constexpr std::uint16_t close_not_authenticated = 4003;
constexpr std::uint16_t close_authentication_failed = 4004;
constexpr std::uint16_t close_already_authenticated = 4005;
constexpr std::uint16_t close_session_invalid = 4006;
constexpr std::uint16_t close_session_timeout = 4009;
constexpr std::uint16_t close_unknown_protocol = 4012;
constexpr std::uint16_t close_disconnected = 4014;
constexpr std::uint16_t close_unknown_mode = 4016;
constexpr std::uint16_t close_dave_required = 4017;

constexpr std::size_t max_voice_ws_message = 256 * 1024;
constexpr std::size_t max_buffered_messages = 64;
constexpr std::size_t max_ended_connections = 256;
constexpr std::size_t udp_buffer_size = voice::max_packet_size + 1;

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

std::mt19937_64& rng() {
  static thread_local std::mt19937_64 r{std::random_device{}()};
  return r;
}

}  // namespace

void voice_ws::close(std::uint16_t code, std::string reason) {
  if (closed) return;
  closed = true;
  if (watchdog) watchdog->cancel();
  ws->close(code, std::move(reason));
}

voice_server::voice_server(core& c) : c_(c), next_ssrc_(1000 + static_cast<std::uint32_t>(rng()() % 100000)) {}
voice_server::~voice_server() = default;

void voice_server::start() {
  net::server_options so;
  so.name = "fake-voice";
  so.limits.max_ws_message_bytes = max_voice_ws_message;
  if (c_.opts.voice_tls) {
    pki_ = std::make_unique<test_pki>(c_.opts.public_host);
    so.tls = net::tls_files{pki_->chain_file(), pki_->key_file()};
  }
  auto on_request = [](net::http_request& req) -> task<net::http_response> {
    co_return net::http_response::error(404, "This is the voice gateway: connect with a WebSocket", std::string(req.path()));
  };
  auto on_upgrade = [this](net::http_request& req) -> task<net::upgrade_result> {
    auto v = req.query_param("v");
    auto version = v ? vb::json::parse_i64(*v) : std::nullopt;
    if (!version || *version < 4 || *version > 8)
      co_return net::http_response::error(400, "voice gateway version 4-8 required (?v=8)", std::string(req.path()));
    net::ws_accept a;
    a.run = [this](std::shared_ptr<net::websocket> ws) -> task<void> {
      auto op = asio::co_spawn(c_.strand, run_session(std::move(ws)), asio::use_awaitable);
      co_await std::move(op);
    };
    co_return a;
  };
  http_ = std::make_unique<net::http_server>(c_.strand.get_inner_executor(), std::move(so), on_request, on_upgrade);
  http_->listen(c_.opts.address, c_.opts.voice_port);

  udp_ = std::make_unique<voice::udp_endpoint>(c_.strand);
  if (auto ec = udp_->bind({asio::ip::make_address(c_.opts.address), 0}))
    throw std::runtime_error("fake voice: cannot bind UDP on " + c_.opts.address + ": " + ec.message());
  udp_port_ = udp_->local_endpoint().port();
  spawn(c_.strand, run_udp(), "fake voice udp");
}

void voice_server::stop() {
  if (http_) http_->stop();
  if (udp_) udp_->close();
  for (auto& s : sockets_) s->close(1001, "Server shutting down");
}

std::uint16_t voice_server::port() const { return http_ ? http_->port() : 0; }
std::string voice_server::ca_file() const { return pki_ ? pki_->ca_file() : std::string(); }

// ---------------------------------------------------------------- WebSocket

task<void> voice_server::run_session(std::shared_ptr<net::websocket> ws) {
  task_guard guard(c_);
  auto vws = std::make_shared<voice_ws>();
  vws->ws = ws;
  vws->last_heartbeat = c_.clk.now();
  sockets_.push_back(vws);
  send_plain(*vws, voice::hello_payload{c_.opts.voice_heartbeat_interval.count()});
  vws->watchdog = c_.clk.make_timer(c_.strand);
  spawn(c_.strand, run_watchdog(vws), "fake voice watchdog");
  for (;;) {
    auto msg = co_await ws->read();
    if (!msg) break;
    if (vws->closed) continue;
    if (msg->kind == net::ws_kind::text) on_text(vws, msg->data);
    else on_binary(vws, msg->data);
    c_.notify();
  }
  const auto info = ws->close_info();
  detach(*vws, info.code, info.by_remote);
  vws->closed = true;
  if (vws->watchdog) vws->watchdog->cancel();
  std::erase(sockets_, vws);
  c_.notify();
}

task<void> voice_server::run_watchdog(std::shared_ptr<voice_ws> vws) {
  task_guard guard(c_);
  const auto timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      c_.opts.voice_heartbeat_interval * c_.opts.heartbeat_timeout_factor);
  while (!vws->closed) {
    const bool fired = co_await vws->watchdog->wait_until(vws->last_heartbeat + timeout);
    if (!fired || vws->closed) co_return;
    if (c_.clk.now() >= vws->last_heartbeat + timeout) {
      vws->close(close_session_timeout, "Session timeout");
      c_.notify();
      co_return;
    }
  }
}

void voice_server::send_plain(voice_ws& vws, voice::gateway_payload p) {
  if (!vws.closed) vws.ws->send_text(voice::encode(std::move(p)));
}

void voice_server::send_seq(voice_conn& conn, voice::gateway_payload p) {
  const auto seq = ++conn.seq;
  std::string text = voice::encode(std::move(p), seq);
  if (conn.ws && !conn.ws->closed) conn.ws->ws->send_text(text);
  conn.buffered.emplace_back(seq, std::move(text));
  while (conn.buffered.size() > max_buffered_messages) conn.buffered.pop_front();
}

void voice_server::on_text(const std::shared_ptr<voice_ws>& vws, std::string_view text) {
  auto m = voice::decode_gateway_message(text);
  if (!m) return vws->close(close_decode_error, "Failed to decode payload");
  auto need_session = [&]() -> voice_conn* {
    if (!vws->conn) vws->close(close_not_authenticated, "Not authenticated");
    return vws->conn.get();
  };
  std::visit(overloaded{
                 [&](const voice::identify_payload& p) { on_identify(vws, p); },
                 [&](const voice::select_protocol_payload& p) { on_select_protocol(vws, p); },
                 [&](const voice::resume_payload& p) { on_resume(vws, p); },
                 [&](const voice::heartbeat_payload& p) {
                   vws->last_heartbeat = c_.clk.now();
                   send_plain(*vws, voice::heartbeat_ack_payload{p.t});
                 },
                 [&](const voice::speaking_payload& p) {
                   if (auto* conn = need_session()) {
                     conn->speaking = p.speaking;
                     conn->rec.set_speaking(p.speaking);
                   }
                 },
                 [&](const voice::dave_transition_ready_payload& p) {
                   if (need_session())
                     c_.log.debug("voice: transition ready {} ignored (DAVE version 0)", p.transition_id);
                 },
                 [&](const voice::dave_invalid_commit_welcome_payload& p) {
                   if (need_session())
                     c_.log.debug("voice: invalid commit/welcome {} ignored (DAVE version 0)", p.transition_id);
                 },
                 [&](const auto&) { vws->close(close_unknown_opcode, "Unknown opcode"); },
             },
             m->payload);
}

void voice_server::on_binary(const std::shared_ptr<voice_ws>& vws, std::string_view data) {
  // The DAVE MLS opcodes (26 key package, 28 commit/welcome) arrive here. DAVE is
  // negotiated as version 0 for now, so they are validated and counted, not acted on.
  auto frame = voice::decode_client_dave_frame(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  if (!frame) return vws->close(close_unknown_opcode, "Unknown opcode");
  if (!vws->conn) return vws->close(close_not_authenticated, "Not authenticated");
  c_.log.debug("voice: [conn {}] DAVE {} ({} bytes) ignored: DAVE version 0", vws->conn->id,
               voice::to_string(frame->opcode), frame->payload.size());
}

void voice_server::on_identify(const std::shared_ptr<voice_ws>& vws, const voice::identify_payload& p) {
  if (vws->conn) return vws->close(close_already_authenticated, "Already authenticated");
  auto g = grants_.find({p.server_id, p.user_id});
  if (g == grants_.end() || g->second.session_id != p.session_id || g->second.token != p.token) {
    c_.log.warn("voice: Identify for guild {} with unknown session or token from {}", p.server_id,
                vws->ws->remote_address());
    return vws->close(close_authentication_failed, "Authentication failed");
  }
  if (c_.opts.require_dave && p.max_dave_protocol_version < 1)
    return vws->close(close_dave_required, "E2EE/DAVE protocol required");
  // A new Identify replaces the grant's earlier connections.
  for (auto& [id, old] : conns_)
    if (!old->ended && old->grant.guild == p.server_id && old->grant.user == p.user_id) {
      if (old->ws) old->ws->close(close_session_invalid, "Session replaced");
      end(*old);
    }
  auto conn = std::make_shared<voice_conn>(static_cast<std::size_t>(c_.opts.max_recording.count()) * 50);
  conn->id = ++next_id_;
  conn->grant = g->second;
  conn->ssrc = ++next_ssrc_;
  conn->max_dave = p.max_dave_protocol_version;
  conn->ws = vws;
  vws->conn = conn;
  prune();
  conns_[conn->id] = conn;
  by_ssrc_[conn->ssrc] = conn;
  c_.log.info("voice: [conn {}] guild {} user {} identified (ssrc {})", conn->id, p.server_id, p.user_id, conn->ssrc);
  send_seq(*conn, voice::ready_payload{conn->ssrc, c_.opts.public_host, udp_port_,
                                       {"aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"}});
}

void voice_server::on_select_protocol(const std::shared_ptr<voice_ws>& vws, const voice::select_protocol_payload& p) {
  auto conn = vws->conn;
  if (!conn) return vws->close(close_not_authenticated, "Not authenticated");
  if (p.protocol != "udp") return vws->close(close_unknown_protocol, "Unknown protocol");
  auto mode = voice::parse_encryption_mode(p.mode);
  if (!mode) return vws->close(close_unknown_mode, "Unknown encryption mode");
  voice::session_description_payload sd;
  for (auto& b : sd.secret_key) b = static_cast<std::uint8_t>(rng()() & 0xFF);
  sd.mode = p.mode;
  sd.dave_protocol_version = 0;
  conn->cipher.emplace(*mode, sd.secret_key);
  conn->mode = p.mode;
  conn->ready = true;
  c_.log.info("voice: [conn {}] selected {}", conn->id, p.mode);
  send_seq(*conn, sd);
  voice::clients_connect_payload others;
  if (auto* g = c_.w.find_guild(conn->grant.guild))
    for (auto& [uid, v] : g->voice_states)
      if (v.channel_id == conn->grant.channel && uid != conn->grant.user) others.user_ids.push_back(uid);
  if (!others.user_ids.empty()) send_seq(*conn, others);
}

void voice_server::on_resume(const std::shared_ptr<voice_ws>& vws, const voice::resume_payload& p) {
  if (vws->conn) return vws->close(close_already_authenticated, "Already authenticated");
  std::shared_ptr<voice_conn> conn;
  for (auto& [id, c] : conns_)
    if (!c->ended && c->grant.guild == p.server_id && c->grant.session_id == p.session_id && c->grant.token == p.token)
      conn = c;
  const auto now = c_.clk.now();
  if (conn && conn->detached_at && now - *conn->detached_at > c_.opts.voice_resume_window) {
    end(*conn);
    conn.reset();
  }
  if (!conn) return vws->close(close_session_invalid, "Session is no longer valid");
  if (conn->ws && conn->ws != vws) {
    conn->ws->conn.reset();
    conn->ws->close(close_session_invalid, "Session resumed elsewhere");
  }
  conn->ws = vws;
  conn->detached_at.reset();
  ++conn->resumes;
  vws->conn = conn;
  send_plain(*vws, voice::resumed_payload{});
  const std::int64_t ack = p.seq_ack.value_or(-1);
  for (auto& [seq, text] : conn->buffered)
    if (seq > ack) vws->ws->send_text(text);
  c_.log.info("voice: [conn {}] resumed (seq_ack {})", conn->id, ack);
}

void voice_server::detach(voice_ws& vws, std::uint16_t code, bool by_client) {
  auto conn = vws.conn;
  if (!conn || conn->ws.get() != &vws) return;
  conn->ws.reset();
  conn->close_code = code;
  conn->detached_at = c_.clk.now();
  const bool clean_leave = by_client && (code == 1000 || code == 1001);
  const bool resumable = (code < 4000 && !clean_leave) || code == 4015;
  if (!resumable) end(*conn);
}

void voice_server::end(voice_conn& conn) {
  if (conn.ended) return;
  conn.ended = true;
  if (auto it = by_ssrc_.find(conn.ssrc); it != by_ssrc_.end() && it->second.get() == &conn) by_ssrc_.erase(it);
  if (!c_.opts.recording_dir.empty() && conn.rec.stats().packets > 0) {
    const auto path = std::filesystem::path(c_.opts.recording_dir) /
                      ("voice-" + std::to_string(conn.grant.guild) + "-" + std::to_string(conn.id) + ".wav");
    std::ofstream out(path, std::ios::binary);
    const auto pcm = conn.rec.render();
    const auto wav = encode_wav(pcm);
    out.write(wav.data(), static_cast<std::streamsize>(wav.size()));
    if (!out) c_.log.warn("voice: cannot write the recording {}", path.string());
    else c_.log.info("voice: [conn {}] recording written to {}", conn.id, path.string());
  }
}

void voice_server::prune() {
  std::size_t ended = 0;
  for (auto& [id, c] : conns_) ended += c->ended;
  for (auto it = conns_.begin(); it != conns_.end() && ended > max_ended_connections;) {
    if (it->second->ended) {
      it = conns_.erase(it);
      --ended;
    } else {
      ++it;
    }
  }
}

// ---------------------------------------------------------------- grants

void voice_server::grant(voice_grant g) {
  const auto key = std::make_pair(g.guild, g.user);
  if (auto it = grants_.find(key); it != grants_.end() && it->second.token != g.token)
    revoke(g.guild, g.user, close_disconnected, "Disconnected.");
  grants_[key] = std::move(g);
}

void voice_server::revoke(snowflake guild, snowflake user, std::uint16_t code, const std::string& reason) {
  grants_.erase({guild, user});
  for (auto& [id, conn] : conns_)
    if (!conn->ended && conn->grant.guild == guild && conn->grant.user == user) {
      if (conn->ws) {
        conn->close_code = code;
        conn->ws->close(code, reason);
      }
      end(*conn);
    }
}

bool voice_server::has_live_connection(snowflake guild, snowflake user) const {
  auto g = grants_.find({guild, user});
  if (g == grants_.end()) return false;
  for (auto& [id, conn] : conns_)
    if (!conn->ended && conn->grant.token == g->second.token && conn->ws && !conn->ws->closed) return true;
  return false;
}

void voice_server::user_joined(snowflake guild, snowflake channel, snowflake user) {
  for (auto& [id, conn] : conns_)
    if (!conn->ended && conn->ready && conn->grant.guild == guild && conn->grant.channel == channel &&
        conn->grant.user != user)
      send_seq(*conn, voice::clients_connect_payload{{user}});
}

void voice_server::user_left(snowflake guild, snowflake channel, snowflake user) {
  for (auto& [id, conn] : conns_)
    if (!conn->ended && conn->ready && conn->grant.guild == guild && conn->grant.channel == channel &&
        conn->grant.user != user)
      send_seq(*conn, voice::client_disconnect_payload{user});
}

// ---------------------------------------------------------------- UDP

task<void> voice_server::run_udp() {
  task_guard guard(c_);
  std::vector<std::uint8_t> buf(udp_buffer_size);
  for (;;) {
    asio::ip::udp::endpoint from;
    auto n = co_await udp_->receive_from(buf, from);
    if (c_.stopped || !udp_->is_open()) co_return;
    if (!n) continue;  // ICMP errors and truncated datagrams: keep receiving
    on_datagram(std::span<const std::uint8_t>(buf.data(), *n), from);
    c_.notify();
  }
}

void voice_server::on_datagram(std::span<const std::uint8_t> d, const asio::ip::udp::endpoint& from) {
  if (voice::is_keep_alive(d)) {
    for (auto& [id, conn] : conns_)
      if (!conn->ended && conn->remote == from) conn->rec.on_keep_alive();
    return;
  }
  if (d.size() == voice::ip_discovery_size) {
    if (auto req = voice::parse_ip_discovery(d); req && req->type == voice::ip_discovery_type::request) {
      auto it = by_ssrc_.find(req->ssrc);
      if (it == by_ssrc_.end()) return;
      it->second->remote = from;
      if (auto res = voice::make_ip_discovery_response(req->ssrc, from.address().to_string(), from.port()))
        udp_->send_to(*res, from);
      return;
    }
  }
  if (voice::is_rtcp(d)) return;
  auto info = voice::parse_rtp(d);
  if (!info) {
    ++unknown_datagrams_;
    return;
  }
  auto it = by_ssrc_.find(info->header.ssrc);
  if (it == by_ssrc_.end()) {
    ++unknown_datagrams_;
    return;
  }
  auto& conn = *it->second;
  if (!conn.cipher) return conn.rec.on_decrypt_failure();
  std::array<std::uint8_t, udp_buffer_size> plain;
  auto opened = conn.cipher->open_rtp(d, plain);
  if (!opened) return conn.rec.on_decrypt_failure();
  conn.rec.on_packet(opened->info.header.sequence, opened->info.header.timestamp, c_.clk.now(), opened->payload);
}

// ---------------------------------------------------------------- reading

voice_connection_info voice_server::info(const voice_conn& c) const {
  voice_connection_info i;
  i.id = c.id;
  i.guild_id = c.grant.guild;
  i.channel_id = c.grant.channel;
  i.user_id = c.grant.user;
  i.ssrc = c.ssrc;
  i.mode = c.mode;
  i.max_dave_protocol_version = c.max_dave;
  i.ready = c.ready;
  i.open = c.ws && !c.ws->closed;
  i.ended = c.ended;
  i.resumes = c.resumes;
  i.close_code = c.close_code;
  i.stats = c.rec.stats();
  return i;
}

std::vector<voice_connection_info> voice_server::connections() const {
  std::vector<voice_connection_info> out;
  for (auto& [id, c] : conns_) out.push_back(info(*c));
  return out;
}

std::optional<voice_connection_info> voice_server::connection(std::uint64_t id) const {
  auto it = conns_.find(id);
  if (it == conns_.end()) return std::nullopt;
  return info(*it->second);
}

std::optional<voice_recorder> voice_server::recorder_copy(std::uint64_t id) const {
  auto it = conns_.find(id);
  if (it == conns_.end()) return std::nullopt;
  return it->second->rec;
}

std::error_code voice_server::close_connection(std::uint64_t id, std::uint16_t code) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return fake_error::unknown_connection;
  auto& conn = *it->second;
  if (!conn.ws) return fake_error::invalid_argument;
  conn.ws->close(code, "Closed by the control API");
  return {};
}

}  // namespace vb::fake::detail
