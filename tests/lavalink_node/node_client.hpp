#pragma once
// A Lavalink client for the node's loopback tests: REST calls with the password, and a
// WebSocket whose messages are collected so a test can wait for the next one that matches.
#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/async.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/net/http_client.hpp"

namespace vb::node::test {

class message_log {
 public:
  void push(std::string text);
  void close();
  // Waits for the first message at or after `from` for which pred holds; returns its index.
  std::optional<std::size_t> wait(std::size_t from, const std::function<bool(const json::object&)>& pred,
                                  std::chrono::milliseconds limit = std::chrono::seconds(20));
  json::object at(std::size_t i) const;
  std::size_t size() const;
  bool closed() const;
  std::vector<json::object> all() const;
  // Messages arriving from now on are dropped (a long benchmark would otherwise keep every
  // playerUpdate, and count it as the node's memory).
  void stop_recording();

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json::object> messages_;
  bool closed_ = false;
  bool recording_ = true;
};

// Predicates on node messages.
std::function<bool(const json::object&)> op_is(std::string op);
std::function<bool(const json::object&)> event_is(std::string type);

class node_client {
 public:
  node_client(asio::any_io_executor ex, std::uint16_t port, std::string password);
  ~node_client();

  // REST: `path` with query; returns the response (status, headers, body).
  net::http_response call(std::string method, std::string path, std::string body = {},
                          std::optional<std::string> auth = std::nullopt);
  boost::json::value call_json(std::string method, std::string path, std::string body = {}, int expect_status = 200);

  // WebSocket: connects with User-Id 170939974227541168 (and Session-Id when given).
  expected<std::shared_ptr<net::websocket>, net::client_error> connect(std::optional<std::string> session_id = std::nullopt,
                                                                      std::optional<std::string> auth = std::nullopt,
                                                                      bool with_user = true);
  message_log& messages() { return *log_; }
  std::string session_id() const { return session_; }
  void set_session_id(std::string s) { session_ = std::move(s); }
  std::shared_ptr<net::websocket> socket() const { return ws_; }
  // Drops the socket without a close frame (a client that lost its connection).
  void drop();

 private:
  asio::any_io_executor ex_;
  std::uint16_t port_;
  std::string password_;
  std::unique_ptr<net::http_client> http_;
  std::shared_ptr<message_log> log_;
  std::shared_ptr<net::websocket> ws_;
  std::string session_;
};

}  // namespace vb::node::test
