#pragma once
// End-to-end fixture: in one process the fake Discord, one or two in-process audio nodes, a
// local HTTP server with generated tones, and the bot pointed at all of them. Waits use
// real time only as failure bounds; every wait returns as soon as its condition holds.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/array.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vectobeat/bot/bot.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/common/settings.hpp"
#include "vectobeat/fake_discord/server.hpp"
#include "vectobeat/fake_discord/wav.hpp"
#include "vectobeat/node/node_server.hpp"

namespace vb::bot::test {

using namespace std::chrono_literals;

class io_pool {
 public:
  explicit io_pool(int threads);
  ~io_pool();
  asio::any_io_executor executor() { return ioc_.get_executor(); }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// Serves fixed bodies over HTTP on 127.0.0.1 (with Range requests, for seeking) on the
// test's io_context, so it is stopped with everything else.
class media_server {
 public:
  explicit media_server(asio::any_io_executor ex);
  ~media_server();
  void add(std::string path, std::string content_type, std::string body);
  std::string url(std::string_view path) const;
  void stop();

 private:
  task<net::http_response> handle(net::http_request& req);
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> routes_;  // path -> type, body
  std::unique_ptr<net::http_server> server_;
  std::uint16_t port_ = 0;
};

// A WAV file (48 kHz stereo s16) of a sine at `hz`.
std::string tone_wav(double hz, double seconds);

struct tone_result {
  double seconds = 0;    // audible part
  double frequency = 0;  // from rising zero crossings
};
tone_result analyse(const fake::wav_audio& w, int threshold = 1000);

// Polls `done` until it holds or `timeout` passed (a failure bound, not a delay).
// Slash-command options as a user types them.
fake::command_option str_opt(std::string name, std::string value);
fake::command_option int_opt(std::string name, std::int64_t value);
// The last `seconds` of a recording.
fake::wav_audio tail(const fake::wav_audio& w, double seconds);
// The frequency of the last `last_seconds` the fake recorded on a voice connection (0: none).
double recorded_frequency(fake::server& f, std::uint64_t connection, double last_seconds);

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 15s);

class BotE2E : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts an audio node on a free port; returns its index. With `search`, the node answers
  // ytsearch:/scsearch: and plays YouTube URLs through the node tests' fake resolver,
  // whose media URLs point at /yt/<id> on the media server.
  std::size_t start_node(const std::string& name, const std::string& region = "us", bool search = false);
  // Starts node `index` again (after its server was stopped) on the same port.
  void restart_node(std::size_t index);
  settings bot_settings() const;
  void start_bot();
  void stop_bot();

  // A user runs a command and waits for the initial response (and the deferred edit).
  fake::interaction run(std::uint64_t user, const std::string& name, std::vector<fake::command_option> options = {});
  // The same for a sub-command ("/profile set-autoplay enabled:true"), with raw options.
  fake::interaction run_sub(std::uint64_t user, const std::string& group, const std::string& sub,
                            boost::json::array options = {});
  fake::interaction run_invocation(fake::command_invocation c);
  // The visible text of the bot's reply to an interaction (content + embed titles,
  // descriptions and field values), after its final edit.
  std::string reply_text(const fake::interaction& in);
  bool reply_ephemeral(const fake::interaction& in);
  // A user clicks a component (button, or select menu with `values`) of `message` and
  // waits for the bot's response.
  fake::interaction click(std::uint64_t message, std::uint64_t user, const std::string& custom_id,
                          std::vector<std::string> values = {});
  // A user types `typed` into `option` of /`name`: the bot's autocomplete response.
  fake::interaction autocomplete(std::uint64_t user, const std::string& name, const std::string& option,
                                 const std::string& typed);
  // The bot's Status API on loopback with its key: HTTP status and body (status 0: no answer).
  std::pair<int, std::string> status_api(const std::string& method, const std::string& path, const std::string& body = "");
  // GET /metrics from the bot's Prometheus endpoint.
  std::pair<int, std::string> metrics_scrape();
  // POSTs to the fake's REST API as the bot (e.g. to register a command the bot does not know).
  int discord_post(const std::string& path, const std::string& json);
  // The open voice connection of the demo guild, with at least `packets` recorded.
  std::optional<fake::voice_connection_info> wait_audio(std::uint64_t packets, std::chrono::milliseconds timeout = 20s,
                                                        std::uint64_t not_id = 0);
  std::optional<guild_view> player() { return bot_->guild(demo_.guild); }

  std::unique_ptr<io_pool> io_;
  std::unique_ptr<fake::server> fake_;
  fake::demo_ids demo_;
  std::unique_ptr<media_server> media_;
  struct node_entry {
    std::string name;
    std::unique_ptr<node::node_server> server;
    std::uint16_t port = 0;
    std::string region;
    node::node_config config;
  };
  std::vector<node_entry> nodes_;
  std::filesystem::path dir_;
  std::unique_ptr<vb::bot::bot> bot_;
  int queue_limit_ = 500;
  bot_options bot_options_;  // tests may change it before start_bot()
};

}  // namespace vb::bot::test
