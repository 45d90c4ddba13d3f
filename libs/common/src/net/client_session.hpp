#pragma once
// Internal: HTTP exchange and WebSocket handshake templated on the stream type.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <optional>
#include <span>

#include "client_impl.hpp"
#include "ws_connection.hpp"

namespace vb::net::detail {

namespace http = boost::beast::http;

inline client_error io_error(const boost::system::error_code& ec, std::string_view what) {
  if (ec == beast::error::timeout) return make_error(client_errc::timeout, std::string(what) + " timed out");
  if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow)
    return make_error(client_errc::too_large, std::string(what) + ": response too large");
  if (ec.category() == http::make_error_code(http::error::bad_method).category())
    return make_error(client_errc::protocol, std::string(what) + ": " + ec.message());
  return make_error(client_errc::io, std::string(what) + ": " + ec.message());
}

// Connects within limits.connect_timeout (and the overall deadline). Call on `strand`,
// the connection's own strand, which the socket keeps.
inline task<expected<asio::ip::tcp::socket, client_error>> tcp_connect(asio::any_io_executor strand,
                                                                      const std::vector<asio::ip::tcp::endpoint>& eps,
                                                                      const client_options& o, deadline_t deadline) {
  beast::tcp_stream s(strand);
  s.expires_at(std::min(deadline, std::chrono::steady_clock::now() + o.limits.connect_timeout));
  boost::system::error_code ec;
  co_await s.async_connect(eps, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec == beast::error::timeout) co_return unexpected(make_error(client_errc::timeout, "connect timed out"));
    co_return unexpected(make_error(client_errc::connect, "connect failed: " + ec.message()));
  }
  s.socket().set_option(asio::ip::tcp::no_delay(true), ec);
  s.expires_never();
  co_return s.release_socket();
}

inline http::request<http::string_body> make_request(const http_request& req, const target_url& u,
                                                     const client_options& o) {
  http::request<http::string_body> out;
  out.version(11);
  out.method_string(req.method);
  out.target(u.target);
  out.set(http::field::host, u.host_header);
  out.set(http::field::user_agent, o.user_agent);
  // The caller's headers replace ours by name; repeated names are all sent.
  for (auto& [k, v] : req.headers)
    if (valid_field_name(k)) out.erase(k);
  for (auto& [k, v] : req.headers)
    if (valid_field_name(k)) out.insert(k, field_value(v));
  out.body() = req.body;
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") out.prepare_payload();
  out.keep_alive(true);
  return out;
}

template <class Stream>
task<expected<http_response, client_error>> http_exchange(Stream& stream, beast::flat_buffer& buffer,
                                                          const http_request& req, const target_url& u,
                                                          const client_options& o, deadline_t deadline,
                                                          bool& reusable, bool& nothing_received) {
  reusable = false;
  nothing_received = true;
  auto out = make_request(req, u, o);

  beast::get_lowest_layer(stream).expires_at(deadline);
  boost::system::error_code ec, write_ec;
  co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, write_ec));
  // A server may answer early and stop reading (413 while we were still sending the
  // body): its answer is worth more than our write error, so try to read it.
  if (write_ec == beast::error::timeout) co_return unexpected(io_error(write_ec, "sending request"));

  http::response_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(o.limits.max_header_bytes));
  parser.body_limit(o.limits.max_body_bytes);
  if (req.method == "HEAD") parser.skip(true);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    nothing_received = !parser.got_some();
    if (write_ec) co_return unexpected(io_error(write_ec, "sending request"));
    co_return unexpected(io_error(ec, "reading response"));
  }
  nothing_received = false;
  auto& res = parser.get();
  http_response r;
  r.status = static_cast<int>(res.result_int());
  for (auto& f : res) r.headers.add(f.name_string(), std::string(f.value()));
  r.body = std::move(res.body());
  reusable = !write_ec && parser.keep_alive();
  beast::get_lowest_layer(stream).expires_never();
  co_return r;
}

using stream_parser = http::response_parser<http::buffer_body>;

// Streaming, first half: writes the request and reads only the response header.
template <class Stream>
task<expected<void, client_error>> http_stream_header(Stream& stream, beast::flat_buffer& buffer,
                                                      std::optional<stream_parser>& parser, const http_request& req,
                                                      const target_url& u, const client_options& o,
                                                      deadline_t deadline, http_response& head,
                                                      bool& nothing_received) {
  nothing_received = true;
  auto out = make_request(req, u, o);
  beast::get_lowest_layer(stream).expires_at(deadline);
  boost::system::error_code ec;
  co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return unexpected(io_error(ec, "sending request"));
  parser.emplace();
  parser->header_limit(static_cast<std::uint32_t>(o.limits.max_header_bytes));
  parser->body_limit(boost::none);  // streams may be endless; readers bound what they keep
  co_await http::async_read_header(stream, buffer, *parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    nothing_received = !parser->got_some();
    co_return unexpected(io_error(ec, "reading response header"));
  }
  nothing_received = false;
  auto& res = parser->get();
  head.status = static_cast<int>(res.result_int());
  for (auto& f : res) head.headers.add(f.name_string(), std::string(f.value()));
  beast::get_lowest_layer(stream).expires_never();
  co_return expected<void, client_error>{};
}

// Streaming, second half: the next body bytes into `out`; 0 once the body is complete.
template <class Stream>
task<expected<std::size_t, client_error>> http_stream_body(Stream& stream, beast::flat_buffer& buffer,
                                                           std::optional<stream_parser>& parser,
                                                           std::span<char> out, deadline_t deadline) {
  if (!parser) co_return unexpected(make_error(client_errc::protocol, "no response header read"));
  if (parser->is_done() || out.empty()) co_return std::size_t{0};
  auto& body = parser->get().body();
  body.data = out.data();
  body.size = out.size();
  beast::get_lowest_layer(stream).expires_at(deadline);
  boost::system::error_code ec;
  std::size_t n = 0;
  // A read may parse only framing (a chunk header): go on until body bytes arrive.
  for (;;) {
    co_await http::async_read_some(stream, buffer, *parser, asio::redirect_error(asio::use_awaitable, ec));
    // need_buffer: `out` is full, which is the normal way a read ends here.
    if (ec == http::error::need_buffer) ec = {};
    n = out.size() - body.size;
    if (ec || n > 0 || parser->is_done()) break;
  }
  beast::get_lowest_layer(stream).expires_never();
  body.data = nullptr;
  body.size = 0;
  if (ec == asio::error::operation_aborted) co_return unexpected(make_error(client_errc::cancelled, "stream closed"));
  if (ec && n == 0) co_return unexpected(io_error(ec, "reading response body"));
  co_return n;
}

// Performs the upgrade on an established (and, for TLS, handshaken) stream.
template <class Stream>
task<expected<std::shared_ptr<websocket>, client_error>> ws_handshake(Stream stream, const target_url& u,
                                                                     const ws_connect_options& o,
                                                                     deadline_t deadline) {
  ws::stream<Stream> wss(std::move(stream));
  beast::get_lowest_layer(wss).expires_at(deadline);
  header_map extra = o.headers;
  std::string ua = o.client.user_agent;
  wss.set_option(ws::stream_base::decorator([extra, ua](ws::request_type& req) {
    req.set(http::field::user_agent, ua);
    for (auto& [k, v] : extra)
      if (valid_field_name(k)) req.erase(k);
    for (auto& [k, v] : extra)
      if (valid_field_name(k)) req.insert(k, field_value(v));
  }));
  wss.read_message_max(o.client.limits.max_ws_message_bytes);
  wss.auto_fragment(false);
  // Beast's default 4 KiB write buffer stays: with a 512-byte one (tried for memory) a larger
  // message goes out in several writes of one frame, and a server that refuses it after the
  // header (1009) resets the connection under the rest, so the client saw 1006 instead of 1009
  // (WebSocket.OversizedMessageClosesWith1009).
  ws::response_type res;
  boost::system::error_code ec;
  co_await wss.async_handshake(res, u.host_header, u.target, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec == ws::error::upgrade_declined) {
      client_error e = make_error(client_errc::upgrade_rejected,
                                  "upgrade rejected with HTTP " + std::to_string(res.result_int()));
      e.http_status = static_cast<int>(res.result_int());
      e.response.status = e.http_status;
      for (auto& f : res) e.response.headers.add(f.name_string(), std::string(f.value()));
      e.response.body = res.body();
      co_return unexpected(std::move(e));
    }
    co_return unexpected(io_error(ec, "WebSocket handshake"));
  }
  beast::get_lowest_layer(wss).expires_never();
  wss.set_option(ws::stream_base::timeout{std::chrono::seconds(30), o.client.limits.ws_idle_timeout, true});
  header_map hs;
  for (auto& f : res) hs.add(f.name_string(), std::string(f.value()));
  std::string remote = u.host + ":" + std::to_string(u.port);
  co_return std::static_pointer_cast<websocket>(std::make_shared<ws_connection<Stream>>(
      std::move(wss), remote, std::move(hs), u.target, o.client.limits.max_ws_send_queue));
}

}  // namespace vb::net::detail
