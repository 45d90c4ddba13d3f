#pragma once
// Internal: one server connection (HTTP keep-alive, then optionally a WebSocket),
// templated on the stream type and instantiated in server_plain.cpp / server_tls.cpp.
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "server_impl.hpp"
#include "vectobeat/common/api_error.hpp"
#include "ws_connection.hpp"

namespace vb::net::detail {

namespace http = boost::beast::http;

inline http_request to_request(http::request<http::string_body>& r, const std::string& remote) {
  http_request out;
  out.method = std::string(r.method_string());
  out.target = std::string(r.target());
  for (auto& f : r) out.headers.add(f.name_string(), std::string(f.value()));
  out.body = std::move(r.body());
  out.remote_address = remote;
  return out;
}

// Server, then the default headers, then the handler's headers: a later source replaces
// every field of a name an earlier one set; repeated names within one source (Set-Cookie)
// are all kept.
template <class Fields>
void apply_headers(Fields& out, const std::string& server_name, const header_map& defaults, const header_map& own) {
  auto apply = [&](const header_map& h) {
    for (auto& [k, v] : h)
      if (valid_field_name(k)) out.erase(k);
    for (auto& [k, v] : h)
      if (valid_field_name(k)) out.insert(k, field_value(v));
  };
  out.set(http::field::server, server_name);
  apply(defaults);
  apply(own);
}

// `res` is taken by value: callers pass temporaries, and a coroutine must own what it
// uses after its first suspension.
template <class Stream>
task<bool> write_response(Stream& stream, const http_server::impl& srv, http_response res, unsigned version,
                          bool keep_alive, bool head = false) {
  http::response<http::string_body> out;
  out.version(version);
  const int status = res.status >= 100 && res.status <= 999 ? res.status : 500;
  out.result(static_cast<unsigned>(status));
  apply_headers(out, srv.opts.name, srv.opts.default_headers, res.headers);
  out.keep_alive(keep_alive);
  if (status < 200 || status == 204 || status == 304) {
    out.content_length(boost::none);  // these never carry a body (RFC 9110 §6.4.1)
  } else if (head) {
    // A HEAD response describes the body it does not carry.
    if (!out.has_content_length()) out.content_length(res.body.size());
  } else {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  beast::get_lowest_layer(stream).expires_after(srv.opts.limits.header_timeout);
  boost::system::error_code ec;
  co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

// After an error response to a request we did not read in full: stop sending, then read
// and discard what the client is still sending (bounded), so closing the socket with
// unread data does not reset the connection before the client has read our answer.
template <class Stream>
task<void> linger(Stream& stream, beast::flat_buffer& buffer) {
  boost::system::error_code ec;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  buffer.consume(buffer.size());
  std::size_t discarded = 0;
  constexpr std::size_t max_discard = 64u << 20;
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  while (discarded < max_discard) {
    std::size_t n = co_await beast::get_lowest_layer(stream).async_read_some(
        buffer.prepare(64 * 1024), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    discarded += n;
  }
  buffer.consume(buffer.size());
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
    // The idle timeout applies until the next request starts, the header timeout to the
    // whole request after its first byte.
    beast::get_lowest_layer(stream).expires_after(first ? limits.header_timeout : limits.idle_timeout);
    first = false;
    boost::system::error_code ec;
    if (buffer.size() == 0) {
      std::size_t n = co_await stream.async_read_some(buffer.prepare(16 * 1024), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return false;  // closed or idle: nothing to answer
      buffer.commit(n);
    }
    beast::get_lowest_layer(stream).expires_after(limits.header_timeout);
    co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !parser.is_done()) {
      auto expect = parser.get()[http::field::expect];
      if (iequals(expect, "100-continue")) {
        http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
        co_await http::async_write(stream, cont, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (!ec) co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      int status = 0;
      std::string message;
      if (ec == http::error::body_limit) status = 413, message = "Request body too large";
      else if (ec == http::error::header_limit) status = 431, message = "Request headers too large";
      else if (ec == http::error::bad_version) status = 505, message = "HTTP version not supported";
      else if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message)
        status = 400, message = "Malformed HTTP request";
      if (status) {
        std::string path;
        // A body over the limit is noticed once the header is complete (Content-Length).
        if (parser.is_header_done() || ec == http::error::body_limit) {
          std::string_view target = parser.get().target();
          path = std::string(target.substr(0, target.find('?')));
        }
        srv->lg.debug("{} for {}: {}", status, remote, ec.message());
        if (co_await write_response(stream, *srv, http_response::error(status, std::move(message), std::move(path)), 11,
                                    false))
          co_await linger(stream, buffer);
      }
      co_return false;
    }
    auto& breq = parser.get();
    http_request req = to_request(breq, remote);
    const bool head = breq.method() == http::verb::head;
    st->busy = true;  // until the response is written (see session_state)

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
      } catch (...) {
        srv->lg.error("upgrade handler for {} failed with a non-standard exception", req.path());
        decision = http_response::error(500, "Internal server error", std::string(req.path()));
      }
      if (auto* rejected = std::get_if<http_response>(&decision)) {
        co_await write_response(stream, *srv, *rejected, breq.version(), false);
        co_return false;
      }
      auto accepted = std::get<ws_accept>(std::move(decision));
      beast::get_lowest_layer(stream).expires_never();
      ws::stream<Stream> wss(std::move(stream));
      // The handshake only writes the 101 (bounded by ws_handshake_timeout); a stop()
      // meanwhile is handled right after it, with a proper 1001 close.
      st->on_stop = nullptr;
      wss.set_option(ws::stream_base::timeout{limits.ws_handshake_timeout, limits.ws_idle_timeout, true});
      wss.read_message_max(limits.max_ws_message_bytes);
      wss.auto_fragment(false);
      // By value, not the server: the stream must not keep the server (and through its
      // session list, this connection) alive.
      wss.set_option(ws::stream_base::decorator(
          [name = srv->opts.name, defaults = srv->opts.default_headers, extra = accepted.response_headers](
              ws::response_type& res) { apply_headers(res, name, defaults, extra); }));
      co_await wss.async_accept(breq, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        srv->lg.debug("WebSocket handshake with {} failed: {}", remote, ec.message());
        st->on_stop = nullptr;
        co_return true;
      }
      auto conn = std::make_shared<ws_connection<Stream>>(std::move(wss), remote, req.headers, req.target,
                                                          limits.max_ws_send_queue);
      st->busy = false;
      st->on_stop = [conn] { conn->close(1001, "server shutting down"); };
      if (!st->alive || srv->stopped) conn->close(1001, "server shutting down");
      try {
        co_await accepted.run(conn);
      } catch (const std::exception& e) {
        srv->lg.error("WebSocket session {} from {} failed: {}", req.path(), remote, e.what());
        conn->close(1011, "internal error");
      } catch (...) {
        srv->lg.error("WebSocket session {} from {} failed with a non-standard exception", req.path(), remote);
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
    } catch (...) {
      srv->lg.error("{} {} failed with a non-standard exception", req.method, req.path());
      res = http_response::error(500, "Internal server error", std::string(req.path()));
    }
    // After stop(), this is the connection's last response.
    const bool keep_alive = breq.keep_alive() && st->alive && !srv->stopped;
    if (!co_await write_response(stream, *srv, std::move(res), breq.version(), keep_alive, head)) co_return false;
    st->busy = false;
    if (!keep_alive) co_return false;
  }
}

}  // namespace vb::net::detail
