#include "spotify_source.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "resolver_source.hpp"
#include "vectobeat/common/base64.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::node::detail {

class spotify_client {
 public:
  explicit spotify_client(std::shared_ptr<source_context> ctx) : ctx_(std::move(ctx)) {}

  // GET {api_base}{path}; the parsed JSON object.
  task<expected<json::object, source_error>> get(std::string path_or_url) {
    auto token = co_await access_token();
    if (!token) co_return unexpected(token.error());
    const auto& base = ctx_->config.spotify.api_base;
    std::string url = path_or_url.starts_with("http") ? path_or_url : base + path_or_url;
    if (!url.starts_with(base)) co_return unexpected(source_error{node_error::spotify_api, "Unexpected Spotify API URL"});
    net::header_map h;
    h.set("Authorization", "Bearer " + *token);
    h.set("Accept", "application/json");
    auto r = co_await ctx_->http->request("GET", url, std::move(h), std::string());
    if (!r) co_return unexpected(r.error());
    if (r->status == 401) invalidate();
    if (r->status == 404 || r->status == 400)
      co_return unexpected(source_error{node_error::not_found, "Spotify has no such item"});
    if (r->status < 200 || r->status >= 300)
      co_return unexpected(source_error{node_error::spotify_api, "The Spotify API answered with HTTP " + std::to_string(r->status)});
    auto v = json::parse(r->body);
    if (!v || !v->is_object()) co_return unexpected(source_error{node_error::spotify_api, "The Spotify API sent invalid JSON"});
    co_return std::move(v->as_object());
  }

 private:
  void invalidate() {
    std::lock_guard lk(mu_);
    token_.clear();
  }

  task<expected<std::string, source_error>> access_token() {
    const auto& sp = ctx_->config.spotify;
    if (!sp.has_credentials())
      co_return unexpected(source_error{node_error::spotify_credentials, "Spotify credentials are not configured"});
    {
      std::lock_guard lk(mu_);
      if (!token_.empty() && std::chrono::steady_clock::now() < expires_) co_return token_;
    }
    net::header_map h;
    h.set("Authorization", "Basic " + base64_encode(sp.client_id + ":" + sp.client_secret));
    h.set("Content-Type", "application/x-www-form-urlencoded");
    auto r = co_await ctx_->http->request("POST", sp.accounts_base + "/api/token", std::move(h),
                                          std::string("grant_type=client_credentials"));
    if (!r) co_return unexpected(r.error());
    if (r->status == 400 || r->status == 401)
      co_return unexpected(source_error{node_error::spotify_credentials, "Spotify refused the credentials"});
    auto v = json::parse(r->body);
    if (r->status != 200 || !v || !v->is_object())
      co_return unexpected(source_error{node_error::spotify_api, "Spotify's token endpoint failed"});
    auto token = json::get_string(v->as_object(), "access_token");
    if (!token || token->empty()) co_return unexpected(source_error{node_error::spotify_api, "Spotify sent no access token"});
    const auto ttl = json::get_int(v->as_object(), "expires_in").value_or(3600);
    std::string t(*token);
    log::add_secret(t);
    std::lock_guard lk(mu_);
    token_ = t;
    // Renew a minute early.
    expires_ = std::chrono::steady_clock::now() + std::chrono::seconds(std::max<std::int64_t>(ttl - 60, 1));
    co_return t;
  }

  std::shared_ptr<source_context> ctx_;
  std::mutex mu_;
  std::string token_;
  std::chrono::steady_clock::time_point expires_{};
};

std::shared_ptr<spotify_client> make_spotify_client(std::shared_ptr<source_context> ctx) {
  return std::make_shared<spotify_client>(std::move(ctx));
}

namespace {

struct spotify_ref {
  std::string kind;  // track, album, playlist, artist, search
  std::string id;    // or the query
};

std::optional<spotify_ref> parse_ref(std::string_view identifier) {
  if (identifier.starts_with("spsearch:")) return spotify_ref{"search", std::string(identifier.substr(9))};
  if (identifier.starts_with("spotify:")) {  // spotify:track:ID
    auto rest = identifier.substr(8);
    auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    return spotify_ref{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
  }
  auto u = boost::urls::parse_uri(identifier);
  if (!u || lower(u->host()) != "open.spotify.com") return std::nullopt;
  std::vector<std::string> segs;
  for (auto s : u->segments()) segs.emplace_back(s);
  if (!segs.empty() && segs.front().starts_with("intl-")) segs.erase(segs.begin());
  if (segs.size() < 2) return std::nullopt;
  return spotify_ref{segs[0], segs[1]};
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string str(const json::object& o, std::string_view key) { return std::string(json::get_string(o, key).value_or("")); }

std::optional<std::string> opt_str(const json::object& o, std::string_view key) {
  auto v = json::get_string(o, key);
  if (!v || v->empty()) return std::nullopt;
  return sanitize_text(*v);
}

std::optional<std::string> spotify_url(const json::object& o) {
  if (auto ext = json::get_object(o, "external_urls")) return opt_str(*ext, "spotify");
  return std::nullopt;
}

std::optional<std::string> first_image(const json::object& o) {
  if (auto imgs = json::get_array(o, "images"); imgs && !imgs->empty() && imgs->front().is_object())
    return opt_str(imgs->front().as_object(), "url");
  return std::nullopt;
}

// A Spotify track object (full, or simplified with `album` given) -> a decoded track.
std::optional<lavalink::decoded_track> to_decoded(const json::object& t, const json::object* album_override) {
  const auto id = str(t, "id");
  if (!valid_id(id)) return std::nullopt;  // local files in playlists have no id
  lavalink::decoded_track d;
  d.info.source_name = std::string(source_spotify);
  d.info.identifier = id;
  d.info.title = sanitize_text(str(t, "name"));
  std::string artists;
  std::optional<std::string> artist_url;
  if (auto arr = json::get_array(t, "artists")) {
    for (auto& a : *arr) {
      if (!a.is_object()) continue;
      if (!artists.empty()) artists += ", ";
      artists += str(a.as_object(), "name");
      if (!artist_url) artist_url = spotify_url(a.as_object());
    }
  }
  d.info.author = sanitize_text(artists);
  if (d.info.title.empty()) d.info.title = std::string(unknown_title);
  if (d.info.author.empty()) d.info.author = std::string(unknown_author);
  d.info.length = std::max<std::int64_t>(json::get_int(t, "duration_ms").value_or(0), 0);
  d.info.is_stream = false;
  d.info.is_seekable = true;
  d.info.uri = spotify_url(t).value_or("https://open.spotify.com/track/" + id);
  const json::object* album = album_override ? album_override : json::get_object(t, "album");
  if (album) d.info.artwork_url = first_image(*album);
  if (auto ext = json::get_object(t, "external_ids")) d.info.isrc = opt_str(*ext, "isrc");
  d.details.emplace_back(album ? opt_str(*album, "name") : std::nullopt);
  d.details.emplace_back(album ? spotify_url(*album) : std::nullopt);
  d.details.emplace_back(artist_url);
  d.details.emplace_back(std::optional<std::string>{});  // artistArtworkUrl
  d.details.emplace_back(opt_str(t, "preview_url"));
  d.details.emplace_back(false);  // isPreview
  return d;
}

void add_track(std::vector<lavalink::track>& out, const json::value& v, const json::object* album,
               const lavalink::source_registry& reg) {
  if (!v.is_object()) return;
  if (auto d = to_decoded(v.as_object(), album))
    if (auto t = to_track(*d, reg)) out.push_back(std::move(*t));
}

// Follows a paging object's items (and its `next` pages) up to the track limit.
task<expected<std::vector<lavalink::track>, source_error>> collect(std::shared_ptr<source_context> ctx,
                                                                   std::shared_ptr<spotify_client> api,
                                                                   json::object page, std::string item_key,
                                                                   std::optional<json::object> album) {
  std::vector<lavalink::track> out;
  const auto max = static_cast<std::size_t>(ctx->config.spotify.max_tracks);
  for (int pages = 0; pages < 100; ++pages) {
    if (auto items = json::get_array(page, "items")) {
      for (auto& it : *items) {
        if (out.size() >= max) break;
        if (item_key.empty()) add_track(out, it, album ? &*album : nullptr, ctx->registry);
        else if (it.is_object())
          if (auto inner = json::find(it.as_object(), item_key)) add_track(out, *inner, nullptr, ctx->registry);
      }
    }
    auto next = json::get_string(page, "next");
    if (!next || next->empty() || out.size() >= max) break;
    auto p = co_await api->get(std::string(*next));
    if (!p) co_return unexpected(p.error());
    page = std::move(*p);
  }
  co_return out;
}

}  // namespace

bool is_spotify_identifier(std::string_view identifier) { return parse_ref(identifier).has_value(); }

task<lavalink::load_result> load_spotify(std::shared_ptr<source_context> ctx, std::shared_ptr<spotify_client> api,
                                         std::string identifier) {
  auto ref = parse_ref(identifier);
  lavalink::load_result r;
  if (!ref) co_return r;
  const auto market = "market=" + net::url_encode(ctx->config.spotify.market);
  if (ref->kind == "search") {
    const auto limit = std::to_string(std::clamp(ctx->config.search_results, 1, 50));
    auto res = co_await api->get("/v1/search?q=" + net::url_encode(ref->id) + "&type=track&limit=" + limit + "&" + market);
    if (!res) co_return error_result(res.error());
    lavalink::search_result sr;
    if (auto tracks = json::get_object(*res, "tracks"))
      if (auto items = json::get_array(*tracks, "items"))
        for (auto& it : *items) add_track(sr.tracks, it, nullptr, ctx->registry);
    r.data = std::move(sr);
    co_return r;
  }
  if (!valid_id(ref->id)) co_return r;
  if (ref->kind == "track") {
    auto t = co_await api->get("/v1/tracks/" + ref->id + "?" + market);
    if (!t) {
      if (t.error().code == node_error::not_found) co_return r;
      co_return error_result(t.error());
    }
    std::vector<lavalink::track> one;
    add_track(one, json::value(std::move(*t)), nullptr, ctx->registry);
    if (one.empty()) co_return r;
    r.data = std::move(one.front());
    co_return r;
  }
  if (ref->kind != "album" && ref->kind != "playlist" && ref->kind != "artist") co_return r;
  std::string path = ref->kind == "artist" ? "/v1/artists/" + ref->id : "/v1/" + ref->kind + "s/" + ref->id + "?" + market;
  auto obj = co_await api->get(path);
  if (!obj) {
    if (obj.error().code == node_error::not_found) co_return r;
    co_return error_result(obj.error());
  }
  lavalink::playlist pl;
  pl.info.name = sanitize_text(str(*obj, "name"));
  expected<std::vector<lavalink::track>, source_error> tracks = std::vector<lavalink::track>{};
  if (ref->kind == "artist") {
    pl.info.name += pl.info.name.empty() ? "Top tracks" : "'s top tracks";
    auto top = co_await api->get("/v1/artists/" + ref->id + "/top-tracks?" + market);
    if (!top) co_return error_result(top.error());
    if (auto arr = json::get_array(*top, "tracks"))
      for (auto& it : *arr) add_track(tracks.value(), it, nullptr, ctx->registry);
  } else if (auto page = json::get_object(*obj, "tracks")) {
    std::optional<json::object> album;
    if (ref->kind == "album") album = *obj;
    tracks = co_await collect(ctx, api, *page, ref->kind == "playlist" ? "track" : "", std::move(album));
    if (!tracks) co_return error_result(tracks.error());
  }
  if (tracks->empty()) co_return r;
  pl.tracks = std::move(*tracks);
  r.data = std::move(pl);
  co_return r;
}

task<expected<std::unique_ptr<track_media>, source_error>> open_spotify(std::shared_ptr<source_context> ctx,
                                                                         lavalink::decoded_track track,
                                                                         std::int64_t start_ms,
                                                                         std::shared_ptr<open_cancel> cancel) {
  const auto& mirror = ctx->config.spotify.mirror_source;
  std::string key = mirror == "scsearch" ? "scsearch1:" : "ytsearch1:";
  std::string_view source = mirror == "scsearch" ? source_soundcloud : source_youtube;
  if (!ctx->config.source_enabled(source))
    co_return unexpected(source_error{node_error::no_mirror, "The Spotify mirror source is not enabled"});
  expected<lavalink::decoded_track, source_error> found =
      unexpected(source_error{node_error::no_mirror, "No match found for this track"});
  if (track.info.isrc) found = co_await first_search_result(ctx, std::string(source), key + "\"" + *track.info.isrc + "\"");
  if (!found) {
    if (found.error().code != node_error::no_mirror) co_return unexpected(found.error());
    found = co_await first_search_result(ctx, std::string(source), key + track.info.title + " " + track.info.author);
  }
  if (!found) co_return unexpected(found.error());
  ctx->log.debug("spotify {} plays as {} {}", track.info.identifier, found->info.source_name, found->info.identifier);
  co_return co_await open_resolver(ctx, std::move(*found), start_ms, std::move(cancel));
}

}  // namespace vb::node::detail
