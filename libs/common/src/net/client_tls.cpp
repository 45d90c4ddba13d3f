#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <filesystem>
#include <map>
#include <mutex>

#include "client_session.hpp"

namespace vb::net::detail {

namespace {

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// One context per (verify, extra CA) pair, created on first use. A CA file that cannot
// be loaded is an error (and is not cached), not a silently smaller trust store.
expected<std::shared_ptr<asio::ssl::context>, client_error> client_context(const client_options& o) {
  static std::mutex mu;
  static std::map<std::pair<bool, std::string>, std::shared_ptr<asio::ssl::context>> cache;
  std::lock_guard lk(mu);
  auto key = std::make_pair(o.verify_tls, o.extra_ca_file);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->set_default_verify_paths(ec);
  if (!o.extra_ca_file.empty()) {
    ctx->load_verify_file(o.extra_ca_file, ec);
    if (ec) return unexpected(make_error(client_errc::tls, "cannot load CA file " + o.extra_ca_file + ": " + ec.message()));
  }
  ctx->set_verify_mode(o.verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none);
  cache.emplace(key, ctx);
  return ctx;
}

task<expected<std::unique_ptr<tls_stream>, client_error>> tls_open(asio::any_io_executor ex,
                                                                  const std::vector<asio::ip::tcp::endpoint>& eps,
                                                                  const target_url& u, const client_options& o,
                                                                  deadline_t deadline) {
  if (!o.extra_ca_file.empty()) {
    std::error_code fec;
    if (!std::filesystem::exists(o.extra_ca_file, fec))
      co_return unexpected(make_error(client_errc::tls, "CA file not found: " + o.extra_ca_file));
  }
  auto ctx = client_context(o);
  if (!ctx) co_return unexpected(ctx.error());
  auto sock = co_await tcp_connect(ex, eps, o, deadline);
  if (!sock) co_return unexpected(sock.error());
  auto s = std::make_unique<tls_stream>(beast::tcp_stream(std::move(*sock)), **ctx);
  // SNI carries host names only (RFC 6066 §3); IP literals are verified against the
  // certificate's IP addresses instead.
  boost::system::error_code addr_ec;
  asio::ip::make_address(u.host, addr_ec);
  if (addr_ec && !SSL_set_tlsext_host_name(s->native_handle(), u.host.c_str()))
    co_return unexpected(make_error(client_errc::tls, "cannot set SNI host name"));
  if (o.verify_tls) s->set_verify_callback(asio::ssl::host_name_verification(u.host));
  beast::get_lowest_layer(*s).expires_at(deadline);
  boost::system::error_code ec;
  co_await s->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec == beast::error::timeout) co_return unexpected(make_error(client_errc::timeout, "TLS handshake timed out"));
    co_return unexpected(make_error(client_errc::tls, "TLS handshake with " + u.host + " failed: " + ec.message()));
  }
  beast::get_lowest_layer(*s).expires_never();
  co_return s;
}

class tls_connection final : public client_connection {
 public:
  explicit tls_connection(std::unique_ptr<tls_stream> s) : stream_(std::move(s)) {}
  asio::any_io_executor executor() override { return stream_->get_executor(); }
  task<expected<http_response, client_error>> exchange(const http_request& req, const target_url& u,
                                                       const client_options& o, deadline_t deadline, bool& reusable,
                                                       bool& nothing_received) override {
    return http_exchange(*stream_, buffer_, req, u, o, deadline, reusable, nothing_received);
  }
  task<expected<void, client_error>> send_and_read_header(const http_request& req, const target_url& u,
                                                          const client_options& o, deadline_t deadline,
                                                          http_response& head, bool& nothing_received) override {
    return http_stream_header(*stream_, buffer_, parser_, req, u, o, deadline, head, nothing_received);
  }
  task<expected<std::size_t, client_error>> read_body(std::span<char> out, deadline_t deadline) override {
    return http_stream_body(*stream_, buffer_, parser_, out, deadline);
  }
  void shutdown() override {
    boost::system::error_code ec;
    beast::get_lowest_layer(*stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(*stream_).close();
  }

 private:
  std::unique_ptr<tls_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<stream_parser> parser_;  // streaming only
};

}  // namespace

task<expected<std::unique_ptr<client_connection>, client_error>> connect_tls(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const client_options& o, deadline_t deadline) {
  auto s = co_await tls_open(ex, eps, u, o, deadline);
  if (!s) co_return unexpected(s.error());
  co_return std::unique_ptr<client_connection>(std::make_unique<tls_connection>(std::move(*s)));
}

task<expected<std::shared_ptr<websocket>, client_error>> ws_connect_tls(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const ws_connect_options& o, deadline_t deadline) {
  auto s = co_await tls_open(ex, eps, u, o.client, deadline);
  if (!s) co_return unexpected(s.error());
  co_return co_await ws_handshake(std::move(**s), u, o, deadline);
}

}  // namespace vb::net::detail
