#include "fake_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <zstd.h>

#include <future>

#include "compression.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/net/http_client.hpp"

namespace vb::fake::test {

namespace json = boost::json;

// ---------------------------------------------------------------- io_pool

io_pool::io_pool(int threads) : work_(ioc_.get_executor()) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}
io_pool::~io_pool() { stop(); }
void io_pool::stop() {
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

namespace {

template <class T>
T run_blocking(asio::any_io_executor ex, task<T> t, std::chrono::seconds limit = 30s) {
  auto p = std::make_shared<std::promise<T>>();
  auto f = p->get_future();
  asio::co_spawn(ex, std::move(t), [p](std::exception_ptr e, T v) {
    if (e) p->set_exception(e);
    else p->set_value(std::move(v));
  });
  if (f.wait_for(limit) != std::future_status::ready) throw std::runtime_error("operation did not finish in time");
  return f.get();
}

task<expected<std::shared_ptr<net::websocket>, net::client_error>> do_connect(asio::any_io_executor ex, std::string url,
                                                                            std::string ca) {
  net::ws_connect_options o;
  o.client.extra_ca_file = ca;
  co_return co_await net::ws_connect(ex, std::move(url), std::move(o));
}

task<expected<net::http_response, net::client_error>> do_http(asio::any_io_executor ex, std::string method, std::string url,
                                                              std::string body, net::header_map headers) {
  net::http_client client(ex);
  co_return co_await client.request(std::move(method), std::move(url), std::move(headers), std::move(body));
}

}  // namespace

net::http_response http(asio::any_io_executor ex, const std::string& method, const std::string& url,
                        const std::string& body, const net::header_map& headers) {
  auto r = run_blocking(ex, do_http(ex, method, url, body, headers));
  if (!r) throw std::runtime_error("http " + method + " " + url + ": " + r.error().message);
  return std::move(*r);
}

json::object parse_object(const std::string& text) {
  auto v = vb::json::parse(text);
  return v && v->is_object() ? v->get_object() : json::object();
}

// ---------------------------------------------------------------- ws_client

struct ws_client::state {
  std::shared_ptr<net::websocket> ws;
  transport t = transport::plain;
  detail::zlib_stream_decoder zlib;
  ZSTD_DStream* zstd = nullptr;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> messages;
  bool closed = false;
  std::uint16_t close_code = 0;
  std::int64_t last_seq = 0;
  std::size_t binary = 0;

  ~state() {
    if (zstd) ZSTD_freeDStream(zstd);
  }

  std::string decode(const net::ws_message& m) {
    if (m.kind == net::ws_kind::text) return m.data;
    if (t == transport::plain) {
      // Payload compression: every binary message is a complete zlib stream of its own.
      detail::zlib_stream_decoder once;
      return once.decode(m.data);
    }
    if (t == transport::zlib) return zlib.decode(m.data);
    std::string out;
    ZSTD_inBuffer in{m.data.data(), m.data.size(), 0};
    char buf[16384];
    while (in.pos < in.size) {
      ZSTD_outBuffer o{buf, sizeof buf, 0};
      if (ZSTD_isError(ZSTD_decompressStream(zstd, &o, &in))) return {};
      out.append(buf, o.pos);
    }
    // Flush what the decoder still holds for this message.
    for (;;) {
      ZSTD_outBuffer o{buf, sizeof buf, 0};
      ZSTD_inBuffer none{nullptr, 0, 0};
      if (ZSTD_isError(ZSTD_decompressStream(zstd, &o, &none)) || o.pos == 0) break;
      out.append(buf, o.pos);
    }
    return out;
  }
};

namespace {
task<void> read_loop(std::shared_ptr<ws_client::state> st) {
  for (;;) {
    auto m = co_await st->ws->read();
    std::lock_guard lk(st->mu);
    if (!m) {
      st->closed = true;
      st->close_code = st->ws->close_info().code;
      st->cv.notify_all();
      co_return;
    }
    if (m->kind == net::ws_kind::binary) ++st->binary;
    st->messages.push_back(st->decode(*m));
    st->cv.notify_all();
  }
}
}  // namespace

std::unique_ptr<ws_client> ws_client::connect(asio::any_io_executor ex, const std::string& url, transport t,
                                              const std::string& extra_ca) {
  auto r = run_blocking(ex, do_connect(ex, url, extra_ca));
  if (!r) throw std::runtime_error("ws_connect " + url + ": " + r.error().message);
  auto c = std::unique_ptr<ws_client>(new ws_client());
  c->st_ = std::make_shared<state>();
  c->st_->ws = *r;
  c->st_->t = t;
  if (t == transport::zstd) {
    c->st_->zstd = ZSTD_createDStream();
    ZSTD_initDStream(c->st_->zstd);
  }
  vb::spawn(ex, read_loop(c->st_), "test ws reader");
  return c;
}

ws_client::~ws_client() {
  if (st_ && st_->ws) st_->ws->abort();
}

std::optional<json::object> ws_client::next(std::chrono::milliseconds timeout) {
  std::unique_lock lk(st_->mu);
  if (!st_->cv.wait_for(lk, timeout, [&] { return !st_->messages.empty() || st_->closed; })) return std::nullopt;
  if (st_->messages.empty()) return std::nullopt;
  auto text = std::move(st_->messages.front());
  st_->messages.pop_front();
  lk.unlock();
  auto o = parse_object(text);
  if (auto s = vb::json::get_int(o, "s")) {
    std::lock_guard g(st_->mu);
    st_->last_seq = *s;
  }
  return o;
}

std::optional<json::object> ws_client::next_dispatch(const std::string& event, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto m = next(left);
    if (!m) return std::nullopt;
    if (vb::json::get_int(*m, "op") == 0 && vb::json::get_string(*m, "t") == event) return m;
  }
}

std::optional<json::object> ws_client::next_op(int op, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto m = next(left);
    if (!m) return std::nullopt;
    if (vb::json::get_int(*m, "op") == op) return m;
  }
}

void ws_client::send(const json::value& v) { st_->ws->send_text(json::serialize(v)); }
void ws_client::send_raw(std::string text, bool binary) { st_->ws->send(binary ? net::ws_kind::binary : net::ws_kind::text, std::move(text)); }

std::uint16_t ws_client::wait_close(std::chrono::milliseconds timeout) {
  std::unique_lock lk(st_->mu);
  if (!st_->cv.wait_for(lk, timeout, [&] { return st_->closed; })) return 0;
  return st_->close_code;
}

void ws_client::close(std::uint16_t code) { st_->ws->close(code, "test"); }
void ws_client::abort() { st_->ws->abort(); }

std::int64_t ws_client::last_seq() const {
  std::lock_guard lk(st_->mu);
  return st_->last_seq;
}

std::size_t ws_client::binary_frames() const {
  std::lock_guard lk(st_->mu);
  return st_->binary;
}

// ---------------------------------------------------------------- fixture

FakeTest::FakeTest() = default;
FakeTest::~FakeTest() { TearDown(); }

void FakeTest::TearDown() {
  fake.reset();
  pool.stop();
}

server_options FakeTest::defaults() {
  server_options o;
  o.token = "test-token";
  o.identify_window = 0ms;  // tests identify often; the limit has its own test
  o.voice_tls = false;
  return o;
}

void FakeTest::start(server_options opts, clock* clk) {
  fake = std::make_unique<server>(pool.executor(), clk ? *clk : clock::system(), std::move(opts));
  fake->start();
}

json::object FakeTest::identify_payload(int shard, int shards, std::uint64_t intents) const {
  json::object d{{"token", fake->options().token},
                 {"intents", intents},
                 {"properties", json::object{{"os", "linux"}, {"browser", "test"}, {"device", "test"}}},
                 {"shard", json::array{shard, shards}}};
  return json::object{{"op", 2}, {"d", std::move(d)}};
}

std::unique_ptr<ws_client> FakeTest::identify(int shard, int shards, std::uint64_t intents, transport t,
                                              json::object* ready) {
  std::string url = fake->gateway_url() + "/?v=10&encoding=json";
  if (t == transport::zlib) url += "&compress=zlib-stream";
  if (t == transport::zstd) url += "&compress=zstd-stream";
  auto c = ws_client::connect(pool.executor(), url, t);
  auto hello = c->next_op(10);
  if (!hello) throw std::runtime_error("no Hello");
  c->send(identify_payload(shard, shards, intents));
  auto r = c->next_dispatch("READY");
  if (!r) throw std::runtime_error("no READY");
  if (ready) *ready = *r;
  return c;
}

net::http_response FakeTest::rest(const std::string& method, const std::string& route, const std::string& body) {
  net::header_map h;
  h.set("Authorization", "Bot " + fake->options().token);
  h.set("User-Agent", "DiscordBot (https://vectobeat.test, 1.0)");
  if (!body.empty()) h.set("Content-Type", "application/json");
  return http(pool.executor(), method, fake->rest_base() + route, body, h);
}

net::http_response FakeTest::rest(const std::string& method, const std::string& route, const json::value& body) {
  return rest(method, route, json::serialize(body));
}

std::string str(const boost::json::object& o, std::string_view key) {
  return std::string(vb::json::get_string(o, key).value_or(""));
}

}  // namespace vb::fake::test
