#pragma once
// HTTP/1.1 client (http and https, system CA store) with keep-alive pooling, and the
// WebSocket client. TLS peers are verified unless told otherwise.
#include <cstdint>
#include <functional>
#include <memory>
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
