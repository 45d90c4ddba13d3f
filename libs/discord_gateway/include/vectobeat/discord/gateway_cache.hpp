#pragma once
// A compact cache of what the bot needs from the gateway: guilds (name, owner, member
// count), channels (name, type, voice user limit), role permissions, the permission
// overwrites that can affect the bot, voice states (who is in which channel), the bot's
// own roles and voice session. No JSON is kept; names share one buffer per guild.
//
// Threading: writers are the shards' dispatch paths (one guild is only ever written by
// the shard that owns it); readers may be any thread. Guilds are spread over lock
// stripes, so shards do not contend and readers block one stripe only for a copy.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/discord/events.hpp"
#include "vectobeat/discord/permissions.hpp"
#include "vectobeat/discord/snowflake.hpp"
#include "vectobeat/discord/types.hpp"

namespace vb::discord {

struct cached_guild {
  snowflake id;
  std::string name;
  snowflake owner_id;
  int member_count = 0;
  bool unavailable = false;
  std::size_t channel_count = 0;
  std::size_t role_count = 0;
  std::size_t voice_state_count = 0;
};

struct cached_channel {
  snowflake id;
  channel_type type = channel_type::unknown;
  std::string name;
  int user_limit = 0;
};

struct cached_voice_state {
  snowflake user_id;
  snowflake channel_id;
  bool self_deaf = false;
  bool deaf = false;
  bool self_mute = false;
  bool mute = false;
  bool suppress = false;
};

// The bot's own voice state in a guild: what a voice connection needs with the next
// VOICE_SERVER_UPDATE.
struct self_voice_state {
  snowflake channel_id;
  std::string session_id;
};

class gateway_cache {
 public:
  gateway_cache();
  ~gateway_cache();
  gateway_cache(const gateway_cache&) = delete;
  gateway_cache& operator=(const gateway_cache&) = delete;

  // ---- writers (dispatch path)
  void set_self_user(snowflake bot_user_id);
  // READY of a new session on `shard_id`: guilds of that shard that READY no longer
  // lists are dropped (the bot left them while disconnected).
  void on_ready(int shard_id, int shard_count, const std::vector<snowflake>& guilds);
  void upsert_guild(const guild& g);  // GUILD_CREATE
  void update_guild(const guild& g);  // GUILD_UPDATE: name, owner, roles
  void remove_guild(snowflake guild_id, bool unavailable);
  void upsert_channel(const channel& c);
  void remove_channel(snowflake guild_id, snowflake channel_id);
  void upsert_role(snowflake guild_id, const role& r);
  void remove_role(snowflake guild_id, snowflake role_id);
  void update_voice_state(const voice_state& v);
  // Member add/update/remove: the member count, and the bot's roles when it is the bot.
  void member_added(snowflake guild_id);
  void member_removed(snowflake guild_id, snowflake user_id);
  void member_updated(snowflake guild_id, const member& m);

  // ---- readers (any thread); copies, never references into the cache
  snowflake self_user() const;
  std::optional<cached_guild> guild_info(snowflake guild_id) const;
  std::optional<cached_channel> channel_info(snowflake guild_id, snowflake channel_id) const;
  std::vector<cached_channel> channels(snowflake guild_id) const;
  // The bot's permissions in the guild / in a channel; nullopt when either is unknown.
  std::optional<permissions> bot_permissions(snowflake guild_id) const;
  std::optional<permissions> bot_permissions(snowflake guild_id, snowflake channel_id) const;
  // The voice channel a user is in (empty: none or unknown).
  snowflake voice_channel_of(snowflake guild_id, snowflake user_id) const;
  std::vector<cached_voice_state> voice_states(snowflake guild_id, snowflake channel_id) const;
  std::optional<self_voice_state> self_voice(snowflake guild_id) const;
  std::size_t guild_count() const;
  std::size_t guild_count(int shard_id, int shard_count) const;
  void for_each_guild_id(const std::function<void(snowflake)>& fn) const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::discord
