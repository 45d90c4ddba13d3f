#pragma once
// A minimal scripted Discord voice server for loopback tests: voice gateway v8 on a
// vb::net::http_server upgrade handler plus a UDP socket that answers IP discovery and
// decrypts RTP with the session's cipher, recording everything the client sent. The
// fuller fake lives in libs/fake_discord; this one only serves the client's tests.
//
// Single-threaded by design: run it and the client on one io_context and inspect it
// from the thread that runs that context.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/voice/cipher.hpp"
#include "vectobeat/voice/gateway_message.hpp"
#include "vectobeat/voice/rtp.hpp"

namespace vb::voice::test {

struct scripted_server_options {
  std::vector<std::string> modes{"aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize", "xsalsa20_poly1305"};
  std::uint32_t ssrc = 0x01020304;
  std::int64_t heartbeat_interval_ms = 1000;
  bool ack_heartbeats = true;
  bool answer_ip_discovery = true;
  std::string session_id = "session-1";
  std::string token = "voice-token-1";
  int dave_protocol_version = 0;
  std::optional<net::tls_files> tls;
};

struct client_message {
  int connection = 0;  // 1 for the first WebSocket, 2 for the next, ...
  gateway_message message;
};

struct received_packet {
  rtp_header header;
  std::vector<std::uint8_t> payload;  // decrypted Opus
  bool speaking = false;              // whether op 5 speaking != 0 had arrived before it
};

class scripted_voice_server {
 public:
  explicit scripted_voice_server(asio::any_io_executor ex, scripted_server_options opts = {});
  ~scripted_voice_server();

  std::string endpoint() const;  // "127.0.0.1:<port>" (no scheme)
  std::uint16_t udp_port() const;
  scripted_server_options& options();
  const secret_key& key() const;

  // Actions on the current WebSocket.
  void close_current(std::uint16_t code, std::string reason);
  void abort_current();
  void send_json(gateway_payload p, bool with_seq);
  void send_binary(std::string frame);
  void stop();

  // Observations.
  int connections() const;       // WebSockets accepted so far
  int live_connections() const;  // WebSockets whose session is still running
  const std::vector<client_message>& messages() const;
  std::size_t count(voice_opcode op) const;
  const client_message* last(voice_opcode op) const;
  std::int64_t last_seq() const;  // the last "seq" this server sent (-1: none)
  const std::vector<received_packet>& packets() const;
  std::size_t keep_alives() const;
  std::size_t discovery_requests() const;
  std::size_t undecryptable() const;
  std::optional<encryption_mode> selected_mode() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::voice::test
