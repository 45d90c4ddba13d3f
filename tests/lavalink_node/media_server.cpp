#include "lavalink_node/media_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <istream>
#include <map>
#include <mutex>
#include <thread>

namespace vb::node::test {

namespace asio = boost::asio;
using asio::ip::tcp;

struct media_server::impl : std::enable_shared_from_this<impl> {
  asio::io_context ctx;
  asio::executor_work_guard<asio::io_context::executor_type> guard{ctx.get_executor()};
  tcp::acceptor acceptor{ctx};
  std::thread thread;
  mutable std::mutex mu;
  std::map<std::string, media_route, std::less<>> routes;
  std::map<std::string, int, std::less<>> counts;
  std::map<std::string, std::vector<std::string>, std::less<>> range_log;

  static std::string header_value(const std::string& head, std::string_view name) {
    std::string lower_head = head;
    std::transform(lower_head.begin(), lower_head.end(), lower_head.begin(), ::tolower);
    std::string key = "\r\n" + std::string(name) + ":";
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    auto pos = lower_head.find(key);
    if (pos == std::string::npos) return {};
    pos += key.size();
    auto end = head.find("\r\n", pos);
    std::string v = head.substr(pos, end - pos);
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    return v;
  }

  static std::string icy_block(const std::string& title) {
    std::string text = "StreamTitle='" + title + "';";
    const std::size_t blocks = (text.size() + 15) / 16;
    text.resize(blocks * 16, '\0');
    return std::string(1, static_cast<char>(blocks)) + text;
  }

  asio::awaitable<void> serve(tcp::socket sock) {
    boost::system::error_code ec;
    asio::streambuf in(16 * 1024);
    const std::size_t n = co_await asio::async_read_until(sock, in, "\r\n\r\n", asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    std::string head(asio::buffers_begin(in.data()), asio::buffers_begin(in.data()) + static_cast<std::ptrdiff_t>(n));
    const auto sp1 = head.find(' ');
    const auto sp2 = head.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) co_return;
    std::string target = head.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string path = target.substr(0, target.find('?'));
    media_route r;
    {
      std::lock_guard lk(mu);
      ++counts[path];
      auto it = routes.find(path);
      if (it == routes.end()) {
        r.status = 404;
        r.body = "not found";
        r.content_type = "text/plain";
      } else {
        r = it->second;
      }
      if (auto range = header_value(head, "Range"); !range.empty()) range_log[path].push_back(range);
    }
    if (r.no_response) {
      asio::steady_timer hold(sock.get_executor());
      hold.expires_after(std::chrono::hours(1));
      co_await hold.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    std::size_t offset = 0;
    int status = r.status;
    const std::string range = header_value(head, "Range");
    if (status == 200 && r.accept_ranges && range.starts_with("bytes=") && !r.endless) {
      offset = std::stoull(range.substr(6));
      if (offset >= r.body.size()) {
        std::string resp = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        co_await asio::async_write(sock, asio::buffer(resp), asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      status = 206;
    }
    const bool icy = r.icy_metaint > 0 && header_value(head, "Icy-MetaData") == "1";
    std::string resp = "HTTP/1.1 " + std::to_string(status) + (status < 300 ? " OK" : " Status") + "\r\n";
    resp += "Content-Type: " + r.content_type + "\r\nConnection: close\r\n";
    if (!r.location.empty()) resp += "Location: " + r.location + "\r\n";
    if (r.accept_ranges && !r.endless) resp += "Accept-Ranges: bytes\r\n";
    if (status == 206)
      resp += "Content-Range: bytes " + std::to_string(offset) + "-" + std::to_string(r.body.size() - 1) + "/" +
              std::to_string(r.body.size()) + "\r\n";
    if (r.send_length && !r.endless && !icy) resp += "Content-Length: " + std::to_string(r.body.size() - offset) + "\r\n";
    if (icy) resp += "icy-metaint: " + std::to_string(r.icy_metaint) + "\r\n";
    if (!r.icy_name.empty()) resp += "icy-name: " + r.icy_name + "\r\n";
    resp += "\r\n";
    co_await asio::async_write(sock, asio::buffer(resp), asio::redirect_error(asio::use_awaitable, ec));
    if (ec || r.body.empty()) co_return;

    // The body, in chunks: paced, ICY-interleaved, repeated or stalled as configured.
    asio::steady_timer timer(sock.get_executor());
    const std::size_t chunk = r.bytes_per_second > 0 ? std::max<std::size_t>(r.bytes_per_second / 20, 1) : 16 * 1024;
    std::size_t pos = offset, sent = 0, until_meta = r.icy_metaint;
    auto next = std::chrono::steady_clock::now();
    while (true) {
      if (sent >= r.stall_after_bytes) {
        timer.expires_after(std::chrono::hours(1));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      if (pos >= r.body.size()) {
        if (!r.endless) break;
        pos = 0;
      }
      std::size_t take = std::min({chunk, r.body.size() - pos, r.stall_after_bytes - sent});
      std::string out;
      if (icy) {
        take = std::min(take, until_meta);
        out.append(r.body, pos, take);
        until_meta -= take;
        if (until_meta == 0) {
          out += icy_block(r.icy_title);
          until_meta = r.icy_metaint;
        }
      } else {
        out.append(r.body, pos, take);
      }
      co_await asio::async_write(sock, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      pos += take;
      sent += take;
      if (r.bytes_per_second > 0) {
        next += std::chrono::microseconds(static_cast<std::int64_t>(take * 1'000'000 / r.bytes_per_second));
        timer.expires_at(next);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    sock.shutdown(tcp::socket::shutdown_send, ec);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket sock = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      impl* self = this;  // raw: frames left in ctx at shutdown are destroyed with it (no ownership cycle)
      auto conn = [self, s = std::move(sock)]() mutable -> asio::awaitable<void> { co_await self->serve(std::move(s)); };
      asio::co_spawn(ctx, std::move(conn), asio::detached);
    }
  }
};

media_server::media_server() : impl_(std::make_shared<impl>()) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl* self = impl_.get();  // the destructor joins the thread before impl goes away
  auto loop = [self]() -> asio::awaitable<void> { co_await self->accept_loop(); };
  asio::co_spawn(impl_->ctx, std::move(loop), asio::detached);
  impl_->thread = std::thread([self] { self->ctx.run(); });
}

media_server::~media_server() {
  asio::post(impl_->ctx, [self = impl_.get()] {
    boost::system::error_code ec;
    self->acceptor.close(ec);
  });
  impl_->guard.reset();
  impl_->ctx.stop();
  impl_->thread.join();
}

void media_server::add(std::string path, media_route route) {
  std::lock_guard lk(impl_->mu);
  impl_->routes[std::move(path)] = std::move(route);
}

std::string media_server::url(std::string_view path) const { return "http://127.0.0.1:" + std::to_string(port()) + std::string(path); }

std::uint16_t media_server::port() const { return impl_->acceptor.local_endpoint().port(); }

int media_server::requests(std::string_view path) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->counts.find(path);
  return it == impl_->counts.end() ? 0 : it->second;
}

std::vector<std::string> media_server::ranges(std::string_view path) const {
  std::lock_guard lk(impl_->mu);
  auto it = impl_->range_log.find(path);
  return it == impl_->range_log.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace vb::node::test
