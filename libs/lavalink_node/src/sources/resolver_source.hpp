#pragma once
// Internal: YouTube and SoundCloud through a yt-dlp compatible resolver command.
//
// Loading runs `<command> -J --flat-playlist --no-warnings <identifier>` and maps yt-dlp's JSON
// (a video, or a playlist/search with "entries") onto tracks. Playing runs
// `<command> -J --no-playlist --no-warnings -f bestaudio/best <uri>` and streams the "url" it
// prints (with its "http_headers") through the http source.
#include <memory>
#include <optional>
#include <string>

#include "source_util.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node::detail {

// "youtube" / "soundcloud" when the identifier is one of their URLs or search prefixes.
std::optional<std::string_view> resolver_source_of(std::string_view identifier);

task<lavalink::load_result> load_resolver(std::shared_ptr<source_context> ctx, std::string source_name,
                                          std::string identifier);
task<expected<std::unique_ptr<track_media>, source_error>> open_resolver(std::shared_ptr<source_context> ctx,
                                                                          lavalink::decoded_track track,
                                                                          std::int64_t start_ms,
                                                                          std::shared_ptr<open_cancel> cancel);
// The first track a search (e.g. "ytsearch:artist title") finds; used by the Spotify mirror.
task<expected<lavalink::decoded_track, source_error>> first_search_result(std::shared_ptr<source_context> ctx,
                                                                          std::string source_name, std::string query);

}  // namespace vb::node::detail
