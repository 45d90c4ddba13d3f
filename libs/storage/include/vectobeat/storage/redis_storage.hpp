#pragma once
// The Redis backend, for several bot processes that share state. Keys (contracts §12 for
// the first four, byte-compatible with the original bot; the rest are ours, documented in
// docs/architecture.md):
//
//   playlist:{guild}:{name_lower}        string, {"tracks":[...],"meta":{...},"name":...}
//   autoplay:history:{guild}             sorted set identifier -> Unix seconds, newest 500
//   autoplay:artist:{guild}:{artist_lower} sorted set identifier -> Unix seconds, newest 200
//   autoplay:track:{identifier}          string, the stored_track JSON
//   profile:{guild}                      string, the guild_profiles.json entry shape
//   dj:roles:{guild}                     set of role ids
//   dj:audit:{guild}                     list of JSON entries, newest first, 50 kept
//   queue:{guild}                        string, the queue_state JSON
//   queue:guilds                         set of guild ids with a stored queue
//
// Every multi-key write is one MULTI/EXEC transaction.
#include <memory>

#include "vectobeat/storage/redis_connection.hpp"
#include "vectobeat/storage/stores.hpp"

namespace vb::storage {

// Connects (and PINGs) now; throws startup_error naming the server when it cannot.
stores open_redis(const redis_options& opts);

}  // namespace vb::storage
