#include "vectobeat/voice/detail/websocket_read.hpp"

#include <new>

namespace vb::voice::detail {

task<std::optional<net::ws_message>> read_message(const std::shared_ptr<net::websocket>& ws) {
  if constexpr (websocket_read_drops_reference) {
    // A copy that is deliberately never destroyed: the reference read() will drop.
    alignas(std::shared_ptr<net::websocket>) unsigned char storage[sizeof(std::shared_ptr<net::websocket>)];
    ::new (static_cast<void*>(storage)) std::shared_ptr<net::websocket>(ws);
  }
  co_return co_await ws->read();
}

}  // namespace vb::voice::detail
