#pragma once
// HTTP Live Streaming: a media playlist's segments (MPEG-TS, ADTS, fragmented MP4 with its
// init section) fetched in order into one stream_buffer the decoder reads as a single stream.
// Live playlists are reloaded every half target duration, starting near the live edge; video
// on demand plays to #EXT-X-ENDLIST. Encrypted playlists are refused. Not seekable.
#include <memory>
#include <string>

#include "vectobeat/audio/byte_source.hpp"
#include "vectobeat/node/http_media.hpp"
#include "vectobeat/node/playlist_parser.hpp"

namespace vb::node {

struct hls_media_body {
  std::unique_ptr<audio::byte_source> source;
  std::shared_ptr<media_feed> feed;
};

// Starts fetching `media_playlist_url` (a media playlist, not a master one).
hls_media_body open_hls(std::shared_ptr<http_media> http, std::string media_playlist_url);

}  // namespace vb::node
