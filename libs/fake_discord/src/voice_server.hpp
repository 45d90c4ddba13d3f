#pragma once
// Internal: the voice server (discord.md §8-§10): voice gateway v8 on its own listener
// (wss by default), one UDP socket for IP discovery and RTP, transport decryption and a
// recorder per connection. The gateway grants a (guild, user) a session id and token
// with VOICE_SERVER_UPDATE; Identify must present them. Strand only.
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/ip/udp.hpp>

#include "core.hpp"
#include "recorder.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/voice/cipher.hpp"
#include "vectobeat/voice/gateway_message.hpp"
#include "vectobeat/voice/udp_endpoint.hpp"

namespace vb::fake::detail {

class test_pki;

struct voice_grant {
  snowflake guild = 0;
  snowflake user = 0;
  snowflake channel = 0;
  std::string session_id;
  std::string token;
};

struct voice_ws;

struct voice_conn {
  std::uint64_t id = 0;
  voice_grant grant;
  std::uint32_t ssrc = 0;
  int max_dave = 0;
  std::shared_ptr<voice_ws> ws;  // attached WebSocket, if any
  std::optional<voice::cipher> cipher;
  std::string mode;
  std::optional<asio::ip::udp::endpoint> remote;  // learnt from IP discovery
  std::uint32_t speaking = 0;
  std::int64_t seq = 0;  // v8: last "seq" sent
  std::deque<std::pair<std::int64_t, std::string>> buffered;  // seq'd messages for Resume
  bool ready = false;
  bool ended = false;
  std::optional<steady_time> detached_at;
  std::optional<std::uint16_t> close_code;
  int resumes = 0;
  voice_recorder rec;

  explicit voice_conn(std::size_t max_frames) : rec(max_frames) {}
};

struct voice_ws {
  std::shared_ptr<net::websocket> ws;
  std::shared_ptr<voice_conn> conn;
  steady_time last_heartbeat{};
  std::unique_ptr<timer> watchdog;
  bool closed = false;
  void close(std::uint16_t code, std::string reason);
};

class voice_server {
 public:
  explicit voice_server(core& c);
  ~voice_server();

  void start();  // binds the listener and the UDP socket (caller thread; before traffic)
  void stop();
  std::uint16_t port() const;
  std::uint16_t udp_port() const { return udp_port_; }
  std::string ca_file() const;

  // A (guild, user) may now identify with these values; a previous grant's
  // connections are closed with 4014.
  void grant(voice_grant g);
  void revoke(snowflake guild, snowflake user, std::uint16_t code, const std::string& reason);
  bool has_live_connection(snowflake guild, snowflake user) const;
  void user_joined(snowflake guild, snowflake channel, snowflake user);
  void user_left(snowflake guild, snowflake channel, snowflake user);

  std::vector<voice_connection_info> connections() const;
  std::optional<voice_connection_info> connection(std::uint64_t id) const;
  // A copy of the connection's recorder (render it off the strand).
  std::optional<voice_recorder> recorder_copy(std::uint64_t id) const;
  std::error_code close_connection(std::uint64_t id, std::uint16_t code);

 private:
  task<void> run_session(std::shared_ptr<net::websocket> ws);
  task<void> run_watchdog(std::shared_ptr<voice_ws> vws);
  task<void> run_udp();
  void on_text(const std::shared_ptr<voice_ws>& vws, std::string_view text);
  void on_binary(const std::shared_ptr<voice_ws>& vws, std::string_view data);
  void on_identify(const std::shared_ptr<voice_ws>& vws, const voice::identify_payload& p);
  void on_select_protocol(const std::shared_ptr<voice_ws>& vws, const voice::select_protocol_payload& p);
  void on_resume(const std::shared_ptr<voice_ws>& vws, const voice::resume_payload& p);
  void on_datagram(std::span<const std::uint8_t> d, const asio::ip::udp::endpoint& from);
  // Sends a message that v8 may re-deliver on Resume (with "seq").
  void send_seq(voice_conn& conn, voice::gateway_payload p);
  void send_plain(voice_ws& vws, voice::gateway_payload p);
  void end(voice_conn& conn);
  void detach(voice_ws& vws, std::uint16_t code, bool by_client);
  voice_connection_info info(const voice_conn& c) const;
  void prune();  // drops the oldest ended connections; never call while iterating conns_

  core& c_;
  std::unique_ptr<test_pki> pki_;
  std::unique_ptr<net::http_server> http_;
  std::unique_ptr<voice::udp_endpoint> udp_;
  std::uint16_t udp_port_ = 0;
  std::map<std::pair<snowflake, snowflake>, voice_grant> grants_;
  std::map<std::uint64_t, std::shared_ptr<voice_conn>> conns_;
  std::unordered_map<std::uint32_t, std::shared_ptr<voice_conn>> by_ssrc_;
  std::uint64_t next_id_ = 0;
  std::uint32_t next_ssrc_ = 0;
  std::vector<std::shared_ptr<voice_ws>> sockets_;
  std::uint64_t unknown_datagrams_ = 0;
};

}  // namespace vb::fake::detail
