#pragma once
// One WebSocket connection, client or server side, behind a Beast-free interface.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::net {

enum class ws_kind { text, binary };

struct ws_message {
  ws_kind kind = ws_kind::text;
  std::string data;
};

struct ws_close_info {
  std::uint16_t code = 1006;  // 1006: closed without a close frame
  std::string reason;
  bool by_remote = false;
};

class websocket {
 public:
  virtual ~websocket() = default;

  // Next message; nullopt once the connection is closed (see close_info()). Pings are
  // answered automatically while a read is pending. One reader at a time.
  virtual task<std::optional<ws_message>> read() = 0;
  // Queues a message. Safe from any thread; messages from one thread keep their order.
  // Returns false when the connection is closing or closed, or when the send queue is
  // full: the queue is then dropped and the connection closed with 1008.
  virtual bool send(ws_kind kind, std::string data) = 0;
  bool send_text(std::string data) { return send(ws_kind::text, std::move(data)); }
  bool send_binary(std::string data) { return send(ws_kind::binary, std::move(data)); }
  // Sends a close frame after the queued messages. Safe from any thread; idempotent (the
  // first call wins). A code that may not be sent (1005, 1006, 1015, ...) becomes a close
  // frame without status; the reason is cut to 123 bytes at a UTF-8 boundary.
  virtual void close(std::uint16_t code, std::string reason = {}) = 0;
  // Drops the TCP connection without a close frame (fault injection, zombie handling).
  virtual void abort() = 0;

  virtual bool is_open() const = 0;
  virtual ws_close_info close_info() const = 0;
  virtual std::string remote_address() const = 0;
  // Server side: the upgrade request's headers. Client side: the 101 response's headers.
  virtual const header_map& handshake_headers() const = 0;
  // The request target of the upgrade ("/?v=10&encoding=json").
  virtual const std::string& target() const = 0;
  virtual asio::any_io_executor executor() const = 0;
};

}  // namespace vb::net
