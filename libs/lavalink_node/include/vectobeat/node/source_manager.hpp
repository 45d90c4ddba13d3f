#pragma once
// Track sources: what GET /v4/loadtracks resolves and what a player opens.
//
//   http/https URLs   direct media (mp3, ogg/opus, webm/opus, flac, aac/m4a, wav, ...),
//                     Icecast/Shoutcast streams, m3u/pls playlists and HLS
//   local             files under the configured roots
//   youtube/soundcloud URLs and ytsearch:/ytmsearch:/scsearch: through a yt-dlp compatible
//                     resolver command
//   spotify           open.spotify.com links and spsearch: resolved to metadata through the
//                     Spotify Web API, played through the configured mirror search source
//
// Loading never fails with an HTTP error: problems become loadType "error" (Lavalink's
// FriendlyException) and unknown identifiers "empty".
//
// Threading: safe from any thread; blocking work (probing, the resolver) runs on the loader.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/lavalink/exception.hpp"
#include "vectobeat/lavalink/load_result.hpp"
#include "vectobeat/lavalink/source_registry.hpp"
#include "vectobeat/lavalink/track_codec.hpp"
#include "vectobeat/node/node_config.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node {

class source_manager {
 public:
  // `io` runs network I/O; `loader` runs blocking work (it may be a thread pool).
  source_manager(asio::any_io_executor io, asio::any_io_executor loader, node_config config);
  ~source_manager();
  source_manager(const source_manager&) = delete;
  source_manager& operator=(const source_manager&) = delete;

  // Enabled sources in /v4/info order (canonical names).
  std::vector<std::string> enabled_sources() const;
  // Layouts of every source whose tracks this node can decode (built-ins plus spotify).
  const lavalink::source_registry& registry() const;

  // GET /v4/loadtracks. Never throws for bad input. (Coroutine: pass the string by value.)
  task<lavalink::load_result> load(std::string identifier);

  // Opens a track for playback, positioned at `start_ms` (0: the beginning). The error is the
  // exception a TrackExceptionEvent carries. `cancel` (may be null) abandons the open: the
  // result is then an error with the "cancelled" cause, never media. The coroutine holds the
  // manager's internals, not the manager: it may outlive the manager (it then fails).
  task<expected<std::unique_ptr<track_media>, lavalink::exception_info>> open(lavalink::decoded_track track,
                                                                             std::int64_t start_ms,
                                                                             std::shared_ptr<open_cancel> cancel);

  // Cancels every load and open in progress (their feeds closed, so blocking probes return at
  // once); later ones fail at once with "cancelled". For the node's shutdown. Idempotent.
  void shutdown();

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

// LavaSrc's layout for "spotify" tracks: albumName, albumUrl, artistUrl, artistArtworkUrl,
// previewUrl (nullable UTFs), isPreview (bool).
lavalink::source_layout spotify_layout();

}  // namespace vb::node
