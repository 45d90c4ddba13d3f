// Untrusted gateway input end to end: zlib-stream/zstd-stream decompression (first byte
// picks none/zlib/zstd), the frame parser, and the event table into the cache and bus,
// followed by every cache reader. Nothing may crash, leak or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vectobeat/discord/event_dispatcher.hpp"
#include "vectobeat/discord/gateway_payload.hpp"
#include "vectobeat/discord/transport_decompressor.hpp"

using namespace vb::discord;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<gateway_compression>(data[0] % 3);
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  gateway_cache cache;
  event_bus bus;
  event_dispatcher dispatcher(cache, bus);
  cache.set_self_user(snowflake(1100000000000000001ULL));
  transport_decompressor d(kind, 1u << 20);
  gateway_frame_parser parser({1u << 20, 32});
  // Messages are separated by a 0x1E byte so one input can carry a sequence.
  while (!rest.empty()) {
    const auto sep = rest.find('\x1e');
    const auto msg = rest.substr(0, sep);
    rest = sep == std::string_view::npos ? std::string_view() : rest.substr(sep + 1);
    auto out = d.feed(msg);
    if (!out) break;
    if (!*out) continue;
    auto f = parser.parse(**out);
    if (!f || f->op != 0) continue;
    dispatcher.dispatch(f->t, *f->d, {0, f->s.value_or(0)});
  }
  cache.for_each_guild_id([&](snowflake g) {
    (void)cache.guild_info(g);
    (void)cache.bot_permissions(g);
    for (const auto& c : cache.channels(g)) (void)cache.bot_permissions(g, c.id);
    (void)cache.voice_states(g, snowflake());
  });
  cache.on_ready(0, 1, {});
  return 0;
}
