#include "vectobeat/bot/status_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "vectobeat/common/json.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::bot {

namespace {
log::logger& status_log() {
  static log::logger l("bot.status");
  return l;
}

bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

net::http_response json_error(int status, const char* code) {
  return net::http_response::json(status, std::string("{\"error\":\"") + code + "\"}");
}
}  // namespace

bool authorized(const net::http_request& req, const std::string& key) {
  if (key.empty()) return false;
  if (auto h = req.headers.get("authorization")) {
    constexpr std::string_view bearer = "Bearer ";
    if (h->size() > bearer.size() && net::iequals(h->substr(0, bearer.size()), bearer) &&
        same(h->substr(bearer.size()), key))
      return true;
  }
  if (auto h = req.headers.get("x-api-key"); h && same(*h, key)) return true;
  return false;
}

struct status_server::servers {
  std::unique_ptr<net::http_server> status;
  std::unique_ptr<net::http_server> metrics;
};

status_server::status_server(asio::any_io_executor ex, status_api_settings status, metrics_settings metrics,
                             status_provider p)
    : ex_(std::move(ex)), status_(std::move(status)), metrics_(std::move(metrics)), p_(std::move(p)),
      servers_(std::make_unique<servers>()) {}

status_server::~status_server() { stop(); }

void status_server::start() {
  const bool has_key = status_.api_key && !status_.api_key->empty();
  if (status_.enabled && (has_key || status_.allow_unauthenticated)) {
    net::server_options o;
    o.name = "status-api";
    o.limits.max_body_bytes = 16 * 1024;
    auto fn = [this](net::http_request& r) { return handle_status(r); };
    servers_->status = std::make_unique<net::http_server>(ex_, o, fn);
    status_port_ = servers_->status->listen(status_.host, status_.port);
    status_log().info("Status API on {}:{}", status_.host, status_port_);
  } else if (status_.enabled) {
    status_log().warn("Status API not started: set status_api.api_key (STATUS_API_KEY) or allow_unauthenticated");
  }
  if (metrics_.enabled) {
    net::server_options o;
    o.name = "metrics";
    auto fn = [this](net::http_request& r) { return handle_metrics(r); };
    servers_->metrics = std::make_unique<net::http_server>(ex_, o, fn);
    metrics_port_ = servers_->metrics->listen(metrics_.host, metrics_.port);
    status_log().info("Prometheus metrics on {}:{}", metrics_.host, metrics_port_);
  }
}

void status_server::stop() {
  if (!servers_) return;
  if (servers_->status) servers_->status->stop();
  if (servers_->metrics) servers_->metrics->stop();
}

task<net::http_response> status_server::handle_status(net::http_request& req) {
  const bool open = status_.allow_unauthenticated && !(status_.api_key && !status_.api_key->empty());
  if (!open && !authorized(req, status_.api_key.value_or(std::string()))) co_return json_error(401, "unauthorized");
  const auto path = req.path();
  if (req.method == "GET" && (path == "/" || path == "/status")) {
    auto body = co_await p_.status_json();
    co_return net::http_response::json(200, std::move(body));
  }
  if (req.method == "POST" && (path == "/reconcile-settings" || path == "/reconcile-routing")) {
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec || !v.is_object()) co_return json_error(400, "invalid_json");
    std::uint64_t guild = 0;
    if (auto* g = v.as_object().if_contains("guildId")) {
      if (g->is_string()) {
        auto s = g->as_string();
        auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), guild);
        if (e != std::errc() || p != s.data() + s.size()) guild = 0;
      } else if (g->is_uint64()) {
        guild = g->as_uint64();
      } else if (g->is_int64() && g->as_int64() > 0) {
        guild = static_cast<std::uint64_t>(g->as_int64());
      }
    }
    if (guild == 0) co_return json_error(400, "guild_required");
    auto body = co_await p_.reconcile(std::string(path.substr(1)), guild);
    co_return net::http_response::json(200, std::move(body));
  }
  co_return json_error(404, "not_found");
}

task<net::http_response> status_server::handle_metrics(net::http_request&) {
  auto text = co_await p_.metrics_text();
  auto r = net::http_response::text(200, std::move(text));
  r.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  co_return r;
}

}  // namespace vb::bot
