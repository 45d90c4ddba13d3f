#pragma once
// Named bounds for everything that comes from the network.
#include <chrono>
#include <cstddef>

namespace vb::net {

struct server_limits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // time to receive one request
  std::chrono::milliseconds idle_timeout{75'000};   // keep-alive idle between requests
  std::chrono::milliseconds handler_timeout{30'000};  // reserved for handlers that opt in
  std::size_t max_connections = 10'000;
  std::size_t max_ws_message_bytes = 1024 * 1024;
  std::size_t max_ws_send_queue = 4096;              // queued outgoing messages per socket
  std::chrono::milliseconds ws_handshake_timeout{10'000};
  std::chrono::milliseconds ws_idle_timeout{60'000};  // a ping is sent at half of it
};

struct client_limits {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{15'000};
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::size_t max_ws_message_bytes = 16 * 1024 * 1024;
  std::size_t max_ws_send_queue = 4096;
  std::chrono::milliseconds ws_idle_timeout{60'000};
  int max_redirects = 0;
  // http_client::open_stream(): bound on each body read (a stalled stream fails with timeout).
  std::chrono::milliseconds stream_read_timeout{15'000};
  std::size_t max_idle_connections_per_host = 8;
};

}  // namespace vb::net
