#pragma once
// Internal: the UDP half of one voice session: the socket connected to the voice
// server, a reader that drains it (IP discovery answers, keep-alives, other members'
// audio), IP discovery with retries and the periodic keep-alive. Lives on the voice
// connection's strand; every member must be called there.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vectobeat/common/async.hpp"
#include "vectobeat/voice/udp_endpoint.hpp"

namespace vb {
class clock;
class timer;
}  // namespace vb

namespace vb::voice::detail {

struct external_address {
  std::string ip;
  std::uint16_t port = 0;
};

class udp_session : public std::enable_shared_from_this<udp_session> {
 public:
  udp_session(asio::any_io_executor strand, clock& clk, std::uint32_t ssrc);
  ~udp_session();
  udp_session(const udp_session&) = delete;
  udp_session& operator=(const udp_session&) = delete;

  // Connects to the voice server's UDP address and starts the reader.
  std::error_code open(const asio::ip::udp::endpoint& remote);
  // Sends up to `attempts` discovery requests, `timeout` apart; nullopt when none was
  // answered or close() was called.
  task<std::optional<external_address>> discover(int attempts, std::chrono::milliseconds timeout);
  // Sends the 8-byte keep-alive every `interval` until close().
  void start_keep_alive(std::chrono::milliseconds interval);
  // Stops everything; pending waits end at once.
  void close();

  const std::shared_ptr<udp_endpoint>& endpoint() const { return udp_; }

 private:
  task<void> run_reader(std::shared_ptr<udp_session> self);
  task<void> run_keep_alive(std::shared_ptr<udp_session> self, std::chrono::milliseconds interval);

  asio::any_io_executor strand_;
  clock& clock_;
  const std::uint32_t ssrc_;
  std::shared_ptr<udp_endpoint> udp_;
  bool closed_ = false;
  std::optional<external_address> discovered_;
  timer* discovery_timer_ = nullptr;   // set while discover() waits
  timer* keep_alive_timer_ = nullptr;  // set while the keep-alive waits
};

}  // namespace vb::voice::detail
