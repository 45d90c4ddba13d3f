#include "vectobeat/storage/models.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "vectobeat/common/json.hpp"

namespace vb::storage {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::size_t max_extra_bytes = 64 * 1024;
constexpr std::size_t max_encoded_bytes = 192 * 1024;  // base64 of lavaplayer's 128 KiB blob bound

value nullable(const std::optional<std::string>& s) { return s ? value(*s) : value(nullptr); }
value snowflake_or_null(const std::optional<std::uint64_t>& s) { return s ? value(std::to_string(*s)) : value(nullptr); }

std::optional<std::string> opt_string(const object& o, std::string_view key) {
  auto s = vb::json::get_string(o, key);
  return s ? std::optional<std::string>(std::string(*s)) : std::nullopt;
}

// A snowflake written as a JSON number (the original's Python ints) or a string.
std::optional<std::uint64_t> read_id(const value* v) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() > 0) return static_cast<std::uint64_t>(v->as_int64());
  if (v->is_string()) return vb::json::parse_u64(v->as_string());
  return std::nullopt;
}

// Decodes one UTF-8 code point at `i`; false on malformed input.
bool next_code_point(std::string_view s, std::size_t& i, char32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = 0;
  if (c < 0x80) cp = c, len = 1;
  else if ((c & 0xE0) == 0xC0) cp = c & 0x1F, len = 2;
  else if ((c & 0xF0) == 0xE0) cp = c & 0x0F, len = 3;
  else if ((c & 0xF8) == 0xF0) cp = c & 0x07, len = 4;
  else return false;
  if (i + static_cast<std::size_t>(len) > s.size()) return false;
  for (int k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((cc & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += static_cast<std::size_t>(len);
  return true;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Simple lower-case mappings of the scripts playlist and artist names mostly use.
char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c >= 0x100 && c <= 0x137 && c != 0x130) return c | 1;            // pairs: even upper, odd lower
  if (c >= 0x139 && c <= 0x148) return (c & 1) ? c + 1 : c;           // odd upper
  if (c >= 0x14A && c <= 0x177) return c | 1;
  if (c == 0x178) return 0xFF;
  if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c + 1 : c;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB)) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  return c;
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

expected<queue_entry, std::string> entry_from_json(const value& v) {
  const auto* o = v.if_object();
  if (!o) return unexpected(std::string("queue entry must be an object"));
  const auto* t = vb::json::find(*o, "track");
  if (!t) return unexpected(std::string("queue entry has no track"));
  auto track = lavalink::from_json<lavalink::track>(*t);
  if (!track) return unexpected("queue entry track: " + track.error());
  return queue_entry{std::move(*track), read_id(vb::json::find(*o, "requester"))};
}

value to_json(const queue_entry& e) {
  return object{{"track", lavalink::to_json(e.track)}, {"requester", snowflake_or_null(e.requester)}};
}

}  // namespace

std::string_view to_string(announcement_style s) noexcept { return s == announcement_style::minimal ? "minimal" : "rich"; }

std::optional<announcement_style> parse_announcement_style(std::string_view s) noexcept {
  if (s == "rich") return announcement_style::rich;
  if (s == "minimal") return announcement_style::minimal;
  return std::nullopt;
}

// ------------------------------------------------------------------ names

std::string lower_name(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = 0;
    const std::size_t at = i;
    if (!next_code_point(utf8, i, cp)) {
      out += utf8[at];  // not UTF-8: kept byte for byte
      i = at + 1;
      continue;
    }
    if (cp == 0x130) {  // 'İ' lowers to "i̇" in Python
      out += 'i';
      append_utf8(out, 0x307);
      continue;
    }
    append_utf8(out, lower(cp));
  }
  return out;
}

expected<std::string, storage_error> playlist_key(std::string_view name) {
  auto t = trim(name);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < t.size(); ++chars) {
    char32_t cp = 0;
    if (!next_code_point(t, i, cp))
      return unexpected(storage_error{storage_errc::invalid_argument, "playlist name is not valid UTF-8"});
    if (cp < 0x20 || cp == 0x7F)
      return unexpected(storage_error{storage_errc::invalid_argument, "playlist name contains control characters"});
  }
  if (chars == 0) return unexpected(storage_error{storage_errc::invalid_argument, "playlist name must not be empty"});
  if (chars > max_playlist_name_chars)
    return unexpected(storage_error{storage_errc::invalid_argument, "playlist name is longer than 64 characters"});
  return lower_name(t);
}

// ------------------------------------------------------------------ stored_track

stored_track stored_track::from(const lavalink::track& t, std::optional<std::uint64_t> requester) {
  stored_track s;
  s.encoded = t.encoded;
  s.identifier = t.info.identifier;
  s.title = t.info.title;
  s.author = t.info.author;
  s.length = t.info.length;
  s.is_stream = t.info.is_stream;
  s.uri = t.info.uri;
  s.artwork_url = t.info.artwork_url;
  s.source_name = t.info.source_name;
  s.requester = requester;
  return s;
}

lavalink::track stored_track::to_track() const {
  lavalink::track t;
  t.encoded = encoded;
  t.info.identifier = identifier;
  t.info.title = title;
  t.info.author = author;
  t.info.length = length;
  t.info.is_stream = is_stream;
  t.info.is_seekable = !is_stream;
  t.info.uri = uri;
  t.info.artwork_url = artwork_url;
  t.info.source_name = source_name;
  return t;
}

value to_json(const stored_track& t) {
  object info{{"identifier", t.identifier}, {"author", t.author},    {"length", t.length},
              {"title", t.title},           {"uri", nullable(t.uri)}, {"sourceName", t.source_name},
              {"artworkUrl", nullable(t.artwork_url)}, {"isStream", t.is_stream}};
  // Requesters are numbers, as the original's Python ints were.
  value requester = t.requester ? value(*t.requester) : value(nullptr);
  return object{{"track", t.encoded}, {"info", std::move(info)}, {"requester", std::move(requester)}};
}

expected<stored_track, std::string> stored_track_from_json(const value& v) {
  const auto* o = v.if_object();
  if (!o) return unexpected(std::string("track entry must be an object"));
  stored_track t;
  auto enc = vb::json::get_string(*o, "track");
  if (!enc) enc = vb::json::get_string(*o, "encoded");
  if (!enc || enc->empty()) return unexpected(std::string("track entry has no encoded track"));
  t.encoded = std::string(*enc);
  if (const auto* info = vb::json::get_object(*o, "info")) {
    t.identifier = opt_string(*info, "identifier").value_or("");
    t.title = opt_string(*info, "title").value_or("");
    t.author = opt_string(*info, "author").value_or("");
    t.length = vb::json::get_int(*info, "length").value_or(0);
    t.is_stream = vb::json::get_bool(*info, "isStream").value_or(false);
    t.uri = opt_string(*info, "uri");
    t.artwork_url = opt_string(*info, "artworkUrl");
    t.source_name = opt_string(*info, "sourceName").value_or("");
  }
  t.requester = read_id(vb::json::find(*o, "requester"));
  return t;
}

// ------------------------------------------------------------------ playlist

value to_json(const playlist& p) {
  array tracks;
  tracks.reserve(p.tracks.size());
  for (auto& t : p.tracks) tracks.push_back(to_json(t));
  return object{{"tracks", std::move(tracks)}, {"meta", p.meta}};
}

expected<playlist, std::string> playlist_from_json(std::string name, const value& v) {
  playlist p;
  p.name = std::move(name);
  const array* tracks = v.if_array();  // the legacy plain-list form
  if (!tracks) {
    const auto* o = v.if_object();
    if (!o) return unexpected(std::string("playlist must be an object or a list"));
    tracks = vb::json::get_array(*o, "tracks");
    if (!tracks) return unexpected(std::string("playlist has no track list"));
    if (const auto* meta = vb::json::get_object(*o, "meta")) p.meta = *meta;
  }
  p.tracks.reserve(tracks->size());
  for (std::size_t i = 0; i < tracks->size(); ++i) {
    auto t = stored_track_from_json((*tracks)[i]);
    if (!t) return unexpected("track " + std::to_string(i) + ": " + t.error());
    p.tracks.push_back(std::move(*t));
  }
  return p;
}

// ------------------------------------------------------------------ guild profile

value to_json(const guild_profile& p) {
  object o = p.extra;
  o["default_volume"] = p.default_volume;
  o["autoplay"] = p.autoplay;
  o["announcement_style"] = to_string(p.announcement);
  o["adaptive_mastering"] = p.adaptive_mastering;
  o["compliance_mode"] = p.compliance_mode;
  return o;
}

expected<guild_profile, std::string> guild_profile_from_json(std::uint64_t guild_id, const value& v) {
  const auto* o = v.if_object();
  if (!o) return unexpected(std::string("profile must be an object"));
  guild_profile p;
  p.guild_id = guild_id;
  for (auto& [k, val] : *o) {
    if (k == "default_volume") {
      auto n = vb::json::get_int(*o, k);
      if (!n || *n < min_default_volume || *n > max_default_volume)
        return unexpected(std::string("default_volume must be an integer in 0..200"));
      p.default_volume = static_cast<int>(*n);
    } else if (k == "autoplay" || k == "adaptive_mastering" || k == "compliance_mode") {
      if (!val.is_bool()) return unexpected(std::string(k) + " must be a boolean");
      (k == "autoplay" ? p.autoplay : k == "adaptive_mastering" ? p.adaptive_mastering : p.compliance_mode) = val.as_bool();
    } else if (k == "announcement_style") {
      auto s = val.is_string() ? parse_announcement_style(val.as_string()) : std::nullopt;
      if (!s) return unexpected(std::string("announcement_style must be rich or minimal"));
      p.announcement = *s;
    } else {
      p.extra[k] = val;
    }
  }
  return p;
}

// ------------------------------------------------------------------ queue

value to_json(const queue_state& q) {
  array entries;
  entries.reserve(q.entries.size());
  for (auto& e : q.entries) entries.push_back(to_json(e));
  return object{{"v", 1},
                {"guildId", std::to_string(q.guild_id)},
                {"current", q.current ? to_json(*q.current) : value(nullptr)},
                {"position", q.position},
                {"paused", q.paused},
                {"volume", q.volume},
                {"loop", static_cast<int>(q.loop)},
                {"filters", lavalink::to_json(q.filters)},
                {"entries", std::move(entries)},
                {"voiceChannelId", snowflake_or_null(q.voice_channel_id)},
                {"textChannelId", snowflake_or_null(q.text_channel_id)},
                {"node", q.node},
                {"updatedAt", q.updated_at}};
}

expected<queue_state, std::string> queue_state_from_json(const value& v) {
  const auto* o = v.if_object();
  if (!o) return unexpected(std::string("queue must be an object"));
  if (vb::json::get_int(*o, "v").value_or(0) != 1) return unexpected(std::string("unknown queue format version"));
  queue_state q;
  auto guild = read_id(vb::json::find(*o, "guildId"));
  if (!guild) return unexpected(std::string("queue has no guildId"));
  q.guild_id = *guild;
  if (const auto* c = vb::json::find(*o, "current"); c && !c->is_null()) {
    auto e = entry_from_json(*c);
    if (!e) return unexpected("current: " + e.error());
    q.current = std::move(*e);
  }
  q.position = std::max<std::int64_t>(0, vb::json::get_int(*o, "position").value_or(0));
  q.paused = vb::json::get_bool(*o, "paused").value_or(false);
  q.volume = static_cast<int>(std::clamp<std::int64_t>(vb::json::get_int(*o, "volume").value_or(100), 0, 1000));
  const auto loop = vb::json::get_int(*o, "loop").value_or(0);
  q.loop = loop == 1 ? loop_mode::track : loop == 2 ? loop_mode::queue : loop_mode::off;
  if (const auto* f = vb::json::find(*o, "filters")) {
    auto filters = lavalink::from_json<lavalink::filters>(*f);
    if (!filters) return unexpected("filters: " + filters.error());
    q.filters = std::move(*filters);
  }
  if (const auto* entries = vb::json::get_array(*o, "entries")) {
    if (entries->size() > max_queue_entries) return unexpected(std::string("queue has too many entries"));
    q.entries.reserve(entries->size());
    for (std::size_t i = 0; i < entries->size(); ++i) {
      auto e = entry_from_json((*entries)[i]);
      if (!e) return unexpected("entry " + std::to_string(i) + ": " + e.error());
      q.entries.push_back(std::move(*e));
    }
  }
  q.voice_channel_id = read_id(vb::json::find(*o, "voiceChannelId"));
  q.text_channel_id = read_id(vb::json::find(*o, "textChannelId"));
  q.node = opt_string(*o, "node").value_or("");
  q.updated_at = vb::json::get_int(*o, "updatedAt").value_or(0);
  return q;
}

// ------------------------------------------------------------------ validation

expected<void, storage_error> validate(const guild_profile& p) {
  if (p.guild_id == 0) return unexpected(storage_error{storage_errc::invalid_argument, "guild id must not be 0"});
  if (p.default_volume < min_default_volume || p.default_volume > max_default_volume)
    return unexpected(storage_error{storage_errc::invalid_argument, "default volume must be between 0 and 200"});
  if (boost::json::serialize(p.extra).size() > max_extra_bytes)
    return unexpected(storage_error{storage_errc::invalid_argument, "profile settings are too large"});
  return {};
}

expected<void, storage_error> validate(const playlist& p) {
  if (auto k = playlist_key(p.name); !k) return unexpected(k.error());
  if (p.tracks.size() > max_playlist_tracks)
    return unexpected(storage_error{storage_errc::invalid_argument, "a playlist holds at most 10000 tracks"});
  for (auto& t : p.tracks)
    if (t.encoded.empty() || t.encoded.size() > max_encoded_bytes)
      return unexpected(storage_error{storage_errc::invalid_argument, "a playlist track has no valid encoded form"});
  return {};
}

expected<void, storage_error> validate(const queue_state& q) {
  if (q.guild_id == 0) return unexpected(storage_error{storage_errc::invalid_argument, "guild id must not be 0"});
  if (q.entries.size() > max_queue_entries)
    return unexpected(storage_error{storage_errc::invalid_argument, "the queue holds at most 50000 entries"});
  if (q.volume < 0 || q.volume > 1000)
    return unexpected(storage_error{storage_errc::invalid_argument, "volume must be between 0 and 1000"});
  if (q.position < 0) return unexpected(storage_error{storage_errc::invalid_argument, "position must not be negative"});
  return {};
}

}  // namespace vb::storage
