#pragma once
// The Status API (contracts §7: GET / and /status with the §7.3 keys, POST
// /reconcile-settings and /reconcile-routing) and the Prometheus endpoint (§8). The status
// API authenticates with `Authorization: Bearer <key>` or `x-api-key: <key>` only (never a
// query-string token) and does not listen without a key unless allow_unauthenticated is
// set. There is no /control/* route.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/common/settings.hpp"

namespace vb::bot {

struct status_provider {
  std::function<task<std::string>()> status_json;
  std::function<task<std::string>()> metrics_text;
  // route ("reconcile-settings" | "reconcile-routing") and the guild id from the body;
  // returns the JSON object answered with 200 (at least {"ok":true|false}).
  std::function<task<std::string>(std::string route, std::uint64_t guild_id)> reconcile;
};

// Whether `req` carries `key` as a Bearer token or x-api-key (constant-time compare).
bool authorized(const net::http_request& req, const std::string& key);

class status_server {
 public:
  status_server(asio::any_io_executor ex, status_api_settings status, metrics_settings metrics, status_provider p);
  ~status_server();
  status_server(const status_server&) = delete;
  status_server& operator=(const status_server&) = delete;

  // Listens on what is enabled. Throws std::runtime_error when a port cannot be bound.
  void start();
  void stop();
  std::uint16_t status_port() const noexcept { return status_port_; }
  std::uint16_t metrics_port() const noexcept { return metrics_port_; }

  // The request handlers (also used by tests without sockets).
  task<net::http_response> handle_status(net::http_request& req);
  task<net::http_response> handle_metrics(net::http_request& req);

  struct servers;

 private:
  asio::any_io_executor ex_;
  status_api_settings status_;
  metrics_settings metrics_;
  status_provider p_;
  std::unique_ptr<servers> servers_;
  std::uint16_t status_port_ = 0, metrics_port_ = 0;
};

}  // namespace vb::bot
