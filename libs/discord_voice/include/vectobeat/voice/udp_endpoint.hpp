#pragma once
// One UDP socket on Asio for the voice media path: bind or connect, receive into the
// caller's preallocated buffer, send without blocking.
#include <boost/asio/ip/udp.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <system_error>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::voice {

// Thread safety: use from one strand (the executor passed in), except close(), which
// is safe from any thread. Datagram sends are non-blocking: when the kernel buffer is
// full the datagram is dropped and would_block returned (late audio is useless audio).
class udp_endpoint {
 public:
  explicit udp_endpoint(asio::any_io_executor ex);
  ~udp_endpoint();
  udp_endpoint(const udp_endpoint&) = delete;
  udp_endpoint& operator=(const udp_endpoint&) = delete;

  // Opens and binds ("127.0.0.1", port 0 picks a free port).
  std::error_code bind(const asio::ip::udp::endpoint& local);
  // Opens (when needed) and connects: send()/receive() then talk to `remote` only, and
  // the kernel drops datagrams from anyone else.
  std::error_code connect(const asio::ip::udp::endpoint& remote);
  asio::ip::udp::endpoint local_endpoint() const;
  bool is_open() const;

  // Receives one datagram into `buf`. A datagram that fills `buf` completely may have
  // been truncated and is reported as std::errc::message_size: size the buffer one byte
  // above the largest datagram you accept. operation_aborted after close().
  task<expected<std::size_t, std::error_code>> receive(std::span<std::uint8_t> buf);
  task<expected<std::size_t, std::error_code>> receive_from(std::span<std::uint8_t> buf,
                                                           asio::ip::udp::endpoint& sender);

  // Non-blocking sends (connected / to an explicit endpoint).
  std::error_code send(std::span<const std::uint8_t> datagram);
  std::error_code send_to(std::span<const std::uint8_t> datagram, const asio::ip::udp::endpoint& to);

  // Closes the socket; pending receives complete with operation_aborted. Idempotent.
  void close();

  asio::any_io_executor get_executor() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::voice
