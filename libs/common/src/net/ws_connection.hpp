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

// Header fields from handlers and callers: a name must be a token, and CR/LF in a value
// become spaces, so nobody can smuggle a header or a second message into ours.
inline bool valid_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}
inline std::string field_value(std::string_view v) {
  std::string out(v);
  for (auto& c : out)
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  return out;
}

// Close codes an endpoint may put in a close frame (RFC 6455 §7.4, as Beast validates).
inline bool sendable_close_code(std::uint16_t c) {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1013) || (c >= 3000 && c <= 4999);
}

// A close reason fits a control frame (123 bytes after the code) and stays valid UTF-8.
inline std::string truncate_close_reason(std::string r) {
  constexpr std::size_t max = 123;
  if (r.size() <= max) return r;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(r[cut]) & 0xC0) == 0x80) --cut;
  r.resize(cut);
  return r;
}

// Threading: every member below marked "strand" is touched only on the stream's executor,
// which must be a strand (or a single-threaded context). The public functions may be
// called from any thread; they hop onto the strand.
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
    // The read runs on the strand, whatever executor the caller is on. The operation is
    // built outside the co_await expression: g++ 12 destroys a capturing lambda (or its
    // captures) twice when it is a temporary of a co_await full-expression.
    auto op = asio::co_spawn(ex_, read_on_strand(this->shared_from_this()), asio::use_awaitable);
    co_return co_await std::move(op);
  }

  bool send(ws_kind kind, std::string data) override {
    if (closing_.load(std::memory_order_acquire)) return false;
    // The slot is reserved here, on the caller's thread, so an overflow is seen at once
    // however far the strand is behind.
    if (queued_.fetch_add(1, std::memory_order_acq_rel) >= max_queue_) {
      queued_.fetch_sub(1, std::memory_order_acq_rel);
      asio::dispatch(ex_, [self = this->shared_from_this()] { self->request_close(1008, "send queue overflow", true); });
      return false;
    }
    asio::dispatch(ex_, [self = this->shared_from_this(), kind, d = std::move(data)]() mutable {
      self->enqueue(kind, std::move(d));
    });
    return true;
  }

  void close(std::uint16_t code, std::string reason) override {
    asio::dispatch(ex_, [self = this->shared_from_this(), code, r = std::move(reason)]() mutable {
      self->request_close(code, std::move(r), false);
    });
  }

  void abort() override {
    asio::dispatch(ex_, [self = this->shared_from_this()] {
      self->set_close_info({1006, "aborted", false});
      self->closing_ = true;
      self->open_ = false;
      self->drop_queue();
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

  void mark_closed() {
    closing_ = true;
    open_ = false;
    drop_queue();
  }

  void drop_queue() {  // strand
    queued_.fetch_sub(queue_.size(), std::memory_order_acq_rel);
    queue_.clear();
  }

  static task<std::optional<ws_message>> read_on_strand(std::shared_ptr<ws_connection> self) {
    co_return co_await self->do_read();
  }

  task<std::optional<ws_message>> do_read() {  // strand
    if (!open_) co_return std::nullopt;
    beast::flat_buffer buf;
    boost::system::error_code ec;
    co_await ws_.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      // A close frame may have arrived even when the read fails with another error: a
      // peer that fails the connection (1009, 1002) sends its close frame and drops the
      // TCP connection at once, so echoing the close frame fails.
      const bool got_close_frame = ec == ws::error::closed || ws_.reason().code != ws::close_code::none;
      if (ec == ws::error::message_too_big) {
        set_close_info({1009, "message too big", false});
      } else if (got_close_frame) {
        auto r = ws_.reason();
        std::uint16_t code = r.code == ws::close_code::none ? 1005 : static_cast<std::uint16_t>(r.code);
        set_close_info({code, std::string(r.reason.c_str()), true});
      } else {
        set_close_info({1006, ec.message(), true});
      }
      mark_closed();
      co_return std::nullopt;
    }
    co_return ws_message{ws_.got_text() ? ws_kind::text : ws_kind::binary, beast::buffers_to_string(buf.data())};
  }

  void enqueue(ws_kind kind, std::string data) {  // strand
    if (closing_ || !open_) {
      queued_.fetch_sub(1, std::memory_order_acq_rel);
      return;
    }
    queue_.push_back({kind, std::move(data)});
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(ex_, run_writer(this->shared_from_this()), asio::detached);
    }
  }

  static task<void> run_writer(std::shared_ptr<ws_connection> self) {  // strand
    while (!self->queue_.empty() && self->open_) {
      outgoing m = std::move(self->queue_.front());
      self->queue_.pop_front();
      self->queued_.fetch_sub(1, std::memory_order_acq_rel);
      self->ws_.text(m.kind == ws_kind::text);
      boost::system::error_code ec;
      co_await self->ws_.async_write(asio::buffer(m.data), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        self->set_close_info({1006, ec.message(), true});
        self->mark_closed();
      }
    }
    self->writing_ = false;
    if (self->close_pending_ && self->open_) co_await do_close(self);
  }

  // `discard_queue`: close right after the message being written instead of after the
  // whole queue (used when the queue overflowed).
  void request_close(std::uint16_t code, std::string reason, bool discard_queue) {  // strand
    if (close_requested_) return;
    close_requested_ = true;
    closing_ = true;
    close_code_ = code;
    close_reason_ = truncate_close_reason(std::move(reason));
    if (discard_queue) drop_queue();
    if (!open_) return;
    if (writing_) {
      close_pending_ = true;  // the writer closes after draining the queue
      return;
    }
    asio::co_spawn(ex_, do_close(this->shared_from_this()), asio::detached);
  }

  static task<void> do_close(std::shared_ptr<ws_connection> self) {  // strand
    ws::close_reason cr;  // no status code when the caller's cannot be sent
    if (sendable_close_code(self->close_code_)) cr = ws::close_reason(static_cast<ws::close_code>(self->close_code_), self->close_reason_);
    self->set_close_info({sendable_close_code(self->close_code_) ? self->close_code_ : std::uint16_t{1005},
                          std::string(cr.reason.c_str()), false});
    boost::system::error_code ec;
    co_await self->ws_.async_close(cr, asio::redirect_error(asio::use_awaitable, ec));
    self->mark_closed();
  }

  stream_type ws_;
  asio::any_io_executor ex_;
  std::string remote_;
  header_map handshake_headers_;
  std::string target_;
  std::size_t max_queue_;

  std::deque<outgoing> queue_;  // strand
  bool writing_ = false;        // strand
  bool close_requested_ = false;  // strand
  bool close_pending_ = false;    // strand
  std::uint16_t close_code_ = 1000;  // strand
  std::string close_reason_;         // strand
  std::atomic<std::size_t> queued_{0};  // messages accepted by send() and not yet written
  std::atomic<bool> open_{true};
  std::atomic<bool> closing_{false};

  mutable std::mutex mu_;
  ws_close_info close_info_;
  bool close_info_set_ = false;
};

}  // namespace vb::net::detail
