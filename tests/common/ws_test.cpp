#include "vectobeat/common/net/websocket.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/net_fixture.hpp"
#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Reads until the socket closes; returns the messages.
task<std::vector<ws_message>> read_all(std::shared_ptr<websocket> ws) {
  std::vector<ws_message> out;
  while (auto m = co_await ws->read()) out.push_back(std::move(*m));
  co_return out;
}

task<void> echo_session(std::shared_ptr<websocket> ws) {
  while (auto m = co_await ws->read()) ws->send(m->kind, std::move(m->data));
}

class WebSocket : public test::io_fixture {
 protected:
  // A server whose every upgrade runs `session`; the server side's close info is reported.
  std::unique_ptr<http_server> serve(std::function<task<void>(std::shared_ptr<websocket>)> session,
                                     server_options opts = {}) {
    auto srv = std::make_unique<http_server>(
        ex(), std::move(opts),
        [](http_request&) -> task<http_response> { co_return http_response::text(200, "plain http"); },
        [this, session](http_request&) -> task<upgrade_result> {
          ws_accept a;
          a.run = [this, session](std::shared_ptr<websocket> ws) -> task<void> {
            server_side_.set(ws);
            co_await session(ws);
            server_closed_.set(ws->close_info());
          };
          co_return a;
        });
    srv->listen("127.0.0.1", 0);
    return srv;
  }

  std::string ws_url(const http_server& s, std::string_view path = "/ws") {
    return "ws://127.0.0.1:" + std::to_string(s.port()) + std::string(path);
  }

  std::shared_ptr<websocket> connect(const http_server& s, ws_connect_options o = {}) {
    auto r = run(ws_connect(ex(), ws_url(s), std::move(o)));
    if (!r) throw std::runtime_error("ws_connect failed: " + r.error().message);
    return *r;
  }

  test::latch_value<std::shared_ptr<websocket>> server_side_;
  test::latch_value<ws_close_info> server_closed_;
};

TEST_F(WebSocket, EchoesTextAndBinary) {
  auto srv = serve(echo_session);
  auto ws = connect(*srv);
  EXPECT_TRUE(ws->is_open());
  ASSERT_TRUE(ws->send_text("hello"));
  auto m = run(ws->read());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, ws_kind::text);
  EXPECT_EQ(m->data, "hello");
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  ASSERT_TRUE(ws->send_binary(bytes));
  m = run(ws->read());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, ws_kind::binary);
  EXPECT_EQ(m->data, bytes);
  ASSERT_TRUE(ws->send_text(""));
  m = run(ws->read());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->data, "");
}

TEST_F(WebSocket, ManyMessagesArriveInOrder) {
  auto srv = serve(echo_session);
  auto ws = connect(*srv);
  constexpr int n = 2000;
  for (int i = 0; i < n; ++i) ASSERT_TRUE(ws->send_text("m" + std::to_string(i)));
  auto got = run([](std::shared_ptr<websocket> ws) -> task<std::vector<std::string>> {
    std::vector<std::string> out;
    while (out.size() < n) {
      auto m = co_await ws->read();
      if (!m) break;
      out.push_back(std::move(m->data));
    }
    co_return out;
  }(ws));
  ASSERT_EQ(got.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) ASSERT_EQ(got[i], "m" + std::to_string(i));
}

TEST_F(WebSocket, SendsFromManyThreadsAreSafeAndKeepEachThreadsOrder) {
  auto srv = serve(echo_session);
  auto ws = connect(*srv);
  constexpr int threads = 4, per_thread = 300;
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) ws->send_text(std::to_string(t) + ":" + std::to_string(i));
    });
  for (auto& t : senders) t.join();
  auto got = run([](std::shared_ptr<websocket> ws) -> task<std::vector<std::string>> {
    std::vector<std::string> out;
    while (out.size() < threads * per_thread) {
      auto m = co_await ws->read();
      if (!m) break;
      out.push_back(std::move(m->data));
    }
    co_return out;
  }(ws));
  ASSERT_EQ(got.size(), static_cast<std::size_t>(threads * per_thread));
  std::vector<int> next(threads, 0);
  for (auto& s : got) {
    int t = std::stoi(s.substr(0, s.find(':')));
    int i = std::stoi(s.substr(s.find(':') + 1));
    EXPECT_EQ(i, next[t]++) << s;
  }
}

TEST_F(WebSocket, ClientInitiatedCloseCarriesCodeAndReason) {
  auto srv = serve(echo_session);
  auto ws = connect(*srv);
  ws->close(4001, "client says bye");
  ws->close(4999, "ignored: close is idempotent");
  EXPECT_FALSE(run(ws->read()));  // ends once the close handshake is done
  auto mine = ws->close_info();
  EXPECT_EQ(mine.code, 4001);
  EXPECT_EQ(mine.reason, "client says bye");
  EXPECT_FALSE(mine.by_remote);
  EXPECT_FALSE(ws->is_open());
  EXPECT_FALSE(ws->send_text("too late"));
  auto theirs = server_closed_.get();
  EXPECT_EQ(theirs.code, 4001);
  EXPECT_EQ(theirs.reason, "client says bye");
  EXPECT_TRUE(theirs.by_remote);
}

TEST_F(WebSocket, ServerInitiatedCloseCarriesCodeAndReason) {
  auto srv = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    ws->send_text("last words");
    ws->close(4002, "server says bye");
    while (co_await ws->read()) {
    }
  });
  auto ws = connect(*srv);
  auto got = run(read_all(ws));
  ASSERT_EQ(got.size(), 1u);  // queued messages go out before the close frame
  EXPECT_EQ(got[0].data, "last words");
  auto info = ws->close_info();
  EXPECT_EQ(info.code, 4002);
  EXPECT_EQ(info.reason, "server says bye");
  EXPECT_TRUE(info.by_remote);
  auto server = server_closed_.get();
  EXPECT_EQ(server.code, 4002);
  EXPECT_FALSE(server.by_remote);
}

TEST_F(WebSocket, UnsendableCodesAndLongReasonsAreSanitised) {
  auto srv = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    // 1006 may never be sent; a 200-byte reason of 2-byte characters must be cut whole.
    std::string reason;
    for (int i = 0; i < 100; ++i) reason += "\xC3\xA9";
    ws->close(1006, reason);
    while (co_await ws->read()) {
    }
  });
  auto ws = connect(*srv);
  run(read_all(ws));
  auto info = ws->close_info();
  EXPECT_EQ(info.code, 1005);  // no status code
  auto server = server_closed_.get();
  EXPECT_EQ(server.code, 1005);
  srv.reset();

  auto srv2 = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    std::string reason;
    for (int i = 0; i < 100; ++i) reason += "\xC3\xA9";
    ws->close(4000, reason);
    while (co_await ws->read()) {
    }
  });
  auto ws2 = connect(*srv2);
  run(read_all(ws2));
  auto info2 = ws2->close_info();
  EXPECT_EQ(info2.code, 4000);
  EXPECT_EQ(info2.reason.size(), 122u);  // 61 whole characters fit in 123 bytes
}

TEST_F(WebSocket, OversizedMessageClosesWith1009) {
  server_options o;
  o.limits.max_ws_message_bytes = 1024;
  auto srv = serve(echo_session, o);
  auto ws = connect(*srv);
  ws->send_text(std::string(1024, 'a'));  // exactly at the limit: fine
  auto ok = run(ws->read());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->data.size(), 1024u);
  ws->send_text(std::string(4096, 'a'));
  EXPECT_FALSE(run(ws->read()));
  EXPECT_EQ(ws->close_info().code, 1009);
  EXPECT_TRUE(ws->close_info().by_remote);
  EXPECT_EQ(server_closed_.get().code, 1009);
}

TEST_F(WebSocket, ClientLimitOnIncomingMessages) {
  auto srv = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    ws->send_text(std::string(2048, 'z'));
    while (co_await ws->read()) {
    }
  });
  ws_connect_options o;
  o.client.limits.max_ws_message_bytes = 1000;
  auto ws = connect(*srv, o);
  EXPECT_FALSE(run(ws->read()));
  EXPECT_EQ(ws->close_info().code, 1009);
  EXPECT_EQ(server_closed_.get().code, 1009);
}

TEST_F(WebSocket, SendQueueOverflowClosesWith1008) {
  server_options o;
  o.limits.max_ws_send_queue = 8;
  std::atomic<int> accepted{0}, refused{0};
  auto srv = serve(
      [&](std::shared_ptr<websocket> ws) -> task<void> {
        // A burst from the connection's own strand: nothing is written until it yields.
        for (int i = 0; i < 100; ++i) (ws->send_text(std::string(1024, 'q')) ? accepted : refused)++;
        while (co_await ws->read()) {
        }
      },
      o);
  auto ws = connect(*srv);
  auto got = run(read_all(ws));
  EXPECT_GT(refused.load(), 0);
  EXPECT_LE(accepted.load(), 9);  // the queue plus at most the message being written
  EXPECT_LE(got.size(), static_cast<std::size_t>(accepted.load()));
  EXPECT_EQ(ws->close_info().code, 1008);
  EXPECT_EQ(ws->close_info().reason, "send queue overflow");
  EXPECT_EQ(server_closed_.get().code, 1008);
}

TEST_F(WebSocket, ServerStopClosesOpenSocketsWith1001) {
  auto srv = serve(echo_session);
  std::vector<std::shared_ptr<websocket>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(connect(*srv));
  ASSERT_TRUE(eventually([&] { return srv->connection_count() == 3; }));
  srv->stop();
  for (auto& ws : clients) {
    EXPECT_FALSE(run(ws->read()));
    EXPECT_EQ(ws->close_info().code, 1001);
    EXPECT_EQ(ws->close_info().reason, "server shutting down");
  }
  EXPECT_TRUE(eventually([&] { return srv->connection_count() == 0; }));
}

TEST_F(WebSocket, RejectedUpgradeReportsStatusHeadersAndBody) {
  http_server srv(
      ex(), {}, [](http_request&) -> task<http_response> { co_return http_response::empty(404); },
      [](http_request& req) -> task<upgrade_result> {
        auto r = http_response::error(401, "Missing Authorization", std::string(req.path()));
        r.headers.set("X-Reason", "no-auth");
        co_return r;
      });
  srv.listen("127.0.0.1", 0);
  auto r = run(ws_connect(ex(), ws_url(srv, "/v4/websocket")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::upgrade_rejected);
  EXPECT_EQ(r.error().http_status, 401);
  EXPECT_EQ(r.error().response.status, 401);
  EXPECT_EQ(r.error().response.headers.get("x-reason"), "no-auth");
  EXPECT_THAT(r.error().response.body, HasSubstr(R"("message":"Missing Authorization","path":"/v4/websocket")"));
}

TEST_F(WebSocket, ServerWithoutUpgradeHandlerAnswers426) {
  http_server srv(ex(), {}, [](http_request&) -> task<http_response> { co_return http_response::empty(200); });
  srv.listen("127.0.0.1", 0);
  auto r = run(ws_connect(ex(), ws_url(srv)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::upgrade_rejected);
  EXPECT_EQ(r.error().http_status, 426);
}

TEST_F(WebSocket, HandlerExceptionDuringUpgradeIsA500) {
  http_server srv(
      ex(), {}, [](http_request&) -> task<http_response> { co_return http_response::empty(200); },
      [](http_request&) -> task<upgrade_result> {
        throw std::runtime_error("boom");
        co_return http_response::empty(200);
      });
  srv.listen("127.0.0.1", 0);
  auto r = run(ws_connect(ex(), ws_url(srv)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 500);
}

TEST_F(WebSocket, HandshakeHeadersAndTargetOnBothSides) {
  server_options o;
  o.default_headers.set("X-Server-Id", "node-1");
  test::latch_value<std::pair<std::string, std::string>> seen;
  http_server srv(
      ex(), o, [](http_request&) -> task<http_response> { co_return http_response::text(200, "plain"); },
      [&](http_request& req) -> task<upgrade_result> {
        ws_accept a;
        a.response_headers.set("Session-Resumed", "false");
        a.response_headers.set("X-Server-Id", "overridden");
        std::string user(req.headers.get("User-Id").value_or(""));
        a.run = [&seen, user](std::shared_ptr<websocket> ws) -> task<void> {
          seen.set({user + "|" + std::string(ws->handshake_headers().get("client-name").value_or("")), ws->target()});
          co_await echo_session(ws);
        };
        co_return a;
      });
  srv.listen("127.0.0.1", 0);
  ws_connect_options co;
  co.headers.set("User-Id", "170939974227591168");
  co.headers.set("Client-Name", "vectobeat/0.1");
  auto r = run(ws_connect(ex(), ws_url(srv, "/v4/websocket?v=4"), co));
  ASSERT_TRUE(r) << r.error().message;
  auto ws = *r;
  EXPECT_EQ(ws->handshake_headers().get("Session-Resumed"), "false");
  EXPECT_EQ(ws->handshake_headers().get("X-Server-Id"), "overridden");
  EXPECT_EQ(ws->handshake_headers().get("Server"), "vectobeat");
  EXPECT_EQ(ws->target(), "/v4/websocket?v=4");
  auto [headers, target] = seen.get();
  EXPECT_EQ(headers, "170939974227591168|vectobeat/0.1");
  EXPECT_EQ(target, "/v4/websocket?v=4");

  // The same default header is on plain HTTP responses.
  http_client c(ex());
  auto plain = run(c.get("http://127.0.0.1:" + std::to_string(srv.port()) + "/"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->headers.get("X-Server-Id"), "node-1");
}

TEST_F(WebSocket, DefaultHeadersOnThe101) {
  server_options o;
  o.default_headers.set("X-Server-Id", "node-2");
  auto srv = serve(echo_session, o);
  auto ws = connect(*srv);
  EXPECT_EQ(ws->handshake_headers().get("X-Server-Id"), "node-2");
}

TEST_F(WebSocket, ServerAbortIsSeenAs1006) {
  auto srv = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    co_await ws->read();
    ws->abort();
    while (co_await ws->read()) {
    }
  });
  auto ws = connect(*srv);
  ws->send_text("trigger");
  EXPECT_FALSE(run(ws->read()));
  EXPECT_EQ(ws->close_info().code, 1006);
  EXPECT_TRUE(ws->close_info().by_remote);
  auto server = server_closed_.get();
  EXPECT_EQ(server.code, 1006);
  EXPECT_FALSE(server.by_remote);
}

TEST_F(WebSocket, ClientAbortIsSeenAs1006) {
  auto srv = serve(echo_session);
  auto ws = connect(*srv);
  server_side_.get();
  ws->abort();
  auto server = server_closed_.get();
  EXPECT_EQ(server.code, 1006);
  EXPECT_TRUE(server.by_remote);
  EXPECT_FALSE(run(ws->read()));
  EXPECT_EQ(ws->close_info().code, 1006);
  EXPECT_FALSE(ws->close_info().by_remote);
  EXPECT_TRUE(eventually([&] { return srv->connection_count() == 0; }));
}

TEST_F(WebSocket, SessionReturningClosesWith1000AndExceptionsWith1011) {
  auto srv = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    auto m = co_await ws->read();
    if (m && m->data == "throw") throw std::runtime_error("session bug");
  });
  auto a = connect(*srv);
  a->send_text("return");
  EXPECT_FALSE(run(a->read()));
  EXPECT_EQ(a->close_info().code, 1000);

  auto srv2 = serve([](std::shared_ptr<websocket> ws) -> task<void> {
    auto m = co_await ws->read();
    if (m && m->data == "throw") throw std::runtime_error("session bug");
  });
  auto b = connect(*srv2);
  b->send_text("throw");
  EXPECT_FALSE(run(b->read()));
  EXPECT_EQ(b->close_info().code, 1011);
}

TEST_F(WebSocket, ConnectErrors) {
  auto bad = run(ws_connect(ex(), "http://127.0.0.1:1/"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, client_errc::invalid_url);
  ws_connect_options o;
  o.client.allow_address = [](std::string_view ip) { return !is_private_address(ip); };
  auto blocked = run(ws_connect(ex(), "ws://127.0.0.1:1/", o));
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, client_errc::blocked_address);
}

}  // namespace
}  // namespace vb::net
