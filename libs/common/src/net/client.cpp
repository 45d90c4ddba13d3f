#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <map>
#include <mutex>

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
  out.pool_key = scheme + "://" + out.host + ":" + std::to_string(out.port);
  return out;
}

task<expected<std::vector<asio::ip::tcp::endpoint>, client_error>> resolve(asio::any_io_executor ex,
                                                                           const target_url& u,
                                                                           const client_options& o,
                                                                           deadline_t deadline) {
  // Resolution has no per-operation timeout in Asio; a timer cancels it. The state is
  // shared because the timer's handler may run after this frame is gone.
  struct guard_state {
    explicit guard_state(asio::any_io_executor e) : resolver(e), timer(e) {}
    asio::ip::tcp::resolver resolver;
    asio::steady_timer timer;
    bool timed_out = false;
  };
  auto st = std::make_shared<guard_state>(ex);
  st->timer.expires_at(deadline);
  st->timer.async_wait([st](boost::system::error_code ec) {
    if (!ec) {
      st->timed_out = true;
      st->resolver.cancel();
    }
  });
  boost::system::error_code ec;
  auto results = co_await st->resolver.async_resolve(u.host, std::to_string(u.port),
                                                     asio::redirect_error(asio::use_awaitable, ec));
  st->timer.cancel();
  if (st->timed_out) co_return unexpected(make_error(client_errc::timeout, "resolving " + u.host + " timed out"));
  if (ec) co_return unexpected(make_error(client_errc::resolve, "cannot resolve " + u.host + ": " + ec.message()));
  std::vector<asio::ip::tcp::endpoint> eps;
  for (auto& r : results) {
    auto ep = r.endpoint();
    if (o.allow_address && !o.allow_address(ep.address().to_string())) continue;
    eps.push_back(ep);
  }
  if (eps.empty()) {
    if (o.allow_address && !results.empty())
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
      auto c = u.tls ? co_await detail::connect_tls(self->ex, *eps, u, self->opts, deadline)
                     : co_await detail::connect_plain(self->ex, *eps, u, self->opts, deadline);
      if (!c) co_return unexpected(c.error());
      conn = std::move(*c);
    }
    bool reusable = false, nothing = false;
    auto r = co_await conn->exchange(req, u, self->opts, deadline, reusable, nothing);
    if (r) {
      if (reusable) self->give_back(u.pool_key, std::move(conn));
      co_return r;
    }
    if (!(pooled && nothing)) co_return r;
  }
  co_return unexpected(detail::make_error(client_errc::io, "request failed"));
}

}  // namespace

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
    current = std::string(next.buffer());
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
  if (u->tls) co_return co_await detail::ws_connect_tls(ex, *eps, *u, opts, deadline);
  co_return co_await detail::ws_connect_plain(ex, *eps, *u, opts, deadline);
}

}  // namespace vb::net
