#pragma once
// A multi-session loopback Discord voice server for the node's tests, its interop harness and
// its benchmark (until libs/fake_discord lands): voice gateway v8 on an http_server upgrade
// handler (plain or TLS), one UDP socket that answers IP discovery and receives every
// session's RTP, demultiplexed by SSRC, decrypted with that session's key and recorded per
// guild (Opus payloads with arrival times), or only counted (benchmark mode).
//
// Thread-safe: observations may be read from any thread while the server runs.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::node::test {

struct recorded_frame {
  std::vector<std::uint8_t> opus;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::chrono::steady_clock::time_point arrival;
};

struct loopback_voice_options {
  std::optional<net::tls_files> tls;
  bool record_payloads = true;  // false: count packets only (no decryption)
  std::vector<std::string> modes{"aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"};
  // Benchmarks: > 0 reads UDP from a plain socket on its own thread every interval, without
  // readiness waits. Over loopback the sender's send() runs the receive path too; with nobody
  // waiting on the socket it does not also pay for waking the receiver once per packet.
  std::chrono::milliseconds udp_poll_interval{0};
};

class loopback_voice_server {
 public:
  loopback_voice_server(asio::any_io_executor ex, loopback_voice_options opts = {});
  ~loopback_voice_server();

  std::string endpoint() const;  // "127.0.0.1:<port>"
  void stop();

  // Sessions that completed Identify, by guild.
  int identified(std::uint64_t guild) const;
  bool speaking(std::uint64_t guild) const;  // the last op 5 said speaking
  std::string mode(std::uint64_t guild) const;  // selected encryption mode
  std::vector<recorded_frame> frames(std::uint64_t guild) const;
  std::size_t frame_count(std::uint64_t guild) const;
  std::uint64_t total_packets() const;
  std::uint64_t undecryptable() const;
  // Closes that guild's voice WebSocket with `code` (e.g. 4006).
  void close_guild(std::uint64_t guild, std::uint16_t code, std::string reason);

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::node::test
