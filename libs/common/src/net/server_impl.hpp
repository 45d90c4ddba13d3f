#pragma once
// Internal: the server object shared by the plain and TLS session TUs.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "vectobeat/common/log.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace boost::asio::ssl {
class context;
}

namespace vb::net {

// Per-connection state used by stop(); touched only on the connection's strand.
// stop() runs on_stop() and clears `alive`. While `busy` (a request is being handled or
// a WebSocket handshake is under way) on_stop() leaves the socket alone: the session
// sees !alive when it is done, answers with "Connection: close" or closes the new
// WebSocket with 1001.
struct session_state {
  std::function<void()> on_stop;  // closes the socket or the WebSocket
  bool alive = true;
  bool busy = false;
};

struct http_server::impl : std::enable_shared_from_this<http_server::impl> {
  asio::any_io_executor ex;
  asio::any_io_executor acceptor_strand;  // the acceptor and its loop live here
  server_options opts;
  request_handler on_request;
  upgrade_handler on_upgrade;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
  std::shared_ptr<asio::ssl::context> tls;  // set when opts.tls
  std::uint16_t bound_port = 0;
  std::atomic<bool> stopped{false};
  log::logger lg;

  std::mutex mu;
  std::uint64_t next_id = 0;
  struct tracked {
    asio::any_io_executor strand;
    std::shared_ptr<session_state> state;
  };
  std::unordered_map<std::uint64_t, tracked> sessions;

  impl(asio::any_io_executor e, server_options o, request_handler rq, upgrade_handler up)
      : ex(std::move(e)), acceptor_strand(asio::make_strand(ex)), opts(std::move(o)), on_request(std::move(rq)),
        on_upgrade(std::move(up)), lg("http." + opts.name) {}

  std::uint64_t track(asio::any_io_executor strand, std::shared_ptr<session_state> st) {
    std::lock_guard lk(mu);
    sessions.emplace(++next_id, tracked{std::move(strand), std::move(st)});
    return next_id;
  }
  void untrack(std::uint64_t id) {
    std::lock_guard lk(mu);
    sessions.erase(id);
  }
};

namespace detail {
// Each defined in its own TU (server_plain.cpp / server_tls.cpp).
task<void> run_plain_session(std::shared_ptr<http_server::impl> srv, asio::ip::tcp::socket sock,
                             std::shared_ptr<session_state> st);
task<void> run_tls_session(std::shared_ptr<http_server::impl> srv, asio::ip::tcp::socket sock,
                           std::shared_ptr<session_state> st);
std::shared_ptr<asio::ssl::context> make_server_tls_context(const tls_files& files);
}  // namespace detail

}  // namespace vb::net
