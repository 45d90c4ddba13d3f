#pragma once
// Realistic gateway payloads shaped like Discord's (fields the bot ignores included), for
// tests and the dispatch benchmark. Ids are derived from the guild index so a stream of
// many guilds stays deterministic.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <string>

namespace vb::discord::test {

// A JSON text the test knows to be an object, parsed.
inline boost::json::object obj(const std::string& s) { return boost::json::parse(s).as_object(); }

inline constexpr std::uint64_t bot_user_id = 1100000000000000001ULL;
inline constexpr std::uint64_t application_id = 1100000000000000002ULL;

inline std::uint64_t guild_id(std::uint64_t i) { return (1ULL << 60) + (i << 22) + 7; }
inline std::uint64_t channel_id(std::uint64_t g, int c) { return guild_id(g) + 1000 + static_cast<std::uint64_t>(c); }
inline std::uint64_t role_id(std::uint64_t g, int r) { return guild_id(g) + 100 + static_cast<std::uint64_t>(r); }
inline std::uint64_t user_id(std::uint64_t g, int u) { return guild_id(g) + 5000 + static_cast<std::uint64_t>(u); }

inline std::string user_json(std::uint64_t id, const std::string& name, bool bot = false) {
  return fmt::format(
      R"({{"id":"{}","username":"{}","global_name":"{}","avatar":"a_1f2e3d4c5b6a79880f1e2d3c4b5a6978","discriminator":"0","public_flags":0,"flags":0,"bot":{},"banner":null,"accent_color":null,"avatar_decoration_data":null,"clan":null,"primary_guild":null}})",
      id, name, name, bot ? "true" : "false");
}

inline std::string member_json(std::uint64_t uid, const std::string& name, const std::string& roles_json) {
  return fmt::format(
      R"({{"user":{},"roles":{},"nick":null,"avatar":null,"banner":null,"joined_at":"2024-05-01T10:00:00.000000+00:00","premium_since":null,"deaf":false,"mute":false,"pending":false,"flags":0,"communication_disabled_until":null}})",
      user_json(uid, name, uid == bot_user_id), roles_json);
}

inline std::string voice_state_json(std::uint64_t gid, std::uint64_t cid, std::uint64_t uid, bool with_guild,
                                    bool with_member) {
  std::string s = fmt::format(
      R"({{{}"channel_id":"{}","user_id":"{}","session_id":"c0ffee{}","deaf":false,"mute":false,"self_deaf":false,"self_mute":true,"self_video":false,"suppress":false,"request_to_speak_timestamp":null)",
      with_guild ? fmt::format(R"("guild_id":"{}",)", gid) : std::string(), cid, uid, uid % 100000);
  if (with_member) s += fmt::format(R"(,"member":{})", member_json(uid, fmt::format("listener{}", uid % 1000), "[]"));
  s += "}";
  return s;
}

// ~20 channels (1 category, 12 text, 6 voice, 1 stage), ~10 roles, 3 voice states, the
// bot's member, and a few overwrites: what a small-to-medium community looks like.
inline std::string guild_create_json(std::uint64_t g, int channels = 20, int roles = 10, int voice = 3) {
  const std::uint64_t gid = guild_id(g);
  std::string s = fmt::format(
      R"({{"id":"{}","name":"Community Server {}","icon":"1f2e3d4c5b6a79880f1e2d3c4b5a6978","description":null,"splash":null,"discovery_splash":null,"features":["COMMUNITY","NEWS"],"banner":null,"owner_id":"{}","application_id":null,"region":"deprecated","afk_channel_id":null,"afk_timeout":300,"system_channel_id":"{}","widget_enabled":false,"verification_level":1,"default_message_notifications":1,"mfa_level":0,"explicit_content_filter":2,"max_presences":null,"max_members":500000,"max_video_channel_users":25,"vanity_url_code":null,"premium_tier":1,"premium_subscription_count":3,"system_channel_flags":0,"preferred_locale":"en-US","rules_channel_id":null,"public_updates_channel_id":null,"safety_alerts_channel_id":null,"nsfw_level":0,"premium_progress_bar_enabled":false,"joined_at":"2024-05-01T10:00:00.000000+00:00","large":false,"unavailable":false,"member_count":{},"lazy":true,"emojis":[],"stickers":[],"threads":[],"presences":[],"stage_instances":[],"guild_scheduled_events":[],"soundboard_sounds":[],"roles":[)",
      gid, g, user_id(g, 0), channel_id(g, 1), 120 + g % 500);
  for (int r = 0; r < roles; ++r) {
    const std::uint64_t rid = r == 0 ? gid : role_id(g, r);
    const std::uint64_t perms = r == 0 ? 1071698660929ULL : (r == 1 ? 8ULL : 3263552ULL << (r % 3));
    s += fmt::format(
        R"({}{{"id":"{}","name":"{}","color":{},"hoist":{},"icon":null,"unicode_emoji":null,"position":{},"permissions":"{}","managed":{},"mentionable":false,"flags":0,"tags":{{}}}})",
        r ? "," : "", rid, r == 0 ? std::string("@everyone") : fmt::format("Role {}", r), r * 1000, r % 2 ? "true" : "false",
        r, perms, r == roles - 1 ? "true" : "false");
  }
  s += R"(],"channels":[)";
  for (int c = 0; c < channels; ++c) {
    const bool category = c == 0;
    const bool stage = c == channels - 1;
    const bool voice_ch = !category && !stage && c > channels - 8;
    const int type = category ? 4 : stage ? 13 : voice_ch ? 2 : 0;
    std::string overwrites;
    if (c % 3 == 0)
      overwrites = fmt::format(R"({{"id":"{}","type":0,"allow":"0","deny":"2048"}})", gid);
    if (c % 5 == 0)
      overwrites += fmt::format(R"({}{{"id":"{}","type":0,"allow":"3146752","deny":"0"}})", overwrites.empty() ? "" : ",",
                                role_id(g, 2));
    if (c == 4)
      overwrites += fmt::format(R"({}{{"id":"{}","type":1,"allow":"1024","deny":"0"}})", overwrites.empty() ? "" : ",",
                                user_id(g, 1));
    if (type == 0)
      s += fmt::format(
          R"({}{{"id":"{}","type":0,"name":"text-channel-{}","position":{},"parent_id":"{}","topic":"Talk about things here","nsfw":false,"last_message_id":"{}","rate_limit_per_user":0,"flags":0,"permission_overwrites":[{}]}})",
          c ? "," : "", channel_id(g, c), c, c, channel_id(g, 0), channel_id(g, c) + 77, overwrites);
    else if (type == 4)
      s += fmt::format(R"({}{{"id":"{}","type":4,"name":"General","position":0,"flags":0,"permission_overwrites":[{}]}})",
                       c ? "," : "", channel_id(g, c), overwrites);
    else
      s += fmt::format(
          R"({}{{"id":"{}","type":{},"name":"Voice {}","position":{},"parent_id":"{}","bitrate":64000,"user_limit":{},"rtc_region":null,"video_quality_mode":1,"nsfw":false,"rate_limit_per_user":0,"last_message_id":null,"flags":0,"permission_overwrites":[{}]}})",
          c ? "," : "", channel_id(g, c), type, c, c, channel_id(g, 0), c % 2 ? 0 : 10, overwrites);
  }
  s += R"(],"voice_states":[)";
  for (int v = 0; v < voice; ++v)
    s += (v ? "," : "") + voice_state_json(gid, channel_id(g, channels - 2 - v % 3), user_id(g, 10 + v), false, false);
  s += R"(],"members":[)";
  s += member_json(bot_user_id, "VectoBeat", fmt::format(R"(["{}"])", role_id(g, 2)));
  for (int v = 0; v < voice; ++v) s += "," + member_json(user_id(g, 10 + v), fmt::format("listener{}", v), "[]");
  s += "]}";
  return s;
}

inline std::string dispatch(const std::string& t, std::int64_t seq, const std::string& d) {
  return fmt::format(R"({{"t":"{}","s":{},"op":0,"d":{}}})", t, seq, d);
}

inline std::string ready_json(int shard_id, int shard_count, const std::string& session_id, const std::string& guilds_json,
                              const std::string& resume_url = "wss://gateway-us-east1-b.discord.gg") {
  return fmt::format(
      R"({{"v":10,"user_settings":{{}},"user":{},"session_type":"normal","session_id":"{}","resume_gateway_url":"{}","relationships":[],"private_channels":[],"presences":[],"guilds":{},"guild_join_requests":[],"geo_ordered_rtc_regions":["us-east"],"game_relationships":[],"auth":{{}},"application":{{"id":"{}","flags":565248}},"shard":[{},{}],"_trace":["[\"gateway-prd-us-east1-b-abcd\",{{\"micros\":118000}}]"]}})",
      user_json(bot_user_id, "VectoBeat", true), session_id, resume_url, guilds_json, application_id, shard_id, shard_count);
}

inline std::string interaction_json(std::uint64_t g, std::uint64_t n, const std::string& data, int type = 2) {
  return fmt::format(
      R"({{"version":1,"type":{},"token":"aW50ZXJhY3Rpb246MTEwMDAwMDAwMDAwMDAwMDAwMTpzZWNyZXQtdG9rZW4tdmFsdWUtZm9yLXRlc3Rpbmctb25seS1ub3QtcmVhbC1hYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk","member":{{"user":{},"roles":["{}"],"premium_since":null,"permissions":"2248473465835073","pending":false,"nick":null,"mute":false,"joined_at":"2024-05-01T10:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"avatar":null}},"locale":"en-US","id":"{}","guild_locale":"en-US","guild_id":"{}","guild":{{"locale":"en-US","id":"{}","features":["COMMUNITY"]}},"entitlements":[],"entitlement_sku_ids":[],"data":{},"context":0,"channel_id":"{}","channel":{{"type":0,"topic":null,"rate_limit_per_user":0,"position":1,"permissions":"2248473465835073","parent_id":"{}","nsfw":false,"name":"text-channel-1","last_message_id":"{}","id":"{}","guild_id":"{}","flags":0}},"authorizing_integration_owners":{{"0":"{}"}},"attachment_size_limit":26214400,"application_id":"{}","app_permissions":"2248473465835073"}})",
      type, user_json(user_id(g, 10), "listener0"), role_id(g, 2), guild_id(g) + 900000 + n, guild_id(g), guild_id(g), data,
      channel_id(g, 1), channel_id(g, 0), channel_id(g, 1) + 77, channel_id(g, 1), guild_id(g), guild_id(g), application_id);
}

inline std::string play_command_data(std::uint64_t g) {
  return fmt::format(
      R"({{"type":1,"options":[{{"value":"never gonna give you up","type":3,"name":"query"}}],"name":"play","id":"{}","guild_id":"{}"}})",
      application_id + 1, guild_id(g));
}

}  // namespace vb::discord::test
