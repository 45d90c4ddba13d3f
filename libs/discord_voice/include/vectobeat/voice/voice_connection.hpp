#pragma once
// The client side of one Discord voice connection (one per guild): voice gateway v8 over
// a WebSocket, UDP IP discovery, transport encryption and RTP sending (discord.md §8-§10).
//
//   voice_connection vc(executor, clock, server_info, options, callbacks);
//   vc.connect();            // Hello -> Identify -> Ready -> IP discovery -> Select Protocol
//                            // -> Session Description -> state ready
//   vc.set_speaking(true);
//   vc.send_opus(frame);     // every 20 ms, from any thread
//   vc.close();
//
// Threading: every public member is safe from any thread and never blocks; work is
// posted to the connection's own strand (made from the executor passed in). Callbacks
// run on that strand. After the destructor returns no callback starts; a callback that
// is running on another thread is waited for (the only wait there is).
// Lifetime: `clock` must outlive the connection and every handler it posted.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/voice/cipher.hpp"
#include "vectobeat/voice/gateway_message.hpp"
#include "vectobeat/voice/snowflake.hpp"

namespace vb {
class clock;
}

namespace vb::voice {

// Opus frames above this are refused (20 ms at Opus's 510 kbit/s maximum is 1275 bytes;
// the rest is room for the DAVE footer while staying under a 1500-byte MTU).
inline constexpr std::size_t max_opus_frame_bytes = 1400;
inline constexpr std::size_t silence_frames_after_speaking = 5;

// What the bot learnt from VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE (discord.md §7).
struct voice_server_info {
  snowflake guild_id = 0;
  snowflake user_id = 0;      // the bot
  snowflake channel_id = 0;   // DAVE group id (later)
  std::string session_id;
  std::string token;          // secret: never logged
  std::string endpoint;       // "host:port", no scheme
};

struct voice_connection_options {
  bool tls = true;                  // wss://; false selects ws:// (loopback tests)
  net::client_options client;       // extra_ca_file for test certificates, limits
  int max_dave_protocol_version = 0;
  // The first mode in this list that Ready offers is selected.
  std::vector<encryption_mode> mode_preference{encryption_mode::aead_aes256_gcm_rtpsize,
                                               encryption_mode::aead_xchacha20_poly1305_rtpsize};
  nonce_order nonce_byte_order = nonce_order::big_endian;
  std::uint32_t speaking_flags = speaking_microphone;
  // Reconnect (by Resume) when this many heartbeats in a row went unacknowledged.
  int max_missed_heartbeat_acks = 2;
  // From opening the WebSocket to Session Description (or Resumed).
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds ip_discovery_timeout{1'000};  // per attempt
  int ip_discovery_attempts = 3;
  std::chrono::milliseconds udp_keep_alive_interval{5'000};  // 0 disables
  std::chrono::milliseconds silence_frame_interval{20};
  // Consecutive attempts that fail before the connection gives up.
  int max_reconnect_attempts = 5;
  std::chrono::milliseconds reconnect_backoff_initial{1'000};
  std::chrono::milliseconds reconnect_backoff_max{30'000};
  std::size_t frame_queue_depth = 16;  // Opus frames buffered between send_opus and the strand
  // Source of the initial RTP sequence number and timestamp; empty: std::random_device.
  std::function<std::uint32_t()> random;
};

enum class voice_state {
  idle,          // constructed, connect() not called
  connecting,    // opening the WebSocket for a new session
  handshaking,   // Identify sent; waiting for Ready, IP discovery, Session Description
  ready,         // audio can be sent
  resuming,      // reopening the WebSocket and waiting for Resumed (audio keeps flowing)
  reconnecting,  // waiting before the next attempt
  closed,        // final: close() or an unrecoverable close code
};
std::string_view to_string(voice_state s) noexcept;

// One WebSocket close, as Lavalink's WebSocketClosedEvent reports it.
struct voice_close_event {
  std::uint16_t code = 1000;
  std::string reason;
  bool by_remote = false;
  bool will_reconnect = false;  // the connection resumes or re-identifies by itself
};

struct voice_connection_stats {
  std::uint64_t packets_sent = 0;
  std::uint64_t frames_dropped = 0;  // queue_full
  std::uint64_t send_errors = 0;     // UDP send failed or would block
};

struct voice_connection_callbacks {
  std::function<void(const voice_close_event&)> on_close;  // every close of the voice WebSocket
  std::function<void(voice_state)> on_state;
};

class voice_connection {
 public:
  voice_connection(asio::any_io_executor ex, clock& clk, voice_server_info info, voice_connection_options opts = {},
                   voice_connection_callbacks callbacks = {});
  ~voice_connection();  // closes (1000) without reporting
  voice_connection(const voice_connection&) = delete;
  voice_connection& operator=(const voice_connection&) = delete;

  // Starts connecting. Idempotent.
  void connect();
  // Closes the WebSocket with `code`, stops UDP and reports the close (by_remote false).
  // Idempotent; final.
  void close(std::uint16_t code = 1000, std::string reason = {});

  // Announces (op 5) or ends speaking. Ending sends five silence frames, 20 ms apart,
  // then op 5 with speaking 0.
  void set_speaking(bool speaking);
  // Queues one 20 ms Opus frame; it is sent as the next RTP packet (sequence +1,
  // timestamp +960). Announces speaking first when needed. Errors: not_ready (no
  // session), frame_too_large, bad_length (empty), queue_full. Allocates the queue on first use
  // only.
  std::error_code send_opus(std::span<const std::uint8_t> frame);
  // Like send_opus(), but encrypts and sends the frame now, on the calling thread, with no
  // queue and no hand-over to the strand. Contract: call it only on the single thread that
  // runs the connection's executor (an io_context run by one thread, like the node's frame
  // workers), so no handler of the connection can run meanwhile. Called on another thread than
  // the one that started the connection, it falls back to send_opus(). Does not allocate.
  std::error_code send_opus_now(std::span<const std::uint8_t> frame);

  // Round trip of the last acknowledged heartbeat in ms; -1 while not connected.
  int ping_ms() const noexcept;
  voice_state state() const noexcept;
  std::uint32_t ssrc() const noexcept;  // 0 before Ready
  std::optional<encryption_mode> mode() const noexcept;
  snowflake guild_id() const noexcept;
  voice_connection_stats stats() const noexcept;
  // Why the connection closed itself, when it did (no_supported_mode, ...); empty otherwise.
  std::error_code last_error() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::voice
