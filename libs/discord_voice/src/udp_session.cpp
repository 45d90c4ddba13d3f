#include "udp_session.hpp"

#include <array>
#include <vector>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/voice/ip_discovery.hpp"
#include "vectobeat/voice/rtp.hpp"
#include "vectobeat/common/timer_slot.hpp"

namespace vb::voice::detail {

namespace {

// The reader only uses IP discovery answers (74 bytes) and keep-alives (8); other datagrams
// (members' audio, RTCP) are truncated to this by the kernel and dropped. Small, because every
// voice connection keeps it for its lifetime.
constexpr std::size_t receive_buffer_size = 128;
static_assert(receive_buffer_size > ip_discovery_size, "a truncated datagram must not look like a discovery answer");

}  // namespace

udp_session::udp_session(asio::any_io_executor strand, clock& clk, std::uint32_t ssrc)
    : strand_(std::move(strand)), clock_(clk), ssrc_(ssrc), udp_(std::make_shared<udp_endpoint>(strand_)) {}

udp_session::~udp_session() { udp_->close(); }

std::error_code udp_session::open(const asio::ip::udp::endpoint& remote) {
  if (auto ec = udp_->connect(remote)) return ec;
  spawn(strand_, run_reader(shared_from_this()), "voice udp reader");
  return {};
}

void udp_session::close() {
  closed_ = true;
  cancel(discovery_timer_);
  cancel(keep_alive_timer_);
  udp_->close();
}

task<std::optional<external_address>> udp_session::discover(int attempts, std::chrono::milliseconds timeout) {
  auto self = shared_from_this();
  auto t = clock_.make_timer(strand_);
  timer_slot slot(discovery_timer_, t.get());
  const auto request = make_ip_discovery_request(ssrc_);
  discovered_.reset();
  for (int i = 0; i < attempts && !discovered_ && !closed_; ++i) {
    (void)udp_->send(request);  // a failed send is just a lost datagram: the timeout retries
    co_await t->wait_for(timeout);
  }
  if (closed_) co_return std::nullopt;
  co_return discovered_;
}

void udp_session::start_keep_alive(std::chrono::milliseconds interval) {
  if (interval.count() > 0 && !closed_) spawn(strand_, run_keep_alive(shared_from_this(), interval), "voice keep-alive");
}

task<void> udp_session::run_reader(std::shared_ptr<udp_session>) {
  // Owned by this coroutine: a receive still pending on a closed socket never shares it.
  std::vector<std::uint8_t> buf(receive_buffer_size);
  for (;;) {
    auto r = co_await udp_->receive(buf);
    if (closed_ || !udp_->is_open()) co_return;
    if (!r) continue;  // message_size, ICMP errors: drop and go on
    const std::span<const std::uint8_t> d(buf.data(), *r);
    if (is_keep_alive(d)) continue;
    if (d.size() == ip_discovery_size && !discovered_) {
      auto m = parse_ip_discovery(d);
      if (m && m->type == ip_discovery_type::response && m->ssrc == ssrc_) {
        discovered_ = external_address{std::string(m->address()), m->port};
        cancel(discovery_timer_);
        continue;
      }
    }
    // Audio from other members (and RTCP) arrives here too; receiving is not implemented.
  }
}

task<void> udp_session::run_keep_alive(std::shared_ptr<udp_session>, std::chrono::milliseconds interval) {
  auto t = clock_.make_timer(strand_);
  timer_slot slot(keep_alive_timer_, t.get());
  std::array<std::uint8_t, keep_alive_size> datagram{};
  std::uint32_t counter = 0;
  while (co_await t->wait_for(interval)) {
    if (closed_) co_return;
    write_keep_alive(counter++, datagram);
    (void)udp_->send(datagram);
  }
}

}  // namespace vb::voice::detail
