#pragma once
// The bot's internals shared by its translation units (bot.cpp: wiring and lifecycle;
// bot_events.cpp: gateway and node events; guild_player.cpp: per-guild playback;
// music_commands.cpp / info_commands.cpp: the command handlers; bot_status.cpp: status).
// Everything here runs on `strand` unless noted.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "vectobeat/bot/activity_window.hpp"
#include "vectobeat/bot/bot.hpp"
#include "vectobeat/bot/command_registry.hpp"
#include "vectobeat/bot/embed_factory.hpp"
#include "vectobeat/bot/interaction_router.hpp"
#include "vectobeat/bot/music_queue.hpp"
#include "vectobeat/bot/status_api.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/common/metrics.hpp"
#include "vectobeat/discord/discord_api.hpp"
#include "vectobeat/discord/rest_client.hpp"
#include "vectobeat/discord/shard_manager.hpp"
#include "vectobeat/lavalink_client/node_pool.hpp"
#include "vectobeat/storage/async_storage.hpp"

namespace vb::bot {

namespace detail {

// One slash-command option, as the command tables declare them.
inline discord::command_option opt(discord::option_type t, std::string name, std::string description,
                                   bool required = true) {
  discord::command_option o;
  o.type = t;
  o.name = std::move(name);
  o.description = std::move(description);
  o.required = required;
  return o;
}

}  // namespace detail

struct guild_state {
  std::uint64_t id = 0;
  music_queue queue;
  int volume = 100;             // 0..200 as users set it
  bool paused = false;
  std::int64_t position = 0;    // ms, last reported
  std::string node;
  std::optional<std::uint64_t> text_channel;
  std::optional<std::uint64_t> voice_channel;  // the bot's, as it asked for it
  std::string preset = "off";
  lavalink::filters filters;
  bool announce_next = true;     // false: the /play reply already shows the next start
  std::uint64_t track_generation = 0;  // bumps at every start: stops stale refreshers
  std::uint64_t idle_generation = 0;
  bool collaborative = true;
  bool autoplay = false;
  storage::announcement_style announcement = storage::announcement_style::rich;
  bool profile_loaded = false;
  std::string region = "auto";  // preferred node region (profile "lavalinkRegion")
};

// What /reconcile-routing (and /settings region) did with a guild's player.
struct route_outcome {
  std::string region = "auto";
  bool moved = false;
  std::string from, to;  // node names ("" without a player)
  std::string note;      // why, for people
};

// Text searches go through this source first (/play, autocomplete), as the original did.
inline constexpr std::string_view play_search_prefix = "ytsearch:";

struct bot::impl : std::enable_shared_from_this<impl> {
  using ptr = std::shared_ptr<impl>;

  impl(asio::any_io_executor io, clock& clk, settings config, bot_options opts);

  settings cfg;
  bot_options opts;
  clock& clk;
  asio::any_io_executor io;
  asio::any_io_executor strand;
  log::logger lg{"bot"};

  discord::rest_client rest;
  discord::discord_api api;
  std::unique_ptr<discord::shard_manager> gw;
  std::unique_ptr<llc::node_pool> pool;
  std::unique_ptr<storage::async_storage> db;
  command_registry registry;
  embed_factory embeds;
  std::unique_ptr<interaction_router> router;
  std::unique_ptr<status_server> status;
  std::vector<discord::event_bus::subscription> subs;

  std::map<std::uint64_t, std::unique_ptr<guild_state>> guilds;
  std::map<std::uint64_t, storage::queue_state> pending_restore;
  discord::snowflake bot_user;
  discord::snowflake application;
  steady_time started_at{};
  system_time started_sys{};
  std::atomic<bool> pool_started{false};
  std::atomic<bool> stopped{false};
  // Timers of the refreshers and idle watchers; stop() cancels them so nothing keeps the
  // bot alive after it stopped.
  std::vector<std::weak_ptr<timer>> timers;
  std::shared_ptr<timer> make_timer();
  std::mt19937_64 rng{std::random_device{}()};

  metrics::registry metrics;
  metrics::family<metrics::counter>* commands_total = nullptr;
  // Registered once (the registry refuses a second registration); set at every scrape.
  metrics::gauge* uptime_gauge = nullptr;
  metrics::gauge* guilds_gauge = nullptr;
  metrics::gauge* players_gauge = nullptr;
  metrics::gauge* active_players_gauge = nullptr;
  metrics::gauge* queue_tracks_gauge = nullptr;
  metrics::family<metrics::gauge>* node_up = nullptr;
  metrics::family<metrics::gauge>* shard_latency = nullptr;
  metrics::family<metrics::gauge>* shard_guilds = nullptr;
  std::atomic<std::uint64_t> streams{0};
  // Rolling 24 h windows of the Status API (strand only).
  rolling_counter commands_24h{clk};
  rolling_counter listener_levels{clk};
  distinct_window listeners_24h{clk};
  // Listeners in the bot's voice channel of `g` now (strand only); each is remembered in
  // listeners_24h.
  std::size_t count_listeners(const guild_state& g);

  // ---- lifecycle (bot.cpp)
  task<expected<void, std::string>> run_start(ptr self);
  task<void> run_stop(ptr self);
  task<expected<void, std::string>> sync_commands();
  void subscribe(const ptr& self);
  task<void> run_interaction(ptr self, discord::interaction in);
  void save_resume_sessions();
  std::map<std::string, std::string> load_resume_sessions() const;

  // ---- events (bot_events.cpp)
  task<void> on_voice_state(ptr self, discord::voice_state v);
  task<void> on_voice_server(ptr self, discord::voice_server_update_event e);
  task<void> on_guild_available(ptr self, std::uint64_t guild_id);
  task<void> on_pool_event(ptr self, llc::event e);
  task<void> run_restore(ptr self, storage::queue_state q);
  task<void> run_now_playing(ptr self, std::uint64_t guild_id, std::uint64_t generation, std::uint64_t channel,
                             std::uint64_t message, std::string token, steady_time until);
  task<void> run_idle(ptr self, std::uint64_t guild_id, std::uint64_t generation);

  // ---- guild playback (guild_player.cpp)
  guild_state& guild(std::uint64_t id);
  guild_state* find_guild(std::uint64_t id);
  task<void> load_profile(guild_state& g);
  // Asks Discord to move the bot into `channel` (self-deafened).
  std::optional<std::string> join_voice(guild_state& g, std::uint64_t channel);
  task<void> leave_voice(guild_state& g);
  // Plays `e` now (the queue's current entry). Error text for the user.
  task<expected<void, std::string>> start_entry(guild_state& g, storage::queue_entry e);
  // After a track ended by itself (or a skip): the next entry, autoplay, or "finished".
  task<void> advance(guild_state& g, bool skipped);
  task<void> announce(guild_state& g, const storage::queue_entry& e);
  task<std::optional<storage::queue_entry>> recommend(guild_state& g, storage::queue_entry last);
  now_playing_view view_of(const guild_state& g) const;
  std::vector<discord::action_row> now_playing_buttons(const guild_state& g) const;
  void persist(guild_state& g);
  int lavalink_volume(const guild_state& g) const { return g.volume; }
  void start_idle(guild_state& g);
  std::size_t queue_limit(const guild_state& g) const;

  // ---- commands (music_commands.cpp, info_commands.cpp)
  void register_music_commands(const ptr& self);
  void register_info_commands(const ptr& self);
  task<std::optional<std::string>> check_gates(const command_spec& spec, command_context& ctx);
  task<reply> on_now_playing_button(ptr self, command_context& ctx);
  task<reply> on_queue_page(ptr self, command_context& ctx);
  // /help: one page per command category, a category select menu and previous/next buttons.
  reply help_page(std::size_t page) const;
  task<reply> on_help_page(ptr self, command_context& ctx);

  // ---- /play autocomplete search (play_search.cpp)
  struct search_entry {
    steady_time at{};
    std::vector<discord::command_option_choice> choices;
  };
  std::map<std::string, search_entry> search_cache;  // lower-cased query -> choices
  // Queries being searched -> timers of the autocompletes waiting for them.
  std::map<std::string, std::vector<std::shared_ptr<timer>>> search_waiters;
  std::chrono::seconds search_ttl() const;
  const std::vector<discord::command_option_choice>* cached_search(const std::string& key) const;
  // Search choices for `query`, waiting at most opts.autocomplete_budget.
  task<std::vector<discord::command_option_choice>> search_choices(ptr self, std::string query);
  task<void> run_search(ptr self, std::string key, std::string identifier);
  // Titles from the guild's history containing `needle` (lower case).
  task<std::vector<discord::command_option_choice>> history_choices(std::uint64_t guild_id, std::string needle);

  // ---- regional routing (routing.cpp)
  void register_routing_commands(const ptr& self);
  // Re-evaluates the node of the guild's player for its region and load; moves it through
  // the pool's move path when another node is clearly better.
  task<route_outcome> reroute(ptr self, std::uint64_t guild_id);
  // Every opts.routing_interval: reroute() for each guild with a playing track.
  task<void> run_routing(ptr self);
  // The Status API's POST /reconcile-*: the JSON body of the answer.
  task<std::string> reconcile(ptr self, std::string route, std::uint64_t guild_id);

  // ---- status (bot_status.cpp)
  task<std::string> status_json(ptr self);
  task<std::string> render_metrics(ptr self);
  guild_view view(const guild_state& g) const;
};

// A track's requester from the userData the bot put into it.
std::optional<std::uint64_t> requester_of(const lavalink::track& t);
storage::queue_entry make_entry(lavalink::track t, std::uint64_t requester);

}  // namespace vb::bot
