#pragma once
// Internal: the state model (users, guilds, channels, roles, members, voice states,
// messages, commands) and its Discord JSON shapes. Touched only on the server strand.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/fake_discord/model.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

// Snowflakes as Discord makes them: (ms since 2015 << 22) | worker | process | increment.
// Guild ids take a fresh millisecond each (never reused), so guilds created in a burst
// still spread over shards by (id >> 22) % num_shards instead of all landing on one.
class snowflake_generator {
 public:
  explicit snowflake_generator(clock& c) : clock_(c) {}
  snowflake next();
  snowflake next_guild();

 private:
  std::int64_t now_ms() const;
  clock& clock_;
  std::int64_t last_ms_ = 0;
  std::uint32_t increment_ = 0;
  std::int64_t last_guild_ms_ = 0;
};

struct guild_rec {
  snowflake id = 0;
  std::string name;
  snowflake owner_id = 0;
  system_time created{};
  std::vector<snowflake> channels;  // creation order
  std::vector<role> roles;          // roles[0] is @everyone
  std::map<snowflake, member> members;
  std::map<snowflake, voice_state> voice_states;  // user -> state (only users in a channel)
};

// Messages kept per channel; older records are dropped (a long-running sandbox stays bounded).
inline constexpr std::size_t max_messages_per_channel = 5000;

class world {
 public:
  explicit world(clock& c) : clock_(c), ids_(c) {}

  snowflake new_id() { return ids_.next(); }
  system_time now() const { return clock_.system_now(); }

  // ---- users
  user& add_user(std::string username, bool bot, snowflake id = 0);
  const user* find_user(snowflake id) const;

  // ---- guilds
  guild_rec& add_guild(std::string name, snowflake owner);
  guild_rec* find_guild(snowflake id);
  const guild_rec* find_guild(snowflake id) const;
  const std::map<snowflake, guild_rec>& guilds() const { return guilds_; }
  channel& add_channel(guild_rec& g, std::string name, channel_type type, int user_limit);
  role& add_role(guild_rec& g, std::string name, std::uint64_t permissions);
  member& add_member(guild_rec& g, snowflake user, std::vector<snowflake> roles);
  channel* find_channel(snowflake id);
  const channel* find_channel(snowflake id) const;
  const role* find_role(const guild_rec& g, snowflake id) const;
  // Base permissions of a member (owner and administrator get all).
  std::uint64_t permissions(const guild_rec& g, snowflake user) const;
  guild snapshot(const guild_rec& g) const;

  // ---- messages
  message& add_message(message m);
  message* find_message(snowflake id);
  const message* find_message(snowflake id) const;
  std::vector<message> channel_messages(snowflake channel) const;
  const std::vector<snowflake>* channel_message_ids(snowflake channel) const;

  // ---- commands (guild 0: global); ids stay stable across overwrites of the same name
  std::vector<application_command>& commands(snowflake guild) { return commands_[guild]; }
  const std::vector<application_command>* find_commands(snowflake guild) const;
  snowflake command_id_for(snowflake guild, const std::string& name, int type);

  snowflake bot_id = 0;
  snowflake application_id = 0;

 private:
  clock& clock_;
  snowflake_generator ids_;
  std::map<snowflake, user> users_;
  std::map<snowflake, guild_rec> guilds_;
  std::unordered_map<snowflake, channel> channels_;
  std::unordered_map<snowflake, message> messages_;
  std::unordered_map<snowflake, std::vector<snowflake>> channel_messages_;
  std::map<snowflake, std::vector<application_command>> commands_;
  std::map<std::tuple<snowflake, std::string, int>, snowflake> command_ids_;
};

// ---- Discord JSON shapes (REST and gateway)
std::string iso8601(system_time t);
std::string id_string(snowflake id);
json::object user_json(const user& u);
json::object role_json(const role& r);
json::object channel_json(const channel& c);
json::object member_json(const world& w, const guild_rec& g, const member& m, bool with_user);
json::object voice_state_json(const world& w, const guild_rec& g, const voice_state& v, bool with_member);
json::object message_json(const world& w, const message& m);
// GET /guilds/{id}
json::object guild_json(const world& w, const guild_rec& g);
// GUILD_CREATE for a session with `intents`.
json::object guild_create_json(const world& w, const guild_rec& g, std::uint64_t intents);

// Shard of a guild: (id >> 22) % num_shards (discord.md §2).
inline int shard_of(snowflake guild, int num_shards) {
  return num_shards <= 0 ? 0 : static_cast<int>((guild >> 22) % static_cast<std::uint64_t>(num_shards));
}

}  // namespace vb::fake::detail
