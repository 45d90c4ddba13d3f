#pragma once
// Workaround for a g++ 11/12 miscompilation that breaks vb::net::websocket::read().
//
// g++ before 13 destroys a capturing lambda temporary that appears inside a co_await
// expression twice (asio issue #858; GCC 12.2 here). libs/common's ws_connection::read()
// is exactly that shape:
//   co_return co_await asio::co_spawn(ex, [self]() { return self->do_read(); }, use_awaitable);
// so every read() releases one reference to the connection that it never took, and after
// a few reads the connection is freed while its owner still uses it. read_message() takes
// one extra reference per call under those compilers to balance it.
//
// Remove this header once ws_connection::read() names its lambda (or passes an
// awaitable); websocket_read_test fails as the reminder.
#include <memory>
#include <optional>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/websocket.hpp"

namespace vb::voice::detail {

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
inline constexpr bool websocket_read_drops_reference = true;
#else
inline constexpr bool websocket_read_drops_reference = false;
#endif

// ws->read(), compensated as described above. `ws` must outlive the call.
task<std::optional<net::ws_message>> read_message(const std::shared_ptr<net::websocket>& ws);

}  // namespace vb::voice::detail
