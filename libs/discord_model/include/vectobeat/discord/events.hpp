#pragma once
// Typed gateway dispatch events the bot uses (discord.md §1.3, §5, §7). Each parse_*
// function takes the dispatch's `d` object.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "vectobeat/discord/interaction.hpp"
#include "vectobeat/discord/types.hpp"

namespace vb::discord {

struct ready_event {
  int version = 10;
  user self;
  std::string session_id;
  std::string resume_gateway_url;
  std::vector<snowflake> guilds;  // unavailable at first; each arrives as GUILD_CREATE
  std::optional<std::pair<int, int>> shard;
  snowflake application_id;
};

struct resumed_event {};

struct guild_create_event {
  guild g;
};
struct guild_update_event {
  guild g;  // without channels, voice states and members
};
struct guild_delete_event {
  snowflake guild_id;
  bool unavailable = false;  // true: an outage, the guild comes back; false: the bot left or was removed
};

struct channel_create_event {
  channel ch;
};
struct channel_update_event {
  channel ch;
};
struct channel_delete_event {
  channel ch;
};

struct guild_role_create_event {
  snowflake guild_id;
  role r;
};
struct guild_role_update_event {
  snowflake guild_id;
  role r;
};
struct guild_role_delete_event {
  snowflake guild_id;
  snowflake role_id;
};

struct voice_state_update_event {
  voice_state state;
};

struct voice_server_update_event {
  snowflake guild_id;
  std::string token;                // secret: never log it
  std::optional<std::string> endpoint;  // nullopt: the voice server is being reallocated
};

struct interaction_create_event {
  interaction in;
};

// Members intent (and the bot's own member updates, which arrive without it).
struct guild_member_add_event {
  snowflake guild_id;
  member m;
};
struct guild_member_update_event {
  snowflake guild_id;
  member m;
};
struct guild_member_remove_event {
  snowflake guild_id;
  user u;
};

parsed<ready_event> parse_ready(const boost::json::object& d);
parsed<guild_create_event> parse_guild_create(const boost::json::object& d);
parsed<guild_update_event> parse_guild_update(const boost::json::object& d);
parsed<guild_delete_event> parse_guild_delete(const boost::json::object& d);
parsed<channel> parse_channel_event(const boost::json::object& d);  // CHANNEL_CREATE/UPDATE/DELETE
parsed<guild_role_create_event> parse_guild_role_create(const boost::json::object& d);
parsed<guild_role_update_event> parse_guild_role_update(const boost::json::object& d);
parsed<guild_role_delete_event> parse_guild_role_delete(const boost::json::object& d);
parsed<voice_state_update_event> parse_voice_state_update(const boost::json::object& d);
parsed<voice_server_update_event> parse_voice_server_update(const boost::json::object& d);
parsed<interaction_create_event> parse_interaction_create(const boost::json::object& d);
parsed<guild_member_add_event> parse_guild_member_add(const boost::json::object& d);
parsed<guild_member_update_event> parse_guild_member_update(const boost::json::object& d);
parsed<guild_member_remove_event> parse_guild_member_remove(const boost::json::object& d);

}  // namespace vb::discord
