#pragma once
// Typed Discord objects as the bot reads them from gateway events and REST answers.
// Only the fields a music bot uses are kept; parsing is lenient (unknown fields are
// ignored, null reads as absent) and strict where it matters (ids must be snowflakes).
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/discord/model_error.hpp"
#include "vectobeat/discord/permissions.hpp"
#include "vectobeat/discord/snowflake.hpp"

namespace vb::discord {

struct user {
  snowflake id;
  std::string username;
  std::optional<std::string> global_name;
  std::optional<std::string> avatar;
  bool bot = false;

  // global_name when set, else username.
  const std::string& display_name() const { return global_name ? *global_name : username; }
};

struct role {
  snowflake id;
  std::string name;
  permissions perms;
  int position = 0;
  std::uint32_t color = 0;
  bool managed = false;
};

enum class channel_type : std::uint8_t {
  guild_text = 0,
  dm = 1,
  guild_voice = 2,
  group_dm = 3,
  guild_category = 4,
  guild_announcement = 5,
  announcement_thread = 10,
  public_thread = 11,
  private_thread = 12,
  guild_stage_voice = 13,
  guild_directory = 14,
  guild_forum = 15,
  guild_media = 16,
  unknown = 255,  // a type this build does not know (kept, never refused)
};
channel_type to_channel_type(std::int64_t raw) noexcept;
constexpr bool is_voice(channel_type t) noexcept {
  return t == channel_type::guild_voice || t == channel_type::guild_stage_voice;
}

struct channel {
  snowflake id;
  channel_type type = channel_type::unknown;
  snowflake guild_id;  // empty for DMs, and inside GUILD_CREATE (implied)
  std::string name;
  snowflake parent_id;
  int position = 0;
  int user_limit = 0;  // voice: 0 = unlimited
  int bitrate = 0;
  std::vector<permission_overwrite> overwrites;
};

struct member {
  snowflake user_id;  // from `user.id`; empty in contexts where Discord omits `user`
  std::optional<user> user_info;
  std::optional<std::string> nick;
  std::vector<snowflake> roles;
  std::optional<permissions> perms;  // interactions only: the member's permissions in the channel
  bool deaf = false;
  bool mute = false;
};

struct voice_state {
  snowflake guild_id;
  snowflake channel_id;  // empty: not in a voice channel (left)
  snowflake user_id;
  std::string session_id;
  bool deaf = false;
  bool mute = false;
  bool self_deaf = false;
  bool self_mute = false;
  bool self_stream = false;
  bool self_video = false;
  bool suppress = false;
  std::optional<member> member_info;
};

struct guild {
  snowflake id;
  std::string name;
  snowflake owner_id;
  bool unavailable = false;
  bool large = false;
  int member_count = 0;
  std::optional<std::string> icon;
  std::string preferred_locale;
  std::vector<role> roles;
  std::vector<channel> channels;          // GUILD_CREATE and REST channel lists
  std::vector<voice_state> voice_states;  // GUILD_CREATE only (guild_id filled in)
  std::vector<member> members;            // GUILD_CREATE only (the bot, voice members, ...)
};

struct application {
  snowflake id;
  std::string name;
  std::uint64_t flags = 0;
};

struct message {
  snowflake id;
  snowflake channel_id;
  snowflake guild_id;
  snowflake author_id;
  std::string content;
  std::uint32_t flags = 0;
  std::size_t embed_count = 0;
  std::optional<snowflake> webhook_id;
};

// GET /gateway/bot (discord.md §1.1).
struct session_start_limit {
  int total = 1000;
  int remaining = 1000;
  std::int64_t reset_after_ms = 0;
  int max_concurrency = 1;
};
struct gateway_bot {
  std::string url;
  int shards = 1;  // recommended shard count
  session_start_limit limit;
};

template <class T>
using parsed = expected<T, model_failure>;

// Each parser needs `id` (a snowflake) where Discord always sends one; bad elements of
// arrays (a channel without id inside GUILD_CREATE) are skipped, not fatal.
parsed<user> parse_user(const boost::json::object& o);
parsed<role> parse_role(const boost::json::object& o);
parsed<channel> parse_channel(const boost::json::object& o);
parsed<permission_overwrite> parse_overwrite(const boost::json::object& o);
// `member` objects lack their user id in some places (interactions put `user` inside);
// user_id stays empty then. Never fails.
member parse_member(const boost::json::object& o);
parsed<voice_state> parse_voice_state(const boost::json::object& o);
parsed<guild> parse_guild(const boost::json::object& o);
parsed<application> parse_application(const boost::json::object& o);
parsed<message> parse_message(const boost::json::object& o);
// Needs url and shards >= 1; max_concurrency defaults to 1.
parsed<gateway_bot> parse_gateway_bot(const boost::json::object& o);

}  // namespace vb::discord
