#include "vectobeat/lavalink/message.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "readers.hpp"

namespace vb::lavalink {
namespace {

using detail::object_reader;

constexpr std::array<std::string_view, 5> kEndReasons{"finished", "loadFailed", "stopped", "replaced", "cleanup"};
// v3 spelled them FINISHED, LOAD_FAILED, ...: compare ignoring case and underscores.
bool same_reason(std::string_view text, std::string_view name) {
  std::size_t j = 0;
  for (char c : text) {
    if (c == '_') continue;
    if (j >= name.size() ||
        std::tolower(static_cast<unsigned char>(c)) != std::tolower(static_cast<unsigned char>(name[j])))
      return false;
    ++j;
  }
  return j == name.size();
}

boost::json::object event_base(std::string_view type, std::uint64_t guild_id) {
  return boost::json::object{{"op", "event"}, {"type", type}, {"guildId", detail::snowflake_text(guild_id)}};
}

constexpr std::array<std::string_view, 5> kEventTypes{"TrackStartEvent", "TrackEndEvent", "TrackExceptionEvent",
                                                      "TrackStuckEvent", "WebSocketClosedEvent"};

message read_event(object_reader& r, std::string_view type) {
  // Plugin events are passed through whatever their shape, guildId or not.
  if (std::find(kEventTypes.begin(), kEventTypes.end(), type) == kEventTypes.end())
    return unknown_message{"event", std::string(type), r.object()};
  const auto guild_id = r.snowflake("guildId");
  if (type == "TrackStartEvent") {
    track_start_event e{guild_id, {}};
    detail::read_child(r, "track", e.track);
    return e;
  }
  if (type == "TrackEndEvent") {
    track_end_event e{guild_id, {}, track_end_reason::finished};
    detail::read_child(r, "track", e.track);
    const auto reason = r.string("reason");
    if (auto parsed = parse_track_end_reason(reason)) e.reason = *parsed;
    else r.fail("reason", "must be one of finished, loadFailed, stopped, replaced, cleanup");
    return e;
  }
  if (type == "TrackExceptionEvent") {
    track_exception_event e{guild_id, {}, {}};
    detail::read_child(r, "track", e.track);
    detail::read_child(r, "exception", e.exception);
    return e;
  }
  if (type == "TrackStuckEvent") {
    track_stuck_event e{guild_id, {}, 0};
    detail::read_child(r, "track", e.track);
    e.threshold_ms = r.int64("thresholdMs");
    return e;
  }
  // The remaining known type: WebSocketClosedEvent.
  websocket_closed_event e{guild_id, 0, {}, false};
  e.code = r.int32("code");
  e.reason = r.string("reason");
  e.by_remote = r.boolean("byRemote");
  return e;
}

message read_message(object_reader& r) {
  const auto op = r.string("op");
  if (!r.ok()) return unknown_message{};
  if (op == "ready") return ready_message{r.boolean("resumed"), r.string("sessionId")};
  if (op == "playerUpdate") {
    player_update_message m{r.snowflake("guildId"), {}};
    detail::read_child(r, "state", m.state);
    return m;
  }
  if (op == "stats") {
    stats_message m;
    detail::read(r, m.stats);
    return m;
  }
  if (op == "event") {
    const auto type = r.string("type");
    if (!r.ok()) return unknown_message{};
    return read_event(r, type);
  }
  return unknown_message{op, "", r.object()};
}

}  // namespace

std::string_view to_string(track_end_reason r) { return kEndReasons[static_cast<std::size_t>(r)]; }

std::optional<track_end_reason> parse_track_end_reason(std::string_view s) {
  for (std::size_t i = 0; i < kEndReasons.size(); ++i)
    if (same_reason(s, kEndReasons[i])) return static_cast<track_end_reason>(i);
  return std::nullopt;
}

boost::json::value to_json(const ready_message& m) {
  return boost::json::object{{"op", "ready"}, {"resumed", m.resumed}, {"sessionId", m.session_id}};
}

boost::json::value to_json(const player_update_message& m) {
  return boost::json::object{
      {"op", "playerUpdate"}, {"guildId", detail::snowflake_text(m.guild_id)}, {"state", to_json(m.state)}};
}

boost::json::value to_json(const stats_message& m) {
  boost::json::object o{{"op", "stats"}};
  detail::write(o, m.stats);
  return o;
}

boost::json::value to_json(const track_start_event& e) {
  auto o = event_base("TrackStartEvent", e.guild_id);
  o["track"] = to_json(e.track);
  return o;
}

boost::json::value to_json(const track_end_event& e) {
  auto o = event_base("TrackEndEvent", e.guild_id);
  o["track"] = to_json(e.track);
  o["reason"] = to_string(e.reason);
  return o;
}

boost::json::value to_json(const track_exception_event& e) {
  auto o = event_base("TrackExceptionEvent", e.guild_id);
  o["track"] = to_json(e.track);
  o["exception"] = to_json(e.exception);
  return o;
}

boost::json::value to_json(const track_stuck_event& e) {
  auto o = event_base("TrackStuckEvent", e.guild_id);
  o["track"] = to_json(e.track);
  o["thresholdMs"] = e.threshold_ms;
  return o;
}

boost::json::value to_json(const websocket_closed_event& e) {
  auto o = event_base("WebSocketClosedEvent", e.guild_id);
  o["code"] = e.code;
  o["reason"] = e.reason;
  o["byRemote"] = e.by_remote;
  return o;
}

boost::json::value to_json(const unknown_message& m) { return m.raw; }

boost::json::value to_json(const message& m) {
  return std::visit([](const auto& alt) { return to_json(alt); }, m);
}

template <>
expected<message, std::string> from_json<message>(const boost::json::value& v) {
  std::string error;
  object_reader r(v, "", error);
  if (!r.is_object()) return unexpected(std::move(error));
  auto m = read_message(r);
  if (!error.empty()) return unexpected(std::move(error));
  return m;
}

expected<message, std::string> parse_message(std::string_view text) { return parse_json<message>(text); }

}  // namespace vb::lavalink
