// JSON text -> every decoder of the Lavalink protocol. Nothing may crash; whatever decodes
// must encode and decode back to an equal value.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "vectobeat/common/json.hpp"
#include "vectobeat/lavalink/error_response.hpp"
#include "vectobeat/lavalink/info.hpp"
#include "vectobeat/lavalink/load_result.hpp"
#include "vectobeat/lavalink/message.hpp"
#include "vectobeat/lavalink/player.hpp"
#include "vectobeat/lavalink/player_update.hpp"
#include "vectobeat/lavalink/route_planner.hpp"
#include "vectobeat/lavalink/session.hpp"

namespace {

using namespace vb::lavalink;

template <class T>
void check(const boost::json::value& v) {
  auto first = from_json<T>(v);
  if (!first) return;
  auto second = from_json<T>(to_json(*first));
  if (!second) {
    std::fprintf(stderr, "player_update_fuzz: re-encoded value does not decode: %s\n", second.error().c_str());
    std::abort();
  }
  if (!(*second == *first)) {
    std::fprintf(stderr, "player_update_fuzz: round trip changed the value\n");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_player_update(text);  // the node's entry point, text included
  auto v = vb::json::parse(text);
  if (!v) return 0;
  check<player_update>(*v);
  check<message>(*v);
  check<load_result>(*v);
  check<player>(*v);
  check<filters>(*v);
  check<session_update>(*v);
  check<info>(*v);
  check<route_planner_status>(*v);
  check<error_response>(*v);
  return 0;
}
