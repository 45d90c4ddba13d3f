#pragma once
// Internal: the gateway v10 (discord.md §1-§3). `gateway` owns the identified sessions
// (which outlive their WebSocket for Resume) and routes dispatches by shard and intent;
// `gateway_connection` runs one WebSocket: Hello, Identify/Resume, heartbeats, limits,
// compression. Everything runs on the server strand.
#include <boost/json/value.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "compression.hpp"
#include "core.hpp"
#include "vectobeat/common/net/websocket.hpp"

namespace vb::fake::detail {

// Discord's gateway close codes (discord.md §1.4).
namespace gateway_close {
inline constexpr std::uint16_t unknown_error = 4000;
inline constexpr std::uint16_t unknown_opcode = 4001;
inline constexpr std::uint16_t decode_error = 4002;
inline constexpr std::uint16_t not_authenticated = 4003;
inline constexpr std::uint16_t authentication_failed = 4004;
inline constexpr std::uint16_t already_authenticated = 4005;
inline constexpr std::uint16_t invalid_seq = 4007;
inline constexpr std::uint16_t rate_limited = 4008;
inline constexpr std::uint16_t session_timed_out = 4009;
inline constexpr std::uint16_t invalid_shard = 4010;
inline constexpr std::uint16_t sharding_required = 4011;
inline constexpr std::uint16_t invalid_api_version = 4012;
inline constexpr std::uint16_t invalid_intents = 4013;
inline constexpr std::uint16_t disallowed_intents = 4014;
}  // namespace gateway_close

class gateway_connection;

struct gateway_session {
  std::string id;
  int shard = 0;
  int num_shards = 1;
  std::uint64_t intents = 0;
  std::int64_t seq = 0;
  // Frames by sequence for Resume; bounded by options.replay_buffer_messages.
  std::deque<std::pair<std::int64_t, std::string>> replay;
  std::shared_ptr<gateway_connection> conn;  // attached connection, if any
  std::optional<steady_time> detached_at;
  int resumes = 0;
  std::string compression;  // of the connection that identified or resumed last
};

class gateway_connection : public std::enable_shared_from_this<gateway_connection> {
 public:
  gateway_connection(core& c, std::shared_ptr<net::websocket> ws, compression comp);

  // Sends one frame (compressed as negotiated). Counts nothing; never throws.
  void send_frame(std::string_view json);
  void close(std::uint16_t code, std::string reason);
  void abort();
  bool open() const { return !closed_ && ws_->is_open(); }

  std::shared_ptr<net::websocket> ws_;
  std::unique_ptr<compressor> comp_;
  compression transport_ = compression::none;
  std::shared_ptr<gateway_session> session;
  steady_time last_heartbeat{};
  steady_time window_start{};
  int window_sends = 0;
  bool closed_ = false;
  bool payload_compression = false;  // Identify "compress": true
  std::unique_ptr<timer> watchdog;    // heartbeat deadline
  std::uint64_t number = 0;

 private:
  core& c_;
};

class gateway {
 public:
  explicit gateway(core& c) : c_(c) {}

  // The WebSocket session of one client; runs on the strand until the socket closes.
  task<void> run_connection(std::shared_ptr<net::websocket> ws);

  // Sends `event` to every session of the shard owning `guild` (0: shard 0) whose intents
  // include `required_intent` (0: always).
  void dispatch_guild(snowflake guild, std::string_view event, const boost::json::value& d,
                      std::uint64_t required_intent);
  void dispatch(gateway_session& s, std::string_view event, std::string_view d_json);
  // GUILD_CREATE for a guild the bot just joined (its content depends on each session's intents).
  void dispatch_guild_create(const guild_rec& g);

  int inject_fault(int shard, gateway_fault f, std::uint16_t code);
  void stall_heartbeat_acks(int shard, bool stalled);
  std::vector<gateway_session_info> sessions() const;
  int identify_count(int shard) const;
  int resume_count(int shard) const;
  int session_starts() const { return session_starts_; }
  void stop();

 private:
  task<void> run_watchdog(std::shared_ptr<gateway_connection> conn);
  void on_text(const std::shared_ptr<gateway_connection>& conn, std::string_view text);
  void on_identify(const std::shared_ptr<gateway_connection>& conn, const boost::json::object& d);
  void on_resume(const std::shared_ptr<gateway_connection>& conn, const boost::json::object& d);
  void on_heartbeat(const std::shared_ptr<gateway_connection>& conn);
  void on_voice_state(const std::shared_ptr<gateway_connection>& conn, const boost::json::object& d);
  void on_request_members(const std::shared_ptr<gateway_connection>& conn, const boost::json::object& d);
  void send_op(gateway_connection& conn, int op, std::string_view d_json);
  void detach(gateway_connection& conn, std::uint16_t close_code, bool by_client);
  void expire_sessions();
  bool acks_stalled(int shard) const;

  core& c_;
  std::map<std::string, std::shared_ptr<gateway_session>> sessions_;
  std::set<std::shared_ptr<gateway_connection>> connections_;
  std::map<int, steady_time> identify_buckets_;  // rate-limit key -> last identify
  std::map<int, int> identifies_;                // shard -> count
  std::map<int, int> resumes_;                   // shard -> count
  std::set<int> stalled_shards_;
  bool stall_all_ = false;
  int session_starts_ = 0;
  std::uint64_t next_connection_ = 0;
};

}  // namespace vb::fake::detail
