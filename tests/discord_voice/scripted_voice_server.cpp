#include "scripted_voice_server.hpp"

#include <algorithm>
#include <stdexcept>

#include "vectobeat/voice/ip_discovery.hpp"
#include "vectobeat/voice/udp_endpoint.hpp"

namespace vb::voice::test {

struct scripted_voice_server::impl : std::enable_shared_from_this<impl> {
  impl(asio::any_io_executor e, scripted_server_options o) : ex(e), opts(std::move(o)), udp(e) {
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0xA0 + i);
  }

  asio::any_io_executor ex;
  scripted_server_options opts;
  secret_key key{};
  std::unique_ptr<net::http_server> http;
  udp_endpoint udp;
  bool stopped = false;

  std::shared_ptr<net::websocket> current;
  int connections = 0;
  int live = 0;
  std::int64_t seq = -1;
  bool identified = false;  // a session exists that Resume may continue
  bool speaking = false;
  std::optional<cipher> session_cipher;
  std::optional<encryption_mode> mode;
  std::vector<client_message> messages;
  std::vector<received_packet> packets;
  std::size_t keep_alives = 0;
  std::size_t discovery_requests = 0;
  std::size_t undecryptable = 0;

  void send(const std::shared_ptr<net::websocket>& ws, gateway_payload p, bool with_seq) {
    std::optional<std::int64_t> s;
    if (with_seq) s = ++seq;
    ws->send_text(encode(gateway_message{std::move(p), s}));
  }

  void on_message(const std::shared_ptr<net::websocket>& ws, int conn, const gateway_message& m) {
    messages.push_back({conn, m});
    std::visit(
        [&](const auto& p) {
          using T = std::decay_t<decltype(p)>;
          if constexpr (std::is_same_v<T, identify_payload>) {
            if (p.token != opts.token || p.session_id != opts.session_id) {
              ws->close(4004, "Authentication failed");
              return;
            }
            identified = true;
            speaking = false;
            session_cipher.reset();
            send(ws, ready_payload{opts.ssrc, "127.0.0.1", udp.local_endpoint().port(), opts.modes}, true);
          } else if constexpr (std::is_same_v<T, select_protocol_payload>) {
            auto chosen = parse_encryption_mode(p.mode);
            if (!chosen || std::find(opts.modes.begin(), opts.modes.end(), p.mode) == opts.modes.end()) {
              ws->close(4016, "Unknown encryption mode");
              return;
            }
            mode = chosen;
            session_cipher.emplace(*chosen, key);
            session_description_payload sd;
            sd.mode = p.mode;
            std::copy(key.begin(), key.end(), sd.secret_key.begin());
            sd.dave_protocol_version = opts.dave_protocol_version;
            send(ws, sd, true);
          } else if constexpr (std::is_same_v<T, heartbeat_payload>) {
            if (opts.ack_heartbeats) send(ws, heartbeat_ack_payload{p.t}, false);
          } else if constexpr (std::is_same_v<T, speaking_payload>) {
            speaking = p.speaking != 0;
          } else if constexpr (std::is_same_v<T, resume_payload>) {
            if (!identified || p.token != opts.token || p.session_id != opts.session_id) {
              ws->close(4006, "Session is no longer valid");
              return;
            }
            send(ws, resumed_payload{}, false);
          }
        },
        m.payload);
  }

  task<void> run_session(std::shared_ptr<net::websocket> ws) {
    const int conn = ++connections;
    ++live;
    current = ws;
    send(ws, hello_payload{opts.heartbeat_interval_ms}, false);
    for (;;) {
      auto msg = co_await ws->read();
      if (!msg) break;
      if (msg->kind != net::ws_kind::text) continue;
      auto m = decode_gateway_message(msg->data);
      if (!m) {
        ws->close(4002, "Failed to decode payload");
        continue;
      }
      on_message(ws, conn, *m);
    }
    --live;
    if (current == ws) current.reset();
  }

  task<void> run_udp() {
    std::vector<std::uint8_t> buf(2048), plain(2048);
    for (;;) {
      asio::ip::udp::endpoint from;
      auto n = co_await udp.receive_from(buf, from);
      if (stopped || !udp.is_open()) co_return;
      if (!n) continue;
      std::span<const std::uint8_t> d(buf.data(), *n);
      if (is_keep_alive(d)) {
        ++keep_alives;
        continue;
      }
      if (auto req = parse_ip_discovery(d); req && req->type == ip_discovery_type::request) {
        ++discovery_requests;
        if (opts.answer_ip_discovery && req->ssrc == opts.ssrc)
          udp.send_to(*make_ip_discovery_response(req->ssrc, from.address().to_string(), from.port()), from);
        continue;
      }
      if (!session_cipher) {
        ++undecryptable;
        continue;
      }
      auto opened = session_cipher->open_rtp(d, plain);
      if (!opened) {
        ++undecryptable;
        continue;
      }
      packets.push_back({opened->info.header, {opened->payload.begin(), opened->payload.end()}, speaking});
    }
  }
};

scripted_voice_server::scripted_voice_server(asio::any_io_executor ex, scripted_server_options opts)
    : impl_(std::make_shared<impl>(ex, std::move(opts))) {
  auto self = impl_;
  if (auto ec = impl_->udp.bind({asio::ip::make_address("127.0.0.1"), 0}))
    throw std::runtime_error("scripted voice server: UDP bind failed: " + ec.message());
  net::server_options so;
  so.name = "voice-test";
  so.tls = impl_->opts.tls;
  std::weak_ptr<impl> weak = impl_;
  impl_->http = std::make_unique<net::http_server>(
      ex, so, [](net::http_request&) -> task<net::http_response> { co_return net::http_response::empty(404); },
      [weak](net::http_request& req) -> task<net::upgrade_result> {
        auto self = weak.lock();
        if (!self || req.query_param("v") != "8") co_return net::http_response::error(400, "v=8 required");
        net::ws_accept a;
        a.run = [self](std::shared_ptr<net::websocket> ws) { return self->run_session(std::move(ws)); };
        co_return a;
      });
  impl_->http->listen("127.0.0.1", 0);
  spawn(ex, [](std::shared_ptr<impl> s) -> task<void> { co_await s->run_udp(); }(self), "scripted voice udp");
}

scripted_voice_server::~scripted_voice_server() { stop(); }

void scripted_voice_server::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->http->stop();
  impl_->udp.close();
}

std::string scripted_voice_server::endpoint() const { return "127.0.0.1:" + std::to_string(impl_->http->port()); }
std::uint16_t scripted_voice_server::udp_port() const { return impl_->udp.local_endpoint().port(); }
scripted_server_options& scripted_voice_server::options() { return impl_->opts; }
const secret_key& scripted_voice_server::key() const { return impl_->key; }

void scripted_voice_server::close_current(std::uint16_t code, std::string reason) {
  if (impl_->current) impl_->current->close(code, std::move(reason));
}
void scripted_voice_server::abort_current() {
  if (impl_->current) impl_->current->abort();
}
void scripted_voice_server::send_json(gateway_payload p, bool with_seq) {
  if (impl_->current) impl_->send(impl_->current, std::move(p), with_seq);
}
void scripted_voice_server::send_binary(std::string frame) {
  if (impl_->current) impl_->current->send_binary(std::move(frame));
}

int scripted_voice_server::connections() const { return impl_->connections; }
int scripted_voice_server::live_connections() const { return impl_->live; }
const std::vector<client_message>& scripted_voice_server::messages() const { return impl_->messages; }

std::size_t scripted_voice_server::count(voice_opcode op) const {
  return static_cast<std::size_t>(std::count_if(impl_->messages.begin(), impl_->messages.end(), [op](auto& m) {
    return m.message.opcode() == static_cast<int>(op);
  }));
}

const client_message* scripted_voice_server::last(voice_opcode op) const {
  for (auto it = impl_->messages.rbegin(); it != impl_->messages.rend(); ++it)
    if (it->message.opcode() == static_cast<int>(op)) return &*it;
  return nullptr;
}

std::int64_t scripted_voice_server::last_seq() const { return impl_->seq; }
const std::vector<received_packet>& scripted_voice_server::packets() const { return impl_->packets; }
std::size_t scripted_voice_server::keep_alives() const { return impl_->keep_alives; }
std::size_t scripted_voice_server::discovery_requests() const { return impl_->discovery_requests; }
std::size_t scripted_voice_server::undecryptable() const { return impl_->undecryptable; }
std::optional<encryption_mode> scripted_voice_server::selected_mode() const { return impl_->mode; }

}  // namespace vb::voice::test
