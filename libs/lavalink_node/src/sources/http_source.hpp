#pragma once
// Internal: the http source (direct media, Icecast/Shoutcast, m3u, pls, HLS).
#include <memory>
#include <string>

#include "source_util.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node::detail {

bool is_http_url(std::string_view identifier);

// GET /v4/loadtracks for an http(s) URL.
// `cancel` ends the probe early (the result is then a load error).
task<lavalink::load_result> load_http(std::shared_ptr<source_context> ctx, std::string url,
                                      std::shared_ptr<open_cancel> cancel);

// Opens `url` for playback (following playlists) with optional request headers (from a
// resolver), positioned at `start_ms`. `cancel` (not null) abandons it: its feeds are closed
// and the result is node_error::cancelled.
task<expected<std::unique_ptr<track_media>, source_error>> open_http(std::shared_ptr<source_context> ctx, std::string url,
                                                                      net::header_map headers, std::int64_t start_ms,
                                                                      std::shared_ptr<open_cancel> cancel);

}  // namespace vb::node::detail
