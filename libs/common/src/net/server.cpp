#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

#include "server_impl.hpp"

namespace vb::net {

http_server::http_server(asio::any_io_executor ex, server_options opts, request_handler on_request,
                         upgrade_handler on_upgrade)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(opts), std::move(on_request), std::move(on_upgrade))) {
  if (impl_->opts.tls) impl_->tls = detail::make_server_tls_context(*impl_->opts.tls);
}

http_server::~http_server() { stop(); }

namespace {

// Untracks a session however it ends: normally, by an exception, or by its frame being
// destroyed unfinished (io_context shut down). A late stop() then never reaches into a
// finished coroutine's frame, and on_stop (which may hold the WebSocket) is released.
struct session_cleanup {
  std::shared_ptr<http_server::impl> srv;
  std::shared_ptr<session_state> st;
  std::uint64_t id;
  ~session_cleanup() {
    st->alive = false;
    st->on_stop = nullptr;
    srv->untrack(id);
  }
};

task<void> run_session(std::shared_ptr<http_server::impl> srv, asio::ip::tcp::socket sock,
                       std::shared_ptr<session_state> st, std::uint64_t id) {
  session_cleanup cleanup{srv, st, id};
  if (srv->tls) co_await detail::run_tls_session(srv, std::move(sock), st);
  else co_await detail::run_plain_session(srv, std::move(sock), st);
}

// Runs on the acceptor's strand (stop() closes the acceptor there).
task<void> accept_loop(std::shared_ptr<http_server::impl> srv) {
  asio::steady_timer backoff(srv->acceptor_strand);
  for (;;) {
    boost::system::error_code ec;
    auto strand = asio::make_strand(srv->ex);
    asio::ip::tcp::socket sock(strand);
    co_await srv->acceptor->async_accept(sock, asio::redirect_error(asio::use_awaitable, ec));
    if (srv->stopped) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // EMFILE and friends: retrying at once would spin; wait a little.
      srv->lg.warn("accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (srv->stopped) co_return;
      continue;
    }
    std::size_t live;
    {
      std::lock_guard lk(srv->mu);
      live = srv->sessions.size();
    }
    if (live >= srv->opts.limits.max_connections) {
      srv->lg.warn("connection limit ({}) reached; refusing a connection", srv->opts.limits.max_connections);
      sock.close(ec);
      continue;
    }
    auto st = std::make_shared<session_state>();
    auto id = srv->track(strand, st);
    asio::co_spawn(strand, run_session(srv, std::move(sock), st, id), [srv](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        srv->lg.error("connection failed: {}", ex.what());
      } catch (...) {
        srv->lg.error("connection failed with a non-standard exception");
      }
    });
  }
}

}  // namespace

std::uint16_t http_server::listen(const std::string& address, std::uint16_t port) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + address + "'");
  asio::ip::tcp::endpoint ep(addr, port);
  if (impl_->acceptor) throw std::runtime_error("http_server '" + impl_->opts.name + "' is already listening");
  auto acc = std::make_unique<asio::ip::tcp::acceptor>(impl_->acceptor_strand);
  acc->open(ep.protocol(), ec);
  if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc->bind(ep, ec);
  if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
  impl_->bound_port = acc->local_endpoint().port();
  impl_->acceptor = std::move(acc);
  asio::co_spawn(impl_->acceptor_strand, accept_loop(impl_), asio::detached);
  impl_->lg.debug("listening on {}:{}", address, impl_->bound_port);
  return impl_->bound_port;
}

std::uint16_t http_server::port() const { return impl_->bound_port; }

std::size_t http_server::connection_count() const {
  std::lock_guard lk(impl_->mu);
  return impl_->sessions.size();
}

void http_server::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  if (impl_->acceptor) {
    asio::post(impl_->acceptor_strand, [srv = impl_] {
      boost::system::error_code ec;
      srv->acceptor->close(ec);
    });
  }
  std::lock_guard lk(impl_->mu);
  for (auto& [id, t] : impl_->sessions) {
    asio::post(t.strand, [st = t.state] {
      if (st->alive && st->on_stop) st->on_stop();
      st->alive = false;
    });
  }
}

}  // namespace vb::net
