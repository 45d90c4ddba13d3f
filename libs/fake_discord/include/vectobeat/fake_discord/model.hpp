#pragma once
// The fake Discord's state model: what scripted users, guilds and the bot have done.
// These are plain values; the server hands out copies (snapshots), never references into
// its state.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vb::fake {

using snowflake = std::uint64_t;
using system_time = std::chrono::system_clock::time_point;
using steady_time = std::chrono::steady_clock::time_point;

// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds.
inline constexpr std::int64_t discord_epoch_ms = 1'420'070'400'000;

// Channel types we model (Discord's numbers).
enum class channel_type : int { guild_text = 0, guild_voice = 2, guild_category = 4, guild_stage_voice = 13 };

// Gateway intents (discord.md §1.6) we look at.
namespace intent {
inline constexpr std::uint64_t guilds = 1u << 0;
inline constexpr std::uint64_t guild_members = 1u << 1;
inline constexpr std::uint64_t guild_presences = 1u << 8;
inline constexpr std::uint64_t guild_voice_states = 1u << 7;
inline constexpr std::uint64_t guild_messages = 1u << 9;
inline constexpr std::uint64_t message_content = 1u << 15;
inline constexpr std::uint64_t privileged = guild_members | guild_presences | message_content;
// Every bit Discord defines today (0-25 with gaps at 17-19, 22, 23); others are 4013.
inline constexpr std::uint64_t all = 0x33FFFFFu & ~((1u << 17) | (1u << 18) | (1u << 19) | (1u << 22) | (1u << 23));
}  // namespace intent

// Permission bits we compute with (Discord's numbers).
namespace permission {
inline constexpr std::uint64_t create_instant_invite = 1ull << 0;
inline constexpr std::uint64_t administrator = 1ull << 3;
inline constexpr std::uint64_t manage_channels = 1ull << 4;
inline constexpr std::uint64_t manage_guild = 1ull << 5;
inline constexpr std::uint64_t add_reactions = 1ull << 6;
inline constexpr std::uint64_t view_channel = 1ull << 10;
inline constexpr std::uint64_t send_messages = 1ull << 11;
inline constexpr std::uint64_t embed_links = 1ull << 14;
inline constexpr std::uint64_t attach_files = 1ull << 15;
inline constexpr std::uint64_t read_message_history = 1ull << 16;
inline constexpr std::uint64_t connect = 1ull << 20;
inline constexpr std::uint64_t speak = 1ull << 21;
inline constexpr std::uint64_t move_members = 1ull << 24;
inline constexpr std::uint64_t use_vad = 1ull << 25;
inline constexpr std::uint64_t change_nickname = 1ull << 26;
inline constexpr std::uint64_t use_application_commands = 1ull << 31;
inline constexpr std::uint64_t all = (1ull << 51) - 1;
// What @everyone gets in a new fake guild.
inline constexpr std::uint64_t everyone_default = create_instant_invite | add_reactions | view_channel |
                                                  send_messages | embed_links | attach_files | read_message_history |
                                                  connect | speak | use_vad | change_nickname |
                                                  use_application_commands;
}  // namespace permission

struct user {
  snowflake id = 0;
  std::string username;
  std::string global_name;
  bool bot = false;
};

struct role {
  snowflake id = 0;
  std::string name;
  std::uint64_t permissions = 0;
  int position = 0;
  std::uint32_t color = 0;
};

struct channel {
  snowflake id = 0;
  snowflake guild_id = 0;
  channel_type type = channel_type::guild_text;
  std::string name;
  int position = 0;
  int user_limit = 0;  // voice: 0 = unlimited
};

struct member {
  snowflake user_id = 0;
  std::vector<snowflake> roles;  // without @everyone
  std::string nick;
  system_time joined_at{};
};

struct voice_state {
  snowflake guild_id = 0;
  snowflake user_id = 0;
  snowflake channel_id = 0;
  std::string session_id;
  bool self_mute = false;
  bool self_deaf = false;
};

struct guild {
  snowflake id = 0;
  std::string name;
  snowflake owner_id = 0;
  std::vector<channel> channels;
  std::vector<role> roles;  // the first is @everyone (id == guild id)
  std::vector<member> members;
  std::vector<voice_state> voice_states;
};

// A message the bot (or a scripted user) posted, as recorded by the fake. Deleted
// messages stay in the record with `deleted` set.
struct message {
  snowflake id = 0;
  snowflake channel_id = 0;
  snowflake guild_id = 0;
  snowflake author_id = 0;
  int type = 0;  // 0 default, 19 reply, 20 chat input command response
  std::string content;
  boost::json::array embeds;
  boost::json::array components;
  std::uint64_t flags = 0;  // 64 ephemeral, 128 loading (deferred)
  snowflake interaction_id = 0;  // set for interaction responses and follow-ups
  system_time timestamp{};
  std::optional<system_time> edited_timestamp;
  int edits = 0;
  bool deleted = false;

  bool ephemeral() const { return (flags & 64) != 0; }
};

inline constexpr std::uint64_t message_flag_ephemeral = 64;
inline constexpr std::uint64_t message_flag_loading = 128;

enum class interaction_type : int { ping = 1, application_command = 2, message_component = 3, autocomplete = 4, modal_submit = 5 };

// One interaction the fake created and what the bot did with it.
struct interaction {
  snowflake id = 0;
  std::string token;
  interaction_type type = interaction_type::application_command;
  snowflake guild_id = 0;
  snowflake channel_id = 0;
  snowflake user_id = 0;
  std::string name;          // command name, or the component's custom_id
  boost::json::object data;  // the "data" object sent with INTERACTION_CREATE
  std::optional<int> callback_type;   // the initial response's type, once it arrived
  boost::json::value callback_data;   // its "data" (null when absent)
  std::optional<std::chrono::milliseconds> response_time;  // creation -> callback
  bool expired = false;      // no callback within the deadline: "The application did not respond"
  snowflake message_id = 0;  // the original response message (types 4, 5, 7), when there is one
  std::vector<snowflake> followups;
  // Why late or invalid callbacks were refused (last one), for diagnostics.
  std::string last_rejection;
};

// A registered application command (global when guild_id == 0).
struct application_command {
  snowflake id = 0;
  snowflake guild_id = 0;
  std::string name;
  int type = 1;
  boost::json::object definition;  // as Discord returns it (with id, application_id, version)
};

// Statistics of one voice connection, live while it runs (discord.md §9).
struct voice_stats {
  std::uint64_t packets = 0;             // RTP packets decrypted and recorded
  std::uint64_t bytes = 0;               // their Opus payload bytes
  std::uint64_t lost = 0;                // sequence gaps not filled later
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t decrypt_failures = 0;
  std::uint64_t invalid_opus = 0;        // payloads libopus cannot parse
  std::uint64_t silence_frames = 0;      // F8 FF FE
  std::uint64_t keep_alives = 0;
  std::uint64_t before_speaking = 0;     // audio before any op 5 with speaking != 0
  std::uint64_t truncated = 0;           // packets not recorded because the recording is full
  // Arrival jitter: |(arrival_i - arrival_i-1) - 20 ms x frames| (RFC 3550 D, in ms).
  double jitter_p50_ms = 0;
  double jitter_p99_ms = 0;
  // Lateness of each frame against the 20 ms cadence anchored at its earliest frame (ms).
  double lateness_p50_ms = 0;
  double lateness_p99_ms = 0;
  std::uint32_t speaking = 0;  // current op 5 flags
  std::chrono::milliseconds recorded{0};  // audio held in the recording (timestamp span)
};

struct voice_connection_info {
  std::uint64_t id = 0;  // the fake's connection number (control API)
  snowflake guild_id = 0;
  snowflake channel_id = 0;
  snowflake user_id = 0;
  std::uint32_t ssrc = 0;
  std::string mode;  // selected encryption mode; empty before Select Protocol
  int max_dave_protocol_version = 0;
  bool ready = false;   // Session Description sent
  bool open = false;    // the WebSocket is connected
  bool ended = false;   // closed for good (no resume possible)
  int resumes = 0;
  std::optional<std::uint16_t> close_code;  // last close of its WebSocket
  voice_stats stats;
};

struct gateway_session_info {
  std::string session_id;
  int shard = 0;
  int num_shards = 1;
  std::uint64_t intents = 0;
  std::int64_t seq = 0;
  bool connected = false;
  bool compressed = false;
  std::string compression;  // "", "zlib-stream", "zstd-stream"
  int resumes = 0;
};

}  // namespace vb::fake
