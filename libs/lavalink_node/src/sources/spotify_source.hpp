#pragma once
// Internal: Spotify links resolved to metadata with the Web API (client credentials), played
// through a mirror: the configured search source (ytsearch by default) looked up by ISRC, then
// by "title artist". Tracks use LavaSrc's encoding, so LavaSrc-aware clients read them.
#include <memory>
#include <string>

#include "source_util.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node::detail {

bool is_spotify_identifier(std::string_view identifier);

class spotify_client;

task<lavalink::load_result> load_spotify(std::shared_ptr<source_context> ctx, std::shared_ptr<spotify_client> api,
                                         std::string identifier);
task<expected<std::unique_ptr<track_media>, source_error>> open_spotify(std::shared_ptr<source_context> ctx,
                                                                         lavalink::decoded_track track,
                                                                         std::int64_t start_ms,
                                                                         std::shared_ptr<open_cancel> cancel);

std::shared_ptr<spotify_client> make_spotify_client(std::shared_ptr<source_context> ctx);

}  // namespace vb::node::detail
