#include "vectobeat/node/playlist_parser.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace vb::node {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

// Calls fn(line) for each line (CR, LF or CRLF), BOM stripped.
template <class F>
void for_each_line(std::string_view text, F&& fn) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty()) {
    const auto end = text.find_first_of("\r\n");
    fn(trim(text.substr(0, end)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

std::string path_of(std::string_view url) {
  auto u = boost::urls::parse_uri_reference(url);
  if (!u) return lower(url);
  return lower(u->path());
}

bool is_playable_url(std::string_view s) { return starts_with_icase(s, "http://") || starts_with_icase(s, "https://"); }

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::string tmp(s);
  char* end = nullptr;
  const double v = std::strtod(tmp.c_str(), &end);
  if (end == tmp.c_str()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  s = trim(s);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The value of ATTR in an attribute list (`BANDWIDTH=128000,CODECS="mp4a.40.2"`).
std::string attribute(std::string_view list, std::string_view name) {
  std::size_t i = 0;
  while (i < list.size()) {
    const auto eq = list.find('=', i);
    if (eq == std::string_view::npos) break;
    const auto key = trim(list.substr(i, eq - i));
    std::size_t j = eq + 1;
    std::string value;
    if (j < list.size() && list[j] == '"') {
      const auto close = list.find('"', j + 1);
      value = std::string(list.substr(j + 1, close == std::string_view::npos ? std::string_view::npos : close - j - 1));
      j = close == std::string_view::npos ? list.size() : close + 1;
    } else {
      const auto comma = list.find(',', j);
      value = std::string(list.substr(j, comma == std::string_view::npos ? std::string_view::npos : comma - j));
      j = comma == std::string_view::npos ? list.size() : comma;
    }
    if (key == name) return value;
    const auto comma = list.find(',', j);
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return {};
}

}  // namespace

std::optional<std::string> resolve_url(std::string_view base, std::string_view ref) {
  auto b = boost::urls::parse_uri(base);
  auto r = boost::urls::parse_uri_reference(ref);
  if (!b || !r) return std::nullopt;
  boost::urls::url out;
  if (auto rr = boost::urls::resolve(*b, *r, out); !rr) return std::nullopt;
  out.remove_fragment();
  return std::string(out.buffer());
}

std::optional<playlist_kind> detect_playlist(std::string_view content_type, std::string_view url, std::string_view head) {
  const auto ct = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (ct == "application/vnd.apple.mpegurl" || ct == "application/x-mpegurl") return playlist_kind::hls;
  if (ct == "audio/x-mpegurl" || ct == "audio/mpegurl") {
    return head.find("#EXT-X-") != std::string_view::npos ? playlist_kind::hls : playlist_kind::m3u;
  }
  if (ct == "audio/x-scpls" || ct == "application/pls+xml") return playlist_kind::pls;
  const auto path = path_of(url);
  if (path.ends_with(".m3u8")) return playlist_kind::hls;
  if (path.ends_with(".m3u")) return head.find("#EXT-X-") != std::string_view::npos ? playlist_kind::hls : playlist_kind::m3u;
  if (path.ends_with(".pls")) return playlist_kind::pls;
  auto h = trim(head.starts_with("\xEF\xBB\xBF") ? head.substr(3) : head);
  if (h.starts_with("#EXTM3U")) return h.find("#EXT-X-") != std::string_view::npos ? playlist_kind::hls : playlist_kind::m3u;
  if (starts_with_icase(h, "[playlist]")) return playlist_kind::pls;
  return std::nullopt;
}

std::vector<playlist_entry> parse_m3u(std::string_view text, std::string_view base_url, std::size_t max_entries) {
  std::vector<playlist_entry> out;
  playlist_entry pending;
  for_each_line(text, [&](std::string_view line) {
    if (out.size() >= max_entries || line.empty()) return;
    if (line.starts_with("#EXTINF:")) {
      auto rest = line.substr(8);
      const auto comma = rest.find(',');
      if (auto d = parse_double(rest.substr(0, comma)); d && *d > 0) pending.length_ms = static_cast<std::int64_t>(*d * 1000);
      if (comma != std::string_view::npos) pending.title = std::string(trim(rest.substr(comma + 1)));
      return;
    }
    if (line.front() == '#') return;
    auto url = resolve_url(base_url, line);
    if (url && is_playable_url(*url)) {
      pending.url = std::move(*url);
      out.push_back(std::move(pending));
    }
    pending = {};
  });
  return out;
}

std::vector<playlist_entry> parse_pls(std::string_view text, std::string_view base_url, std::size_t max_entries) {
  struct slot {
    std::string file, title;
    std::optional<std::int64_t> length_ms;
  };
  std::vector<std::pair<std::int64_t, slot>> slots;
  auto get = [&](std::int64_t n) -> slot* {
    for (auto& [k, v] : slots)
      if (k == n) return &v;
    if (slots.size() >= max_entries) return nullptr;
    slots.emplace_back(n, slot{});
    return &slots.back().second;
  };
  for_each_line(text, [&](std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return;
    const auto key = lower(trim(line.substr(0, eq)));
    const auto value = trim(line.substr(eq + 1));
    for (std::string_view prefix : {"file", "title", "length"}) {
      if (!key.starts_with(prefix)) continue;
      auto n = parse_int(std::string_view(key).substr(prefix.size()));
      if (!n) return;
      slot* s = get(*n);
      if (s == nullptr) return;
      if (prefix == "file") s->file = std::string(value);
      else if (prefix == "title") s->title = std::string(value);
      else if (auto len = parse_int(value); len && *len > 0) s->length_ms = *len * 1000;
      return;
    }
  });
  std::sort(slots.begin(), slots.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<playlist_entry> out;
  for (auto& [n, s] : slots) {
    auto url = resolve_url(base_url, s.file);
    if (!url || !is_playable_url(*url)) continue;
    out.push_back({std::move(*url), std::move(s.title), s.length_ms});
  }
  return out;
}

std::int64_t hls_playlist::total_ms() const {
  double total = 0;
  for (auto& s : segments) total += s.duration_s;
  return static_cast<std::int64_t>(total * 1000);
}

std::optional<hls_playlist> parse_hls(std::string_view text, std::string_view base_url) {
  hls_playlist p;
  bool header = false;
  std::int64_t sequence = 0;
  double pending_duration = -1;
  std::optional<hls_variant> pending_variant;
  for_each_line(text, [&](std::string_view line) {
    if (line.empty()) return;
    if (line.starts_with("#EXTM3U")) {
      header = true;
      return;
    }
    if (line.starts_with("#EXT-X-STREAM-INF:")) {
      p.master = true;
      auto attrs = line.substr(18);
      hls_variant v;
      v.bandwidth = parse_int(attribute(attrs, "BANDWIDTH")).value_or(0);
      v.codecs = attribute(attrs, "CODECS");
      pending_variant = std::move(v);
      return;
    }
    if (line.starts_with("#EXT-X-TARGETDURATION:")) {
      p.target_duration_s = parse_double(line.substr(22)).value_or(0);
      return;
    }
    if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:")) {
      sequence = parse_int(line.substr(22)).value_or(0);
      return;
    }
    if (line.starts_with("#EXT-X-ENDLIST")) {
      p.ended = true;
      return;
    }
    if (line.starts_with("#EXT-X-KEY:")) {
      if (attribute(line.substr(11), "METHOD") != "NONE") p.encrypted = true;
      return;
    }
    if (line.starts_with("#EXT-X-MAP:")) {
      if (auto u = resolve_url(base_url, attribute(line.substr(11), "URI"))) p.map_url = std::move(*u);
      return;
    }
    if (line.starts_with("#EXTINF:")) {
      auto rest = line.substr(8);
      pending_duration = parse_double(rest.substr(0, rest.find(','))).value_or(0);
      return;
    }
    if (line.front() == '#') return;
    auto url = resolve_url(base_url, line);
    if (!url) return;
    if (pending_variant) {
      pending_variant->url = std::move(*url);
      p.variants.push_back(std::move(*pending_variant));
      pending_variant.reset();
    } else if (pending_duration >= 0) {
      p.segments.push_back({std::move(*url), pending_duration, sequence++});
      pending_duration = -1;
    }
  });
  if (!header) return std::nullopt;
  return p;
}

const hls_variant* pick_variant(const hls_playlist& master) {
  auto audio_only = [](const hls_variant& v) {
    if (v.codecs.empty()) return false;
    for (std::string_view video : {"avc1", "avc3", "hvc1", "hev1", "vp09", "av01"})
      if (v.codecs.find(video) != std::string::npos) return false;
    return true;
  };
  const hls_variant* best = nullptr;
  for (auto& v : master.variants)
    if (audio_only(v) && (!best || v.bandwidth > best->bandwidth)) best = &v;
  if (best) return best;
  for (auto& v : master.variants)
    if (!best || v.bandwidth < best->bandwidth) best = &v;
  return best;
}

}  // namespace vb::node
