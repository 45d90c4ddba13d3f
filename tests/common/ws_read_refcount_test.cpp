#include "vectobeat/common/net/websocket.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <new>
#include <vector>

#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::net {
namespace {

using namespace std::chrono_literals;

// Measures how many references websocket::read() loses per call, with spare copies
// held so that a loss cannot free the connection during the measurement.
class WebSocketRead : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<http_server>(
        ctx_.get_executor(), server_options{},
        [](http_request&) -> task<http_response> { co_return http_response::empty(404); },
        [](http_request&) -> task<upgrade_result> {
          ws_accept a;
          a.run = [](std::shared_ptr<websocket> ws) -> task<void> {
            for (int i = 0; i < 6; ++i) ws->send_text("message " + std::to_string(i));
            while (co_await ws->read()) {
            }
          };
          co_return a;
        });
    const auto port = server_->listen("127.0.0.1", 0);
    spawn(ctx_.get_executor(),
          [](WebSocketRead* t, std::string url) -> task<void> {
            // Named arguments: g++ 12 mishandles class prvalues (and default arguments)
            // passed to a coroutine inside a co_await expression.
            asio::any_io_executor ex = t->ctx_.get_executor();
            ws_connect_options options;
            auto r = co_await ws_connect(ex, std::move(url), std::move(options));
            if (r) t->ws_ = *r;
          }(this, "ws://127.0.0.1:" + std::to_string(port) + "/"),
          "connect");
    run_until([&] { return ws_ != nullptr; });
    ASSERT_TRUE(ws_);
  }

  void TearDown() override {
    ws_.reset();
    server_->stop();
    ctx_.poll();
  }

  template <class F>
  void run_until(F done) {
    const auto cap = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < cap) ctx_.run_one_for(50ms);
  }

  // Reads three messages with `reader` and returns the reference count lost.
  template <class Reader>
  long lost_references(Reader reader) {
    std::vector<std::shared_ptr<websocket>> spare(8, ws_);
    const long before = ws_.use_count();
    int done = 0;
    spawn(ctx_.get_executor(),
          [](std::shared_ptr<websocket> ws, Reader reader, int& done) -> task<void> {
            for (int i = 0; i < 3; ++i) {
              (void)co_await reader(ws);
              co_await yield();  // let Asio finish tearing down the read's frames
              ++done;
            }
          }(ws_, reader, done),
          "reader");
    run_until([&] { return done == 3; });
    for (int i = 0; i < 20; ++i) ctx_.poll_one();
    const long lost = before - ws_.use_count();
    // Give back what was lost so the spares below are released safely.
    for (long i = 0; i < lost; ++i) ::new (new unsigned char[sizeof(ws_)]) std::shared_ptr<websocket>(ws_);
    return lost;
  }

  asio::io_context ctx_;
  std::unique_ptr<http_server> server_;
  std::shared_ptr<websocket> ws_;
};

// Regression: g++ 12 destroyed a lambda temporary inside read()'s co_await twice, so
// every read dropped one reference and the connection was freed while in use.
TEST_F(WebSocketRead, ReadKeepsTheReferenceCount) {
  EXPECT_EQ(lost_references([](const std::shared_ptr<websocket>& ws) { return ws->read(); }), 0);
}

}  // namespace
}  // namespace vb::net
