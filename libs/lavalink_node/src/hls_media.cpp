#include "vectobeat/node/hls_media.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <vector>

#include "vectobeat/common/log.hpp"
#include "vectobeat/node/stream_buffer.hpp"

namespace vb::node {

namespace {

constexpr std::size_t chunk_bytes = 16 * 1024;
constexpr std::size_t live_edge_segments = 3;
constexpr int max_failed_reloads = 3;

const log::logger& hls_log() {
  static const log::logger l("node.hls");
  return l;
}

class hls_pump final : public media_feed, public std::enable_shared_from_this<hls_pump> {
 public:
  hls_pump(std::shared_ptr<http_media> http, std::string url)
      : http_(std::move(http)), url_(std::move(url)), strand_(asio::make_strand(http_->io())), timer_(strand_),
        buffer_(http_stream_buffer_bytes) {}

  void start() {
    std::weak_ptr<hls_pump> weak = shared_from_this();
    buffer_.set_space_listener([weak] {
      if (auto self = weak.lock()) asio::post(self->strand_, [self] { self->timer_.cancel(); });
    });
    spawn(strand_, run(shared_from_this()), "hls media");
  }

  bool ready(std::size_t gate) const override { return buffer_.ready(gate); }
  void close() override {
    if (closed_.exchange(true)) return;
    buffer_.close();
    auto self = shared_from_this();
    asio::post(strand_, [self] {
      self->timer_.cancel();
      if (self->current_) self->current_->close();
    });
  }
  stream_buffer& buffer() { return buffer_; }

 private:
  // Copies one segment's body into the buffer; false when closed or failed (the buffer is then
  // finished with the error).
  task<bool> pump_segment(const std::string& url) {
    auto s = co_await http_->open_stream(url, net::header_map{});
    if (!s) {
      buffer_.finish(make_error_code(s.error().code));
      co_return false;
    }
    current_ = std::move(*s);
    std::vector<char> chunk(chunk_bytes);
    while (!closed_.load()) {
      const std::size_t space = buffer_.free_space();
      if (space == 0) {
        if (buffer_.want_space()) {
          timer_.expires_at(asio::steady_timer::time_point::max());
          boost::system::error_code ec;
          co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        continue;
      }
      auto n = co_await current_->read_some(std::span<char>(chunk.data(), std::min(space, chunk.size())));
      if (!n) {
        buffer_.finish(make_error_code(node_error::network));
        co_return false;
      }
      if (*n == 0) break;
      buffer_.write(std::span<const char>(chunk.data(), *n));
    }
    current_.reset();
    co_return !closed_.load();
  }

  static task<void> run(std::shared_ptr<hls_pump> self) {
    std::int64_t next_sequence = -1;
    bool map_written = false;
    int failures = 0;
    while (!self->closed_.load()) {
      auto doc = co_await self->http_->fetch(self->url_, net::header_map{});
      std::optional<hls_playlist> pl;
      if (doc) pl = parse_hls(doc->body, self->url_);
      if (!pl || pl->master || pl->encrypted) {
        if (pl && pl->encrypted) {
          hls_log().debug("{}: encrypted HLS is not supported", self->url_);
          self->buffer_.finish(make_error_code(node_error::unsupported_format));
          co_return;
        }
        if (++failures >= max_failed_reloads) {
          self->buffer_.finish(make_error_code(node_error::network));
          co_return;
        }
      } else {
        failures = 0;
        if (pl->map_url && !map_written) {
          if (!co_await self->pump_segment(*pl->map_url)) co_return;
          map_written = true;
        }
        std::size_t first = 0;
        if (next_sequence < 0 && !pl->ended && pl->segments.size() > live_edge_segments)
          first = pl->segments.size() - live_edge_segments;
        for (std::size_t i = first; i < pl->segments.size(); ++i) {
          const auto& seg = pl->segments[i];
          if (seg.sequence < next_sequence) continue;
          if (!co_await self->pump_segment(seg.url)) co_return;
          next_sequence = seg.sequence + 1;
        }
        if (pl->ended) {
          self->buffer_.finish();
          co_return;
        }
      }
      const double wait_s = pl && pl->target_duration_s > 0 ? pl->target_duration_s / 2 : 2.0;
      self->timer_.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(wait_s * 1000)));
      boost::system::error_code ec;
      co_await self->timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  std::shared_ptr<http_media> http_;
  std::string url_;
  asio::strand<asio::any_io_executor> strand_;
  asio::steady_timer timer_;
  stream_buffer buffer_;
  std::unique_ptr<net::http_stream> current_;
  std::atomic<bool> closed_{false};
};

class hls_byte_source final : public audio::byte_source {
 public:
  hls_byte_source(std::shared_ptr<hls_pump> pump, std::chrono::milliseconds timeout)
      : pump_(std::move(pump)), timeout_(timeout) {}
  expected<std::size_t, audio::audio_error> read(std::span<std::byte> buffer) override {
    auto r = pump_->buffer().read(buffer, timeout_);
    if (!r) return unexpected(audio::audio_error::io_error);
    return *r;
  }

 private:
  std::shared_ptr<hls_pump> pump_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

hls_media_body open_hls(std::shared_ptr<http_media> http, std::string media_playlist_url) {
  // Segments arrive in bursts with gaps of up to a target duration: reads wait longer.
  const auto timeout = http->read_timeout() * 2;
  auto pump = std::make_shared<hls_pump>(http, std::move(media_playlist_url));
  pump->start();
  hls_media_body out;
  out.source = std::make_unique<hls_byte_source>(pump, timeout);
  out.feed = pump;
  return out;
}

}  // namespace vb::node
