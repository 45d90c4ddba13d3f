#include "vectobeat/common/net/http_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "common/net_fixture.hpp"
#include "vectobeat/common/net/http_client.hpp"

namespace vb::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using tcp = asio::ip::tcp;
using namespace std::string_view_literals;

class HttpServer : public test::io_fixture {
 protected:
  std::string url(const http_server& s, std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(s.port()) + std::string(path);
  }

  expected<http_response, client_error> fetch(http_client& c, std::string method, std::string u, header_map h = {},
                                              std::string body = {}) {
    return run(c.request(std::move(method), std::move(u), std::move(h), std::move(body)));
  }

  // Sends raw bytes over a new TCP connection and returns everything the server sends
  // back until it closes the connection.
  static std::string raw_exchange(std::uint16_t port, std::string_view bytes) {
    asio::io_context io;
    tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(s, asio::buffer(bytes));
    s.shutdown(tcp::socket::shutdown_send);
    std::string out;
    boost::system::error_code ec;
    asio::read(s, asio::dynamic_buffer(out), ec);
    return out;
  }
};

header_map headers(std::initializer_list<std::pair<std::string, std::string>> fields) {
  header_map h;
  for (auto& [k, v] : fields) h.add(k, v);
  return h;
}

// Echoes what it received as text.
task<http_response> echo(http_request& req) {
  auto res = http_response::text(200, req.method + " " + req.target + " [" + req.body + "]");
  if (auto h = req.headers.get("X-Test")) res.headers.set("X-Echo", std::string(*h));
  co_return res;
}

TEST_F(HttpServer, GetAndPostWithBodies) {
  http_server srv(ex(), {}, echo);
  srv.listen("127.0.0.1", 0);
  ASSERT_NE(srv.port(), 0);
  http_client c(ex());
  auto get = fetch(c, "GET", url(srv, "/v4/info?x=1"), headers({{"X-Test", "hi"}}));
  ASSERT_TRUE(get) << get.error().message;
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "GET /v4/info?x=1 []");
  EXPECT_EQ(get->headers.get("x-echo"), "hi");
  EXPECT_EQ(get->headers.get("Server"), "vectobeat");
  EXPECT_EQ(get->headers.get("Content-Type"), "text/plain; charset=utf-8");

  std::string big(300 * 1024, 'x');
  auto post = fetch(c, "POST", url(srv, "/upload"), headers({{"Content-Type", "application/octet-stream"}}), big);
  ASSERT_TRUE(post) << post.error().message;
  EXPECT_EQ(post->body, "POST /upload [" + big + "]");
  auto empty_post = fetch(c, "POST", url(srv, "/empty"));
  ASSERT_TRUE(empty_post);
  EXPECT_EQ(empty_post->body, "POST /empty []");
}

TEST_F(HttpServer, KeepAliveReusesOneConnection) {
  std::mutex mu;
  std::set<std::string> peers;
  int requests = 0;
  http_server srv(ex(), {}, [&](http_request& req) -> task<http_response> {
    {
      std::lock_guard lk(mu);
      peers.insert(req.remote_address);
      ++requests;
    }
    co_return http_response::text(200, "ok");
  });
  srv.listen("127.0.0.1", 0);
  http_client c(ex());
  for (int i = 0; i < 5; ++i) {
    auto r = fetch(c, i % 2 ? "POST" : "GET", url(srv, "/n/" + std::to_string(i)), {}, i % 2 ? "body" : "");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
  }
  std::lock_guard lk(mu);
  EXPECT_EQ(requests, 5);
  EXPECT_EQ(peers.size(), 1u) << "every request should have come over the same connection";
  EXPECT_THAT(*peers.begin(), StartsWith("127.0.0.1:"));
  EXPECT_EQ(srv.connection_count(), 1u);
}

TEST_F(HttpServer, ConnectionCloseIsHonoured) {
  std::atomic<int> requests{0};
  http_server srv(ex(), {}, [&](http_request&) -> task<http_response> {
    ++requests;
    co_return http_response::text(200, "ok");
  });
  srv.listen("127.0.0.1", 0);
  auto reply = raw_exchange(srv.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(reply, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(reply, HasSubstr("Connection: close"));
  EXPECT_EQ(requests, 1);
}

TEST_F(HttpServer, HandlerExceptionBecomesA500InTheApiErrorShape) {
  http_server srv(ex(), {}, [](http_request&) -> task<http_response> {
    throw std::runtime_error("database exploded");
    co_return http_response::empty(200);
  });
  srv.listen("127.0.0.1", 0);
  http_client c(ex());
  auto r = fetch(c, "GET", url(srv, "/v4/sessions/abc?trace=true"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->headers.get("Content-Type"), "application/json");
  auto v = boost::json::parse(r->body).as_object();
  EXPECT_EQ(v.at("status").as_int64(), 500);
  EXPECT_EQ(v.at("error").as_string(), "Internal Server Error");
  EXPECT_EQ(v.at("message").as_string(), "Internal server error");
  EXPECT_EQ(v.at("path").as_string(), "/v4/sessions/abc");
  EXPECT_TRUE(v.at("timestamp").is_int64());
  EXPECT_THAT(r->body, Not(HasSubstr("database exploded")));
  // The connection survives the failure.
  auto again = fetch(c, "GET", url(srv, "/x"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 500);
}

TEST_F(HttpServer, BodyOverTheLimitGets413) {
  server_options o;
  o.limits.max_body_bytes = 1024;
  std::atomic<int> handled{0};
  http_server srv(ex(), o, [&](http_request&) -> task<http_response> {
    ++handled;
    co_return http_response::empty(204);
  });
  srv.listen("127.0.0.1", 0);
  http_client c(ex());
  for (std::size_t size : {2048u, 4u << 20}) {  // small, and far larger than socket buffers
    auto r = fetch(c, "POST", url(srv, "/v4/upload?x=1"), {}, std::string(size, 'b'));
    ASSERT_TRUE(r) << size << ": " << r.error().message;
    EXPECT_EQ(r->status, 413);
    auto v = boost::json::parse(r->body).as_object();
    EXPECT_EQ(v.at("status").as_int64(), 413);
    EXPECT_EQ(v.at("error").as_string(), "Payload Too Large");
    EXPECT_EQ(v.at("message").as_string(), "Request body too large");
    EXPECT_EQ(v.at("path").as_string(), "/v4/upload");
  }
  auto ok = fetch(c, "POST", url(srv, "/small"), {}, std::string(1024, 'b'));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 204);
  EXPECT_EQ(handled, 1);
}

TEST_F(HttpServer, ChunkedBodyOverTheLimitGets413) {
  server_options o;
  o.limits.max_body_bytes = 16;
  http_server srv(ex(), o, echo);
  srv.listen("127.0.0.1", 0);
  auto reply = raw_exchange(srv.port(),
                            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  EXPECT_THAT(reply, StartsWith("HTTP/1.1 413 Payload Too Large\r\n"));
}

TEST_F(HttpServer, HeadersOverTheLimitGet431) {
  server_options o;
  o.limits.max_header_bytes = 1024;
  http_server srv(ex(), o, echo);
  srv.listen("127.0.0.1", 0);
  http_client c(ex());
  auto r = fetch(c, "GET", url(srv, "/"), headers({{"X-Big", std::string(4096, 'h')}}));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 431);
  auto v = boost::json::parse(r->body).as_object();
  EXPECT_EQ(v.at("error").as_string(), "Request Header Fields Too Large");
  auto ok = fetch(c, "GET", url(srv, "/"), headers({{"X-Small", "h"}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServer, MalformedRequestsGet400AndTheServerKeepsServing) {
  http_server srv(ex(), {}, echo);
  srv.listen("127.0.0.1", 0);
  for (std::string_view junk : {"GARBAGE\r\n\r\n"sv, "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"sv,
                                "POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n"sv, "GET /\x01 HTTP/1.1\r\n\r\n"sv,
                                "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"sv}) {
    auto reply = raw_exchange(srv.port(), junk);
    EXPECT_THAT(reply, StartsWith("HTTP/1.1 400 Bad Request\r\n")) << junk;
    EXPECT_THAT(reply, HasSubstr(R"("message":"Malformed HTTP request")")) << junk;
  }
  EXPECT_THAT(raw_exchange(srv.port(), "GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n"));
  // A client that disconnects mid-request gets nothing and harms nothing.
  EXPECT_EQ(raw_exchange(srv.port(), "GET / HTTP/1.1\r\nHost: x\r\n"), "");
  http_client c(ex());
  auto ok = fetch(c, "GET", url(srv, "/still-alive"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServer, HeadResponsesCarryNoBody) {
  http_server srv(ex(), {}, [](http_request&) -> task<http_response> { co_return http_response::text(200, "12345"); });
  srv.listen("127.0.0.1", 0);
  auto reply = raw_exchange(srv.port(), "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(reply, HasSubstr("Content-Length: 5\r\n"));
  EXPECT_EQ(reply.substr(reply.find("\r\n\r\n") + 4), "");
  http_client c(ex());
  auto r = fetch(c, "HEAD", url(srv, "/"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
  auto after = fetch(c, "GET", url(srv, "/"));  // the connection is still in sync
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "12345");
}

TEST_F(HttpServer, ExpectContinueIsAnswered) {
  http_server srv(ex(), {}, echo);
  srv.listen("127.0.0.1", 0);
  asio::io_context io;
  tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), srv.port()});
  asio::write(s, asio::buffer(std::string_view(
                     "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")));
  std::string got;
  asio::read_until(s, asio::dynamic_buffer(got), "\r\n\r\n");
  EXPECT_THAT(got, StartsWith("HTTP/1.1 100 Continue\r\n"));
  asio::write(s, asio::buffer(std::string_view("hello")));
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(got), ec);
  EXPECT_THAT(got, HasSubstr("PUT /up [hello]"));
}

TEST_F(HttpServer, DefaultHeadersAndRepeatedHeaders) {
  server_options o;
  o.name = "node";
  o.default_headers.set("X-Node", "eu-1");
  o.default_headers.set("Cache-Control", "no-store");
  http_server srv(ex(), o, [](http_request&) -> task<http_response> {
    auto r = http_response::text(200, "ok");
    r.headers.add("Set-Cookie", "a=1");
    r.headers.add("Set-Cookie", "b=2");
    r.headers.set("Cache-Control", "max-age=5");  // the handler wins over the defaults
    co_return r;
  });
  srv.listen("127.0.0.1", 0);
  auto reply = raw_exchange(srv.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(reply, HasSubstr("Server: node\r\n"));
  EXPECT_THAT(reply, HasSubstr("X-Node: eu-1\r\n"));
  EXPECT_THAT(reply, HasSubstr("Set-Cookie: a=1\r\n"));
  EXPECT_THAT(reply, HasSubstr("Set-Cookie: b=2\r\n"));
  EXPECT_THAT(reply, HasSubstr("Cache-Control: max-age=5\r\n"));
  EXPECT_THAT(reply, Not(HasSubstr("no-store")));
}

TEST_F(HttpServer, HeaderValuesCannotSmuggleHeaders) {
  http_server srv(ex(), {}, [](http_request& req) -> task<http_response> {
    auto r = http_response::text(200, "ok");
    r.headers.set("X-Echo", req.query_param("v").value_or(""));
    r.headers.set("Bad Name", "dropped");
    co_return r;
  });
  srv.listen("127.0.0.1", 0);
  auto reply = raw_exchange(srv.port(), "GET /?v=a%0D%0AX-Injected:%201 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(reply, HasSubstr("X-Echo: a  X-Injected: 1\r\n"));
  EXPECT_THAT(reply, Not(HasSubstr("\r\nX-Injected")));
  EXPECT_THAT(reply, Not(HasSubstr("dropped")));
}

TEST_F(HttpServer, StatusesWithoutBodiesAndInvalidStatuses) {
  http_server srv(ex(), {}, [](http_request& req) -> task<http_response> {
    if (req.path() == "/204") co_return http_response::text(204, "never sent");
    co_return http_response::text(0, "nonsense status");
  });
  srv.listen("127.0.0.1", 0);
  auto no_content = raw_exchange(srv.port(), "GET /204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(no_content, StartsWith("HTTP/1.1 204 No Content\r\n"));
  EXPECT_THAT(no_content, Not(HasSubstr("never sent")));
  EXPECT_THAT(no_content, Not(HasSubstr("Content-Length")));
  http_client c(ex());
  auto a = fetch(c, "GET", url(srv, "/204"));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->status, 204);
  auto b = fetch(c, "GET", url(srv, "/zero"));  // the same connection, still in sync
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->status, 500);
}

TEST_F(HttpServer, ClientTimesOutAgainstAServerThatNeverAnswers) {
  // A listening socket completes TCP handshakes from its backlog without ever accepting.
  asio::io_context io;
  tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  client_options o;
  o.limits.request_timeout = std::chrono::milliseconds(200);
  http_client c(ex(), o);
  auto start = std::chrono::steady_clock::now();
  auto r = fetch(c, "GET", "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::timeout) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(HttpServer, RedirectsAreFollowedUpToTheLimitAndNotBeyond) {
  std::mutex mu;
  std::vector<std::string> hits;
  std::atomic<std::uint16_t> port{0};
  http_server srv(ex(), {}, [&](http_request& req) -> task<http_response> {
    {
      std::lock_guard lk(mu);
      hits.push_back(std::string(req.path()));
    }
    auto seg = req.path_segments();
    int n = seg.size() == 2 ? std::stoi(seg[1]) : 0;
    if (n == 0) co_return http_response::text(200, "arrived");
    auto r = http_response::empty(n % 2 ? 302 : 301);
    std::string next = "/r/" + std::to_string(n - 1);
    // Relative and absolute locations both work.
    r.headers.set("Location", n % 3 == 0 ? next : "http://127.0.0.1:" + std::to_string(port.load()) + next);
    co_return r;
  });
  port = srv.listen("127.0.0.1", 0);
  client_options o;
  o.limits.max_redirects = 3;
  http_client c(ex(), o);
  auto ok = fetch(c, "GET", url(srv, "/r/3"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "arrived");
  {
    std::lock_guard lk(mu);
    EXPECT_THAT(hits, ::testing::ElementsAre("/r/3", "/r/2", "/r/1", "/r/0"));
    hits.clear();
  }
  auto too_far = fetch(c, "GET", url(srv, "/r/4"));
  ASSERT_TRUE(too_far) << too_far.error().message;
  EXPECT_EQ(too_far->status, 302);  // the answer to the last request made
  EXPECT_EQ(too_far->headers.get("Location"), url(srv, "/r/0"));
  std::lock_guard lk(mu);
  EXPECT_THAT(hits, ::testing::ElementsAre("/r/4", "/r/3", "/r/2", "/r/1"));
}

TEST_F(HttpServer, RedirectsAreNotFollowedByDefaultOrForPost) {
  http_server srv(ex(), {}, [](http_request& req) -> task<http_response> {
    if (req.path() == "/target") co_return http_response::text(200, "target");
    auto r = http_response::empty(307);
    r.headers.set("Location", "/target");
    co_return r;
  });
  srv.listen("127.0.0.1", 0);
  http_client plain(ex());
  auto r = fetch(plain, "GET", url(srv, "/start"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 307);
  client_options o;
  o.limits.max_redirects = 5;
  http_client following(ex(), o);
  auto post = fetch(following, "POST", url(srv, "/start"), {}, "data");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 307);
}

TEST_F(HttpServer, CrossOriginRedirectsDropCredentials) {
  std::atomic<bool> b_saw_auth{true}, a_saw_auth{false};
  http_server b(ex(), {}, [&](http_request& req) -> task<http_response> {
    b_saw_auth = req.headers.contains("Authorization");
    co_return http_response::text(200, "b");
  });
  b.listen("127.0.0.1", 0);
  http_server a(ex(), {}, [&](http_request& req) -> task<http_response> {
    if (req.path() == "/same") {
      a_saw_auth = req.headers.contains("Authorization");
      co_return http_response::text(200, "a");
    }
    auto r = http_response::empty(302);
    r.headers.set("Location", req.path() == "/cross" ? url(b, "/landing") : "/same");
    co_return r;
  });
  a.listen("127.0.0.1", 0);
  client_options o;
  o.limits.max_redirects = 2;
  http_client c(ex(), o);
  auto cross = fetch(c, "GET", url(a, "/cross"), headers({{"Authorization", "Bearer secret"}}));
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->body, "b");
  EXPECT_FALSE(b_saw_auth);
  auto same = fetch(c, "GET", url(a, "/to-same"), headers({{"Authorization", "Bearer secret"}}));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->body, "a");
  EXPECT_TRUE(a_saw_auth);
}

TEST_F(HttpServer, AllowAddressCanRefuseLoopback) {
  std::atomic<int> handled{0};
  http_server srv(ex(), {}, [&](http_request&) -> task<http_response> {
    ++handled;
    co_return http_response::empty(204);
  });
  srv.listen("127.0.0.1", 0);
  client_options o;
  std::vector<std::string> asked;
  std::mutex mu;
  o.allow_address = [&](std::string_view ip) {
    std::lock_guard lk(mu);
    asked.emplace_back(ip);
    return !is_private_address(ip);
  };
  http_client c(ex(), o);
  auto r = fetch(c, "GET", url(srv, "/"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::blocked_address);
  auto named = fetch(c, "GET", "http://localhost:" + std::to_string(srv.port()) + "/");
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().code, client_errc::blocked_address);
  EXPECT_EQ(handled, 0);
  std::lock_guard lk(mu);
  EXPECT_THAT(asked, ::testing::Contains("127.0.0.1"));
}

TEST_F(HttpServer, UnreachablePortIsAConnectError) {
  std::uint16_t port;
  {
    asio::io_context io;
    tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }  // closed again: nothing listens there now
  http_client c(ex());
  auto r = fetch(c, "GET", "http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::connect) << r.error().message;
}

TEST_F(HttpServer, InvalidUrlsAreRejected) {
  http_client c(ex());
  for (std::string bad : {"not a url", "ftp://example.com/", "http:///path", "http://user:pw@example.com/",
                          "http://example.com:0/"}) {
    auto r = fetch(c, "GET", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, client_errc::invalid_url) << bad;
  }
}

TEST_F(HttpServer, StaleKeepAliveConnectionsAreRetried) {
  server_options o;
  o.limits.idle_timeout = std::chrono::milliseconds(50);
  std::atomic<int> handled{0};
  http_server srv(ex(), o, [&](http_request&) -> task<http_response> {
    ++handled;
    co_return http_response::text(200, "fresh");
  });
  srv.listen("127.0.0.1", 0);
  http_client c(ex());
  ASSERT_TRUE(fetch(c, "GET", url(srv, "/")));
  // The server closes the idle connection; the client still has it in its pool.
  ASSERT_TRUE(eventually([&] { return srv.connection_count() == 0; }));
  auto r = fetch(c, "GET", url(srv, "/"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body, "fresh");
  EXPECT_EQ(handled, 2);
}

TEST_F(HttpServer, StopClosesIdleConnectionsAndStopsAccepting) {
  http_server srv(ex(), {}, echo);
  auto port = srv.listen("127.0.0.1", 0);
  http_client c(ex());
  ASSERT_TRUE(fetch(c, "GET", url(srv, "/")));
  EXPECT_EQ(srv.connection_count(), 1u);
  srv.stop();
  EXPECT_TRUE(eventually([&] { return srv.connection_count() == 0; }));
  srv.stop();  // idempotent
  c.close_idle();
  auto r = fetch(c, "GET", "http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::connect);
}

TEST_F(HttpServer, StopLetsTheRequestInFlightFinish) {
  test::latch_value<std::shared_ptr<asio::steady_timer>> entered;
  http_server srv(ex(), {}, [&](http_request&) -> task<http_response> {
    auto t = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, std::chrono::hours(1));
    entered.set(t);
    boost::system::error_code ec;
    co_await t->async_wait(asio::redirect_error(asio::use_awaitable, ec));  // until the test lets it go
    co_return http_response::text(200, "finished");
  });
  srv.listen("127.0.0.1", 0);
  http_client c(ex());
  auto pending = std::async(std::launch::async, [&] { return fetch(c, "GET", url(srv, "/slow")); });
  auto t = entered.get();
  srv.stop();
  asio::post(t->get_executor(), [t] { t->cancel(); });  // runs after stop() on the same strand
  auto r = pending.get();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->headers.get("Connection"), "close");
  EXPECT_TRUE(eventually([&] { return srv.connection_count() == 0; }));
}

TEST_F(HttpServer, ListenErrorsNameTheAddress) {
  http_server a(ex(), {}, echo);
  auto port = a.listen("127.0.0.1", 0);
  http_server b(ex(), {}, echo);
  try {
    b.listen("127.0.0.1", port);
    FAIL() << "binding a used port should fail";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("127.0.0.1:" + std::to_string(port)));
  }
  EXPECT_THROW(a.listen("127.0.0.1", 0), std::runtime_error);  // already listening
  http_server d(ex(), {}, echo);
  EXPECT_THROW(d.listen("not-an-address", 0), std::runtime_error);
}

TEST_F(HttpServer, ManyConcurrentClients) {
  http_server srv(ex(), {}, echo);
  srv.listen("127.0.0.1", 0);
  constexpr int n = 20;
  std::vector<std::future<bool>> results;
  for (int i = 0; i < n; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      http_client c(ex());
      auto r = fetch(c, "POST", url(srv, "/c"), {}, std::to_string(i));
      return r && r->body == "POST /c [" + std::to_string(i) + "]";
    }));
  }
  for (auto& f : results) EXPECT_TRUE(f.get());
}

}  // namespace
}  // namespace vb::net
