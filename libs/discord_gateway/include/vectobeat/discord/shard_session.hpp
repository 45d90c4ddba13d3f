#pragma once
// One gateway shard (discord.md §1): connect, HELLO, IDENTIFY (after the identify gate)
// or RESUME on resume_gateway_url, heartbeats with jitter and zombie detection,
// RECONNECT (op 7) and INVALID_SESSION (op 9), the close-code policy of §1.4 (4004 and
// 4010-4014 are reported and never retried), transport decompression and the send
// limit of 120 per 60 s with a reserve for heartbeats.
//
// Threading: public members are safe from any thread and never block; the session runs
// on its own strand made from the executor passed in, and every callback runs there.
// Lifetime: `clock` must outlive the session; after the destructor returns no callback
// starts (one running on another thread is waited for).
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/discord/gateway_error.hpp"
#include "vectobeat/discord/gateway_payload.hpp"
#include "vectobeat/discord/transport_decompressor.hpp"

namespace vb {
class clock;
}

namespace vb::discord {

struct shard_session_options {
  std::string token;        // secret; register it with log::add_secret (the manager does)
  std::string gateway_url;  // "wss://gateway.discord.gg" (from GET /gateway/bot)
  int shard_id = 0;
  int shard_count = 1;
  std::uint32_t intents = intents::music_bot;
  int large_threshold = 50;
  std::optional<presence> initial_presence;
  gateway_compression compression = gateway_compression::zlib_stream;
  net::client_options client;                // TLS, extra CA, WebSocket limits
  std::size_t max_message_bytes = 32u << 20;  // one decompressed gateway message
  std::chrono::milliseconds hello_timeout{20'000};
  std::chrono::milliseconds close_grace{3'000};  // wait for the close handshake, then drop
  std::chrono::milliseconds reconnect_backoff_initial{1'000};
  std::chrono::milliseconds reconnect_backoff_max{60'000};
  std::chrono::milliseconds invalid_session_delay_min{1'000};  // op 9: wait 1-5 s (DDOCS)
  std::chrono::milliseconds invalid_session_delay_max{5'000};
  int send_limit = 120;  // gateway sends per window per connection (§1.5)
  std::chrono::milliseconds send_window{60'000};
  int heartbeat_reserve = 5;  // sends kept for heartbeats, identify and resume
  std::size_t max_send_queue = 1000;
  // Uniform in [0, 1): heartbeat jitter, backoff and op-9 delays. Empty: std::random_device.
  std::function<double()> random;
};

enum class shard_state {
  idle,          // start() not called
  connecting,    // opening the WebSocket, waiting for HELLO
  identifying,   // waiting for the identify gate, or IDENTIFY sent and READY pending
  resuming,      // RESUME sent, RESUMED pending
  ready,         // READY or RESUMED seen; dispatches flow
  reconnecting,  // waiting before the next attempt
  failed,        // a fatal close code; see status().error
  stopped,       // stop() was called
};
std::string_view to_string(shard_state s) noexcept;

struct shard_status {
  int shard_id = 0;
  shard_state state = shard_state::idle;
  int latency_ms = -1;  // last heartbeat round trip; -1 before the first ACK
  std::int64_t seq = 0;
  std::uint64_t identifies = 0;
  std::uint64_t resumes = 0;      // successful RESUMEs
  std::uint64_t reconnects = 0;   // WebSockets opened after the first
  std::uint64_t zombies = 0;      // connections closed for missing heartbeat ACKs
  std::error_code error;          // the fatal error, when failed
};

struct shard_callbacks {
  // Awaited before every IDENTIFY (the manager's max_concurrency buckets); runs on the
  // session strand. Empty: identify at once.
  std::function<task<void>(int shard_id)> identify_gate;
  // Every dispatch (op 0), in sequence order, including READY and RESUMED. `d` is valid
  // only during the call.
  std::function<void(std::string_view name, const boost::json::value& d, std::int64_t seq)> on_dispatch;
  std::function<void(shard_state)> on_state;
  // A fatal close code: the session stopped and will not reconnect.
  std::function<void(std::error_code)> on_fatal;
};

class shard_session {
 public:
  shard_session(asio::any_io_executor ex, clock& clk, shard_session_options opts, shard_callbacks cb = {});
  ~shard_session();
  shard_session(const shard_session&) = delete;
  shard_session& operator=(const shard_session&) = delete;

  void start();  // idempotent
  // Closes with 1000 (Discord ends the session) and stops reconnecting. Final.
  void stop();

  // Queues a gateway payload (voice state, presence, ...). It is sent once the shard is
  // ready, within the send limit; queued payloads survive a resume. Errors:
  // send_queue_full, stopped.
  std::error_code send(std::string payload);

  shard_status status() const;
  int shard_id() const noexcept;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::discord
