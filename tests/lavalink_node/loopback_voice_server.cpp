#include "lavalink_node/loopback_voice_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "vectobeat/voice/cipher.hpp"
#include "vectobeat/voice/gateway_message.hpp"
#include "vectobeat/voice/ip_discovery.hpp"
#include "vectobeat/voice/rtp.hpp"
#include "vectobeat/voice/udp_endpoint.hpp"

namespace vb::node::test {

using namespace vb::voice;

struct loopback_voice_server::impl : std::enable_shared_from_this<impl> {
  struct session_state {
    std::uint64_t guild = 0;
    std::uint32_t ssrc = 0;
    std::optional<cipher> rx;
    std::string mode;
    bool speaking = false;
    int identified = 0;
    std::vector<recorded_frame> frames;
    std::size_t count = 0;
    std::shared_ptr<net::websocket> ws;
  };

  impl(asio::any_io_executor e, loopback_voice_options o) : ex(e), opts(std::move(o)), udp(e) {}

  asio::any_io_executor ex;
  loopback_voice_options opts;
  udp_endpoint udp;
  std::unique_ptr<net::http_server> http;
  mutable std::mutex mu;
  std::map<std::uint64_t, session_state> by_guild;
  std::map<std::uint32_t, std::uint64_t> guild_of_ssrc;
  std::uint32_t next_ssrc = 1000;
  std::uint64_t packets = 0;
  std::uint64_t bad = 0;
  bool stopped = false;
  std::int64_t seq = 0;

  static secret_key key_for(std::uint32_t ssrc) {
    secret_key k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(ssrc * 31 + i * 7);
    return k;
  }

  void send(const std::shared_ptr<net::websocket>& ws, gateway_payload p, bool with_seq) {
    std::optional<std::int64_t> s;
    if (with_seq) s = ++seq;
    ws->send_text(encode(gateway_message{std::move(p), s}));
  }

  task<void> run_session(std::shared_ptr<net::websocket> ws) {
    send(ws, hello_payload{1000}, false);
    std::uint64_t guild = 0;
    for (;;) {
      auto msg = co_await ws->read();
      if (!msg) break;
      if (msg->kind != net::ws_kind::text) continue;
      auto m = decode_gateway_message(msg->data);
      if (!m) {
        ws->close(4002, "Failed to decode payload");
        continue;
      }
      std::lock_guard lk(mu);
      std::visit(
          [&](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, identify_payload>) {
              guild = p.server_id;
              auto& s = by_guild[guild];
              s.guild = guild;
              s.ssrc = next_ssrc++;
              s.rx.reset();
              s.ws = ws;
              ++s.identified;
              guild_of_ssrc[s.ssrc] = guild;
              send(ws, ready_payload{s.ssrc, "127.0.0.1", udp_port(), opts.modes}, true);
            } else if constexpr (std::is_same_v<T, select_protocol_payload>) {
              auto it = by_guild.find(guild);
              auto chosen = parse_encryption_mode(p.mode);
              if (it == by_guild.end() || !chosen) {
                ws->close(4016, "Unknown encryption mode");
                return;
              }
              const auto key = key_for(it->second.ssrc);
              it->second.rx.emplace(*chosen, key);
              it->second.mode = p.mode;
              session_description_payload sd;
              sd.mode = p.mode;
              std::copy(key.begin(), key.end(), sd.secret_key.begin());
              send(ws, sd, true);
            } else if constexpr (std::is_same_v<T, heartbeat_payload>) {
              send(ws, heartbeat_ack_payload{p.t}, false);
            } else if constexpr (std::is_same_v<T, speaking_payload>) {
              if (auto it = by_guild.find(guild); it != by_guild.end()) it->second.speaking = p.speaking != 0;
            } else if constexpr (std::is_same_v<T, resume_payload>) {
              guild = p.server_id;
              if (auto it = by_guild.find(guild); it != by_guild.end()) {
                it->second.ws = ws;
                send(ws, resumed_payload{}, false);
              } else {
                ws->close(4006, "Session is no longer valid");
              }
            }
          },
          m->payload);
    }
  }

  task<void> run_udp() {
    std::vector<std::uint8_t> buf(2048), plain(2048);
    for (;;) {
      asio::ip::udp::endpoint from;
      auto n = co_await udp.receive_from(buf, from);
      if (!udp.is_open()) co_return;
      if (!n) continue;
      on_datagram(std::span<const std::uint8_t>(buf.data(), *n), from, plain,
                  [&](std::span<const std::uint8_t> r) { udp.send_to(r, from); });
    }
  }

  // The polled variant (udp_poll_interval): drains the socket, then sleeps.
  void run_polled_udp() {
    std::vector<std::uint8_t> buf(2048), plain(2048);
    while (!poll_stop.load()) {
      for (;;) {
        sockaddr_in sa{};
        socklen_t len = sizeof sa;
        const auto n = ::recvfrom(poll_fd, buf.data(), buf.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&sa), &len);
        if (n <= 0) break;
        const asio::ip::udp::endpoint from(asio::ip::address_v4(ntohl(sa.sin_addr.s_addr)), ntohs(sa.sin_port));
        on_datagram(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)), from, plain,
                    [&](std::span<const std::uint8_t> r) {
                      (void)::sendto(poll_fd, r.data(), r.size(), 0, reinterpret_cast<const sockaddr*>(&sa), len);
                    });
      }
      std::this_thread::sleep_for(opts.udp_poll_interval);  // the polling period, not a synchronisation
    }
  }

  template <class Reply>
  void on_datagram(std::span<const std::uint8_t> d, const asio::ip::udp::endpoint& from, std::vector<std::uint8_t>& plain,
                   Reply&& reply) {
    if (is_keep_alive(d)) return;
    if (auto req = parse_ip_discovery(d); req && req->type == ip_discovery_type::request) {
      if (auto resp = make_ip_discovery_response(req->ssrc, from.address().to_string(), from.port())) reply(*resp);
      return;
    }
    auto info = parse_rtp(d);
    if (!info) return;
    const auto arrival = std::chrono::steady_clock::now();
    std::lock_guard lk(mu);
    ++packets;
    auto g = guild_of_ssrc.find(info->header.ssrc);
    if (g == guild_of_ssrc.end()) {
      ++bad;
      return;
    }
    auto& s = by_guild[g->second];
    ++s.count;
    if (!opts.record_payloads) return;
    if (!s.rx) {
      ++bad;
      return;
    }
    auto opened = s.rx->open_rtp(d, plain);
    if (!opened) {
      ++bad;
      return;
    }
    s.frames.push_back({{opened->payload.begin(), opened->payload.end()},
                        opened->info.header.sequence,
                        opened->info.header.timestamp,
                        arrival});
  }

  std::uint16_t udp_port() const {
    if (poll_fd < 0) return udp.local_endpoint().port();
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    ::getsockname(poll_fd, reinterpret_cast<sockaddr*>(&sa), &len);
    return ntohs(sa.sin_port);
  }

  int poll_fd = -1;
  std::atomic<bool> poll_stop{false};
  std::thread poll_thread;
};

loopback_voice_server::loopback_voice_server(asio::any_io_executor ex, loopback_voice_options opts)
    : impl_(std::make_shared<impl>(ex, std::move(opts))) {
  if (impl_->opts.udp_poll_interval.count() > 0) {
    impl_->poll_fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (impl_->poll_fd < 0 || ::bind(impl_->poll_fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
      throw std::runtime_error("loopback voice: UDP bind failed");
    const int rcvbuf = 8 << 20;  // a poll interval of packets from thousands of players
    (void)::setsockopt(impl_->poll_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    impl_->poll_thread = std::thread([self = impl_.get()] { self->run_polled_udp(); });
  } else if (auto ec = impl_->udp.bind({asio::ip::make_address("127.0.0.1"), 0})) {
    throw std::runtime_error("loopback voice: UDP bind failed: " + ec.message());
  }
  net::server_options so;
  so.name = "voice-loopback";
  so.tls = impl_->opts.tls;
  std::weak_ptr<impl> weak = impl_;
  auto on_request = [](net::http_request&) -> task<net::http_response> { co_return net::http_response::empty(404); };
  auto on_upgrade = [weak](net::http_request& req) -> task<net::upgrade_result> {
    auto self = weak.lock();
    if (!self || req.query_param("v") != "8") co_return net::http_response::error(400, "v=8 required");
    net::ws_accept a;
    a.run = [self](std::shared_ptr<net::websocket> ws) { return self->run_session(std::move(ws)); };
    co_return a;
  };
  impl_->http = std::make_unique<net::http_server>(ex, so, std::move(on_request), std::move(on_upgrade));
  impl_->http->listen("127.0.0.1", 0);
  auto self = impl_;
  if (impl_->poll_fd < 0) {
    auto udp_loop = [self]() -> task<void> { co_await self->run_udp(); };
    asio::co_spawn(ex, std::move(udp_loop), asio::detached);
  }
}

loopback_voice_server::~loopback_voice_server() { stop(); }

void loopback_voice_server::stop() {
  {
    std::lock_guard lk(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->http->stop();
  impl_->udp.close();
  if (impl_->poll_thread.joinable()) {
    impl_->poll_stop = true;
    impl_->poll_thread.join();
    ::close(impl_->poll_fd);
  }
}

std::string loopback_voice_server::endpoint() const { return "127.0.0.1:" + std::to_string(impl_->http->port()); }

int loopback_voice_server::identified(std::uint64_t guild) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->by_guild.find(guild);
  return it == impl_->by_guild.end() ? 0 : it->second.identified;
}

bool loopback_voice_server::speaking(std::uint64_t guild) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->by_guild.find(guild);
  return it != impl_->by_guild.end() && it->second.speaking;
}

std::string loopback_voice_server::mode(std::uint64_t guild) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->by_guild.find(guild);
  return it == impl_->by_guild.end() ? std::string() : it->second.mode;
}

std::vector<recorded_frame> loopback_voice_server::frames(std::uint64_t guild) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->by_guild.find(guild);
  return it == impl_->by_guild.end() ? std::vector<recorded_frame>{} : it->second.frames;
}

std::size_t loopback_voice_server::frame_count(std::uint64_t guild) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->by_guild.find(guild);
  return it == impl_->by_guild.end() ? 0 : it->second.count;
}

std::uint64_t loopback_voice_server::total_packets() const {
  std::lock_guard lk(impl_->mu);
  return impl_->packets;
}

std::uint64_t loopback_voice_server::undecryptable() const {
  std::lock_guard lk(impl_->mu);
  return impl_->bad;
}

void loopback_voice_server::close_guild(std::uint64_t guild, std::uint16_t code, std::string reason) {
  std::shared_ptr<net::websocket> ws;
  {
    std::lock_guard lk(impl_->mu);
    auto it = impl_->by_guild.find(guild);
    if (it != impl_->by_guild.end()) ws = it->second.ws;
  }
  if (ws) ws->close(code, std::move(reason));
}

}  // namespace vb::node::test
