#include "http_source.hpp"

#include "vectobeat/node/hls_media.hpp"
#include "vectobeat/node/playlist_parser.hpp"

namespace vb::node::detail {

namespace {

// What a URL turned out to be once playlists were followed.
struct http_target {
  enum class kind { media, hls, playlist } what = kind::media;
  std::string url;               // of the media or the HLS media playlist
  http_media_body body;          // media: opened and streaming
  bool hls_ended = false;        // hls: video on demand
  std::int64_t hls_total_ms = 0;
  std::vector<playlist_entry> entries;  // playlist with several entries (loading only)
};

std::string playlist_name(const std::string& url) {
  auto slash = url.find_last_of('/');
  std::string name = slash == std::string::npos ? url : url.substr(slash + 1);
  if (auto q = name.find('?'); q != std::string::npos) name.resize(q);
  return name.empty() ? url : name;
}

// The container a playlist entry probably holds, from its extension (entries are not probed
// while loading a playlist; playing probes them).
std::string guess_container(const std::string& url) {
  auto path = lower(url.substr(0, url.find('?')));
  if (path.ends_with(".mp3")) return "mp3";
  if (path.ends_with(".flac")) return "flac";
  if (path.ends_with(".wav")) return "wav";
  if (path.ends_with(".ogg") || path.ends_with(".opus") || path.ends_with(".oga")) return "ogg";
  if (path.ends_with(".webm") || path.ends_with(".mka")) return "matroska/webm";
  if (path.ends_with(".m4a") || path.ends_with(".mp4")) return "mp4";
  if (path.ends_with(".aac")) return "adts";
  if (path.ends_with(".m3u") || path.ends_with(".m3u8")) return "m3u";
  if (path.ends_with(".pls")) return "pls";
  return "mp3";
}

task<expected<http_target, source_error>> resolve_target(std::shared_ptr<source_context> ctx, std::string url,
                                                         net::header_map headers, bool for_play, int hops);

// A playlist document: HLS becomes a target of its own, m3u/pls entries are followed.
task<expected<http_target, source_error>> from_playlist(std::shared_ptr<source_context> ctx, std::string url,
                                                        const std::string& text, playlist_kind kind, bool for_play,
                                                        int hops) {
  const auto& lim = ctx->config.http;
  if (kind == playlist_kind::hls) {
    auto pl = parse_hls(text, url);
    if (!pl) co_return unexpected(source_error{node_error::unsupported_format, "Invalid HLS playlist"});
    std::string media_url = url;
    if (pl->master) {
      const hls_variant* v = pick_variant(*pl);
      if (v == nullptr) co_return unexpected(source_error{node_error::unsupported_format, "HLS playlist without variants"});
      media_url = v->url;
      auto doc = co_await ctx->http->fetch(media_url, net::header_map{});
      if (!doc) co_return unexpected(doc.error());
      pl = parse_hls(doc->body, media_url);
      if (!pl || pl->master) co_return unexpected(source_error{node_error::unsupported_format, "Invalid HLS variant playlist"});
    }
    if (pl->encrypted) co_return unexpected(source_error{node_error::unsupported_format, "Encrypted HLS is not supported"});
    http_target t;
    t.what = http_target::kind::hls;
    t.url = media_url;
    t.hls_ended = pl->ended;
    t.hls_total_ms = pl->total_ms();
    co_return t;
  }
  auto entries = kind == playlist_kind::pls ? parse_pls(text, url, static_cast<std::size_t>(lim.max_playlist_entries))
                                            : parse_m3u(text, url, static_cast<std::size_t>(lim.max_playlist_entries));
  if (entries.empty()) co_return unexpected(source_error{node_error::unsupported_format, "The playlist has no playable entries"});
  if (entries.size() > 1 && !for_play) {
    http_target t;
    t.what = http_target::kind::playlist;
    t.url = url;
    t.entries = std::move(entries);
    co_return t;
  }
  // One entry (a radio station's playlist), or playing: the first entry is the track.
  if (hops >= lim.max_reference_hops) co_return unexpected(source_error{node_error::too_large, "Too many nested playlists"});
  co_return co_await resolve_target(ctx, entries.front().url, net::header_map{}, for_play, hops + 1);
}

task<expected<http_target, source_error>> resolve_target(std::shared_ptr<source_context> ctx, std::string url,
                                                         net::header_map headers, bool for_play, int hops) {
  // By extension first: no need to open the body as media.
  if (auto kind = detect_playlist("", url, ""); kind) {
    auto doc = co_await ctx->http->fetch(url, headers);
    if (!doc) co_return unexpected(doc.error());
    auto real = detect_playlist(doc->headers.get("Content-Type").value_or(""), url, doc->body).value_or(*kind);
    co_return co_await from_playlist(ctx, url, doc->body, real, for_play, hops);
  }
  auto body = co_await ctx->http->open(url, headers, 0);
  if (!body) co_return unexpected(body.error());
  const auto content_type = std::string(body->headers.get("Content-Type").value_or(""));
  if (auto kind = detect_playlist(content_type, url, ""); kind) {
    body->feed->close();
    auto doc = co_await ctx->http->fetch(url, headers);
    if (!doc) co_return unexpected(doc.error());
    co_return co_await from_playlist(ctx, url, doc->body, *kind, for_play, hops);
  }
  http_target t;
  t.what = http_target::kind::media;
  t.url = url;
  t.body = std::move(*body);
  co_return t;
}

// Content-Type -> FFmpeg demuxer hint (only where probing alone is unreliable).
std::string format_hint(std::string_view content_type) {
  const auto ct = lower(content_type.substr(0, content_type.find(';')));
  if (ct == "audio/aac" || ct == "audio/aacp" || ct == "audio/x-aac") return "aac";
  return {};
}

}  // namespace

bool is_http_url(std::string_view identifier) {
  const auto l = lower(identifier.substr(0, 8));
  return l.starts_with("http://") || l.starts_with("https://");
}

task<lavalink::load_result> load_http(std::shared_ptr<source_context> ctx, std::string url,
                                      std::shared_ptr<open_cancel> cancel) {
  auto target = co_await resolve_target(ctx, url, net::header_map{}, false, 0);
  if (target && target->body.feed) cancel->attach(target->body.feed);
  if (target && cancel->cancelled()) target = unexpected(cancelled_error());
  if (!target) co_return error_result(target.error());
  switch (target->what) {
    case http_target::kind::playlist: {
      lavalink::playlist pl;
      pl.info.name = sanitize_text(playlist_name(url));
      for (auto& e : target->entries) {
        lavalink::decoded_track d;
        d.info.title = e.title.empty() ? std::string(unknown_title) : sanitize_text(e.title);
        d.info.author = std::string(unknown_author);
        d.info.is_stream = !e.length_ms;
        d.info.length = e.length_ms.value_or(lavalink::unknown_length);
        d.info.identifier = e.url;
        d.info.uri = e.url;
        d.info.source_name = std::string(source_http);
        d.info.is_seekable = !d.info.is_stream;
        d.details.emplace_back(guess_container(e.url));
        if (auto t = to_track(d, ctx->registry)) pl.tracks.push_back(std::move(*t));
      }
      lavalink::load_result r;
      r.data = std::move(pl);
      co_return r;
    }
    case http_target::kind::hls: {
      lavalink::decoded_track d;
      d.info.title = std::string(unknown_title);
      d.info.author = std::string(unknown_author);
      d.info.is_stream = !target->hls_ended;
      d.info.length = target->hls_ended ? target->hls_total_ms : lavalink::unknown_length;
      d.info.identifier = url;
      d.info.uri = url;
      d.info.source_name = std::string(source_http);
      d.info.is_seekable = false;
      d.details.emplace_back(std::string("m3u"));
      auto t = to_track(d, ctx->registry);
      if (!t) co_return error_result(source_error{node_error::decode_failed, "Cannot encode the track: " + t.error()});
      lavalink::load_result r;
      r.data = std::move(*t);
      co_return r;
    }
    case http_target::kind::media:
      break;
  }
  // Probe: recognise the format, read tags and duration (bounded in bytes and time).
  auto media_url = target->url;
  auto icy_name = target->body.icy_name.value_or("");
  auto hint = format_hint(target->body.headers.get("Content-Type").value_or(""));
  auto feed = target->body.feed;
  auto source = std::move(target->body.source);
  const auto limits = ctx->config.http;
  auto probe = [source = std::move(source), feed, limits, hint, cancel]() mutable -> expected<audio::decoder, source_error> {
    if (cancel->cancelled()) return unexpected(cancelled_error());
    return open_decoder(std::move(source), feed.get(), limits, hint);
  };
  auto dec = co_await run_blocking(ctx->loader, std::move(probe));
  feed->close();
  if (cancel->cancelled()) co_return error_result(cancelled_error());
  if (!dec) co_return error_result(dec.error());
  std::string title = dec->info().title;
  if (title.empty()) {
    if (auto upd = dec->take_metadata_update(); upd && !upd->title.empty()) title = upd->title;
  }
  if (title.empty()) title = icy_name;
  auto d = media_track(source_http, media_url, dec->info(), std::move(title), dec->info().artist);
  auto t = to_track(d, ctx->registry);
  if (!t) co_return error_result(source_error{node_error::decode_failed, "Cannot encode the track: " + t.error()});
  lavalink::load_result r;
  r.data = std::move(*t);
  co_return r;
}

task<expected<std::unique_ptr<track_media>, source_error>> open_http(std::shared_ptr<source_context> ctx, std::string url,
                                                                      net::header_map headers, std::int64_t start_ms,
                                                                      std::shared_ptr<open_cancel> cancel) {
  if (cancel->cancelled()) co_return unexpected(cancelled_error());
  auto target = co_await resolve_target(ctx, url, headers, true, 0);
  if (!target) co_return unexpected(target.error());
  if (target->body.feed) cancel->attach(target->body.feed);  // closes it at once when cancelled meanwhile
  if (cancel->cancelled()) co_return unexpected(cancelled_error());
  std::unique_ptr<audio::byte_source> source;
  std::shared_ptr<media_feed> feed;
  std::string hint;
  if (target->what == http_target::kind::hls) {
    auto hls = open_hls(ctx->http, target->url);
    source = std::move(hls.source);
    feed = std::move(hls.feed);
    cancel->attach(feed);
  } else {
    hint = format_hint(target->body.headers.get("Content-Type").value_or(""));
    source = std::move(target->body.source);
    feed = target->body.feed;
  }
  const auto limits = ctx->config.http;
  auto job = [source = std::move(source), feed, limits, hint, start_ms, cancel]() mutable
      -> expected<std::unique_ptr<track_media>, source_error> {
    if (cancel->cancelled()) return unexpected(cancelled_error());  // queued behind other work meanwhile
    auto dec = open_decoder(std::move(source), feed.get(), limits, hint);
    if (!dec) return unexpected(dec.error());
    if (start_ms > 0) (void)dec->seek(std::chrono::milliseconds(start_ms));  // a stream cannot seek: it starts live
    return std::make_unique<track_media>(std::move(*dec), feed);
  };
  auto media = co_await run_blocking(ctx->loader, std::move(job));
  if (cancel->cancelled()) media = unexpected(cancelled_error());  // a closed feed's read error too
  if (!media) feed->close();
  co_return media;
}

}  // namespace vb::node::detail
