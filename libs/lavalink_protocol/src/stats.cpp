#include "vectobeat/lavalink/stats.hpp"

#include <boost/json/object.hpp>

#include "readers.hpp"

namespace vb::lavalink {
namespace detail {

void read(object_reader& r, stats& out) {
  out.players = r.int32("players");
  out.playing_players = r.int32("playingPlayers");
  out.uptime = r.int64("uptime");
  if (auto m = r.child("memory")) {
    out.memory.free = m->int64("free");
    out.memory.used = m->int64("used");
    out.memory.allocated = m->int64("allocated");
    out.memory.reservable = m->int64("reservable");
  }
  if (auto c = r.child("cpu")) {
    out.cpu.cores = c->int32("cores");
    out.cpu.system_load = c->number("systemLoad");
    out.cpu.lavalink_load = c->number("lavalinkLoad");
  }
  if (auto f = r.optional_child("frameStats")) {
    auto& fs = out.frame_stats.emplace();
    fs.sent = f->int32("sent");
    fs.nulled = f->int32("nulled");
    fs.deficit = f->int32("deficit");
  }
}

void write(boost::json::object& o, const stats& s) {
  o["players"] = s.players;
  o["playingPlayers"] = s.playing_players;
  o["uptime"] = s.uptime;
  o["memory"] = {{"free", s.memory.free},
                 {"used", s.memory.used},
                 {"allocated", s.memory.allocated},
                 {"reservable", s.memory.reservable}};
  o["cpu"] = {{"cores", s.cpu.cores}, {"systemLoad", s.cpu.system_load}, {"lavalinkLoad", s.cpu.lavalink_load}};
  if (s.frame_stats) {
    o["frameStats"] = {{"sent", s.frame_stats->sent},
                       {"nulled", s.frame_stats->nulled},
                       {"deficit", s.frame_stats->deficit}};
  }
}

}  // namespace detail

boost::json::value to_json(const stats& s) {
  boost::json::object o;
  detail::write(o, s);
  return o;
}

template <>
expected<stats, std::string> from_json<stats>(const boost::json::value& v) {
  return detail::decode_root<stats>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

}  // namespace vb::lavalink
