#include "vectobeat/lavalink/load_result.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <utility>

#include "readers.hpp"

namespace vb::lavalink {
namespace {

constexpr std::array<std::string_view, 5> kLoadTypes{"track", "playlist", "search", "empty", "error"};

void read_playlist_info(detail::object_reader& r, playlist_info& out) {
  out.name = r.string("name");
  out.selected_track = r.int32("selectedTrack");
}

void read_tracks(detail::object_reader& r, std::string_view key, const boost::json::array& arr,
                 std::vector<track>& out) {
  out.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size() && r.ok(); ++i) {
    auto e = r.element(key, i, arr[i]);
    if (!e.is_object()) return;
    detail::read(e, out.emplace_back());
  }
}

void read_load_result(detail::object_reader& r, load_result& out) {
  const auto type_text = r.string("loadType");
  if (!r.ok()) return;
  const auto type = parse_load_type(type_text);
  if (!type) {
    r.fail("loadType", "must be one of track, playlist, search, empty, error");
    return;
  }
  switch (*type) {
    case load_type::track: {
      track t;
      detail::read_child(r, "data", t);
      out.data = std::move(t);
      break;
    }
    case load_type::playlist: {
      playlist p;
      if (auto d = r.child("data")) {
        if (auto info = d->child("info")) read_playlist_info(*info, p.info);
        p.plugin_info = d->object_or_empty("pluginInfo");
        if (const auto* arr = d->array("tracks")) read_tracks(*d, "tracks", *arr, p.tracks);
      }
      out.data = std::move(p);
      break;
    }
    case load_type::search: {
      search_result s;
      if (const auto* arr = r.array("data")) read_tracks(r, "data", *arr, s.tracks);
      out.data = std::move(s);
      break;
    }
    case load_type::empty: {
      // Documented as {}, but the reference serializer emits null.
      const auto* d = r.find("data");
      if (d && !d->is_null() && !d->is_object()) r.fail("data", "must be an object or null");
      out.data = empty_result{};
      break;
    }
    case load_type::error: {
      exception_info e;
      detail::read_child(r, "data", e);
      out.data = std::move(e);
      break;
    }
  }
}

struct data_encoder {
  boost::json::value operator()(const track& t) const { return to_json(t); }
  boost::json::value operator()(const playlist& p) const {
    boost::json::object o;
    o["info"] = to_json(p.info);
    o["pluginInfo"] = p.plugin_info;
    o["tracks"] = to_json_array(p.tracks);
    return o;
  }
  boost::json::value operator()(const search_result& s) const { return to_json_array(s.tracks); }
  boost::json::value operator()(const empty_result&) const { return boost::json::object(); }
  boost::json::value operator()(const exception_info& e) const { return to_json(e); }
};

}  // namespace

std::string_view to_string(load_type t) { return kLoadTypes[static_cast<std::size_t>(t)]; }

std::optional<load_type> parse_load_type(std::string_view s) {
  for (std::size_t i = 0; i < kLoadTypes.size(); ++i)
    if (kLoadTypes[i] == s) return static_cast<load_type>(i);
  return std::nullopt;
}

boost::json::value to_json(const playlist_info& p) {
  boost::json::object o;
  o["name"] = p.name;
  o["selectedTrack"] = p.selected_track;
  return o;
}

boost::json::value to_json(const load_result& r) {
  boost::json::object o;
  o["loadType"] = to_string(r.type());
  o["data"] = std::visit(data_encoder{}, r.data);
  return o;
}

template <>
expected<playlist_info, std::string> from_json<playlist_info>(const boost::json::value& v) {
  return detail::decode_root<playlist_info>(v, read_playlist_info);
}

template <>
expected<load_result, std::string> from_json<load_result>(const boost::json::value& v) {
  return detail::decode_root<load_result>(v, read_load_result);
}

}  // namespace vb::lavalink
