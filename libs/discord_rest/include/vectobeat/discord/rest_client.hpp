#pragma once
// The Discord REST client: one generic request(route, body) with per-bucket queues
// (one request in flight per (bucket, major parameter), FIFO), the global limit, 429
// handling, the invalid-request budget, and retries with backoff for 5xx, timeouts and
// transport failures. Everything awaits; no thread blocks.
//
//   rest_client rest(executor, clock, rest_options_from(settings));
//   auto r = co_await rest.request(make_route("GET", "/users/@me", {}), std::string());
//
// Threading: safe from any thread and any executor; the clock must outlive the client.
#include <chrono>
#include <memory>
#include <string>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/discord/rate_limiter.hpp"
#include "vectobeat/discord/rest_error.hpp"
#include "vectobeat/discord/route.hpp"

namespace vb {
class clock;
struct settings;
}  // namespace vb

namespace vb::discord {

// The HTTP seam (STYLE §5): the real client in production, a scripted one in tests.
class rest_transport {
 public:
  virtual ~rest_transport() = default;
  virtual task<expected<net::http_response, net::client_error>> send(std::string method, std::string url,
                                                                     net::header_map headers, std::string body) = 0;
};

std::unique_ptr<rest_transport> make_http_transport(asio::any_io_executor ex, net::client_options opts);

struct rest_options {
  std::string base_url = "https://discord.com/api/v10";
  std::string token;  // secret; sent as "Authorization: Bot <token>"
  std::string user_agent;  // empty: "DiscordBot (https://github.com/vectobeat, <version>)"
  rate_limit_options limits;
  int max_attempts = 4;  // per request, counting the first
  std::chrono::milliseconds retry_backoff_initial{500};
  std::chrono::milliseconds retry_backoff_max{8'000};
  // A 429 asking to wait longer than this fails the request instead (rate_limited).
  std::chrono::milliseconds max_rate_limit_wait{60'000};
  net::client_options client;  // timeouts, body limits, TLS
};

// base_url and token from the configuration.
rest_options rest_options_from(const settings& s);

std::string default_user_agent();

struct rest_response {
  int status = 0;
  net::header_map headers;
  std::string body;
};

struct rest_stats {
  std::uint64_t requests = 0;  // HTTP requests sent (attempts)
  std::uint64_t retries = 0;
  rate_limit_stats limits;
};

class rest_client {
 public:
  // `transport` empty: the real HTTP client on `ex`.
  rest_client(asio::any_io_executor ex, clock& clk, rest_options opts, std::unique_ptr<rest_transport> transport = nullptr);
  ~rest_client();
  rest_client(const rest_client&) = delete;
  rest_client& operator=(const rest_client&) = delete;

  // Sends `body` (JSON, may be empty) on `r`. 2xx -> the response; anything else after
  // the retries -> rest_error with Discord's status, code and message.
  task<expected<rest_response, rest_error>> request(route r, std::string body);

  // Fails every waiting and future request with `stopped`.
  void stop();
  rest_stats stats() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::discord
