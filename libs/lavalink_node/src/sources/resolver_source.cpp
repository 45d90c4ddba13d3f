#include "resolver_source.hpp"

#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include "http_source.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/node/process_runner.hpp"

namespace vb::node::detail {

namespace {

struct search_prefix {
  std::string_view prefix;
  std::string_view source;
  std::string_view resolver_prefix;  // yt-dlp's search key
};
// yt-dlp has no YouTube Music search: ytmsearch: runs a YouTube search.
constexpr search_prefix search_prefixes[] = {
    {"ytsearch:", source_youtube, "ytsearch"},
    {"ytmsearch:", source_youtube, "ytsearch"},
    {"scsearch:", source_soundcloud, "scsearch"},
};

std::optional<std::string_view> url_source(std::string_view identifier) {
  auto u = boost::urls::parse_uri(identifier);
  if (!u) return std::nullopt;
  auto host = lower(u->host());
  for (std::string_view prefix : {"www.", "m.", "music."})
    if (host.starts_with(prefix)) host.erase(0, prefix.size());
  if (host == "youtube.com" || host == "youtu.be" || host == "youtube-nocookie.com") return source_youtube;
  if (host == "soundcloud.com" || host == "on.soundcloud.com") return source_soundcloud;
  return std::nullopt;
}

std::string text_field(const json::object& o, std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    if (auto v = json::get_string(o, k); v && !v->empty()) return std::string(*v);
  return {};
}

std::string source_from_extractor(const json::object& o, std::string_view fallback) {
  auto key = lower(text_field(o, {"extractor_key", "ie_key", "extractor"}));
  if (key.starts_with("youtube")) return std::string(source_youtube);
  if (key.starts_with("soundcloud")) return std::string(source_soundcloud);
  return std::string(fallback);
}

// One yt-dlp entry (a full video object or a flat "url" entry) -> a decoded track.
std::optional<lavalink::decoded_track> entry_track(const json::object& o, std::string_view fallback_source) {
  lavalink::decoded_track d;
  d.info.source_name = source_from_extractor(o, fallback_source);
  const auto id = text_field(o, {"id"});
  std::string uri = text_field(o, {"webpage_url", "original_url"});
  if (uri.empty()) {
    auto url = text_field(o, {"url"});
    if (url.starts_with("http")) uri = url;
  }
  if (uri.empty() && d.info.source_name == source_youtube && !id.empty()) uri = "https://www.youtube.com/watch?v=" + id;
  if (uri.empty() && id.empty()) return std::nullopt;
  d.info.identifier = sanitize_text(d.info.source_name == source_youtube && !id.empty() ? id : (uri.empty() ? id : uri));
  d.info.uri = sanitize_text(uri.empty() ? id : uri);
  d.info.title = sanitize_text(text_field(o, {"title", "fulltitle"}));
  if (d.info.title.empty()) d.info.title = std::string(unknown_title);
  d.info.author = sanitize_text(text_field(o, {"uploader", "channel", "artist", "creator"}));
  if (d.info.author.empty()) d.info.author = std::string(unknown_author);
  const bool live = json::get_bool(o, "is_live").value_or(false) || text_field(o, {"live_status"}) == "is_live";
  const auto duration = json::get_number(o, "duration");
  d.info.is_stream = live;
  d.info.length = live || !duration || *duration < 0 ? lavalink::unknown_length : static_cast<std::int64_t>(*duration * 1000);
  if (!live && !duration) d.info.length = 0;
  d.info.is_seekable = !live;
  std::string art = text_field(o, {"thumbnail"});
  if (art.empty()) {
    if (auto th = json::get_array(o, "thumbnails"); th && !th->empty() && th->back().is_object())
      art = text_field(th->back().as_object(), {"url"});
  }
  if (art.empty() && d.info.source_name == source_youtube && !id.empty())
    art = "https://i.ytimg.com/vi/" + id + "/maxresdefault.jpg";
  if (!art.empty()) d.info.artwork_url = sanitize_text(art);
  if (auto isrc = text_field(o, {"isrc"}); !isrc.empty()) d.info.isrc = sanitize_text(isrc, 32);
  return d;
}

source_error resolver_failure(const process_result& r) {
  // yt-dlp prints "ERROR: [youtube] id: Video unavailable" on stderr.
  std::string msg;
  std::string_view tail = r.err_tail;
  if (auto pos = tail.rfind("ERROR:"); pos != std::string_view::npos) {
    auto line = tail.substr(pos + 6);
    line = line.substr(0, line.find('\n'));
    msg = sanitize_text(line, 300);
  }
  while (!msg.empty() && msg.front() == ' ') msg.erase(0, 1);
  if (msg.empty()) msg = "The resolver failed (exit code " + std::to_string(r.exit_code) + ")";
  return {node_error::resolver_failed, msg};
}

// Runs the resolver on the loader; the parsed JSON object or an error.
task<expected<json::object, source_error>> run_resolver(std::shared_ptr<source_context> ctx, std::vector<std::string> args) {
  if (ctx->config.resolver_command.empty())
    co_return unexpected(source_error{node_error::resolver_missing, "No resolver command is configured for this source"});
  std::vector<std::string> argv = ctx->config.resolver_command;
  argv.insert(argv.end(), args.begin(), args.end());
  process_limits limits;
  limits.timeout = ctx->config.resolver_timeout;
  limits.max_stdout = ctx->config.resolver_max_output;
  auto job = [argv = std::move(argv), limits] { return run_process(argv, limits); };
  auto r = co_await run_blocking(ctx->loader, std::move(job));
  if (!r) {
    switch (r.error()) {
      case process_error::spawn_failed:
        ctx->log.warn("the resolver command could not be started");
        co_return unexpected(source_error{node_error::resolver_failed, "The resolver could not be started"});
      case process_error::timeout:
        co_return unexpected(source_error{node_error::timeout, "The resolver took too long"});
      case process_error::output_too_large:
        co_return unexpected(source_error{node_error::too_large, "The resolver's answer is too large"});
    }
    co_return unexpected(source_error{node_error::resolver_failed, "The resolver failed"});
  }
  if (r->exit_code != 0) {
    auto e = resolver_failure(*r);
    ctx->log.debug("resolver failed: {}", e.message);
    co_return unexpected(e);
  }
  json::parse_limits pl;
  pl.max_bytes = ctx->config.resolver_max_output;
  auto v = json::parse(r->out, pl);
  if (!v || !v->is_object()) co_return unexpected(source_error{node_error::resolver_failed, "The resolver printed invalid JSON"});
  co_return std::move(v->as_object());
}

std::optional<std::string> search_identifier(std::string_view identifier, std::string_view& source, int count) {
  for (auto& p : search_prefixes) {
    if (identifier.starts_with(p.prefix)) {
      source = p.source;
      return std::string(p.resolver_prefix) + std::to_string(count) + ":" + std::string(identifier.substr(p.prefix.size()));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> resolver_source_of(std::string_view identifier) {
  for (auto& p : search_prefixes)
    if (identifier.starts_with(p.prefix)) return p.source;
  if (is_http_url(identifier)) return url_source(identifier);
  return std::nullopt;
}

task<lavalink::load_result> load_resolver(std::shared_ptr<source_context> ctx, std::string source_name,
                                          std::string identifier) {
  std::string_view search_source;
  auto search = search_identifier(identifier, search_source, ctx->config.search_results);
  std::vector<std::string> args{"-J", "--flat-playlist", "--no-warnings", search ? *search : identifier};
  auto obj = co_await run_resolver(ctx, std::move(args));
  if (!obj) co_return error_result(obj.error());
  std::vector<lavalink::track> tracks;
  const auto* entries = json::get_array(*obj, "entries");
  if (entries != nullptr) {
    for (auto& e : *entries) {
      if (!e.is_object()) continue;
      auto d = entry_track(e.as_object(), source_name);
      if (!d) continue;
      if (auto t = to_track(*d, ctx->registry)) tracks.push_back(std::move(*t));
      if (tracks.size() >= static_cast<std::size_t>(ctx->config.http.max_playlist_entries)) break;
    }
  }
  lavalink::load_result r;
  if (search) {
    r.data = lavalink::search_result{std::move(tracks)};
    co_return r;
  }
  if (entries != nullptr) {
    if (tracks.empty()) co_return r;  // empty
    lavalink::playlist pl;
    pl.info.name = sanitize_text(text_field(*obj, {"title", "id"}));
    pl.tracks = std::move(tracks);
    r.data = std::move(pl);
    co_return r;
  }
  auto d = entry_track(*obj, source_name);
  if (!d) co_return r;  // empty
  auto t = to_track(*d, ctx->registry);
  if (!t) co_return error_result(source_error{node_error::resolver_failed, "Cannot encode the track: " + t.error()});
  r.data = std::move(*t);
  co_return r;
}

task<expected<std::unique_ptr<track_media>, source_error>> open_resolver(std::shared_ptr<source_context> ctx,
                                                                          lavalink::decoded_track track,
                                                                          std::int64_t start_ms,
                                                                          std::shared_ptr<open_cancel> cancel) {
  if (cancel->cancelled()) co_return unexpected(cancelled_error());
  std::string target = track.info.uri.value_or("");
  if (target.empty() && track.info.source_name == source_youtube)
    target = "https://www.youtube.com/watch?v=" + track.info.identifier;
  if (target.empty()) target = track.info.identifier;
  std::vector<std::string> args{"-J", "--no-playlist", "--no-warnings", "-f", "bestaudio/best", target};
  auto obj = co_await run_resolver(ctx, std::move(args));
  if (!obj) co_return unexpected(obj.error());
  const json::object* fmt = &*obj;
  if (!json::get_string(*obj, "url")) {
    // Merged formats: take the first requested format that has audio.
    if (auto rf = json::get_array(*obj, "requested_formats")) {
      for (auto& f : *rf) {
        if (!f.is_object()) continue;
        if (json::get_string(f.as_object(), "acodec").value_or("none") != "none") {
          fmt = &f.as_object();
          break;
        }
      }
    }
  }
  auto url = text_field(*fmt, {"url"});
  if (url.empty() || !is_http_url(url))
    co_return unexpected(source_error{node_error::resolver_failed, "The resolver gave no playable URL"});
  net::header_map headers;
  if (auto h = json::get_object(*fmt, "http_headers")) {
    for (auto& [k, v] : *h)
      if (v.is_string() && k.size() < 128 && v.as_string().size() < 4096) headers.set(k, std::string(v.as_string()));
  }
  co_return co_await open_http(ctx, std::move(url), std::move(headers), start_ms, std::move(cancel));
}

task<expected<lavalink::decoded_track, source_error>> first_search_result(std::shared_ptr<source_context> ctx,
                                                                          std::string source_name, std::string query) {
  std::vector<std::string> args{"-J", "--flat-playlist", "--no-warnings", query};
  auto obj = co_await run_resolver(ctx, std::move(args));
  if (!obj) co_return unexpected(obj.error());
  if (auto entries = json::get_array(*obj, "entries")) {
    for (auto& e : *entries) {
      if (!e.is_object()) continue;
      if (auto d = entry_track(e.as_object(), source_name)) co_return std::move(*d);
    }
  }
  co_return unexpected(source_error{node_error::no_mirror, "No match found for this track"});
}

}  // namespace vb::node::detail
