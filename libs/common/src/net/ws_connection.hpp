#pragma once
// Internal: the `websocket` interface over a Beast websocket::stream<Stream>.
// Instantiated once per stream type and role (server_*.cpp, client_*.cpp).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <deque>
#include <mutex>

#include "vectobeat/common/net/websocket.hpp"

namespace vb::net::detail {

namespace beast = boost::beast;
namespace ws = boost::beast::websocket;

template <class Stream>
class ws_connection final : public websocket, public std::enable_shared_from_this<ws_connection<Stream>> {
 public:
  using stream_type = ws::stream<Stream>;

  ws_connection(stream_type&& s, std::string remote, header_map handshake_headers, std::string target,
                std::size_t max_queue)
      : ws_(std::move(s)),
        ex_(ws_.get_executor()),
        remote_(std::move(remote)),
        handshake_headers_(std::move(handshake_headers)),
        target_(std::move(target)),
        max_queue_(max_queue) {}

  task<std::optional<ws_message>> read() override {
    auto self = this->shared_from_this();
    co_return co_await asio::co_spawn(
        ws_.get_executor(), [self]() { return self->do_read(); }, asio::use_awaitable);
  }

  bool send(ws_kind kind, std::string data) override {
    if (closing_.load(std::memory_order_acquire)) return false;
    asio::dispatch(ws_.get_executor(), [self = this->shared_from_this(), kind, d = std::move(data)]() mutable {
      self->enqueue(kind, std::move(d));
    });
    return true;
  }

  void close(std::uint16_t code, std::string reason) override {
    asio::dispatch(ws_.get_executor(), [self = this->shared_from_this(), code, r = std::move(reason)]() mutable {
      self->request_close(code, std::move(r));
    });
  }

  void abort() override {
    asio::dispatch(ws_.get_executor(), [self = this->shared_from_this()] {
      self->set_close_info({1006, "aborted", false});
      self->closing_ = true;
      self->open_ = false;
      boost::system::error_code ec;
      beast::get_lowest_layer(self->ws_).socket().close(ec);
    });
  }

  bool is_open() const override { return open_.load(std::memory_order_acquire); }
  ws_close_info close_info() const override {
    std::lock_guard lk(mu_);
    return close_info_;
  }
  std::string remote_address() const override { return remote_; }
  const header_map& handshake_headers() const override { return handshake_headers_; }
  const std::string& target() const override { return target_; }
  asio::any_io_executor executor() const override { return ex_; }

 private:
  struct outgoing {
    ws_kind kind;
    std::string data;
  };

  void set_close_info(ws_close_info info) {
    std::lock_guard lk(mu_);
    if (!close_info_set_) {
      close_info_ = std::move(info);
      close_info_set_ = true;
    }
  }

  task<std::optional<ws_message>> do_read() {
    if (!open_) co_return std::nullopt;
    beast::flat_buffer buf;
    boost::system::error_code ec;
    co_await ws_.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == ws::error::closed) {
        auto r = ws_.reason();
        set_close_info({static_cast<std::uint16_t>(r.code), std::string(r.reason.c_str()), true});
      } else if (ec == ws::error::message_too_big) {
        set_close_info({1009, "message too big", false});
      } else {
        set_close_info({1006, ec.message(), true});
      }
      closing_ = true;
      open_ = false;
      co_return std::nullopt;
    }
    co_return ws_message{ws_.got_text() ? ws_kind::text : ws_kind::binary, beast::buffers_to_string(buf.data())};
  }

  void enqueue(ws_kind kind, std::string data) {
    if (closing_ || !open_) return;
    if (queue_.size() >= max_queue_) {
      request_close(1008, "send queue overflow");
      return;
    }
    queue_.push_back({kind, std::move(data)});
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(ws_.get_executor(), run_writer(this->shared_from_this()), asio::detached);
    }
  }

  static task<void> run_writer(std::shared_ptr<ws_connection> self) {
    while (!self->queue_.empty() && self->open_) {
      outgoing m = std::move(self->queue_.front());
      self->queue_.pop_front();
      self->ws_.text(m.kind == ws_kind::text);
      boost::system::error_code ec;
      co_await self->ws_.async_write(asio::buffer(m.data), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        self->set_close_info({1006, ec.message(), true});
        self->open_ = false;
        self->closing_ = true;
        self->queue_.clear();
      }
    }
    self->writing_ = false;
    if (self->close_pending_ && self->open_) co_await do_close(self);
  }

  void request_close(std::uint16_t code, std::string reason) {
    if (close_requested_) return;
    close_requested_ = true;
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    if (!open_) return;
    if (writing_) {
      close_pending_ = true;  // the writer closes after draining the queue
      return;
    }
    asio::co_spawn(ws_.get_executor(), do_close(this->shared_from_this()), asio::detached);
  }

  static task<void> do_close(std::shared_ptr<ws_connection> self) {
    self->set_close_info({self->close_code_, self->close_reason_, false});
    boost::system::error_code ec;
    ws::close_reason cr(static_cast<ws::close_code>(self->close_code_), self->close_reason_.substr(0, 120));
    co_await self->ws_.async_close(cr, asio::redirect_error(asio::use_awaitable, ec));
    self->open_ = false;
  }

  stream_type ws_;
  asio::any_io_executor ex_;
  std::string remote_;
  header_map handshake_headers_;
  std::string target_;
  std::size_t max_queue_;

  std::deque<outgoing> queue_;  // strand only
  bool writing_ = false;        // strand only
  bool close_requested_ = false;
  bool close_pending_ = false;
  std::uint16_t close_code_ = 1000;
  std::string close_reason_;
  std::atomic<bool> open_{true};
  std::atomic<bool> closing_{false};

  mutable std::mutex mu_;
  ws_close_info close_info_;
  bool close_info_set_ = false;
};

}  // namespace vb::net::detail
