// Bytes -> the storage decoders that read data the bot did not write itself: Redis replies
// (RESP) and the JSON documents of playlists, autoplay tracks, profiles and queues (a shared
// Redis, an old file). Nothing may crash; what decodes must encode and decode back equal.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "vectobeat/common/json.hpp"
#include "vectobeat/storage/models.hpp"
#include "vectobeat/storage/redis_connection.hpp"

namespace {

using namespace vb::storage;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "storage_decode_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  resp_limits limits;
  limits.max_reply_bytes = 64 * 1024;
  limits.max_elements = 1024;
  limits.max_depth = 4;
  redis_reply reply;
  auto parsed = parse_reply(text, reply, limits);
  if (parsed.status == parse_status::complete && parsed.consumed > text.size()) fail("consumed past the input");

  (void)playlist_key(text);
  (void)lower_name(text);

  auto v = vb::json::parse(text);
  if (!v) return 0;
  if (auto t = stored_track_from_json(*v)) {
    auto again = stored_track_from_json(to_json(*t));
    if (!again || !(*again == *t)) fail("stored_track round trip");
  }
  if (auto p = playlist_from_json("fuzz", *v)) {
    auto again = playlist_from_json("fuzz", to_json(*p));
    if (!again || !(*again == *p)) fail("playlist round trip");
  }
  if (auto g = guild_profile_from_json(1, *v)) {
    auto again = guild_profile_from_json(1, to_json(*g));
    if (!again || !(*again == *g)) fail("guild_profile round trip");
  }
  if (auto q = queue_state_from_json(*v)) {
    auto again = queue_state_from_json(to_json(*q));
    if (!again || !(*again == *q)) fail("queue_state round trip");
  }
  return 0;
}
