#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>

#include "client_impl.hpp"

namespace vb::net {

namespace detail {

expected<target_url, client_error> parse_url(std::string_view text, bool websocket) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return unexpected(make_error(client_errc::invalid_url, "invalid URL: " + std::string(text)));
  const auto& url = *parsed;
  std::string scheme(url.scheme());
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  target_url out;
  if (websocket ? scheme == "wss" : scheme == "https") out.tls = true;
  else if (websocket ? scheme == "ws" : scheme == "http") out.tls = false;
  else return unexpected(make_error(client_errc::invalid_url, "unsupported URL scheme '" + scheme + "'"));
  if (!url.has_authority() || url.host().empty())
    return unexpected(make_error(client_errc::invalid_url, "URL has no host: " + std::string(text)));
  if (url.has_userinfo()) return unexpected(make_error(client_errc::invalid_url, "credentials in URLs are not supported"));
  out.host = url.host_address();
  if (url.has_port()) {
    auto p = url.port_number();
    if (p == 0) return unexpected(make_error(client_errc::invalid_url, "invalid port in " + std::string(text)));
    out.port = p;
  } else {
    out.port = out.tls ? 443 : 80;
  }
  std::string path(url.encoded_path());
  if (path.empty()) path = "/";
  out.target = path;
  if (url.has_query()) out.target += "?" + std::string(url.encoded_query());
  std::string h(url.encoded_host_and_port());
  out.host_header = h;
  std::string host_key = out.host;
  for (auto& c : host_key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.pool_key = scheme + "://" + host_key + ":" + std::to_string(out.port);
  return out;
}

namespace {

using resolve_results = asio::ip::tcp::resolver::results_type;

// Name resolution bounded by a deadline. Asio runs getaddrinfo on a private thread that
// cancel() cannot interrupt, so cancelling the resolver would still wait for a hung DNS
// server: here whichever of "resolved" and "deadline" comes first completes the
// operation, on a strand, and the late one is dropped.
template <class Handler>
struct resolve_race : std::enable_shared_from_this<resolve_race<Handler>> {
  resolve_race(asio::any_io_executor ex, Handler h)
      : strand(asio::make_strand(ex)), resolver(strand), timer(strand), handler(std::move(h)) {}

  void start(std::string host, std::string port, deadline_t deadline) {
    auto self = this->shared_from_this();
    asio::dispatch(strand, [self, host = std::move(host), port = std::move(port), deadline] {
      self->timer.expires_at(deadline);
      self->timer.async_wait([self](boost::system::error_code ec) {
        if (!ec) self->finish(asio::error::timed_out, {});
      });
      self->resolver.async_resolve(host, port, [self](boost::system::error_code ec, resolve_results r) {
        self->finish(ec, std::move(r));
      });
    });
  }

  void finish(boost::system::error_code ec, resolve_results r) {  // strand
    if (!handler) return;
    auto h = std::move(*handler);
    handler.reset();
    timer.cancel();
    resolver.cancel();
    auto hex = asio::get_associated_executor(h, strand);
    asio::post(hex, [h = std::move(h), ec, r = std::move(r)]() mutable { std::move(h)(ec, std::move(r)); });
  }

  asio::strand<asio::any_io_executor> strand;
  asio::ip::tcp::resolver resolver;
  asio::steady_timer timer;
  std::optional<Handler> handler;
};

template <class Token>
auto async_resolve_until(asio::any_io_executor ex, std::string host, std::string port, deadline_t deadline,
                         Token&& token) {
  return asio::async_initiate<Token, void(boost::system::error_code, resolve_results)>(
      [](auto handler, asio::any_io_executor ex, std::string host, std::string port, deadline_t deadline) {
        auto race = std::make_shared<resolve_race<decltype(handler)>>(std::move(ex), std::move(handler));
        race->start(std::move(host), std::move(port), deadline);
      },
      token, std::move(ex), std::move(host), std::move(port), deadline);
}

}  // namespace

task<expected<std::vector<asio::ip::tcp::endpoint>, client_error>> resolve(asio::any_io_executor ex,
                                                                           const target_url& u,
                                                                           const client_options& o,
                                                                           deadline_t deadline) {
  std::vector<asio::ip::tcp::endpoint> candidates;
  boost::system::error_code ec;
  auto literal = asio::ip::make_address(u.host, ec);
  if (!ec) {
    candidates.emplace_back(literal, u.port);  // an IP literal needs no resolver
  } else {
    ec = {};
    auto results = co_await async_resolve_until(ex, u.host, std::to_string(u.port), deadline,
                                                asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::timed_out)
      co_return unexpected(make_error(client_errc::timeout, "resolving " + u.host + " timed out"));
    if (ec) co_return unexpected(make_error(client_errc::resolve, "cannot resolve " + u.host + ": " + ec.message()));
    for (auto& r : results) candidates.push_back(r.endpoint());
  }
  std::vector<asio::ip::tcp::endpoint> eps;
  for (auto& ep : candidates) {
    if (o.allow_address && !o.allow_address(ep.address().to_string())) continue;
    eps.push_back(ep);
  }
  if (eps.empty()) {
    if (!candidates.empty())
      co_return unexpected(make_error(client_errc::blocked_address, "address of " + u.host + " is not allowed"));
    co_return unexpected(make_error(client_errc::resolve, "no addresses for " + u.host));
  }
  co_return eps;
}

}  // namespace detail

struct http_client::impl {
  asio::any_io_executor ex;
  client_options opts;
  std::mutex mu;
  std::map<std::string, std::vector<std::unique_ptr<detail::client_connection>>> idle;

  std::unique_ptr<detail::client_connection> take(const std::string& key) {
    std::lock_guard lk(mu);
    auto it = idle.find(key);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto c = std::move(it->second.back());
    it->second.pop_back();
    return c;
  }
  void give_back(const std::string& key, std::unique_ptr<detail::client_connection> c) {
    std::lock_guard lk(mu);
    auto& v = idle[key];
    if (v.size() < opts.limits.max_idle_connections_per_host) v.push_back(std::move(c));
  }
};

http_client::http_client(asio::any_io_executor ex, client_options opts) : impl_(std::make_shared<impl>()) {
  impl_->ex = std::move(ex);
  impl_->opts = std::move(opts);
}

http_client::~http_client() = default;

void http_client::close_idle() {
  std::lock_guard lk(impl_->mu);
  impl_->idle.clear();
}

namespace {

task<expected<http_response, client_error>> one_request(std::shared_ptr<http_client::impl> self,
                                                        const detail::target_url& u, const http_request& req,
                                                        detail::deadline_t deadline) {
  // A pooled connection may have been closed by the peer; retry once on a new one
  // when the failure happened before any response byte arrived.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<detail::client_connection> conn = attempt == 0 ? self->take(u.pool_key) : nullptr;
    const bool pooled = conn != nullptr;
    if (!conn) {
      auto eps = co_await detail::resolve(self->ex, u, self->opts, deadline);
      if (!eps) co_return unexpected(eps.error());
      // The connection's work runs on a strand of its own. Operations are built before
      // the co_await and awaited as named objects: g++ 12 mishandles temporaries in a
      // co_await full-expression, and both g++ 12 and clang 14 miscompile co_await in
      // the arms of a conditional expression.
      auto strand = asio::make_strand(self->ex);
      auto op = u.tls ? asio::co_spawn(strand, detail::connect_tls(strand, *eps, u, self->opts, deadline), asio::use_awaitable)
                      : asio::co_spawn(strand, detail::connect_plain(strand, *eps, u, self->opts, deadline), asio::use_awaitable);
      auto c = co_await std::move(op);
      if (!c) co_return unexpected(c.error());
      conn = std::move(*c);
    }
    bool reusable = false, nothing = false;
    auto exchange = asio::co_spawn(conn->executor(), conn->exchange(req, u, self->opts, deadline, reusable, nothing),
                                   asio::use_awaitable);
    auto r = co_await std::move(exchange);
    if (r) {
      if (reusable) self->give_back(u.pool_key, std::move(conn));
      co_return r;
    }
    if (!(pooled && nothing)) co_return r;
  }
  co_return unexpected(detail::make_error(client_errc::io, "request failed"));
}

// The streaming response: owns its dedicated connection; every operation runs on the
// connection's strand.
class stream_impl final : public http_stream {
 public:
  stream_impl(std::shared_ptr<detail::client_connection> conn, http_response head, std::string url,
              std::chrono::milliseconds read_timeout)
      : conn_(std::move(conn)), head_(std::move(head)), url_(std::move(url)), read_timeout_(read_timeout) {}
  ~stream_impl() override { close(); }

  int status() const override { return head_.status; }
  const header_map& headers() const override { return head_.headers; }
  const std::string& url() const override { return url_; }

  task<expected<std::size_t, client_error>> read_some(std::span<char> buf) override {
    if (closed_.load(std::memory_order_acquire))
      co_return unexpected(detail::make_error(client_errc::cancelled, "stream closed"));
    auto conn = conn_;
    const auto deadline = std::chrono::steady_clock::now() + read_timeout_;
    auto op = asio::co_spawn(conn->executor(), read_on_strand(conn, buf, deadline), asio::use_awaitable);
    auto r = co_await std::move(op);
    if (!r && closed_.load(std::memory_order_acquire))
      co_return unexpected(detail::make_error(client_errc::cancelled, "stream closed"));
    co_return r;
  }

  void close() override {
    if (closed_.exchange(true, std::memory_order_acq_rel)) return;
    auto conn = conn_;
    asio::dispatch(conn->executor(), [conn] { conn->shutdown(); });
  }

 private:
  static task<expected<std::size_t, client_error>> read_on_strand(std::shared_ptr<detail::client_connection> conn,
                                                                  std::span<char> buf, detail::deadline_t deadline) {
    co_return co_await conn->read_body(buf, deadline);
  }

  std::shared_ptr<detail::client_connection> conn_;
  http_response head_;
  std::string url_;
  std::chrono::milliseconds read_timeout_;
  std::atomic<bool> closed_{false};
};

task<expected<std::shared_ptr<detail::client_connection>, client_error>> connect_new(
    std::shared_ptr<http_client::impl> self, const detail::target_url& u, detail::deadline_t deadline) {
  auto eps = co_await detail::resolve(self->ex, u, self->opts, deadline);
  if (!eps) co_return unexpected(eps.error());
  auto strand = asio::make_strand(self->ex);
  auto op = u.tls ? asio::co_spawn(strand, detail::connect_tls(strand, *eps, u, self->opts, deadline), asio::use_awaitable)
                  : asio::co_spawn(strand, detail::connect_plain(strand, *eps, u, self->opts, deadline), asio::use_awaitable);
  auto c = co_await std::move(op);
  if (!c) co_return unexpected(c.error());
  co_return std::shared_ptr<detail::client_connection>(std::move(*c));
}

task<expected<void, client_error>> header_on_strand(std::shared_ptr<detail::client_connection> conn,
                                                    const http_request& req, const detail::target_url& u,
                                                    const client_options& o, detail::deadline_t deadline,
                                                    http_response& head) {
  bool nothing = false;
  co_return co_await conn->send_and_read_header(req, u, o, deadline, head, nothing);
}

// Resolves a redirect `location` against `current`; nullopt when it is not a valid reference.
std::optional<std::string> redirect_target(const std::string& current, std::string_view location) {
  auto base = boost::urls::parse_uri(current);
  auto ref = boost::urls::parse_uri_reference(location);
  if (!base || !ref) return std::nullopt;
  boost::urls::url next;
  if (auto rr = boost::urls::resolve(*base, *ref, next); !rr) return std::nullopt;
  next.remove_fragment();
  return std::string(next.buffer());
}

bool is_redirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

}  // namespace

task<expected<std::unique_ptr<http_stream>, client_error>> http_client::open_stream(std::string url,
                                                                                    header_map headers) {
  auto self = impl_;
  auto deadline = std::chrono::steady_clock::now() + self->opts.limits.request_timeout;
  http_request req;
  req.method = "GET";
  req.headers = std::move(headers);
  std::string current = std::move(url);
  for (int hop = 0;; ++hop) {
    auto u = detail::parse_url(current, false);
    if (!u) co_return unexpected(u.error());
    // Streams always get a connection of their own (a pooled one could be stale, and this
    // one is never returned to the pool).
    auto conn = co_await connect_new(self, *u, deadline);
    if (!conn) co_return unexpected(conn.error());
    http_response head;
    auto op = asio::co_spawn((*conn)->executor(), header_on_strand(*conn, req, *u, self->opts, deadline, head),
                             asio::use_awaitable);
    auto r = co_await std::move(op);
    if (!r) {
      auto c = *conn;
      asio::dispatch(c->executor(), [c] { c->shutdown(); });
      co_return unexpected(r.error());
    }
    if (is_redirect(head.status) && hop < self->opts.limits.max_redirects) {
      if (auto loc = head.headers.get("Location")) {
        auto c = *conn;
        asio::dispatch(c->executor(), [c] { c->shutdown(); });
        auto next = redirect_target(current, *loc);
        if (!next) co_return unexpected(detail::make_error(client_errc::protocol, "invalid redirect location"));
        auto next_target = detail::parse_url(*next, false);
        if (next_target && next_target->pool_key != u->pool_key) {
          req.headers.erase("Authorization");
          req.headers.erase("Proxy-Authorization");
          req.headers.erase("Cookie");
        }
        current = std::move(*next);
        continue;
      }
    }
    co_return std::unique_ptr<http_stream>(
        std::make_unique<stream_impl>(std::move(*conn), std::move(head), current, self->opts.limits.stream_read_timeout));
  }
}

task<expected<http_response, client_error>> http_client::request(std::string method, std::string url,
                                                                 header_map headers, std::string body) {
  auto self = impl_;
  auto deadline = std::chrono::steady_clock::now() + self->opts.limits.request_timeout;
  http_request req;
  req.method = std::move(method);
  req.headers = std::move(headers);
  req.body = std::move(body);
  std::string current = std::move(url);
  for (int hop = 0;; ++hop) {
    auto u = detail::parse_url(current, false);
    if (!u) co_return unexpected(u.error());
    auto r = co_await one_request(self, *u, req, deadline);
    if (!r) co_return r;
    bool redirect = r->status == 301 || r->status == 302 || r->status == 303 || r->status == 307 || r->status == 308;
    if (!redirect || hop >= self->opts.limits.max_redirects || (req.method != "GET" && req.method != "HEAD"))
      co_return r;
    auto loc = r->headers.get("Location");
    if (!loc) co_return r;
    auto base = boost::urls::parse_uri(current);
    auto ref = boost::urls::parse_uri_reference(*loc);
    if (!base || !ref) co_return unexpected(detail::make_error(client_errc::protocol, "invalid redirect location"));
    boost::urls::url next;
    if (auto rr = boost::urls::resolve(*base, *ref, next); !rr)
      co_return unexpected(detail::make_error(client_errc::protocol, "invalid redirect location"));
    next.remove_fragment();
    std::string next_url(next.buffer());
    // Credentials are for the origin they were given to, not for wherever it redirects.
    auto next_target = detail::parse_url(next_url, false);
    if (next_target && next_target->pool_key != u->pool_key) {
      req.headers.erase("Authorization");
      req.headers.erase("Proxy-Authorization");
      req.headers.erase("Cookie");
    }
    current = std::move(next_url);
  }
}

task<expected<std::shared_ptr<websocket>, client_error>> ws_connect(asio::any_io_executor ex, std::string url,
                                                                   ws_connect_options opts) {
  auto deadline = std::chrono::steady_clock::now() + opts.client.limits.connect_timeout +
                  opts.client.limits.request_timeout;
  auto u = detail::parse_url(url, true);
  if (!u) co_return unexpected(u.error());
  auto eps = co_await detail::resolve(ex, *u, opts.client, deadline);
  if (!eps) co_return unexpected(eps.error());
  // The socket's strand; the handshake runs there too (see one_request()).
  auto strand = asio::make_strand(ex);
  auto op = u->tls ? asio::co_spawn(strand, detail::ws_connect_tls(strand, *eps, *u, opts, deadline), asio::use_awaitable)
                   : asio::co_spawn(strand, detail::ws_connect_plain(strand, *eps, *u, opts, deadline), asio::use_awaitable);
  co_return co_await std::move(op);
}

}  // namespace vb::net
