#include "vectobeat/lavalink/track.hpp"

#include <boost/json/object.hpp>

#include "readers.hpp"

namespace vb::lavalink {
namespace detail {

void read(object_reader& r, track_info& out) {
  out.identifier = r.string("identifier");
  out.is_seekable = r.boolean("isSeekable");
  out.author = r.string("author");
  out.length = r.int64("length");
  out.is_stream = r.boolean("isStream");
  out.position = r.int64("position");
  out.title = r.string("title");
  out.uri = r.nullable_string("uri");
  out.artwork_url = r.nullable_string("artworkUrl");
  out.isrc = r.nullable_string("isrc");
  out.source_name = r.string("sourceName");
}

void read(object_reader& r, track& out) {
  out.encoded = r.string("encoded");
  read_child(r, "info", out.info);
  out.plugin_info = r.object_or_empty("pluginInfo");
  out.user_data = r.object_or_empty("userData");
}

}  // namespace detail

boost::json::value to_json(const track_info& info) {
  boost::json::object o;
  o["identifier"] = info.identifier;
  o["isSeekable"] = info.is_seekable;
  o["author"] = info.author;
  o["length"] = info.length;
  o["isStream"] = info.is_stream;
  o["position"] = info.position;
  o["title"] = info.title;
  o["uri"] = detail::nullable(info.uri);
  o["artworkUrl"] = detail::nullable(info.artwork_url);
  o["isrc"] = detail::nullable(info.isrc);
  o["sourceName"] = info.source_name;
  return o;
}

boost::json::value to_json(const track& t) {
  boost::json::object o;
  o["encoded"] = t.encoded;
  o["info"] = to_json(t.info);
  o["pluginInfo"] = t.plugin_info;
  o["userData"] = t.user_data;
  return o;
}

template <>
expected<track_info, std::string> from_json<track_info>(const boost::json::value& v) {
  return detail::decode_root<track_info>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

template <>
expected<track, std::string> from_json<track>(const boost::json::value& v) {
  return detail::decode_root<track>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

}  // namespace vb::lavalink
