#pragma once
// Internal: state changes that several parts trigger (REST, gateway, control API, test
// API), each with the dispatches Discord would send. Strand only.
#include <system_error>

#include "core.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::fake::detail {

struct gateway_session;

class actions {
 public:
  explicit actions(core& c) : c_(c) {}

  void create_bot_user();
  snowflake create_user(const std::string& name, bool bot);
  snowflake create_guild(const std::string& name, snowflake owner);
  expected<snowflake, std::error_code> create_channel(snowflake guild, const std::string& name, channel_type type,
                                                      int user_limit);
  expected<snowflake, std::error_code> create_role(snowflake guild, const std::string& name, std::uint64_t permissions);
  std::error_code add_member(snowflake guild, snowflake user, std::vector<snowflake> roles);
  std::error_code remove_member(snowflake guild, snowflake user);
  demo_ids create_demo();

  // A scripted user's voice join/move/leave (channel 0).
  std::error_code set_user_voice(snowflake guild, snowflake user, snowflake channel, bool self_mute, bool self_deaf);
  // Gateway op 4 from the bot on `session` (the shard owning the guild).
  void bot_voice_update(const gateway_session& session, snowflake guild, snowflake channel, bool self_mute,
                        bool self_deaf);
  std::error_code move_voice_server(snowflake guild);

  // Stores the message and sends MESSAGE_CREATE (not for ephemeral ones).
  message& post_message(message m);
  void message_updated(const message& m);
  void message_deleted(const message& m);

 private:
  void send_voice_server_update(snowflake guild, const std::string& token, bool null_endpoint);
  core& c_;
};

}  // namespace vb::fake::detail
