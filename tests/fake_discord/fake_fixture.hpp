#pragma once
// Test support for the fake Discord: an io_context pool, a started vb::fake::server, a
// blocking gateway client (with zlib-stream/zstd-stream decoding) and a blocking HTTP
// helper. Waits are bounded by generous real-time limits only to turn hangs into failures;
// every wait returns as soon as the awaited message or state arrived.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/common/net/websocket.hpp"
#include "vectobeat/fake_discord/server.hpp"

namespace vb::fake::test {

using namespace std::chrono_literals;

class io_pool {
 public:
  explicit io_pool(int threads = 2);
  ~io_pool();
  asio::any_io_executor executor() { return ioc_.get_executor(); }
  void stop();

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

enum class transport { plain, zlib, zstd };

// One gateway (or voice gateway) WebSocket driven from the test thread.
class ws_client {
 public:
  // Connects (blocking); `extra_ca` for wss.
  static std::unique_ptr<ws_client> connect(asio::any_io_executor ex, const std::string& url, transport t = transport::plain,
                                            const std::string& extra_ca = {});
  ~ws_client();

  // The next message as JSON; nullopt when the socket closed or `timeout` passed.
  std::optional<boost::json::object> next(std::chrono::milliseconds timeout = 10s);
  // Skips messages until a dispatch named `event` (or any op `op` when event is empty).
  std::optional<boost::json::object> next_dispatch(const std::string& event, std::chrono::milliseconds timeout = 10s);
  std::optional<boost::json::object> next_op(int op, std::chrono::milliseconds timeout = 10s);
  void send(const boost::json::value& v);
  void send_raw(std::string text, bool binary = false);
  // Waits for the socket to close; the close code (0 when it did not close in time).
  std::uint16_t wait_close(std::chrono::milliseconds timeout = 10s);
  void close(std::uint16_t code);
  void abort();
  std::int64_t last_seq() const;
  std::size_t binary_frames() const;

  struct state;

 private:
  std::shared_ptr<state> st_;
};

// Blocking HTTP request to `url` (absolute).
net::http_response http(asio::any_io_executor ex, const std::string& method, const std::string& url,
                        const std::string& body = {}, const net::header_map& headers = {});

class FakeTest : public ::testing::Test {
 protected:
  FakeTest();
  ~FakeTest() override;
  void TearDown() override;

  // Starts the fake with `opts` on `clk` (the system clock when null).
  void start(server_options opts = defaults(), clock* clk = nullptr);
  static server_options defaults();

  // Connects, waits for Hello and identifies; returns the client after READY (the READY
  // payload in `ready` when given).
  std::unique_ptr<ws_client> identify(int shard = 0, int shards = 1, std::uint64_t intents = 129,
                                      transport t = transport::plain, boost::json::object* ready = nullptr);
  boost::json::object identify_payload(int shard, int shards, std::uint64_t intents) const;

  // REST with the bot's token and a DiscordBot User-Agent.
  net::http_response rest(const std::string& method, const std::string& route, const std::string& body = {});
  net::http_response rest(const std::string& method, const std::string& route, const boost::json::value& body);

  demo_ids demo() const { return *fake->demo(); }

  io_pool pool;
  manual_clock mclock;
  std::unique_ptr<server> fake;
};

boost::json::object parse_object(const std::string& text);

// A string field of a JSON object ("" when missing or not a string).
std::string str(const boost::json::object& o, std::string_view key);

}  // namespace vb::fake::test
