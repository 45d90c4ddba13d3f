#include "vectobeat/voice/udp_endpoint.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace vb::voice {

struct udp_endpoint::impl {
  explicit impl(asio::any_io_executor ex) : socket(std::move(ex)) {}
  asio::ip::udp::socket socket;

  std::error_code open(const asio::ip::udp& protocol) {
    boost::system::error_code ec;
    if (socket.is_open()) return {};
    socket.open(protocol, ec);
    if (!ec) socket.non_blocking(true, ec);
    return ec;
  }
};

namespace {

expected<std::size_t, std::error_code> received(const boost::system::error_code& ec, std::size_t n,
                                                std::size_t capacity) {
  if (ec) return unexpected(std::error_code(ec));
  if (n >= capacity) return unexpected(std::make_error_code(std::errc::message_size));
  return n;
}

}  // namespace

udp_endpoint::udp_endpoint(asio::any_io_executor ex) : impl_(std::make_shared<impl>(std::move(ex))) {}

udp_endpoint::~udp_endpoint() {
  boost::system::error_code ec;
  impl_->socket.close(ec);
}

std::error_code udp_endpoint::bind(const asio::ip::udp::endpoint& local) {
  if (auto ec = impl_->open(local.protocol())) return ec;
  boost::system::error_code ec;
  impl_->socket.bind(local, ec);
  return ec;
}

std::error_code udp_endpoint::connect(const asio::ip::udp::endpoint& remote) {
  if (auto ec = impl_->open(remote.protocol())) return ec;
  boost::system::error_code ec;
  impl_->socket.connect(remote, ec);
  return ec;
}

asio::ip::udp::endpoint udp_endpoint::local_endpoint() const {
  boost::system::error_code ec;
  return impl_->socket.local_endpoint(ec);
}

bool udp_endpoint::is_open() const { return impl_->socket.is_open(); }

task<expected<std::size_t, std::error_code>> udp_endpoint::receive(std::span<std::uint8_t> buf) {
  auto self = impl_;  // the socket outlives this frame even if the owner goes away
  boost::system::error_code ec;
  std::size_t n = co_await self->socket.async_receive(asio::buffer(buf.data(), buf.size()),
                                                      asio::redirect_error(asio::use_awaitable, ec));
  co_return received(ec, n, buf.size());
}

task<expected<std::size_t, std::error_code>> udp_endpoint::receive_from(std::span<std::uint8_t> buf,
                                                                       asio::ip::udp::endpoint& sender) {
  auto self = impl_;
  boost::system::error_code ec;
  std::size_t n = co_await self->socket.async_receive_from(asio::buffer(buf.data(), buf.size()), sender,
                                                           asio::redirect_error(asio::use_awaitable, ec));
  co_return received(ec, n, buf.size());
}

std::error_code udp_endpoint::send(std::span<const std::uint8_t> datagram) {
  boost::system::error_code ec;
  impl_->socket.send(asio::buffer(datagram.data(), datagram.size()), 0, ec);
  return ec;
}

std::error_code udp_endpoint::send_to(std::span<const std::uint8_t> datagram, const asio::ip::udp::endpoint& to) {
  boost::system::error_code ec;
  impl_->socket.send_to(asio::buffer(datagram.data(), datagram.size()), to, 0, ec);
  return ec;
}

void udp_endpoint::close() {
  asio::dispatch(impl_->socket.get_executor(), [self = impl_] {
    boost::system::error_code ec;
    self->socket.close(ec);
  });
}

asio::any_io_executor udp_endpoint::get_executor() const { return impl_->socket.get_executor(); }

}  // namespace vb::voice
