#pragma once
// Shared by the node and node_pool integration tests: an io_context on two threads, a
// manual clock, scripted nodes on loopback and an event recorder with bounded waits.
#include <boost/asio/strand.hpp>
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "common/net_fixture.hpp"
#include "scripted_lavalink_server.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/lavalink_client/node_pool.hpp"

namespace vb::llc::test {

inline constexpr std::uint64_t bot_user = 1111;

class event_recorder {
 public:
  void operator()(const event& e) {
    std::lock_guard lk(mu_);
    events_.push_back(e);
  }
  std::vector<event> all() const {
    std::lock_guard lk(mu_);
    return events_;
  }
  template <class T>
  std::vector<T> of() const {
    std::lock_guard lk(mu_);
    std::vector<T> out;
    for (auto& e : events_)
      if (auto* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }
  template <class T>
  std::size_t count() const {
    return of<T>().size();
  }

 private:
  mutable std::mutex mu_;
  std::vector<event> events_;
};

class pool_test : public vb::test::io_fixture {
 protected:
  pool_test() : strand_(asio::make_strand(ex())) {}
  void TearDown() override {
    if (pool_) pool_->stop();
    stop_io();
  }

  std::unique_ptr<scripted_lavalink_server> make_server(std::string name) {
    scripted_node_options o;
    o.name = std::move(name);
    return std::make_unique<scripted_lavalink_server>(ex(), clk_, o);
  }

  pool_options options() {
    pool_options o;
    o.node.reconnect_initial = std::chrono::milliseconds(1000);
    o.node.reconnect_max = std::chrono::milliseconds(8000);
    return o;
  }

  void start_pool(std::vector<node_config> nodes, pool_options o) {
    pool_ = std::make_unique<node_pool>(strand_, clk_, std::move(nodes), std::move(o));
    pool_->on_event([this](const event& e) { events_(e); });
    pool_->start(bot_user, {});
  }

  // The client enabled resuming on `server` and has seen the answer: it sends GET /v4/info
  // only after the answer to PATCH /v4/sessions/{id} arrived.
  bool resuming_known(const scripted_lavalink_server& server) {
    return eventually([&] { return !server.requests("GET", "/v4/info").empty(); }) &&
           server.session_config().resuming;
  }

  bool node_ready(const std::string& name) {
    return eventually([&] {
      for (auto& v : run(pool_->nodes()))
        if (v.name == name && v.status == node_status::ready) return true;
      return false;
    });
  }

  // Joins voice for `guild` (both Discord events), so the player gets placed and synced.
  void join_voice(std::uint64_t guild, std::uint64_t channel = 500) {
    auto a = run(pool_->voice_state_update(guild, std::string("voice-session"), channel));
    ASSERT_TRUE(a) << a.error().describe();
    auto b = run(pool_->voice_server_update(guild, std::string("voice-token"), std::string("voice.example:443")));
    ASSERT_TRUE(b) << b.error().describe();
  }

  manual_clock clk_;
  asio::any_io_executor strand_;
  event_recorder events_;
  std::unique_ptr<node_pool> pool_;
};

}  // namespace vb::llc::test
