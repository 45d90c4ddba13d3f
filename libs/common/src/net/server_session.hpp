#pragma once
// Internal: one server connection (HTTP keep-alive, then optionally a WebSocket),
// templated on the stream type and instantiated in server_plain.cpp / server_tls.cpp.
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server_impl.hpp"
#include "ws_connection.hpp"

namespace vb::net::detail {

namespace http = boost::beast::http;

inline http_request to_request(const http::request<http::string_body>& r, const std::string& remote) {
  http_request out;
  out.method = std::string(r.method_string());
  out.target = std::string(r.target());
  for (auto& f : r) out.headers.add(f.name_string(), std::string(f.value()));
  out.body = r.body();
  out.remote_address = remote;
  return out;
}

template <class Stream>
task<bool> write_response(Stream& stream, const http_server::impl& srv, const http_response& res, unsigned version,
                          bool keep_alive) {
  http::response<http::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(res.status));
  out.set(http::field::server, srv.opts.name);
  for (auto& [k, v] : srv.opts.default_headers) out.set(k, v);
  for (auto& [k, v] : res.headers) out.set(k, v);
  out.body() = res.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(srv.opts.limits.header_timeout);
  boost::system::error_code ec;
  co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

// Returns true when the stream was moved into a WebSocket (the caller must not touch it).
template <class Stream>
task<bool> serve(std::shared_ptr<http_server::impl> srv, Stream& stream, std::string remote,
                 std::shared_ptr<session_state> st) {
  auto& limits = srv->opts.limits;
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    if (!st->alive || srv->stopped) co_return false;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    beast::get_lowest_layer(stream).expires_after(first ? limits.header_timeout : limits.idle_timeout);
    first = false;
    boost::system::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == http::error::body_limit) {
        co_await write_response(stream, *srv, http_response::error(413, "Request body too large", ""), 11, false);
      } else if (ec == http::error::header_limit) {
        co_await write_response(stream, *srv, http_response::error(431, "Request headers too large", ""), 11, false);
      } else if (ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
                 ec != http::error::partial_message) {
        co_await write_response(stream, *srv, http_response::error(400, "Malformed HTTP request", ""), 11, false);
      }
      co_return false;
    }
    auto& breq = parser.get();
    http_request req = to_request(breq, remote);
    const bool keep_alive = breq.keep_alive();

    if (ws::is_upgrade(breq)) {
      if (!srv->on_upgrade) {
        co_await write_response(stream, *srv, http_response::error(426, "WebSocket not supported here", std::string(req.path())),
                                breq.version(), false);
        co_return false;
      }
      upgrade_result decision;
      try {
        decision = co_await srv->on_upgrade(req);
      } catch (const std::exception& e) {
        srv->lg.error("upgrade handler for {} failed: {}", req.path(), e.what());
        decision = http_response::error(500, "Internal server error", std::string(req.path()));
      }
      if (auto* rejected = std::get_if<http_response>(&decision)) {
        co_await write_response(stream, *srv, *rejected, breq.version(), false);
        co_return false;
      }
      auto accepted = std::get<ws_accept>(std::move(decision));
      beast::get_lowest_layer(stream).expires_never();
      ws::stream<Stream> wss(std::move(stream));
      st->on_stop = [&wss] {
        boost::system::error_code ignored;
        beast::get_lowest_layer(wss).socket().close(ignored);
      };
      wss.set_option(ws::stream_base::timeout{limits.ws_handshake_timeout, limits.ws_idle_timeout, true});
      wss.read_message_max(limits.max_ws_message_bytes);
      wss.auto_fragment(false);
      header_map extra = accepted.response_headers;
      wss.set_option(ws::stream_base::decorator([srv, extra](ws::response_type& res) {
        res.set(http::field::server, srv->opts.name);
        for (auto& [k, v] : srv->opts.default_headers) res.set(k, v);
        for (auto& [k, v] : extra) res.set(k, v);
      }));
      co_await wss.async_accept(breq, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        srv->lg.debug("WebSocket handshake with {} failed: {}", remote, ec.message());
        st->on_stop = nullptr;
        co_return true;
      }
      auto conn = std::make_shared<ws_connection<Stream>>(std::move(wss), remote, req.headers, req.target,
                                                          limits.max_ws_send_queue);
      st->on_stop = [conn] { conn->close(1001, "server shutting down"); };
      if (!st->alive) conn->close(1001, "server shutting down");
      try {
        co_await accepted.run(conn);
      } catch (const std::exception& e) {
        srv->lg.error("WebSocket session {} from {} failed: {}", req.path(), remote, e.what());
        conn->close(1011, "internal error");
      }
      if (conn->is_open()) conn->close(1000, "");
      co_return true;
    }

    http_response res;
    try {
      res = co_await srv->on_request(req);
    } catch (const std::exception& e) {
      srv->lg.error("{} {} failed: {}", req.method, req.path(), e.what());
      res = http_response::error(500, "Internal server error", std::string(req.path()));
    }
    if (!co_await write_response(stream, *srv, res, breq.version(), keep_alive)) co_return false;
    if (!keep_alive) co_return false;
  }
}

}  // namespace vb::net::detail
