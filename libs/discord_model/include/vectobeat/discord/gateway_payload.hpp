#pragma once
// Gateway v10 frames (discord.md §1.2): `{op, d, s, t}` in, and the payloads the bot
// sends (Identify, Resume, Heartbeat, Presence Update, Voice State Update, Request
// Guild Members) out.
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/discord/types.hpp"

namespace vb::discord {

enum class gateway_opcode : std::uint8_t {
  dispatch = 0,
  heartbeat = 1,
  identify = 2,
  presence_update = 3,
  voice_state_update = 4,
  resume = 6,
  reconnect = 7,
  request_guild_members = 8,
  invalid_session = 9,
  hello = 10,
  heartbeat_ack = 11,
};

namespace intents {
inline constexpr std::uint32_t guilds = 1u << 0;
inline constexpr std::uint32_t guild_members = 1u << 1;  // privileged
inline constexpr std::uint32_t guild_voice_states = 1u << 7;
inline constexpr std::uint32_t guild_presences = 1u << 8;  // privileged
inline constexpr std::uint32_t message_content = 1u << 15;  // privileged
// GUILDS | GUILD_VOICE_STATES (129): all a slash-command music bot needs.
inline constexpr std::uint32_t music_bot = guilds | guild_voice_states;
}  // namespace intents

// One received frame. `d` and `t` point into the parser that produced it and stay
// valid until its next parse() (or its destruction).
struct gateway_frame {
  int op = -1;
  std::optional<std::int64_t> s;
  std::string_view t;                      // dispatch event name; empty for other ops
  const boost::json::value* d = nullptr;  // never null after a successful parse (null value instead)
};

struct frame_limits {
  std::size_t max_bytes = 32u << 20;  // one decompressed gateway message
  std::size_t max_depth = 32;
};

// Parses frames into a reused arena: no allocation per message once warmed up.
// Not thread-safe; one per connection.
class gateway_frame_parser {
 public:
  explicit gateway_frame_parser(frame_limits limits = {});
  ~gateway_frame_parser();
  gateway_frame_parser(const gateway_frame_parser&) = delete;
  gateway_frame_parser& operator=(const gateway_frame_parser&) = delete;

  parsed<gateway_frame> parse(std::string_view text);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

struct activity {
  std::string name;
  int type = 2;  // 0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing
  std::optional<std::string> state;
  std::optional<std::string> url;  // streaming only
};

struct presence {
  std::string status = "online";  // online, dnd, idle, invisible, offline
  std::optional<activity> act;
  bool afk = false;
  std::optional<std::int64_t> since_ms;
};

struct identify_params {
  std::string token;  // without the "Bot " prefix
  std::uint32_t intents = intents::music_bot;
  int shard_id = 0;
  int shard_count = 1;
  int large_threshold = 50;  // 50..250
  std::optional<presence> initial_presence;
  std::string os = "linux";
  std::string browser = "vectobeat";
  std::string device = "vectobeat";
};

// Encoders return the text frame to send.
std::string encode_identify(const identify_params& p);
std::string encode_resume(std::string_view token, std::string_view session_id, std::int64_t seq);
std::string encode_heartbeat(std::optional<std::int64_t> seq);
std::string encode_presence_update(const presence& p);
// channel empty: leave the voice channel.
std::string encode_voice_state_update(snowflake guild_id, snowflake channel_id, bool self_mute, bool self_deaf);
std::string encode_request_guild_members(snowflake guild_id, std::string_view query, int limit, bool presences,
                                         std::string_view nonce);

// Presence status names Discord accepts.
bool valid_presence_status(std::string_view s) noexcept;
// "listening" -> 2 (also "playing", "streaming", "watching", "custom", "competing").
std::optional<int> activity_type_from_name(std::string_view name) noexcept;

}  // namespace vb::discord
