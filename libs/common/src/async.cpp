#include "vectobeat/common/async.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <string>

#include "vectobeat/common/log.hpp"

namespace vb {

void spawn(asio::any_io_executor ex, task<void> t, std::string_view what) {
  asio::co_spawn(ex, std::move(t), [name = std::string(what)](std::exception_ptr e) {
    if (!e) return;
    static log::logger lg("async");
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      lg.error("task '{}' failed: {}", name, ex.what());
    } catch (...) {
      lg.error("task '{}' failed with a non-standard exception", name);
    }
  });
}

task<void> yield() {
  auto ex = co_await asio::this_coro::executor;
  co_await asio::post(ex, asio::use_awaitable);
}

}  // namespace vb
