// The music commands (contracts §2.2-2.4): voice, playback, queue, filter presets.
#include <algorithm>

#include "bot_impl.hpp"
#include "vectobeat/bot/permissions.hpp"
#include "vectobeat/bot/time_format.hpp"

namespace vb::bot {

namespace {

using discord::command_option;
using discord::option_type;

constexpr std::size_t max_query_chars = 500;
constexpr std::size_t queue_page_size = 10;
// Autocomplete searches the nodes from this many typed characters on.
constexpr std::size_t min_search_chars = 2;

using detail::opt;

command_option int_opt(std::string name, std::string description, double min, double max, bool required = true) {
  auto o = opt(option_type::integer, std::move(name), std::move(description), required);
  o.min_value = min;
  o.max_value = max;
  return o;
}

// URLs go to the node as they are (file:// reaches the node's local source when enabled).
bool is_url(std::string_view q) {
  return q.rfind("http://", 0) == 0 || q.rfind("https://", 0) == 0 || q.rfind("file://", 0) == 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

lavalink::filters preset_filters(std::string_view name) {
  lavalink::filters f;
  if (name == "bassboost") {
    std::vector<lavalink::equalizer_band> bands;
    const double gains[] = {0.25, 0.2, 0.15, 0.1, 0.05};
    for (int i = 0; i < 5; ++i) bands.push_back({i, gains[i]});
    f.equalizer = bands;
  } else if (name == "nightcore") {
    f.timescale = lavalink::timescale_filter{1.2, 1.2, 1.0};
  } else if (name == "vaporwave") {
    f.timescale = lavalink::timescale_filter{0.85, 0.8, 1.0};
  } else if (name == "8d") {
    f.rotation = lavalink::rotation_filter{0.2};
  } else if (name == "karaoke") {
    f.karaoke = lavalink::karaoke_filter{};
  }
  return f;
}

}  // namespace

// ------------------------------------------------------------------ gates

task<std::optional<std::string>> bot::impl::check_gates(const command_spec& spec, command_context& ctx) {
  const auto gid = discord::snowflake(ctx.guild_id);
  auto* g = find_guild(ctx.guild_id);
  if (spec.gates & (gate::in_voice | gate::same_voice)) {
    const auto ch = gw->cache().voice_channel_of(gid, discord::snowflake(ctx.user_id));
    if (!ch) co_return std::optional<std::string>("Join a voice channel first.");
    if ((spec.gates & gate::same_voice) && g && g->voice_channel && *g->voice_channel != ch.value() &&
        g->queue.current())
      co_return "You need to be in <#" + std::to_string(*g->voice_channel) + "> with me to do that.";
  }
  if ((spec.gates & gate::playing) && (!g || !g->queue.current()))
    co_return std::optional<std::string>("Nothing is playing right now.");
  if ((spec.gates & gate::manage_guild) && !can_manage_guild(ctx.member_permissions()))
    co_return std::optional<std::string>("You need the Manage Server permission for this command.");
  if (spec.gates & gate::dj) {
    std::set<std::uint64_t> roles;
    if (db) {
      const auto id = ctx.guild_id;
      auto fn = [id](storage::stores& s) { return s.dj->get(id); };
      auto cfgs = co_await db->run(fn);
      if (cfgs) roles = cfgs->roles;
    }
    const bool dj = is_dj(ctx.member_permissions(), ctx.member_roles(), roles);
    g = find_guild(ctx.guild_id);
    const auto requester = g && g->queue.current() ? g->queue.current()->requester : std::nullopt;
    if (!may_control_track(dj, requester, ctx.user_id))
      co_return std::optional<std::string>("Only DJs (or members with Manage Server) can control other people's tracks.");
  }
  co_return std::nullopt;
}

// ------------------------------------------------------------------ components

task<reply> bot::impl::on_now_playing_button(ptr, command_context& ctx) {
  const std::string action = ctx.args.empty() ? std::string() : ctx.args[0];
  std::string name;
  if (action == "pause") {
    auto* g = find_guild(ctx.guild_id);
    name = g && g->paused ? "resume" : "pause";
  } else if (action == "skip" || action == "stop") {
    name = action;
  } else if (action == "loop") {
    name = "loop";
  } else {
    co_return reply::failure("This button is no longer supported.");
  }
  const auto* spec = registry.find(name);
  if (!spec) co_return reply::failure("This button is no longer supported.");
  auto refused = co_await check_gates(*spec, ctx);
  if (refused) co_return reply::failure(std::move(*refused));
  if (name == "loop") {
    auto& g = guild(ctx.guild_id);
    const auto next = static_cast<storage::loop_mode>((static_cast<int>(g.queue.loop()) + 1) % 3);
    g.queue.set_loop(next);
    persist(g);
    co_return reply::text("Loop: **" + embed_factory::loop_name(next) + "**", true);
  }
  auto r = co_await spec->handler(ctx);
  r.ephemeral = true;
  co_return r;
}

task<reply> bot::impl::on_queue_page(ptr, command_context& ctx) {
  std::size_t page = 0;
  if (!ctx.args.empty()) page = static_cast<std::size_t>(std::strtoul(ctx.args[0].c_str(), nullptr, 10));
  auto& g = guild(ctx.guild_id);
  std::vector<storage::queue_entry> up(g.queue.upcoming().begin(), g.queue.upcoming().end());
  const std::size_t pages = std::max<std::size_t>(1, (up.size() + queue_page_size - 1) / queue_page_size);
  page = std::min(page, pages - 1);
  reply r;
  r.update_message = true;
  r.message.embeds = std::vector<discord::embed>{
      embeds.queue_page(g.queue.current(), up, page, queue_page_size, g.queue.upcoming_duration())};
  discord::action_row row;
  auto b = [&](std::string label, std::size_t target, bool disabled) {
    discord::button x;
    x.label = std::move(label);
    x.custom_id = make_custom_id({"q", std::to_string(target), label == "\xE2\x97\x80" ? "p" : "n"});
    x.disabled = disabled;
    row.components.push_back(x);
  };
  b("\xE2\x97\x80", page == 0 ? 0 : page - 1, page == 0);
  b("\xE2\x96\xB6", page + 1 >= pages ? pages - 1 : page + 1, page + 1 >= pages);
  r.message.components = std::vector<discord::action_row>{row};
  co_return r;
}

// ------------------------------------------------------------------ registration

void bot::impl::register_music_commands(const ptr& self) {
  std::weak_ptr<impl> weak = self;
  // Each handler runs on the strand with the impl alive (the router belongs to it).
  auto add = [&](command_spec s) { registry.add(std::move(s)); };
  impl* me = this;

  // /connect
  add({"connect", "Join your voice channel.", "Voice", {}, gate::in_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         const auto ch = me->gw->cache().voice_channel_of(discord::snowflake(ctx.guild_id), discord::snowflake(ctx.user_id));
         voice_target t;
         t.bot_perms = me->gw->cache().bot_permissions(discord::snowflake(ctx.guild_id), ch);
         if (auto c = me->gw->cache().channel_info(discord::snowflake(ctx.guild_id), ch)) t.user_limit = c->user_limit;
         t.occupants = me->gw->cache().voice_states(discord::snowflake(ctx.guild_id), ch).size();
         t.bot_inside = g.voice_channel == ch.value();
         if (auto err = voice_preflight(t)) co_return reply::failure(*err);
         if (auto err = me->join_voice(g, ch.value())) co_return reply::failure(*err);
         g.text_channel = ctx.channel_id;
         co_return reply::embed(me->embeds.card(tone::success, "Connected", "Joined <#" + ch.str() + ">."));
       },
       {}});

  // /disconnect
  add({"disconnect", "Leave the voice channel and clear the queue.", "Voice", {}, gate::dj, false, true,
       [me](command_context& ctx) -> task<reply> {
         auto* g = me->find_guild(ctx.guild_id);
         if (!g || !g->voice_channel) co_return reply::failure("I am not in a voice channel.");
         co_await me->leave_voice(*g);
         co_return reply::text("Disconnected.", true);
       },
       {}});

  // /play
  command_spec play{"play", "Play a song or playlist by search or URL.", "Music",
                    {[] {
                      auto o = opt(option_type::string, "query", "Search query, URL, or playlist link");
                      o.max_length = static_cast<int>(max_query_chars);
                      return o;
                    }()},
                    gate::in_voice | gate::same_voice, true, false, {}, {}};
  play.handler = [me](command_context& ctx) -> task<reply> {
    auto query = ctx.string_option("query").value_or(std::string());
    while (!query.empty() && query.back() == ' ') query.pop_back();
    while (!query.empty() && query.front() == ' ') query.erase(0, 1);
    if (query.empty()) co_return reply::failure("Tell me what to play: a URL or a search text.");
    if (query.size() > max_query_chars) co_return reply::failure("That query is too long (500 characters at most).");
    auto& g = me->guild(ctx.guild_id);
    co_await me->load_profile(g);
    const auto gid = discord::snowflake(ctx.guild_id);
    const auto ch = me->gw->cache().voice_channel_of(gid, discord::snowflake(ctx.user_id));
    if (!ch) co_return reply::failure("Join a voice channel first.");
    if (!g.collaborative) {
      std::set<std::uint64_t> roles;
      const auto id = ctx.guild_id;
      auto fn = [id](storage::stores& s) { return s.dj->get(id); };
      auto c = co_await me->db->run(fn);
      if (c) roles = c->roles;
      if (!is_dj(ctx.member_permissions(), ctx.member_roles(), roles))
        co_return reply::failure("This server's queue is not collaborative: only DJs can add tracks.");
    }
    if (g.voice_channel != ch.value() || !g.queue.current()) {
      voice_target t;
      t.bot_perms = me->gw->cache().bot_permissions(gid, ch);
      if (auto c = me->gw->cache().channel_info(gid, ch)) t.user_limit = c->user_limit;
      t.occupants = me->gw->cache().voice_states(gid, ch).size();
      t.bot_inside = g.voice_channel == ch.value();
      if (auto err = voice_preflight(t)) co_return reply::failure(*err);
    }
    if (g.queue.current() && g.queue.room() == 0)
      co_return reply::failure("The queue is full (" + std::to_string(g.queue.limit()) + " tracks). Remove some first.");

    // Load: URLs as they are; text through the search sources in turn.
    std::vector<std::string> identifiers;
    if (is_url(query)) identifiers.push_back(query);
    else identifiers = {"ytsearch:" + query, "scsearch:" + query};
    std::vector<lavalink::track> tracks;
    std::string failure;
    std::string playlist_name;
    for (auto& id : identifiers) {
      auto r = co_await me->pool->load_tracks(id, std::string());
      if (!r) {
        failure = "No audio node could load it: " + r.error().message;
        continue;
      }
      auto& d = r->data;
      if (auto* t = std::get_if<lavalink::track>(&d)) {
        tracks.push_back(*t);
      } else if (auto* p = std::get_if<lavalink::playlist>(&d)) {
        tracks = p->tracks;
        playlist_name = p->info.name;
        if (p->info.selected_track > 0 && static_cast<std::size_t>(p->info.selected_track) < tracks.size())
          std::rotate(tracks.begin(), tracks.begin() + p->info.selected_track, tracks.end());
      } else if (auto* s = std::get_if<lavalink::search_result>(&d)) {
        if (!s->tracks.empty()) tracks.push_back(s->tracks.front());
      } else if (auto* e = std::get_if<lavalink::exception_info>(&d)) {
        failure = "I could not load that: " + e->message.value_or(std::string("unknown error")) + ".";
        if (is_url(query)) break;
        continue;
      }
      if (!tracks.empty()) break;
    }
    if (tracks.empty())
      co_return reply::failure(failure.empty() ? "No results for `" + clip(query, 100) + "`." : failure);

    // Voice: join (or move to) the caller's channel.
    if (g.voice_channel != ch.value() || !g.queue.current()) {
      if (auto err = me->join_voice(g, ch.value())) co_return reply::failure(*err);
    }
    g.text_channel = ctx.channel_id;

    std::vector<storage::queue_entry> entries;
    for (auto& t : tracks) entries.push_back(make_entry(std::move(t), ctx.user_id));
    const std::size_t total = entries.size();
    bool started = false;
    std::optional<storage::queue_entry> first;
    if (!g.queue.current()) {
      first = std::move(entries.front());
      entries.erase(entries.begin());
    }
    const auto added = g.queue.add(std::move(entries)) + (first ? 1 : 0);
    if (first) {
      g.announce_next = false;  // this reply shows it
      auto r = co_await me->start_entry(g, *first);
      if (!r) {
        g.announce_next = true;
        co_await me->advance(g, true);
        co_return reply::failure(r.error());
      }
      started = true;
    } else {
      me->persist(g);
    }
    const auto& shown = first ? *first : g.queue.upcoming().back();
    auto e = me->embeds.card(tone::success, started ? "Now Playing" : "Added to Queue", embed_factory::track_line(shown));
    if (!playlist_name.empty() || total > 1)
      e.fields.push_back({"Playlist", clip(playlist_name.empty() ? std::string("tracks") : playlist_name, 200) + " \xE2\x80\x94 " +
                                          std::to_string(added) + " of " + std::to_string(total) + " tracks added",
                          false});
    if (added < total)
      e.fields.push_back({"Queue full", std::to_string(total - added) + " tracks did not fit (limit " +
                                            std::to_string(g.queue.limit()) + ").",
                          false});
    if (!started)
      e.fields.push_back({"Position", std::to_string(g.queue.size()), true});
    co_return reply::embed(std::move(e));
  };
  play.autocomplete = [me](command_context& ctx, std::string partial) -> task<std::vector<discord::command_option_choice>> {
    std::vector<discord::command_option_choice> out;
    if (partial.empty() || partial.size() > 100) co_return out;
    out.push_back({clip(partial, 100), partial});
    if (is_url(partial)) co_return out;
    auto add_unique = [&out](discord::command_option_choice c) {
      if (out.size() >= discord::limits::autocomplete_choices) return;
      for (auto& o : out)
        if (o.value == c.value) return;
      out.push_back(std::move(c));
    };
    // Matching titles from the guild's history, then search results (within the budget).
    if (me->db) {
      auto found = co_await me->history_choices(ctx.guild_id, lower(partial));
      for (auto& c : found) add_unique(std::move(c));
    }
    if (partial.size() >= min_search_chars) {
      auto found = co_await me->search_choices(me->shared_from_this(), partial);
      for (auto& c : found) add_unique(std::move(c));
    }
    co_return out;
  };
  add(std::move(play));

  // /pause, /resume
  add({"pause", "Pause playback.", "Music", {}, gate::dj | gate::playing | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         if (g.paused) co_return reply::failure("Playback is already paused. Use `/resume`.");
         auto r = co_await me->pool->pause(g.id, true);
         if (!r) co_return reply::failure("The audio node did not pause: " + r.error().message);
         g.paused = true;
         g.position = r->position;
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Paused", embed_factory::track_line(*g.queue.current())));
       },
       {}});
  add({"resume", "Resume playback.", "Music", {}, gate::dj | gate::playing | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         if (!g.paused) co_return reply::failure("Playback is not paused.");
         auto r = co_await me->pool->pause(g.id, false);
         if (!r) co_return reply::failure("The audio node did not resume: " + r.error().message);
         g.paused = false;
         ++g.idle_generation;
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Resumed", embed_factory::track_line(*g.queue.current())));
       },
       {}});

  // /skip
  add({"skip", "Skip the current track.", "Music", {}, gate::dj | gate::playing | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         const auto skipped = *g.queue.current();
         if (g.queue.size() == 0 && g.queue.loop() != storage::loop_mode::queue) {
           g.queue.stop();
           auto r = co_await me->pool->stop_track(g.id);
           (void)r;
           me->persist(g);
           me->start_idle(g);
         } else {
           g.announce_next = false;
           co_await me->advance(g, true);
         }
         std::string text = "Skipped " + embed_factory::track_line(skipped) + ". " + std::to_string(g.queue.size()) +
                            " remaining.";
         if (g.queue.current()) text += "\nNow playing " + embed_factory::track_line(*g.queue.current()) + ".";
         co_return reply::embed(me->embeds.card(tone::info, "Skipped", text));
       },
       {}});

  // /stop
  add({"stop", "Stop playback and clear the queue.", "Music", {}, gate::dj | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto* g = me->find_guild(ctx.guild_id);
         if (!g || g->queue.empty()) co_return reply::failure("Nothing is playing right now.");
         g->queue.stop();
         ++g->track_generation;
         auto r = co_await me->pool->stop_track(g->id);
         (void)r;
         g->paused = false;
         me->persist(*g);
         me->start_idle(*g);
         co_return reply::embed(me->embeds.card(tone::info, "Stopped", "Playback stopped and the queue cleared."));
       },
       {}});

  // /seek
  add({"seek", "Jump to a position in the current track (mm:ss).", "Music",
       {opt(option_type::string, "position", "Where to jump to, e.g. 1:30")},
       gate::dj | gate::playing | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         auto text = ctx.string_option("position").value_or(std::string());
         auto ms = parse_timestamp(text);
         if (!ms) co_return reply::failure("`" + clip(text, 40) + "` is not a position. Use `mm:ss`, e.g. `1:30`.");
         const auto& info = g.queue.current()->track.info;
         if (info.is_stream || !info.is_seekable) co_return reply::failure("This track cannot be seeked.");
         if (*ms >= info.length)
           co_return reply::failure("The track is only " + format_duration(info.length) + " long.");
         auto r = co_await me->pool->seek(g.id, *ms);
         if (!r) co_return reply::failure("The audio node did not seek: " + r.error().message);
         g.position = *ms;
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Seeked", "Jumped to `" + format_duration(*ms) + "`."));
       },
       {}});

  // /replay
  add({"replay", "Restart the current track.", "Music", {}, gate::dj | gate::playing | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         auto r = co_await me->pool->seek(g.id, 0);
         if (!r) co_return reply::failure("The audio node did not seek: " + r.error().message);
         g.position = 0;
         co_return reply::embed(me->embeds.card(tone::info, "Replaying", embed_factory::track_line(*g.queue.current())));
       },
       {}});

  // /volume
  add({"volume", "Set the playback volume (0-200).", "Music", {int_opt("level", "Volume in percent", 0, 200)},
       gate::dj | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto level = ctx.int_option("level");
         if (!level || *level < 0 || *level > 200) co_return reply::failure("The volume must be between 0 and 200.");
         auto& g = me->guild(ctx.guild_id);
         g.volume = static_cast<int>(*level);
         if (g.queue.current()) {
           auto r = co_await me->pool->set_volume(g.id, g.volume);
           if (!r) co_return reply::failure("The audio node did not change the volume: " + r.error().message);
         }
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Volume", "Volume set to **" + std::to_string(g.volume) + "%**."));
       },
       {}});

  // /loop
  {
    auto mode = opt(option_type::integer, "mode", "Loop mode");
    mode.choices = {{"Off", std::int64_t{0}}, {"Track", std::int64_t{1}}, {"Queue", std::int64_t{2}}};
    add({"loop", "Loop the current track or the whole queue.", "Music", {mode}, gate::dj | gate::same_voice, false, false,
         [me](command_context& ctx) -> task<reply> {
           if (!me->cfg.features.allow_loop) co_return reply::failure("Looping is disabled on this bot.");
           auto m = ctx.int_option("mode");
           if (!m || *m < 0 || *m > 2) co_return reply::failure("The loop mode must be Off, Track or Queue.");
           auto& g = me->guild(ctx.guild_id);
           g.queue.set_loop(static_cast<storage::loop_mode>(*m));
           me->persist(g);
           co_return reply::embed(me->embeds.card(
               tone::info, "Loop", "Loop mode: **" + embed_factory::loop_name(g.queue.loop()) + "**."));
         },
         {}});
  }

  // /shuffle
  add({"shuffle", "Shuffle the queue.", "Queue", {}, gate::dj | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         if (!me->cfg.features.allow_shuffle) co_return reply::failure("Shuffling is disabled on this bot.");
         auto& g = me->guild(ctx.guild_id);
         auto r = g.queue.shuffle(me->rng);
         if (!r) co_return reply::failure(r.error());
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Shuffled", std::to_string(g.queue.size()) + " tracks shuffled."));
       },
       {}});

  // /queue
  add({"queue", "Show the queue.", "Queue", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         ctx.args = {"0"};
         auto r = co_await me->on_queue_page(me->shared_from_this(), ctx);
         r.update_message = false;
         r.ephemeral = true;
         co_return r;
       },
       {}});

  // /queueinfo
  add({"queueinfo", "Summary of the queue.", "Queue", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         std::string d;
         d += "**Now:** " + (g.queue.current() ? embed_factory::track_line(*g.queue.current()) : std::string("nothing")) + "\n";
         d += "**Tracks:** " + std::to_string(g.queue.size()) + " (" + format_duration(g.queue.upcoming_duration()) + ")\n";
         d += "**Loop:** " + embed_factory::loop_name(g.queue.loop()) + " \xC2\xB7 **Volume:** " + std::to_string(g.volume) + "%\n";
         for (std::size_t i = 0; i < g.queue.size() && i < 10; ++i)
           d += "`" + std::to_string(i + 1) + ".` " + embed_factory::track_line(g.queue.upcoming()[i]) + "\n";
         co_return reply::embed(me->embeds.card(tone::info, "Queue info", d), true);
       },
       {}});

  // /nowplaying
  add({"nowplaying", "Show the current track (updates live).", "Music", {}, gate::playing, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         auto p = co_await me->pool->player(g.id);
         if (p) {
           g.position = p->position;
           g.paused = p->paused;
         }
         if (!g.queue.current()) co_return reply::failure("Nothing is playing right now.");
         reply r = reply::embed(me->embeds.now_playing(me->view_of(g)));
         r.message.components = me->now_playing_buttons(g);
         spawn(me->strand,
               me->run_now_playing(me->shared_from_this(), g.id, g.track_generation, 0, 0, ctx.in.token,
                                   me->clk.now() + me->opts.now_playing_lifetime),
               "bot nowplaying view");
         co_return r;
       },
       {}});

  // /remove, /move, /clear
  add({"remove", "Remove a track from the queue.", "Queue", {int_opt("index", "Position in the queue (1 = next)", 1, 9999)},
       gate::dj | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         auto i = ctx.int_option("index");
         if (!i || *i < 1) co_return reply::failure("The index must be 1 or more.");
         auto r = g.queue.remove(static_cast<std::size_t>(*i));
         if (!r) co_return reply::failure(r.error());
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Removed", embed_factory::track_line(*r)));
       },
       {}});
  add({"move", "Move a track in the queue.", "Queue",
       {int_opt("src", "Current position (1 = next)", 1, 9999), int_opt("dest", "New position", 1, 9999)},
       gate::dj | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         auto a = ctx.int_option("src"), b = ctx.int_option("dest");
         if (!a || !b || *a < 1 || *b < 1) co_return reply::failure("Positions must be 1 or more.");
         auto r = g.queue.move(static_cast<std::size_t>(*a), static_cast<std::size_t>(*b));
         if (!r) co_return reply::failure(r.error());
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Moved", "Moved track " + std::to_string(*a) + " to position " +
                                                                     std::to_string(*b) + "."));
       },
       {}});
  add({"clear", "Clear the queue (the current track keeps playing).", "Queue", {}, gate::dj | gate::same_voice, false, false,
       [me](command_context& ctx) -> task<reply> {
         auto& g = me->guild(ctx.guild_id);
         const auto n = g.queue.clear();
         me->persist(g);
         co_return reply::embed(me->embeds.card(tone::info, "Cleared", std::to_string(n) + " tracks removed."));
       },
       {}});

  // /filter
  {
    auto preset = opt(option_type::string, "preset", "Effect preset");
    for (auto p : {"off", "bassboost", "nightcore", "vaporwave", "8d", "karaoke"})
      preset.choices.push_back({p, std::string(p)});
    add({"filter", "Apply an audio effect preset.", "Music", {preset}, gate::dj | gate::playing | gate::same_voice, false,
         false,
         [me](command_context& ctx) -> task<reply> {
           auto name = ctx.string_option("preset").value_or(std::string());
           static const std::set<std::string> known{"off", "bassboost", "nightcore", "vaporwave", "8d", "karaoke"};
           if (!known.count(name)) co_return reply::failure("Unknown preset `" + clip(name, 40) + "`.");
           auto& g = me->guild(ctx.guild_id);
           auto f = preset_filters(name);
           auto r = co_await me->pool->set_filters(g.id, f);
           if (!r) co_return reply::failure("The audio node refused the filter: " + r.error().message);
           g.filters = f;
           g.preset = name;
           me->persist(g);
           co_return reply::embed(me->embeds.card(tone::info, "Filter", "Preset: **" + name + "**."));
         },
         {}});
  }
  (void)weak;
}

}  // namespace vb::bot
