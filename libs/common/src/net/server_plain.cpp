#include "server_session.hpp"

namespace vb::net::detail {

task<void> run_plain_session(std::shared_ptr<http_server::impl> srv, asio::ip::tcp::socket sock,
                             std::shared_ptr<session_state> st) {
  boost::system::error_code ec;
  auto ep = sock.remote_endpoint(ec);
  std::string remote = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
  sock.set_option(asio::ip::tcp::no_delay(true), ec);
  beast::tcp_stream stream(std::move(sock));
  st->on_stop = [&stream, s = st.get()] {
    if (s->busy) return;
    boost::system::error_code ignored;
    stream.socket().close(ignored);
  };
  if (co_await serve(srv, stream, remote, st)) co_return;
  st->on_stop = nullptr;
  if (stream.socket().is_open()) {
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    stream.socket().close(ec);
  }
}

}  // namespace vb::net::detail
