#pragma once
// Internal: pieces of the HTTP/WebSocket client shared by client.cpp and the
// per-stream-type TUs (client_plain.cpp, client_tls.cpp).
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>
#include <span>
#include <vector>

#include "vectobeat/common/net/http_client.hpp"

namespace vb::net::detail {

using deadline_t = std::chrono::steady_clock::time_point;

struct target_url {
  bool tls = false;
  std::string host;         // without brackets
  std::uint16_t port = 0;
  std::string target;       // origin-form: /path?query
  std::string host_header;  // host[:port] as sent in Host
  std::string pool_key;     // scheme://host:port
};

expected<target_url, client_error> parse_url(std::string_view url, bool websocket);

task<expected<std::vector<asio::ip::tcp::endpoint>, client_error>> resolve(asio::any_io_executor ex,
                                                                           const target_url& u,
                                                                           const client_options& o,
                                                                           deadline_t deadline);

// One keep-alive connection (plain or TLS). Its I/O objects live on executor(), a
// strand of its own; run exchange() there (beast::tcp_stream's timeouts are not
// thread-safe across executors).
class client_connection {
 public:
  virtual ~client_connection() = default;
  virtual asio::any_io_executor executor() = 0;
  // Sends `req` and reads the response. `reusable` says whether the connection may go
  // back to the pool afterwards. `nothing_received` is set when nothing was received, so a
  // pooled (possibly stale) connection may be retried on a new one.
  virtual task<expected<http_response, client_error>> exchange(const http_request& req, const target_url& u,
                                                               const client_options& o, deadline_t deadline,
                                                               bool& reusable, bool& nothing_received) = 0;
  // Streaming: sends `req` and reads only the response header into `head` (the body stays
  // unread). The connection is then dedicated to read_body() and never pooled again.
  virtual task<expected<void, client_error>> send_and_read_header(const http_request& req, const target_url& u,
                                                                  const client_options& o, deadline_t deadline,
                                                                  http_response& head, bool& nothing_received) = 0;
  // The next body bytes after send_and_read_header(); 0 when the body is complete.
  virtual task<expected<std::size_t, client_error>> read_body(std::span<char> out, deadline_t deadline) = 0;
  // Closes the socket (run on executor()); pending operations complete with an error.
  virtual void shutdown() = 0;
};

// The connect_* functions run on `ex`, which must be a strand made for this one
// connection; the connection (or WebSocket) keeps it.
task<expected<std::unique_ptr<client_connection>, client_error>> connect_plain(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const client_options& o, deadline_t deadline);
task<expected<std::unique_ptr<client_connection>, client_error>> connect_tls(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const client_options& o, deadline_t deadline);

task<expected<std::shared_ptr<websocket>, client_error>> ws_connect_plain(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const ws_connect_options& o, deadline_t deadline);
task<expected<std::shared_ptr<websocket>, client_error>> ws_connect_tls(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const ws_connect_options& o, deadline_t deadline);

inline client_error make_error(client_errc c, std::string msg) {
  client_error e;
  e.code = c;
  e.message = std::move(msg);
  return e;
}

}  // namespace vb::net::detail
