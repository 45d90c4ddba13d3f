#pragma once
// Internal: the field readers of nested types, shared between the type's own TU and its parents.
#include "json_reader.hpp"
#include "vectobeat/lavalink/exception.hpp"
#include "vectobeat/lavalink/filters.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/stats.hpp"
#include "vectobeat/lavalink/track.hpp"

namespace vb::lavalink::detail {

void read(object_reader& r, track_info& out);
void read(object_reader& r, track& out);
void read(object_reader& r, exception_info& out);
void read(object_reader& r, filters& out);
void read(object_reader& r, player_state& out);
void read(object_reader& r, voice_state& out);
void read(object_reader& r, stats& out);
void write(boost::json::object& o, const stats& s);  // flattened into the WS stats message

// Reads the required nested object `key` into `out`.
template <class T>
void read_child(object_reader& r, std::string_view key, T& out) {
  if (auto c = r.child(key)) read(*c, out);
}

}  // namespace vb::lavalink::detail
