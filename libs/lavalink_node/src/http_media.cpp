#include "vectobeat/node/http_media.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

#include "vectobeat/audio/icy_source.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/node/stream_buffer.hpp"

namespace vb::node {

namespace {

constexpr std::size_t read_chunk_bytes = 16 * 1024;

const log::logger& http_log() {
  static const log::logger l("node.http");
  return l;
}

// One HTTP body being copied into a stream_buffer by a coroutine on its own strand.
class body_pump : public std::enable_shared_from_this<body_pump> {
 public:
  body_pump(asio::any_io_executor io, std::unique_ptr<net::http_stream> s)
      : strand_(asio::make_strand(io)), space_(strand_), stream_(std::move(s)), buffer_(http_stream_buffer_bytes) {}

  void start() {
    std::weak_ptr<body_pump> weak = shared_from_this();
    buffer_.set_space_listener([weak] {
      if (auto self = weak.lock()) asio::post(self->strand_, [self] { self->space_.cancel(); });
    });
    spawn(strand_, run(shared_from_this()), "http media body");
  }

  stream_buffer& buffer() { return buffer_; }

  void close() {
    if (closed_.exchange(true)) return;
    buffer_.close();
    stream_->close();
  }

 private:
  static task<void> run(std::shared_ptr<body_pump> self) {
    std::vector<char> chunk(read_chunk_bytes);
    while (!self->closed_.load()) {
      const std::size_t space = self->buffer_.free_space();
      if (space == 0) {
        if (self->buffer_.want_space()) {
          self->space_.expires_at(asio::steady_timer::time_point::max());
          boost::system::error_code ec;
          co_await self->space_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        continue;
      }
      auto n = co_await self->stream_->read_some(std::span<char>(chunk.data(), std::min(space, chunk.size())));
      if (!n) {
        if (n.error().code != net::client_errc::cancelled)
          http_log().debug("media body from {} failed: {}", self->stream_->url(), n.error().message);
        self->buffer_.finish(make_error_code(n.error().code == net::client_errc::timeout ? node_error::timeout
                                                                                       : node_error::network));
        co_return;
      }
      if (*n == 0) {
        self->buffer_.finish();
        co_return;
      }
      self->buffer_.write(std::span<const char>(chunk.data(), *n));
    }
  }

  asio::strand<asio::any_io_executor> strand_;
  asio::steady_timer space_;
  std::unique_ptr<net::http_stream> stream_;
  stream_buffer buffer_;
  std::atomic<bool> closed_{false};
};

// The media_feed of one HTTP track: the current body (replaced when a seek reopens it).
class http_feed final : public media_feed {
 public:
  explicit http_feed(std::shared_ptr<body_pump> p) : pump_(std::move(p)) {}
  ~http_feed() override { close(); }

  bool ready(std::size_t gate) const override {
    std::lock_guard lk(mu_);
    return !pump_ || pump_->buffer().ready(gate);
  }
  void close() override {
    std::shared_ptr<body_pump> p;
    {
      std::lock_guard lk(mu_);
      closed_ = true;
      p = pump_;
    }
    if (p) p->close();
  }
  // Takes the body out, leaving this feed closed and empty (its destructor then closes nothing).
  std::shared_ptr<body_pump> release() {
    std::lock_guard lk(mu_);
    closed_ = true;
    return std::move(pump_);
  }
  std::shared_ptr<body_pump> pump() const {
    std::lock_guard lk(mu_);
    return pump_;
  }
  // False when the feed was closed meanwhile (the new body is then closed too).
  bool replace(std::shared_ptr<body_pump> p) {
    std::shared_ptr<body_pump> old;
    bool ok = false;
    {
      std::lock_guard lk(mu_);
      if (!closed_) {
        old = std::move(pump_);
        pump_ = p;
        ok = true;
      }
    }
    if (ok) old->close();
    else p->close();
    return ok;
  }
  void set_deadline(std::optional<steady_time> d) {
    std::lock_guard lk(mu_);
    deadline_ = d;
  }
  std::optional<steady_time> deadline() const {
    std::lock_guard lk(mu_);
    return deadline_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<body_pump> pump_;
  std::optional<steady_time> deadline_;
  bool closed_ = false;
};

// The decoder's view of an HTTP body: blocking reads from the buffer, seeks by skipping
// buffered bytes or reopening with a Range request.
class http_byte_source final : public audio::byte_source {
 public:
  http_byte_source(std::shared_ptr<http_media> media, std::shared_ptr<http_feed> feed, std::string url,
                   net::header_map headers, std::optional<std::uint64_t> size, bool seekable, std::uint64_t offset)
      : media_(std::move(media)),
        feed_(std::move(feed)),
        url_(std::move(url)),
        headers_(std::move(headers)),
        size_(size),
        seekable_(seekable),
        pos_(offset) {}

  expected<std::size_t, audio::audio_error> read(std::span<std::byte> buffer) override {
    if (at_end_) return std::size_t{0};
    auto timeout = media_->read_timeout();
    if (auto d = feed_->deadline()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*d - std::chrono::steady_clock::now());
      if (left.count() <= 0) return unexpected(audio::audio_error::io_error);
      timeout = std::min(timeout, left);
    }
    auto r = feed_->pump()->buffer().read(buffer, timeout);
    if (!r) return unexpected(audio::audio_error::io_error);
    pos_ += *r;
    return *r;
  }

  bool seekable() const noexcept override { return seekable_; }
  std::optional<std::uint64_t> size() const override { return size_; }

  expected<void, audio::audio_error> seek(std::uint64_t offset) override {
    if (offset == pos_) return {};
    auto pump = feed_->pump();
    if (offset > pos_ && offset - pos_ <= pump->buffer().available()) {
      pos_ += pump->buffer().skip(offset - pos_);
      return {};
    }
    if (size_ && offset >= *size_ && seekable_) {  // at or past the end: reads return end of stream
      at_end_ = true;
      pos_ = offset;
      return {};
    }
    if (!seekable_) {
      if (offset < pos_) return unexpected(audio::audio_error::not_seekable);
      std::vector<std::byte> sink(16 * 1024);
      while (pos_ < offset) {
        const auto want = std::min<std::uint64_t>(sink.size(), offset - pos_);
        auto r = read(std::span<std::byte>(sink.data(), static_cast<std::size_t>(want)));
        if (!r) return unexpected(r.error());
        if (*r == 0) return {};  // the end came first: reads go on returning end of stream
      }
      return {};
    }
    const auto limits = media_->limits();
    auto opened = media_->open_blocking(url_, headers_, offset, limits.connect_timeout + limits.read_timeout);
    if (!opened) {
      http_log().debug("reopening {} at {} failed: {}", url_, offset, opened.error().message);
      return unexpected(audio::audio_error::io_error);
    }
    auto* f = dynamic_cast<http_feed*>(opened->feed.get());
    if (f == nullptr || !feed_->replace(f->release())) return unexpected(audio::audio_error::io_error);
    pos_ = offset;
    at_end_ = false;
    return {};
  }

 private:
  std::shared_ptr<http_media> media_;
  std::shared_ptr<http_feed> feed_;
  std::string url_;
  net::header_map headers_;
  std::optional<std::uint64_t> size_;
  bool seekable_;
  std::uint64_t pos_;
  bool at_end_ = false;
};

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return json::parse_u64(s);
}

bool is_success(int status) { return status >= 200 && status < 300; }

}  // namespace

source_error to_source_error(const net::client_error& e) {
  switch (e.code) {
    case net::client_errc::blocked_address:
      return {node_error::blocked_address, "The address of this URL is not allowed"};
    case net::client_errc::timeout:
      return {node_error::timeout, "Connecting to the URL timed out"};
    case net::client_errc::too_large:
      return {node_error::too_large, "The response is too large"};
    case net::client_errc::invalid_url:
      return {node_error::network, "Invalid URL"};
    case net::client_errc::cancelled:
      return {node_error::cancelled, "Cancelled"};
    default:
      return {node_error::network, "Connecting to the URL failed: " + e.message};
  }
}

void set_read_deadline(media_feed& feed, std::optional<steady_time> deadline) {
  if (auto* f = dynamic_cast<http_feed*>(&feed)) f->set_deadline(deadline);
}

http_media::http_media(asio::any_io_executor io, const node_config& config) : io_(std::move(io)), limits_(config.http) {
  client_opts_.limits.connect_timeout = limits_.connect_timeout;
  client_opts_.limits.request_timeout = limits_.connect_timeout + limits_.read_timeout;
  client_opts_.limits.stream_read_timeout = limits_.read_timeout;
  client_opts_.limits.max_redirects = limits_.max_redirects;
  client_opts_.limits.max_body_bytes = limits_.max_playlist_bytes;
  client_opts_.user_agent = "vectobeat-node";
  const bool allow_private = config.allow_private_addresses;
  client_opts_.allow_address = [allow_private](std::string_view ip) { return allow_private || !net::is_private_address(ip); };
  client_ = std::make_shared<net::http_client>(io_, client_opts_);
  // APIs (Spotify) are configured endpoints, not user input: they may be local (tests, proxies).
  net::client_options api = client_opts_;
  api.allow_address = {};
  api.limits.max_body_bytes = 8u << 20;
  api_client_ = std::make_shared<net::http_client>(io_, api);
}

task<expected<net::http_response, source_error>> http_media::fetch(std::string url, net::header_map headers) {
  auto r = co_await client_->request("GET", std::move(url), std::move(headers), std::string());
  if (!r) co_return unexpected(to_source_error(r.error()));
  if (!is_success(r->status))
    co_return unexpected(source_error{node_error::http_status, "The server answered with HTTP " + std::to_string(r->status)});
  co_return std::move(*r);
}

task<expected<net::http_response, source_error>> http_media::request(std::string method, std::string url,
                                                                    net::header_map headers, std::string body) {
  auto r = co_await api_client_->request(std::move(method), std::move(url), std::move(headers), std::move(body));
  if (!r) co_return unexpected(to_source_error(r.error()));
  co_return std::move(*r);
}

task<expected<std::unique_ptr<net::http_stream>, source_error>> http_media::open_stream(std::string url,
                                                                                      net::header_map headers) {
  auto s = co_await client_->open_stream(std::move(url), std::move(headers));
  if (!s) co_return unexpected(to_source_error(s.error()));
  if (!is_success((*s)->status())) {
    const int status = (*s)->status();
    (*s)->close();
    co_return unexpected(source_error{node_error::http_status, "The server answered with HTTP " + std::to_string(status)});
  }
  co_return std::move(*s);
}

task<expected<http_media_body, source_error>> http_media::open(std::string url, net::header_map headers,
                                                              std::uint64_t offset) {
  net::header_map h = headers;
  if (!h.contains("Icy-MetaData")) h.set("Icy-MetaData", "1");
  if (offset > 0) h.set("Range", "bytes=" + std::to_string(offset) + "-");
  auto s = co_await client_->open_stream(url, std::move(h));
  if (!s) co_return unexpected(to_source_error(s.error()));
  auto& stream = *s;
  const int status = stream->status();
  if (!is_success(status)) {
    stream->close();
    co_return unexpected(source_error{node_error::http_status, "The server answered with HTTP " + std::to_string(status)});
  }
  if (offset > 0 && status != 206) {
    stream->close();
    co_return unexpected(source_error{node_error::http_status, "The server ignored the Range request"});
  }
  http_media_body out;
  out.status = status;
  out.headers = stream->headers();
  out.url = stream->url();
  // Size of the whole resource: Content-Range's total on 206, else Content-Length.
  if (status == 206) {
    if (auto cr = out.headers.get("Content-Range")) {
      if (auto slash = cr->rfind('/'); slash != std::string_view::npos) out.size = parse_u64(cr->substr(slash + 1));
    }
  } else if (auto cl = out.headers.get("Content-Length")) {
    out.size = parse_u64(*cl);
  }
  const auto ranges = out.headers.get("Accept-Ranges");
  out.seekable = out.size.has_value() && (status == 206 || (ranges && net::iequals(*ranges, "bytes")));
  std::size_t metaint = 0;
  if (auto mi = out.headers.get("icy-metaint")) {
    if (auto v = parse_u64(*mi); v && *v > 0 && *v <= (1u << 20)) metaint = static_cast<std::size_t>(*v);
  }
  if (auto name = out.headers.get("icy-name"); name && !name->empty()) out.icy_name = std::string(*name);

  auto pump = std::make_shared<body_pump>(io_, std::move(stream));
  pump->start();
  auto feed = std::make_shared<http_feed>(pump);
  std::unique_ptr<audio::byte_source> src = std::make_unique<http_byte_source>(
      shared_from_this(), feed, out.url, headers, metaint > 0 ? std::nullopt : out.size, metaint == 0 && out.seekable,
      offset);
  if (metaint > 0) {
    src = std::make_unique<audio::icy_source>(std::move(src), metaint);
    out.seekable = false;
    out.size.reset();
  }
  out.source = std::move(src);
  out.feed = std::move(feed);
  co_return out;
}

expected<http_media_body, source_error> http_media::open_blocking(const std::string& url, const net::header_map& headers,
                                                                  std::uint64_t offset, std::chrono::milliseconds timeout) {
  auto fut = asio::co_spawn(io_, open(url, headers, offset), asio::use_future);
  if (fut.wait_for(timeout) != std::future_status::ready)
    return unexpected(source_error{node_error::timeout, "Opening the media timed out"});
  try {
    return fut.get();
  } catch (const std::exception& e) {
    return unexpected(source_error{node_error::network, e.what()});
  }
}

}  // namespace vb::node
