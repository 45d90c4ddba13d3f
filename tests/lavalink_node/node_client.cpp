#include "lavalink_node/node_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <future>
#include <stdexcept>

namespace vb::node::test {

void message_log::push(std::string text) {
  {
    std::lock_guard lk(mu_);
    if (!recording_) return;
  }
  auto v = json::parse(text);
  {
    std::lock_guard lk(mu_);
    if (v && v->is_object()) messages_.push_back(v->as_object());
  }
  cv_.notify_all();
}

void message_log::stop_recording() {
  std::lock_guard lk(mu_);
  recording_ = false;
}

void message_log::close() {
  {
    std::lock_guard lk(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

std::optional<std::size_t> message_log::wait(std::size_t from, const std::function<bool(const json::object&)>& pred,
                                             std::chrono::milliseconds limit) {
  std::unique_lock lk(mu_);
  std::optional<std::size_t> found;
  cv_.wait_for(lk, limit, [&] {
    for (std::size_t i = from; i < messages_.size(); ++i) {
      if (pred(messages_[i])) {
        found = i;
        return true;
      }
    }
    return false;
  });
  return found;
}

json::object message_log::at(std::size_t i) const {
  std::lock_guard lk(mu_);
  return messages_.at(i);
}
std::size_t message_log::size() const {
  std::lock_guard lk(mu_);
  return messages_.size();
}
bool message_log::closed() const {
  std::lock_guard lk(mu_);
  return closed_;
}
std::vector<json::object> message_log::all() const {
  std::lock_guard lk(mu_);
  return messages_;
}

std::function<bool(const json::object&)> op_is(std::string op) {
  return [op](const json::object& o) { return json::get_string(o, "op") == op; };
}
std::function<bool(const json::object&)> event_is(std::string type) {
  return [type](const json::object& o) { return json::get_string(o, "op") == "event" && json::get_string(o, "type") == type; };
}

node_client::node_client(asio::any_io_executor ex, std::uint16_t port, std::string password)
    : ex_(ex), port_(port), password_(std::move(password)), log_(std::make_shared<message_log>()) {
  http_ = std::make_unique<net::http_client>(ex_, net::client_options{});
}

node_client::~node_client() {
  if (ws_) ws_->close(1000);
}

net::http_response node_client::call(std::string method, std::string path, std::string body, std::optional<std::string> auth) {
  net::header_map h;
  h.set("Authorization", auth.value_or(password_));
  if (auth && auth->empty()) h.erase("Authorization");
  if (!body.empty()) h.set("Content-Type", "application/json");
  auto* client = http_.get();
  const std::string url = "http://127.0.0.1:" + std::to_string(port_) + path;
  auto op = [client, method = std::move(method), url, h = std::move(h), body = std::move(body)]() mutable -> task<net::http_response> {
    auto r = co_await client->request(std::move(method), url, std::move(h), std::move(body));
    if (!r) throw std::runtime_error("request failed: " + r.error().message);
    co_return std::move(*r);
  };
  auto p = std::make_shared<std::promise<net::http_response>>();
  auto f = p->get_future();
  asio::co_spawn(ex_, std::move(op), [p](std::exception_ptr e, net::http_response v) {
    if (e) p->set_exception(e);
    else p->set_value(std::move(v));
  });
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) throw std::runtime_error("request timed out");
  return f.get();
}

boost::json::value node_client::call_json(std::string method, std::string path, std::string body, int expect_status) {
  auto r = call(std::move(method), std::move(path), std::move(body));
  if (r.status != expect_status)
    throw std::runtime_error("HTTP " + std::to_string(r.status) + " (expected " + std::to_string(expect_status) + "): " + r.body);
  auto v = json::parse(r.body);
  if (!v) throw std::runtime_error("not JSON: " + r.body);
  return *v;
}

expected<std::shared_ptr<net::websocket>, net::client_error> node_client::connect(std::optional<std::string> session_id,
                                                                                 std::optional<std::string> auth,
                                                                                 bool with_user) {
  net::ws_connect_options o;
  o.headers.set("Authorization", auth.value_or(password_));
  if (with_user) o.headers.set("User-Id", "170939974227541168");
  o.headers.set("Client-Name", "vectobeat-tests/1.0");
  if (session_id) o.headers.set("Session-Id", *session_id);
  const std::string url = "ws://127.0.0.1:" + std::to_string(port_) + "/v4/websocket";
  auto op = [ex = ex_, url, o = std::move(o)]() mutable -> task<expected<std::shared_ptr<net::websocket>, net::client_error>> {
    co_return co_await net::ws_connect(ex, url, std::move(o));
  };
  auto p = std::make_shared<std::promise<expected<std::shared_ptr<net::websocket>, net::client_error>>>();
  auto f = p->get_future();
  asio::co_spawn(ex_, std::move(op), [p](std::exception_ptr e, expected<std::shared_ptr<net::websocket>, net::client_error> v) {
    if (e) p->set_exception(e);
    else p->set_value(std::move(v));
  });
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) throw std::runtime_error("connect timed out");
  auto r = f.get();
  if (!r) return r;
  ws_ = *r;
  log_ = std::make_shared<message_log>();
  auto log = log_;
  auto reader = [ws = ws_, log]() -> task<void> {
    for (;;) {
      auto m = co_await ws->read();
      if (!m) break;
      log->push(std::move(m->data));
    }
    log->close();
  };
  asio::co_spawn(ex_, std::move(reader), asio::detached);
  if (auto i = log_->wait(0, op_is("ready"))) session_ = std::string(*json::get_string(log_->at(*i), "sessionId"));
  return r;
}

void node_client::drop() {
  if (ws_) ws_->abort();
  log_->wait(0, [](const json::object&) { return false; }, std::chrono::milliseconds(0));
}

}  // namespace vb::node::test
