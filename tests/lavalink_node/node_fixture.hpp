#pragma once
// The node under test on 127.0.0.1 (port 0), a client, a media server and a loopback voice
// server. Protocol time runs on a manual clock (playerUpdate, stats, resume windows); audio
// runs in real time on the scheduler's worker.
#include <gtest/gtest.h>

#include <memory>

#include "audio/fixtures.hpp"
#include "common/net_fixture.hpp"
#include "lavalink_node/loopback_voice_server.hpp"
#include "lavalink_node/media_server.hpp"
#include "lavalink_node/node_client.hpp"
#include "lavalink_node/test_media.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/net/http.hpp"
#include "vectobeat/node/node_server.hpp"

namespace vb::node::test {

inline constexpr std::uint64_t guild_a = 817327181659111454;
inline constexpr std::uint64_t guild_b = 817327181659111455;

class node_fixture : public vb::test::io_fixture {
 protected:
  node_fixture() : io_fixture(2) {}

  static node_config base_config() {
    node_config c;
    c.password = "pw";
    c.allow_private_addresses = true;
    c.voice_tls = false;
    c.worker_threads = 1;
    c.loader_threads = 2;
    c.track_stuck_threshold = std::chrono::milliseconds(1000);
    c.disabled_filters = {"karaoke"};
    return c;
  }

  void start_node(node_config c = base_config()) {
    node_ = std::make_unique<node_server>(ex(), clock_, std::move(c));
    port_ = node_->listen("127.0.0.1", 0);
    client_ = std::make_unique<node_client>(ex(), port_, "pw");
  }

  void start_voice(loopback_voice_options o = {}) { voice_ = std::make_unique<loopback_voice_server>(ex(), std::move(o)); }

  void TearDown() override {
    client_.reset();
    if (node_) node_->stop();
    if (voice_) voice_->stop();
    stop_io();
  }

  std::string players_path(std::uint64_t guild, bool no_replace = false) const {
    return "/v4/sessions/" + client_->session_id() + "/players/" + std::to_string(guild) +
           (no_replace ? "?noReplace=true" : "?noReplace=false");
  }

  boost::json::value patch(std::uint64_t guild, std::string body, bool no_replace = false) {
    return client_->call_json("PATCH", players_path(guild, no_replace), std::move(body));
  }

  // Connects the WebSocket and joins the loopback voice server for `guild`.
  void join(std::uint64_t guild) {
    patch(guild, R"({"voice":{"token":"voice-token","endpoint":")" + voice_->endpoint() +
                     R"(","sessionId":"voice-session","channelId":"222"}})");
    ASSERT_TRUE(eventually([&] { return voice_->identified(guild) >= 1 && !voice_->mode(guild).empty(); }));
  }

  // Serves a fixture (or bytes) and returns the encoded track loadtracks gives for it.
  std::string serve_and_load(const std::string& path, std::string body, std::string content_type) {
    media_route r;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    media_.add(path, r);
    auto v = client_->call_json("GET", "/v4/loadtracks?identifier=" + net::url_encode(media_.url(path)));
    const auto& o = v.as_object();
    if (json::get_string(o, "loadType") != "track") throw std::runtime_error("not a track: " + json::serialize(v));
    return std::string(*json::get_string(*json::get_object(o, "data"), "encoded"));
  }

  std::string tone_track(const std::string& path, double seconds, double freq = 1000) {
    auto wav = wav_tone(freq, seconds);
    return serve_and_load(path, std::string(wav.begin(), wav.end()), "audio/wav");
  }

  manual_clock clock_;
  media_server media_;
  std::unique_ptr<loopback_voice_server> voice_;
  std::unique_ptr<node_server> node_;
  std::unique_ptr<node_client> client_;
  std::uint16_t port_ = 0;
};

inline std::string str(const json::object& o, std::string_view key) {
  return std::string(json::get_string(o, key).value_or(""));
}

}  // namespace vb::node::test
