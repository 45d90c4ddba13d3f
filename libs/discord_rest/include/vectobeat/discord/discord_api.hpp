#pragma once
// Typed endpoints for what the bot uses (discord.md §4.4, §5.3, §6). Each validates its
// payload first (invalid_argument, nothing sent), calls rest_client::request with the
// route template as bucket hint, and parses the answer (invalid_response when it does
// not parse).
#include <span>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/discord/command.hpp"
#include "vectobeat/discord/message.hpp"
#include "vectobeat/discord/rest_client.hpp"
#include "vectobeat/discord/types.hpp"

namespace vb::discord {

template <class T>
using rest_result = expected<T, rest_error>;

// Thin and stateless: holds a reference to the client, which must outlive it.
class discord_api {
 public:
  explicit discord_api(rest_client& rest) : rest_(rest) {}

  // Gateway, identity.
  task<rest_result<gateway_bot>> get_gateway_bot();
  task<rest_result<user>> get_current_user();
  task<rest_result<application>> get_current_application();

  // Application commands (global and per guild).
  task<rest_result<std::vector<command_definition>>> get_global_commands(snowflake application_id);
  task<rest_result<std::vector<command_definition>>> bulk_overwrite_global_commands(snowflake application_id,
                                                                                   std::vector<command_definition> commands);
  task<rest_result<std::vector<command_definition>>> get_guild_commands(snowflake application_id, snowflake guild_id);
  task<rest_result<std::vector<command_definition>>> bulk_overwrite_guild_commands(snowflake application_id,
                                                                                  snowflake guild_id,
                                                                                  std::vector<command_definition> commands);

  // Interactions: the callback (every type) and the webhook messages.
  task<rest_result<void>> create_interaction_response(snowflake interaction_id, std::string token,
                                                       interaction_response response);
  task<rest_result<message>> get_original_response(snowflake application_id, std::string token);
  task<rest_result<message>> edit_original_response(snowflake application_id, std::string token, message_payload m);
  task<rest_result<void>> delete_original_response(snowflake application_id, std::string token);
  task<rest_result<message>> create_followup(snowflake application_id, std::string token, message_payload m);
  task<rest_result<message>> edit_followup(snowflake application_id, std::string token, snowflake message_id,
                                           message_payload m);
  task<rest_result<void>> delete_followup(snowflake application_id, std::string token, snowflake message_id);

  // Channel messages (now-playing announcements and live edits).
  task<rest_result<message>> create_message(snowflake channel_id, message_payload m);
  task<rest_result<message>> edit_message(snowflake channel_id, snowflake message_id, message_payload m);
  task<rest_result<void>> delete_message(snowflake channel_id, snowflake message_id);
  task<rest_result<message>> get_message(snowflake channel_id, snowflake message_id);

  // Reads.
  task<rest_result<guild>> get_guild(snowflake guild_id);
  task<rest_result<channel>> get_channel(snowflake channel_id);
  task<rest_result<std::vector<channel>>> get_guild_channels(snowflake guild_id);
  task<rest_result<member>> get_guild_member(snowflake guild_id, snowflake user_id);
  task<rest_result<std::vector<role>>> get_guild_roles(snowflake guild_id);

 private:
  rest_client& rest_;
};

}  // namespace vb::discord
