#pragma once
// HTTP/1.1 + WebSocket server (plain or TLS) on Beast; handlers are coroutines run on
// the connection's strand. A handler that throws produces a 500 in the api_error shape;
// bodies over limits.max_body_bytes get 413, headers over max_header_bytes 431 and
// unparseable requests 400 (all JSON, and the connection is closed).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/common/net/limits.hpp"
#include "vectobeat/common/net/websocket.hpp"

namespace vb::net {

struct ws_accept {
  header_map response_headers;  // added to the 101 response
  // Runs the session; the connection closes when it returns.
  std::function<task<void>(std::shared_ptr<websocket>)> run;
};
using upgrade_result = std::variant<http_response, ws_accept>;

using request_handler = std::function<task<http_response>(http_request&)>;
using upgrade_handler = std::function<task<upgrade_result>(http_request&)>;

struct tls_files {
  std::string cert_chain_file;  // PEM
  std::string private_key_file;  // PEM
};

struct server_options {
  std::string name = "vectobeat";   // logger component suffix and Server header
  server_limits limits;
  std::optional<tls_files> tls;
  header_map default_headers;       // added to every response (including the 101)
};

class http_server {
 public:
  // `on_upgrade` empty: WebSocket upgrades get 426.
  http_server(asio::any_io_executor ex, server_options opts, request_handler on_request,
              upgrade_handler on_upgrade = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds and starts accepting. Port 0 picks a free port; returns the bound port.
  // Throws std::runtime_error naming the address when binding fails, or when called twice.
  std::uint16_t listen(const std::string& address, std::uint16_t port);
  std::uint16_t port() const;
  // Stops accepting and closes every connection (WebSockets get 1001 after their queued
  // messages). Asynchronous: connections end on their strands, and connection_count()
  // drops to 0 as they do. Idempotent; safe from any thread; the destructor calls it.
  void stop();
  // Connections currently open (HTTP keep-alive and WebSocket). Safe from any thread.
  std::size_t connection_count() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::net
