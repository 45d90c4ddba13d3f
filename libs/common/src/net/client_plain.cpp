#include "client_session.hpp"

namespace vb::net::detail {

namespace {

class plain_connection final : public client_connection {
 public:
  explicit plain_connection(asio::ip::tcp::socket s) : stream_(std::move(s)) {}
  asio::any_io_executor executor() override { return stream_.get_executor(); }
  task<expected<http_response, client_error>> exchange(const http_request& req, const target_url& u,
                                                       const client_options& o, deadline_t deadline, bool& reusable,
                                                       bool& nothing_received) override {
    return http_exchange(stream_, buffer_, req, u, o, deadline, reusable, nothing_received);
  }
  task<expected<void, client_error>> send_and_read_header(const http_request& req, const target_url& u,
                                                          const client_options& o, deadline_t deadline,
                                                          http_response& head, bool& nothing_received) override {
    return http_stream_header(stream_, buffer_, parser_, req, u, o, deadline, head, nothing_received);
  }
  task<expected<std::size_t, client_error>> read_body(std::span<char> out, deadline_t deadline) override {
    return http_stream_body(stream_, buffer_, parser_, out, deadline);
  }
  void shutdown() override {
    boost::system::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<stream_parser> parser_;  // streaming only
};

}  // namespace

task<expected<std::unique_ptr<client_connection>, client_error>> connect_plain(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url&,
    const client_options& o, deadline_t deadline) {
  auto sock = co_await tcp_connect(ex, eps, o, deadline);
  if (!sock) co_return unexpected(sock.error());
  co_return std::unique_ptr<client_connection>(std::make_unique<plain_connection>(std::move(*sock)));
}

task<expected<std::shared_ptr<websocket>, client_error>> ws_connect_plain(
    asio::any_io_executor ex, const std::vector<asio::ip::tcp::endpoint>& eps, const target_url& u,
    const ws_connect_options& o, deadline_t deadline) {
  auto sock = co_await tcp_connect(ex, eps, o.client, deadline);
  if (!sock) co_return unexpected(sock.error());
  co_return co_await ws_handshake(beast::tcp_stream(std::move(*sock)), u, o, deadline);
}

}  // namespace vb::net::detail
