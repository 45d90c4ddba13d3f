#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <stdexcept>

#include "server_session.hpp"

namespace vb::net::detail {

std::shared_ptr<asio::ssl::context> make_server_tls_context(const tls_files& files) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(files.cert_chain_file, ec);
  if (ec) throw std::runtime_error("cannot load TLS certificate " + files.cert_chain_file + ": " + ec.message());
  ctx->use_private_key_file(files.private_key_file, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot load TLS key " + files.private_key_file + ": " + ec.message());
  return ctx;
}

task<void> run_tls_session(std::shared_ptr<http_server::impl> srv, asio::ip::tcp::socket sock,
                           std::shared_ptr<session_state> st) {
  boost::system::error_code ec;
  auto ep = sock.remote_endpoint(ec);
  std::string remote = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
  sock.set_option(asio::ip::tcp::no_delay(true), ec);
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(sock)), *srv->tls);
  st->on_stop = [&stream, s = st.get()] {
    if (s->busy) return;
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream).socket().close(ignored);
  };
  beast::get_lowest_layer(stream).expires_after(srv->opts.limits.header_timeout);
  co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    srv->lg.debug("TLS handshake with {} failed: {}", remote, ec.message());
    co_return;
  }
  if (co_await serve(srv, stream, remote, st)) co_return;
  st->on_stop = nullptr;
  if (beast::get_lowest_layer(stream).socket().is_open()) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    beast::get_lowest_layer(stream).socket().close(ec);
  }
}

}  // namespace vb::net::detail
