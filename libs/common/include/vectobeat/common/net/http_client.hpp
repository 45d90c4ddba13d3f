#pragma once
// HTTP/1.1 client (http and https, system CA store) with keep-alive pooling, and the
// WebSocket client. TLS peers are verified unless told otherwise.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/common/net/limits.hpp"
#include "vectobeat/common/net/websocket.hpp"

namespace vb::net {

enum class client_errc { invalid_url, blocked_address, resolve, connect, tls, timeout, io, too_large, protocol, upgrade_rejected, cancelled };

struct client_error {
  client_errc code = client_errc::io;
  std::string message;
  int http_status = 0;  // upgrade_rejected: the server's status
  http_response response;  // upgrade_rejected: the server's answer
};
std::string_view to_string(client_errc c);

struct client_options {
  client_limits limits;
  bool verify_tls = true;
  std::string extra_ca_file;  // PEM trusted in addition to the system store
  std::string user_agent = "vectobeat";
  // Consulted with every resolved address ("1.2.3.4", "::1") before connecting; false
  // refuses the address (blocked_address). Empty: all allowed.
  std::function<bool(std::string_view ip)> allow_address;
};

// A response whose body is read incrementally: media streams, endless Icecast bodies, large
// files. Only the header is bounded (limits.max_header_bytes); the body has no size limit, and
// each read_some() is bounded by limits.stream_read_timeout. Obtained from
// http_client::open_stream(); the connection is never pooled afterwards.
//
// Threading: one read_some() at a time; close() is safe from any thread. Destroying the
// stream closes the connection.
class http_stream {
 public:
  virtual ~http_stream() = default;
  virtual int status() const = 0;
  virtual const header_map& headers() const = 0;
  // The URL that answered (after redirects).
  virtual const std::string& url() const = 0;
  // Reads the next body bytes into `buf` (a short read is not the end); 0 once the body is
  // complete (Content-Length reached, last chunk, or the server closed a body without length).
  // Errors: timeout, io, protocol, cancelled (after close()).
  virtual task<expected<std::size_t, client_error>> read_some(std::span<char> buf) = 0;
  // Closes the connection; a pending read_some() completes with cancelled. Idempotent.
  virtual void close() = 0;
};

class http_client {
 public:
  explicit http_client(asio::any_io_executor ex, client_options opts = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // `url` is absolute (http:// or https://). The body is sent as is; set Content-Type
  // in `headers`, which replace the client's own by name. Follows up to
  // limits.max_redirects redirects for GET/HEAD (then returns the last 3xx as is);
  // Authorization and Cookie are not sent on to another origin. request_timeout bounds
  // the whole call, connect_timeout each connection attempt. Safe from any thread;
  // idle connections are pooled per origin.
  task<expected<http_response, client_error>> request(std::string method, std::string url, header_map headers = {},
                                                      std::string body = {});
  task<expected<http_response, client_error>> get(std::string url, header_map headers = {}) {
    return request("GET", std::move(url), std::move(headers));
  }
  // Sends a GET and returns once the response header has arrived; the body is then read
  // with http_stream::read_some(). Redirects, the address filter and
  // request_timeout (connection and header) apply as for request(). Any status is returned as
  // a stream; the caller decides what a 4xx means. Send `Range: bytes=N-` in `headers` to
  // start at an offset.
  // (A coroutine: pass every argument explicitly.)
  task<expected<std::unique_ptr<http_stream>, client_error>> open_stream(std::string url, header_map headers);
  // Closes pooled idle connections.
  void close_idle();

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

struct ws_connect_options {
  client_options client;
  header_map headers;  // sent with the upgrade request
};

// Opens ws:// or wss://. The returned socket runs on its own strand of `ex`.
task<expected<std::shared_ptr<websocket>, client_error>> ws_connect(asio::any_io_executor ex, std::string url,
                                                                   ws_connect_options opts = {});

// True for loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified and
// multicast addresses: what an HTTP media source must not reach unless configured.
bool is_private_address(std::string_view ip);

}  // namespace vb::net
