#pragma once
// The bot: Discord gateway + REST, the Lavalink node pool, the command registry and the
// interaction router, one player per guild with its queue, persistence of queues, the
// Status API (:3051) and Prometheus metrics (:3052).
//
//   vb::runtime rt;
//   vb::bot::bot b(rt.executor(), vb::clock::system(), settings);
//   if (auto r = b.start(); !r) { /* r.error() says why */ }
//   rt.on_shutdown([&] { b.stop(); });
//   rt.run();
//
// Threading: start(), stop() and the observers are safe from any thread that does not run
// `io` (they block until the bot's strand answered). Everything else runs on the bot's
// strand; the gateway's threads only post to it and never wait for Lavalink or storage.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/bot/command_registry.hpp"
#include "vectobeat/common/async.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/settings.hpp"
#include "vectobeat/storage/models.hpp"

namespace vb {
class clock;
}

namespace vb::bot {

struct bot_options {
  // Interactions whose handler is still running after this are deferred (type 5).
  std::chrono::milliseconds defer_after{1500};
  // Live edits of now-playing messages while a track plays.
  std::chrono::milliseconds now_playing_refresh{5000};
  // How long /nowplaying keeps its message live (the original's view timeout).
  std::chrono::milliseconds now_playing_lifetime{120'000};
  // /play autocomplete waits at most this long for search results (Discord drops an
  // autocomplete answer after 3 s); a slower search still fills the cache for the next
  // keystroke.
  std::chrono::milliseconds autocomplete_budget{1500};
  // Every player's node is re-evaluated this often (regional routing: region, liveness,
  // load); 0 turns the periodic pass off (routing still runs on /settings region and
  // POST /reconcile-routing).
  std::chrono::milliseconds routing_interval{30'000};
  // Register commands per guild (instant) instead of globally; `up` with the fake uses it.
  std::vector<std::uint64_t> command_guilds;
};

// A guild's player as tests and the status API see it.
struct guild_view {
  std::uint64_t guild_id = 0;
  std::optional<storage::queue_entry> current;
  std::vector<storage::queue_entry> upcoming;
  storage::loop_mode loop = storage::loop_mode::off;
  int volume = 100;
  bool paused = false;
  std::int64_t position = 0;
  std::string node;
  std::optional<std::uint64_t> voice_channel;
  std::string filter_preset = "off";
};

class bot {
 public:
  bot(asio::any_io_executor io, clock& clk, settings config, bot_options opts = {});
  ~bot();  // stop()
  bot(const bot&) = delete;
  bot& operator=(const bot&) = delete;

  // Identity, command registration (bulk overwrite only when changed), storage, queue
  // restore, nodes, gateway, Status API and metrics. Blocks until the gateway connection
  // was started; the error says what is wrong (token, storage file, ports).
  expected<void, std::string> start();
  // Saves every queue with its position, closes the gateway and the nodes (their
  // sessions stay resumable), stops the servers. Idempotent.
  void stop();

  const command_registry& commands() const;
  // Blocks until every shard of this process is READY and a node is connected (or the timeout).
  bool wait_ready(std::chrono::milliseconds timeout) const;
  std::optional<guild_view> guild(std::uint64_t guild_id) const;
  std::uint16_t status_api_port() const;  // 0: not listening
  std::uint16_t metrics_port() const;     // 0: not listening
  std::string metrics_text() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::bot
