#pragma once
// Asio vocabulary shared by every library: executors and coroutines. Beast, OpenSSL and
// the socket types stay inside libs/common/src/net.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace vb {
namespace asio = boost::asio;
template <class T>
using task = asio::awaitable<T>;

// Spawns `t` detached on `ex`; an escaping exception is logged (component "async") with
// `what`, never propagated. Use for connection and session coroutines.
void spawn(asio::any_io_executor ex, task<void> t, std::string_view what);

// Yields once to the executor (lets other handlers run).
task<void> yield();

}  // namespace vb
