#pragma once
// A scripted Discord gateway for loopback tests of the shard session and manager:
// HELLO on connect, IDENTIFY -> READY (+ the scripted GUILD_CREATEs of the shard),
// RESUME -> replay of missed dispatches + RESUMED, heartbeat ACKs (can be stalled),
// zlib-stream/zstd-stream compression when the URL asks for it, and actions to send
// op 7 / op 9, close or drop the current connection. It records what clients sent.
//
// Single-threaded: run it and the clients on one io_context and inspect it from the
// thread that runs that context.
#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"

namespace vb::discord::test {

struct scripted_gateway_options {
  int heartbeat_interval_ms = 40'000;
  bool ack_heartbeats = true;
  std::string token = "test-token";
  // GUILD_CREATE `d` payloads; each goes to the shard that owns it after READY.
  std::vector<std::string> guilds;
  bool send_hello = true;
};

struct received_frame {
  int connection = 0;  // 1 for the first WebSocket, ...
  int shard = -1;      // from IDENTIFY (or the session's shard for later frames)
  boost::json::object frame;
  int op() const;
};

class scripted_gateway {
 public:
  explicit scripted_gateway(asio::any_io_executor ex, scripted_gateway_options opts = {});
  ~scripted_gateway();

  std::string url() const;  // "ws://127.0.0.1:<port>"
  scripted_gateway_options& options();

  // Actions on the newest live connection of `shard` (-1: the newest of any shard).
  void dispatch(const std::string& t, const std::string& d_json, int shard = -1);
  void send_op(int op, const std::string& d_json, int shard = -1);
  // A dispatch the client "missed": logged for replay on RESUME, not sent now.
  void record_missed(const std::string& t, const std::string& d_json);
  void close_current(std::uint16_t code, int shard = -1);
  void abort_current(int shard = -1);
  void stop();

  // Observations.
  int connections() const;
  int live_connections() const;
  const std::vector<received_frame>& received() const;
  std::size_t count(int op, int shard = -1) const;
  const received_frame* last(int op, int shard = -1) const;
  const std::vector<std::string>& targets() const;  // request target of each connection
  std::vector<std::uint16_t> client_close_codes() const;  // codes clients closed with

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::discord::test
