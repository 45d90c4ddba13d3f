#include "vectobeat/discord/rest_client.hpp"

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <set>
#include <unordered_map>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/settings.hpp"
#include "vectobeat/common/version.hpp"

namespace vb::discord {

namespace {

class http_transport final : public rest_transport {
 public:
  http_transport(asio::any_io_executor ex, net::client_options o) : client_(std::move(ex), std::move(o)) {}
  task<expected<net::http_response, net::client_error>> send(std::string method, std::string url, net::header_map headers,
                                                             std::string body) override {
    co_return co_await client_.request(std::move(method), std::move(url), std::move(headers), std::move(body));
  }

 private:
  net::http_client client_;
};

// A FIFO lock per queue key: one request in flight per bucket, in arrival order.
struct queue_state {
  bool busy = false;
  std::deque<timer*> waiters;
  std::size_t users = 0;  // holders + waiters; the entry is dropped at 0
};

}  // namespace

std::unique_ptr<rest_transport> make_http_transport(asio::any_io_executor ex, net::client_options opts) {
  return std::make_unique<http_transport>(std::move(ex), std::move(opts));
}

std::string default_user_agent() { return "DiscordBot (https://github.com/vectobeat, " + std::string(vb::version) + ")"; }

rest_options rest_options_from(const settings& s) {
  rest_options o;
  o.base_url = s.bot.api_base_url;
  o.token = s.bot.token;
  return o;
}

struct rest_client::impl {
  impl(asio::any_io_executor e, clock& c, rest_options o, std::unique_ptr<rest_transport> t)
      : ex(std::move(e)), clk(c), opts(std::move(o)), limiter(c, opts.limits), transport(std::move(t)) {
    if (opts.user_agent.empty()) opts.user_agent = default_user_agent();
    while (!opts.base_url.empty() && opts.base_url.back() == '/') opts.base_url.pop_back();
    if (!transport) transport = make_http_transport(ex, opts.client);
    log::add_secret(opts.token);
  }
  asio::any_io_executor ex;
  clock& clk;
  rest_options opts;
  rate_limiter limiter;
  std::unique_ptr<rest_transport> transport;
  std::mutex mu;
  std::unordered_map<std::string, queue_state> queues;
  std::set<timer*> sleepers;
  std::atomic<bool> stopped{false};
  std::atomic<std::uint64_t> requests{0}, retries{0};
  log::logger log{"rest"};

  // Waits for the queue's turn. True: this request now holds the queue (release it with
  // unlock_queue). False: stopped while waiting (nothing to release).
  task<bool> lock_queue(const std::string& key) {
    auto t = clk.make_timer(co_await asio::this_coro::executor);
    {
      std::lock_guard lk(mu);
      auto& q = queues[key];
      ++q.users;
      if (!q.busy) {
        q.busy = true;
        co_return true;
      }
      q.waiters.push_back(t.get());
    }
    // Leaves the waiter list if this coroutine ends (or is destroyed) without being
    // handed the queue, so no one cancels a dead timer.
    struct waiter {
      impl& self;
      const std::string& key;
      timer* t;
      bool leave() {  // true when it was still waiting (not handed over)
        std::lock_guard lk(self.mu);
        auto it = self.queues.find(key);
        if (it == self.queues.end()) return false;
        auto& w = it->second.waiters;
        auto pos = std::find(w.begin(), w.end(), t);
        if (pos == w.end()) return false;
        w.erase(pos);
        if (--it->second.users == 0) self.queues.erase(it);
        return true;
      }
      ~waiter() { leave(); }
    } guard{*this, key, t.get()};
    // Woken by cancel() when the holder hands the queue over, or by stop().
    co_await t->wait_until(clk.now() + std::chrono::hours(24 * 365));
    if (guard.leave()) co_return false;
    if (stopped) {
      unlock_queue(key);
      co_return false;
    }
    co_return true;
  }

  void unlock_queue(const std::string& key) {
    std::lock_guard lk(mu);
    auto it = queues.find(key);
    if (it == queues.end()) return;
    auto& q = it->second;
    --q.users;
    if (!q.waiters.empty()) {
      timer* next = q.waiters.front();
      q.waiters.pop_front();
      next->cancel();  // busy passes to the next waiter
    } else {
      q.busy = false;
    }
    if (q.users == 0) queues.erase(it);
  }

  // Waits `d`; false when stop() ended the wait (or came first).
  task<bool> sleep(std::chrono::milliseconds d) {
    auto t = clk.make_timer(co_await asio::this_coro::executor);
    {
      std::lock_guard lk(mu);
      if (stopped) co_return false;
      sleepers.insert(t.get());
    }
    struct leave {
      impl& self;
      timer* t;
      ~leave() {
        std::lock_guard lk(self.mu);
        self.sleepers.erase(t);
      }
    } guard{*this, t.get()};
    co_await t->wait_for(d);
    co_return !stopped.load();
  }

  std::chrono::milliseconds backoff(int attempt) const {
    auto d = opts.retry_backoff_initial;
    for (int i = 1; i < attempt && d < opts.retry_backoff_max; ++i) d *= 2;
    return std::min(d, opts.retry_backoff_max);
  }

  static rest_error error_from(const route& r, const net::http_response& resp) {
    rest_error e;
    e.code = errc_for_status(resp.status);
    e.status = resp.status;
    e.route = r.key();
    auto parsed = json::parse(resp.body, {256 * 1024, 16});
    if (parsed && parsed->is_object()) {
      const auto& o = parsed->get_object();
      e.discord_code = static_cast<int>(json::get_int(o, "code").value_or(0));
      e.message = std::string(json::get_string(o, "message").value_or(""));
      if (const auto* errs = json::find(o, "errors")) e.errors = json::serialize(*errs).substr(0, 4096);
    }
    if (e.message.empty()) e.message = std::string(http_reason_text(resp.status));
    return e;
  }

  static std::string_view http_reason_text(int status) {
    switch (status) {
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 429: return "Too Many Requests";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      default: return "HTTP error";
    }
  }

  task<expected<rest_response, rest_error>> run(route r, std::string body);
};

task<expected<rest_response, rest_error>> rest_client::impl::run(route r, std::string body) {
  if (stopped) co_return unexpected(rest_error{rest_errc::stopped, 0, 0, "REST client stopped", {}, r.key()});
  if (limiter.budget_exhausted())
    co_return unexpected(rest_error{rest_errc::invalid_request_budget, 0, 0,
                                    "too many 401/403/429 answers recently; request not sent", {}, r.key()});
  const std::string key = limiter.queue_key(r);
  const bool locked = co_await lock_queue(key);
  if (!locked) co_return unexpected(rest_error{rest_errc::stopped, 0, 0, "REST client stopped", {}, r.key()});
  struct unlock_guard {
    impl& self;
    const std::string& key;
    ~unlock_guard() { self.unlock_queue(key); }
  } guard{*this, key};

  net::header_map headers;
  headers.set("Authorization", "Bot " + opts.token);
  headers.set("User-Agent", opts.user_agent);
  if (!body.empty()) headers.set("Content-Type", "application/json");
  const std::string url = opts.base_url + r.path;

  rest_error last{rest_errc::transport, 0, 0, "no attempt made", {}, r.key()};
  for (int attempt = 1; attempt <= std::max(1, opts.max_attempts); ++attempt) {
    for (;;) {  // wait for the bucket and the global limit
      const auto wait = limiter.acquire(r);
      if (wait.count() == 0) break;
      if (wait > opts.max_rate_limit_wait)
        co_return unexpected(rest_error{rest_errc::rate_limited, 429, 0,
                                        "rate limited for " + std::to_string(wait.count()) + " ms", {}, r.key()});
      if (!co_await sleep(wait)) co_return unexpected(rest_error{rest_errc::stopped, 0, 0, "REST client stopped", {}, r.key()});
    }
    if (attempt > 1) retries.fetch_add(1);
    requests.fetch_add(1);
    auto resp = co_await transport->send(r.method, url, headers, body);
    if (stopped) co_return unexpected(rest_error{rest_errc::stopped, 0, 0, "REST client stopped", {}, r.key()});
    if (!resp) {
      const auto& ce = resp.error();
      last = rest_error{ce.code == net::client_errc::timeout ? rest_errc::timeout : rest_errc::transport, 0, 0,
                        std::string(net::to_string(ce.code)) + ": " + ce.message, {}, r.key()};
      if (ce.code == net::client_errc::invalid_url || ce.code == net::client_errc::blocked_address) break;
      log.warn("{} failed (attempt {}): {}", r.key(), attempt, last.message);
      if (attempt < opts.max_attempts && !co_await sleep(backoff(attempt))) break;
      continue;
    }
    auto hint = limiter.on_response(r, resp->status, resp->headers, resp->body);
    if (resp->status >= 200 && resp->status < 300)
      co_return rest_response{resp->status, std::move(resp->headers), std::move(resp->body)};
    last = error_from(r, *resp);
    if (hint) {
      if (hint->after > opts.max_rate_limit_wait) break;
      continue;  // acquire() waits out the learnt reset
    }
    if (resp->status >= 500) {
      log.warn("{} answered {} (attempt {})", r.key(), resp->status, attempt);
      if (attempt < opts.max_attempts && !co_await sleep(backoff(attempt))) break;
      continue;
    }
    break;  // 4xx other than 429: not retried
  }
  co_return unexpected(std::move(last));
}

rest_client::rest_client(asio::any_io_executor ex, clock& clk, rest_options opts, std::unique_ptr<rest_transport> transport)
    : impl_(std::make_shared<impl>(std::move(ex), clk, std::move(opts), std::move(transport))) {}

rest_client::~rest_client() { stop(); }

task<expected<rest_response, rest_error>> rest_client::request(route r, std::string body) {
  auto self = impl_;  // keeps the state alive across suspension
  co_return co_await self->run(std::move(r), std::move(body));
}

void rest_client::stop() {
  std::lock_guard lk(impl_->mu);
  impl_->stopped = true;
  for (auto& [k, q] : impl_->queues)
    for (timer* t : q.waiters) t->cancel();
  for (timer* t : impl_->sleepers) t->cancel();
}

rest_stats rest_client::stats() const {
  return {impl_->requests.load(), impl_->retries.load(), impl_->limiter.stats()};
}

}  // namespace vb::discord
