// Blocking Redis I/O on a private io_context: each operation runs the context for at most
// its timeout (the Asio "blocking with timeout" idiom), so a silent server cannot hang the
// storage thread.
#include "vectobeat/storage/redis_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <fmt/format.h>

#include <variant>

#include "vectobeat/common/settings.hpp"

namespace vb::storage {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

redis_options redis_options::from_settings(const redis_settings& s) {
  redis_options o;
  o.host = s.host;
  o.port = s.port;
  o.password = s.password;
  o.db = s.db;
  o.ca_path = s.ca_path;
  return o;
}

std::string redis_options::describe() const {
  return fmt::format("{}://{}:{}/{}", ca_path ? "rediss" : "redis", host, port, db);
}

struct redis_connection::impl {
  explicit impl(redis_options o) : opts(std::move(o)) {}

  redis_options opts;
  asio::io_context ioc;
  std::optional<asio::ssl::context> ssl_ctx;
  std::variant<std::monostate, std::unique_ptr<tcp::socket>, std::unique_ptr<asio::ssl::stream<tcp::socket>>> stream;
  std::string rbuf;

  bool connected() const { return stream.index() != 0; }

  tcp::socket& lowest() {
    if (auto* p = std::get_if<1>(&stream)) return **p;
    return std::get<2>(stream)->next_layer();
  }

  void close() {
    if (connected()) {
      error_code ignored;
      lowest().close(ignored);
    }
    stream = std::monostate{};
    rbuf.clear();
  }

  // Runs the context until the started operation completes or the deadline passes (then
  // the socket is closed, which completes the operation with an error).
  error_code run(error_code& ec, std::chrono::steady_clock::time_point deadline) {
    ioc.restart();
    ioc.run_until(deadline);
    if (!ioc.stopped()) {
      if (connected()) {
        error_code ignored;
        lowest().close(ignored);
      }
      ioc.restart();
      ioc.run();
      return asio::error::timed_out;
    }
    return ec;
  }

  storage_error unavailable(std::string_view what, const error_code& ec) {
    close();
    return {storage_errc::unavailable, fmt::format("{}: {}: {}", opts.describe(), what, ec.message())};
  }

  expected<void, storage_error> connect() {
    const auto deadline = std::chrono::steady_clock::now() + opts.connect_timeout;
    tcp::resolver resolver(ioc);
    error_code ec = asio::error::would_block;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(opts.host, std::to_string(opts.port), [&](const error_code& e, tcp::resolver::results_type r) {
      ec = e;
      endpoints = std::move(r);
    });
    ioc.restart();
    ioc.run_until(deadline);
    if (!ioc.stopped()) {
      resolver.cancel();
      ioc.restart();
      ioc.run();
      return unexpected(unavailable("resolve", asio::error::timed_out));
    }
    if (ec) return unexpected(unavailable("resolve", ec));

    auto sock = std::make_unique<tcp::socket>(ioc);
    ec = asio::error::would_block;
    asio::async_connect(*sock, endpoints, [&](const error_code& e, const tcp::endpoint&) { ec = e; });
    ioc.restart();
    ioc.run_until(deadline);
    if (!ioc.stopped()) {
      error_code ignored;
      sock->close(ignored);
      ioc.restart();
      ioc.run();
      return unexpected(unavailable("connect", asio::error::timed_out));
    }
    if (ec) return unexpected(unavailable("connect", ec));
    sock->set_option(tcp::no_delay(true), ec);

    if (opts.ca_path) {
      if (!ssl_ctx) {
        ssl_ctx.emplace(asio::ssl::context::tls_client);
        ssl_ctx->load_verify_file(*opts.ca_path, ec);
        if (ec) {
          ssl_ctx.reset();
          return unexpected(storage_error{storage_errc::unavailable,
                                          fmt::format("{}: cannot load CA file {}: {}", opts.describe(), *opts.ca_path,
                                                      ec.message())});
        }
        ssl_ctx->set_verify_mode(asio::ssl::verify_peer);
      }
      auto tls = std::make_unique<asio::ssl::stream<tcp::socket>>(std::move(*sock), *ssl_ctx);
      SSL_set_tlsext_host_name(tls->native_handle(), opts.host.c_str());
      tls->set_verify_callback(asio::ssl::host_name_verification(opts.host));
      stream = std::move(tls);
      ec = asio::error::would_block;
      std::get<2>(stream)->async_handshake(asio::ssl::stream_base::client, [&](const error_code& e) { ec = e; });
      if (auto r = run(ec, deadline)) return unexpected(unavailable("TLS handshake", r));
    } else {
      stream = std::move(sock);
    }

    // AUTH and SELECT as the first round trip.
    std::vector<std::vector<std::string>> hello;
    if (opts.password && !opts.password->empty()) hello.push_back({"AUTH", *opts.password});
    if (opts.db != 0) hello.push_back({"SELECT", std::to_string(opts.db)});
    if (!hello.empty()) {
      auto replies = exchange(hello);
      if (!replies) return unexpected(replies.error());
      for (auto& r : *replies) {
        if (r.is_error()) {
          close();
          return unexpected(storage_error{storage_errc::unavailable,
                                          fmt::format("{}: the server refused AUTH/SELECT: {}", opts.describe(), r.str)});
        }
      }
    }
    return {};
  }

  template <class F>
  void with_stream(F&& f) {
    if (auto* p = std::get_if<1>(&stream)) f(**p);
    else f(*std::get<2>(stream));
  }

  // Sends the commands and reads one reply per command (no reconnect).
  expected<std::vector<redis_reply>, storage_error> exchange(const std::vector<std::vector<std::string>>& commands) {
    const auto deadline = std::chrono::steady_clock::now() + opts.command_timeout;
    std::string out;
    for (auto& c : commands) out += encode_command(c);
    error_code ec = asio::error::would_block;
    with_stream([&](auto& s) { asio::async_write(s, asio::buffer(out), [&](const error_code& e, std::size_t) { ec = e; }); });
    if (auto r = run(ec, deadline)) return unexpected(unavailable("write", r));

    std::vector<redis_reply> replies;
    replies.reserve(commands.size());
    std::array<char, 64 * 1024> chunk{};
    while (replies.size() < commands.size()) {
      redis_reply reply;
      auto parsed = parse_reply(rbuf, reply, opts.limits);
      if (parsed.status == parse_status::complete) {
        rbuf.erase(0, parsed.consumed);
        replies.push_back(std::move(reply));
        continue;
      }
      if (parsed.status == parse_status::invalid) {
        close();
        return unexpected(storage_error{storage_errc::corrupt,
                                        fmt::format("{}: protocol error: {}", opts.describe(), parsed.error)});
      }
      if (rbuf.size() > opts.limits.max_reply_bytes + 64 * 1024) {
        close();
        return unexpected(storage_error{storage_errc::corrupt, fmt::format("{}: reply too large", opts.describe())});
      }
      std::size_t n = 0;
      ec = asio::error::would_block;
      with_stream([&](auto& s) {
        s.async_read_some(asio::buffer(chunk), [&](const error_code& e, std::size_t got) {
          ec = e;
          n = got;
        });
      });
      if (auto r = run(ec, deadline)) return unexpected(unavailable("read", r));
      rbuf.append(chunk.data(), n);
    }
    return replies;
  }

  expected<std::vector<redis_reply>, storage_error> call(const std::vector<std::vector<std::string>>& commands) {
    if (!connected()) {
      if (auto c = connect(); !c) return unexpected(c.error());
    }
    return exchange(commands);
  }
};

redis_connection::redis_connection(redis_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}
redis_connection::~redis_connection() { impl_->close(); }

const redis_options& redis_connection::options() const noexcept { return impl_->opts; }

expected<redis_reply, storage_error> redis_connection::command(const std::vector<std::string>& argv) {
  auto r = impl_->call({argv});
  if (!r) return unexpected(r.error());
  return std::move(r->front());
}

expected<std::vector<redis_reply>, storage_error> redis_connection::pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<redis_reply>{};
  return impl_->call(commands);
}

expected<std::vector<redis_reply>, storage_error> redis_connection::transaction(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<std::vector<std::string>> all;
  all.reserve(commands.size() + 2);
  all.push_back({"MULTI"});
  for (auto& c : commands) all.push_back(c);
  all.push_back({"EXEC"});
  auto r = impl_->call(all);
  if (!r) return unexpected(r.error());
  for (std::size_t i = 0; i + 1 < r->size(); ++i)
    if ((*r)[i].is_error())
      return unexpected(storage_error{storage_errc::io, impl_->opts.describe() + ": " + (*r)[i].str});
  auto& exec = r->back();
  if (exec.is_error()) return unexpected(storage_error{storage_errc::io, impl_->opts.describe() + ": " + exec.str});
  if (exec.type != redis_reply::kind::array)
    return unexpected(storage_error{storage_errc::io, impl_->opts.describe() + ": transaction aborted"});
  for (auto& x : exec.elements)
    if (x.is_error()) return unexpected(storage_error{storage_errc::io, impl_->opts.describe() + ": " + x.str});
  return std::move(exec.elements);
}

}  // namespace vb::storage
