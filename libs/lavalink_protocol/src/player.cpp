#include "vectobeat/lavalink/player.hpp"

#include <boost/json/object.hpp>

#include "readers.hpp"

namespace vb::lavalink {
namespace detail {

void read(object_reader& r, player_state& out) {
  out.time = r.int64("time");
  out.position = r.int64("position");
  out.connected = r.boolean("connected");
  out.ping = r.int64("ping");
}

void read(object_reader& r, voice_state& out) {
  out.token = r.string("token");
  out.endpoint = r.string("endpoint");
  out.session_id = r.string("sessionId");
  out.channel_id = r.nullable_string("channelId");
}

namespace {

void read_player(object_reader& r, player& out) {
  out.guild_id = r.snowflake("guildId");
  if (auto t = r.optional_child("track")) read(*t, out.track.emplace());
  const auto volume = r.int32("volume");
  if (r.ok() && (volume < 0 || volume > 1000)) r.fail("volume", "must be between 0 and 1000");
  out.volume = volume;
  out.paused = r.boolean("paused");
  read_child(r, "state", out.state);
  read_child(r, "voice", out.voice);
  read_child(r, "filters", out.filters);
}

}  // namespace
}  // namespace detail

boost::json::value to_json(const player_state& s) {
  boost::json::object o;
  o["time"] = s.time;
  o["position"] = s.position;
  o["connected"] = s.connected;
  o["ping"] = s.ping;
  return o;
}

boost::json::value to_json(const voice_state& v) {
  boost::json::object o;
  o["token"] = v.token;
  o["endpoint"] = v.endpoint;
  o["sessionId"] = v.session_id;
  o["channelId"] = detail::nullable(v.channel_id);
  return o;
}

boost::json::value to_json(const player& p) {
  boost::json::object o;
  o["guildId"] = detail::snowflake_text(p.guild_id);
  o["track"] = p.track ? to_json(*p.track) : boost::json::value(nullptr);
  o["volume"] = p.volume;
  o["paused"] = p.paused;
  o["state"] = to_json(p.state);
  o["voice"] = to_json(p.voice);
  o["filters"] = to_json(p.filters);
  return o;
}

template <>
expected<player_state, std::string> from_json<player_state>(const boost::json::value& v) {
  return detail::decode_root<player_state>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

template <>
expected<voice_state, std::string> from_json<voice_state>(const boost::json::value& v) {
  return detail::decode_root<voice_state>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

template <>
expected<player, std::string> from_json<player>(const boost::json::value& v) {
  return detail::decode_root<player>(v, detail::read_player);
}

}  // namespace vb::lavalink
