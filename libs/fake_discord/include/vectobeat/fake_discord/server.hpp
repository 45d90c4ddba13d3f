#pragma once
// The loopback Discord: gateway v10, REST v10, interactions, voice gateway v8 + UDP, and
// a control API to script users, guilds, voice and faults (docs/fake-discord.md).
//
//   vb::fake::server fake(executor, vb::clock::system(), opts);
//   fake.start();                        // binds; URLs are valid from here on
//   fake.rest_base();                    // "http://127.0.0.1:P/api/v10"
//   auto r = fake.invoke_command({...}); // a scripted user runs a slash command
//
// Threading: the fake's state lives on one strand made from the executor. The test API
// below (everything after start()) is safe from any thread and blocks until the strand
// has answered, so it must NOT be called from a thread that runs the executor's
// io_context, or from inside the fake's own handlers. Waits use the real clock only as a
// failure bound; they return as soon as the awaited event happened.
// Lifetime: `clk` outlives the server. stop() (or the destructor) closes every
// connection; keep the io_context running until the destructor returned.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/fake_discord/fake_error.hpp"
#include "vectobeat/fake_discord/model.hpp"

namespace vb {
class clock;
}

namespace vb::fake {

// One REST rate-limit bucket override: "METHOD /route/{param}" as in docs/fake-discord.md
// (e.g. "POST /channels/{channel_id}/messages"), `limit` requests per `window` per major
// parameter.
struct route_limit {
  std::string route;
  int limit = 5;
  std::chrono::milliseconds window{5000};
};

struct server_options {
  std::string address = "127.0.0.1";   // listener of REST, gateway and control API
  std::uint16_t port = 0;               // 0: any free port
  std::string public_host = "127.0.0.1";  // host written into URLs and VOICE_SERVER_UPDATE
  std::string token = "fake-bot-token";   // accepted as "Bot <token>" and in Identify
  snowflake application_id = 0;           // 0: generated (the bot user has the same id)
  std::string bot_username = "VectoBeat";
  bool demo_guild = true;

  // Gateway.
  int recommended_shards = 1;  // GET /gateway/bot "shards"
  int max_concurrency = 1;     // identifies per identify_window per rate-limit key
  std::chrono::milliseconds identify_window{5000};
  int session_start_total = 1000;
  std::chrono::milliseconds heartbeat_interval{41250};
  // No heartbeat for heartbeat_interval x this factor: close 4009 (zombie client).
  double heartbeat_timeout_factor = 1.5;
  std::chrono::milliseconds resume_window{120'000};  // a dropped session stays resumable this long
  std::size_t replay_buffer_messages = 4096;          // dispatches kept per session for Resume
  int gateway_sends_per_minute = 120;                 // more: close 4008
  std::size_t max_gateway_payload_bytes = 4096;       // larger client payloads: close 4002
  std::uint64_t enabled_privileged_intents = intent::privileged;  // others: close 4014
  int max_guilds_per_shard = 2500;                    // more: close 4011

  // REST.
  bool require_user_agent = true;  // "DiscordBot (...)" as Discord requires; else 400
  int global_requests_per_second = 50;
  std::vector<route_limit> route_limits;  // overrides of the built-in buckets

  // Interactions.
  std::chrono::milliseconds interaction_deadline{3000};
  std::chrono::milliseconds interaction_token_lifetime{15 * 60 * 1000};

  // Voice.
  std::uint16_t voice_port = 0;  // voice WebSocket listener; 0: any free port
  bool voice_tls = true;         // wss:// with a certificate generated at start
  std::chrono::milliseconds voice_heartbeat_interval{13750};
  std::chrono::milliseconds voice_resume_window{60'000};
  bool require_dave = false;  // close 4017 when Identify offers no DAVE version
  std::chrono::seconds max_recording{600};  // per connection
  std::string recording_dir;  // when set, each connection's WAV is written there as it ends
};

// The demo guild's ids (docs/fake-discord.md "Demo guild").
struct demo_ids {
  snowflake guild = 0;
  snowflake general = 0;  // text channel
  snowflake music = 0;    // voice channel
  snowflake lounge = 0;   // voice channel
  snowflake dj_role = 0;
  snowflake alice = 0;    // owner (all permissions)
  snowflake bob = 0;      // DJ role
  snowflake carol = 0;    // no special role
};

// One option of a scripted command invocation: `value` is sent as given; `type` 0 means
// "take the type from the registered command's option of that name".
struct command_option {
  std::string name;
  boost::json::value value;
  int type = 0;
  bool focused = false;  // autocomplete: the option being typed
};

struct command_invocation {
  snowflake guild_id = 0;
  snowflake channel_id = 0;
  snowflake user_id = 0;
  std::string name;
  std::vector<command_option> options;
  // Raw Discord options (sub-commands, groups); used instead of `options` when non-empty.
  boost::json::array raw_options;
  std::string locale = "en-US";
};

struct component_invocation {
  snowflake message_id = 0;  // a message carrying the component
  snowflake user_id = 0;
  std::string custom_id;
  std::vector<std::string> values;  // select menus
};

struct modal_submission {
  snowflake interaction_id = 0;  // the interaction that answered with a modal (type 9)
  snowflake user_id = 0;         // 0: the user of that interaction
  // custom_id -> value of each text input.
  std::vector<std::pair<std::string, std::string>> values;
};

// Faults: what to do to a shard's current gateway connection(s).
enum class gateway_fault { abort_tcp, close, reconnect, invalid_session_resumable, invalid_session };

struct rate_limit_fault {
  std::string route = "*";  // "METHOD /pattern" or "*" for every route
  int count = 1;            // the next `count` matching requests get 429
  double retry_after = 1.0;  // seconds
  std::string scope = "user";  // user, global or shared
};

struct rest_stats {
  std::uint64_t requests = 0;
  std::uint64_t rate_limited = 0;      // 429 answers
  std::uint64_t invalid_requests = 0;  // 401/403/429 (not "shared") in the last 10 minutes
  std::uint64_t unauthorized = 0;
};

class server {
 public:
  server(asio::any_io_executor ex, clock& clk, server_options opts = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds the listeners, generates the voice certificate, creates the demo guild.
  // Throws std::runtime_error when a listener cannot bind. Call once.
  void start();
  // Closes every connection and listener. Idempotent.
  void stop();

  // Addresses (valid after start()).
  std::string rest_base() const;      // http://host:P/api/v10
  std::string gateway_url() const;    // ws://host:P
  std::string control_base() const;   // http://host:P/control/v1
  std::string voice_endpoint() const;  // host:V (no scheme), as VOICE_SERVER_UPDATE has it
  std::uint16_t port() const;
  std::uint16_t voice_port() const;
  std::uint16_t voice_udp_port() const;
  std::string ca_file() const;  // PEM of the CA that signed the voice certificate ("" without TLS)
  snowflake application_id() const;
  snowflake bot_user_id() const;
  std::optional<demo_ids> demo() const;
  const server_options& options() const;

  // ---- world building (blocking; see the threading note above)
  snowflake create_user(const std::string& username, bool bot = false);
  // The bot becomes a member; `owner` (0: the bot) too. Announced with GUILD_CREATE.
  snowflake create_guild(const std::string& name, snowflake owner = 0);
  expected<snowflake, std::error_code> create_channel(snowflake guild, const std::string& name, channel_type type,
                                                      int user_limit = 0);
  expected<snowflake, std::error_code> create_role(snowflake guild, const std::string& name,
                                                   std::uint64_t permissions);
  std::error_code add_member(snowflake guild, snowflake user, std::vector<snowflake> roles = {});
  std::error_code remove_member(snowflake guild, snowflake user);
  // A scripted user joins (channel set), moves, or leaves (0) voice.
  std::error_code set_user_voice(snowflake guild, snowflake user, snowflake channel, bool self_mute = false,
                                 bool self_deaf = false);

  // ---- reading state
  std::optional<guild> find_guild(snowflake id) const;
  std::vector<message> messages(snowflake channel) const;
  std::optional<message> find_message(snowflake id) const;
  std::optional<interaction> find_interaction(snowflake id) const;
  std::vector<application_command> commands(snowflake guild = 0) const;  // 0: global
  std::optional<voice_state> bot_voice_state(snowflake guild) const;
  std::vector<gateway_session_info> gateway_sessions() const;
  std::vector<voice_connection_info> voice_connections() const;
  std::optional<voice_connection_info> voice_connection(std::uint64_t id) const;
  // The connection's recording so far as a WAV file (48 kHz stereo s16).
  expected<std::string, std::error_code> recording_wav(std::uint64_t connection_id) const;
  rest_stats rest_statistics() const;

  // ---- interactions
  // Sends INTERACTION_CREATE and returns at once.
  expected<interaction, std::error_code> start_command(const command_invocation& c);
  expected<interaction, std::error_code> start_autocomplete(const command_invocation& c);
  expected<interaction, std::error_code> start_component(const component_invocation& c);
  expected<interaction, std::error_code> start_modal_submit(const modal_submission& m);
  // Waits for the bot's initial response, or until the interaction expired.
  expected<interaction, std::error_code> wait_for_response(snowflake interaction_id,
                                                           std::chrono::milliseconds timeout);
  // start_command + wait_for_response(deadline + 1 s).
  expected<interaction, std::error_code> invoke_command(const command_invocation& c);

  // ---- waits (nullopt / false on timeout)
  // A session for `shard` identified at least `count` times in total.
  bool wait_for_identify(int shard, std::chrono::milliseconds timeout, int count = 1);
  bool wait_for_resume(int shard, std::chrono::milliseconds timeout, int count = 1);
  // The bot's voice state in `guild` satisfies `pred` (default: it is in a channel).
  std::optional<voice_state> wait_for_voice_state(snowflake guild, std::chrono::milliseconds timeout,
                                                  std::function<bool(const voice_state&)> pred = {});
  std::optional<message> wait_for_message(snowflake channel, std::function<bool(const message&)> pred,
                                          std::chrono::milliseconds timeout);
  // A voice connection for `guild` satisfying `pred` (default: ready).
  std::optional<voice_connection_info> wait_for_voice_connection(
      snowflake guild, std::chrono::milliseconds timeout,
      std::function<bool(const voice_connection_info&)> pred = {});

  // ---- faults
  // Applies `f` to every live gateway connection of `shard`; returns how many.
  int inject_gateway_fault(int shard, gateway_fault f, std::uint16_t close_code = 4000);
  // Heartbeat ACKs for `shard` (-1: all shards) stop (true) or resume (false).
  void stall_heartbeat_acks(int shard, bool stalled);
  void force_rate_limit(const rate_limit_fault& f);
  // Reallocates the guild's voice server: VOICE_SERVER_UPDATE with endpoint null, the
  // old voice connection closed with 4014, then a new VOICE_SERVER_UPDATE with a new token.
  std::error_code move_voice_server(snowflake guild);
  std::error_code close_voice_connection(std::uint64_t id, std::uint16_t code);
  // Sends a raw dispatch to every session of the shard that owns `guild` (0: shard 0).
  void push_dispatch(snowflake guild, const std::string& event, const boost::json::value& d);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::fake
