// One guild's playback: voice, starting entries, advancing exactly once per ended track,
// announcements, idle disconnect, persistence of the queue.
#include <boost/asio/co_spawn.hpp>

#include "bot_impl.hpp"

namespace vb::bot {

guild_state& bot::impl::guild(std::uint64_t id) {
  auto& g = guilds[id];
  if (!g) {
    g = std::make_unique<guild_state>();
    g->id = id;
    g->queue.set_limit(static_cast<std::size_t>(std::max(1, cfg.limits.queue_max_length)));
  }
  return *g;
}

guild_state* bot::impl::find_guild(std::uint64_t id) {
  auto it = guilds.find(id);
  return it == guilds.end() ? nullptr : it->second.get();
}

std::size_t bot::impl::queue_limit(const guild_state& g) const { return g.queue.limit(); }

task<void> bot::impl::load_profile(guild_state& g) {
  if (g.profile_loaded || !db) co_return;
  const auto id = g.id;
  auto fn = [id](storage::stores& s) { return s.profiles->get(id); };
  auto p = co_await db->run(fn);
  g.profile_loaded = true;
  if (!p) co_return;
  g.autoplay = p->autoplay;
  g.announcement = p->announcement;
  if (!g.queue.current()) g.volume = p->default_volume;
  if (auto* lim = p->extra.if_contains("queueLimit"); lim && lim->is_int64() && lim->as_int64() > 0)
    g.queue.set_limit(static_cast<std::size_t>(lim->as_int64()));
  if (auto* c = p->extra.if_contains("collaborativeQueue"); c && c->is_bool()) g.collaborative = c->as_bool();
  if (auto* r = p->extra.if_contains("lavalinkRegion"); r && r->is_string() && r->as_string().size() <= 32)
    g.region = std::string(r->as_string());
}

std::optional<std::string> bot::impl::join_voice(guild_state& g, std::uint64_t channel) {
  auto ec = gw->update_voice_state(discord::snowflake(g.id), discord::snowflake(channel), false, true);
  if (ec) {
    lg.warn("[guild {}] cannot join voice channel {}: {}", g.id, channel, ec.message());
    return "I cannot join voice right now (" + ec.message() + "). Please try again.";
  }
  g.voice_channel = channel;
  return std::nullopt;
}

task<void> bot::impl::leave_voice(guild_state& g) {
  ++g.track_generation;
  ++g.idle_generation;
  g.queue.stop();
  g.voice_channel.reset();
  g.paused = false;
  g.position = 0;
  if (gw) {
    auto ec = gw->update_voice_state(discord::snowflake(g.id), discord::snowflake(), false, false);
    (void)ec;
  }
  if (pool) {
    auto r = co_await pool->destroy(g.id);
    (void)r;
  }
  if (db) db->remove_queue(g.id);
}

task<expected<void, std::string>> bot::impl::start_entry(guild_state& g, storage::queue_entry e) {
  ++g.idle_generation;
  g.queue.set_current(e);
  g.position = 0;
  g.paused = false;
  auto r = co_await pool->play(g.id, e.track, llc::play_options{});
  if (!r) {
    lg.warn("[guild {}] cannot play {}: {}", g.id, e.track.info.title, r.error().describe());
    co_return unexpected("The audio node refused the track: " + r.error().message);
  }
  g.node = r->node;
  if (r->volume != g.volume) {
    auto v = co_await pool->set_volume(g.id, g.volume);
    (void)v;
  }
  if (!g.filters.empty()) {
    auto f = co_await pool->set_filters(g.id, g.filters);
    (void)f;
  }
  persist(g);
  co_return expected<void, std::string>{};
}

task<void> bot::impl::advance(guild_state& g, bool skipped) {
  const auto last = g.queue.current();
  auto next = skipped ? g.queue.skip() : g.queue.advance();
  while (next) {
    auto r = co_await start_entry(g, *next);
    if (r) co_return;
    next = g.queue.skip();  // a track the node refuses is skipped, once
  }
  // The queue is finished: autoplay continues with a related track when the guild wants it.
  if (g.autoplay && last && !stopped) {
    auto pick = co_await recommend(g, *last);
    if (!pick) lg.info("[guild {}] autoplay: nothing related to {} found", g.id, last->track.info.title);
    if (pick) {
      lg.info("[guild {}] autoplay: {} after {}", g.id, pick->track.info.title, last->track.info.title);
      auto r = co_await start_entry(g, *pick);
      if (r) {
        if (g.text_channel) {
          discord::message_payload m;
          m.embeds = std::vector<discord::embed>{
              embeds.card(tone::info, "Autoplay Continuing", embed_factory::track_line(*pick))};
          m.flags = discord::message_flags::suppress_notifications;
          auto sent = co_await api.create_message(discord::snowflake(*g.text_channel), std::move(m));
          (void)sent;
        }
        co_return;
      }
    }
  }
  persist(g);
  if (g.text_channel && !stopped) {
    discord::message_payload m;
    m.embeds = std::vector<discord::embed>{
        embeds.card(tone::info, "Queue Finished", "Add more tracks with `/play`.")};
    m.flags = discord::message_flags::suppress_notifications;
    auto r = co_await api.create_message(discord::snowflake(*g.text_channel), std::move(m));
    (void)r;
  }
  start_idle(g);
}

// History first (same artist, then the guild's history, never the track that just ended,
// a random pick when configured), then a search for the artist and title.
task<std::optional<storage::queue_entry>> bot::impl::recommend(guild_state& g, storage::queue_entry last) {
  const auto id = g.id;
  const auto artist = last.track.info.author;
  const auto exclude = last.track.info.identifier;
  const auto limit = static_cast<std::size_t>(std::max(1, cfg.autoplay.discovery_limit));
  if (db) {
    auto fn = [id, artist, exclude, limit](storage::stores& s) {
      std::vector<storage::stored_track> out;
      std::vector<std::string> idents;
      if (auto a = s.autoplay->by_artist(id, artist, limit)) idents = *a;
      if (auto h = s.autoplay->history(id, limit * 4)) idents.insert(idents.end(), h->begin(), h->end());
      for (auto& ident : idents) {
        if (ident == exclude) continue;
        if (auto t = s.autoplay->track(ident); t && *t && !(*t)->encoded.empty()) out.push_back(**t);
        if (out.size() >= limit) break;
      }
      return out;
    };
    auto found = co_await db->run(fn);
    if (!found.empty()) {
      std::size_t k = 0;
      if (cfg.autoplay.random_pick) k = std::uniform_int_distribution<std::size_t>(0, found.size() - 1)(rng);
      co_return make_entry(found[k].to_track(), last.requester.value_or(0));
    }
  }
  if (!pool || artist.empty()) co_return std::nullopt;
  // Lavalink's search prefix is "ytsearch:" (the node decides how many results); the
  // original's yt-dlp style "ytsearch10:" is no source any Lavalink node knows.
  auto r = co_await pool->load_tracks(std::string(play_search_prefix) + artist + " " + last.track.info.title,
                                      std::string());
  if (!r) {
    lg.warn("[guild {}] autoplay search failed: {}", g.id, r.error().describe());
    co_return std::nullopt;
  }
  if (auto* e = std::get_if<lavalink::exception_info>(&r->data))
    lg.warn("[guild {}] autoplay search failed: {}", g.id, e->message.value_or(std::string("unknown error")));
  if (auto* s = std::get_if<lavalink::search_result>(&r->data))
    for (std::size_t i = 0; i < s->tracks.size() && i < limit; ++i)
      if (auto& t = s->tracks[i]; t.info.identifier != exclude && t.info.uri != last.track.info.uri)
        co_return make_entry(t, last.requester.value_or(0));
  co_return std::nullopt;
}

void bot::impl::start_idle(guild_state& g) {
  if (cfg.bot.idle_disconnect_seconds <= 0) return;
  const auto gen = ++g.idle_generation;
  spawn(strand, run_idle(shared_from_this(), g.id, gen), "bot idle timer");
}

std::shared_ptr<timer> bot::impl::make_timer() {
  std::shared_ptr<timer> t = clk.make_timer(strand);
  std::erase_if(timers, [](const std::weak_ptr<timer>& w) { return w.expired(); });
  timers.push_back(t);
  return t;
}

task<void> bot::impl::run_idle(ptr, std::uint64_t guild_id, std::uint64_t generation) {
  if (stopped) co_return;
  auto t = make_timer();
  const auto idle = std::chrono::seconds(cfg.bot.idle_disconnect_seconds);
  const bool fired = co_await t->wait_for(idle);
  if (!fired) co_return;
  auto* g = find_guild(guild_id);
  if (!g || g->idle_generation != generation || stopped) co_return;
  if (g->queue.current() && !g->paused) co_return;
  lg.info("[guild {}] idle for {} s: leaving voice", guild_id, cfg.bot.idle_disconnect_seconds);
  co_await leave_voice(*g);
}

now_playing_view bot::impl::view_of(const guild_state& g) const {
  now_playing_view v;
  if (g.queue.current()) v.entry = *g.queue.current();
  v.position = g.position;
  v.paused = g.paused;
  v.volume = g.volume;
  v.loop = g.queue.loop();
  v.queued = g.queue.size();
  for (std::size_t i = 0; i < g.queue.size() && i < 5; ++i) v.up_next.push_back(g.queue.upcoming()[i]);
  v.node = g.node;
  return v;
}

std::vector<discord::action_row> bot::impl::now_playing_buttons(const guild_state& g) const {
  auto b = [](std::string label, std::string id, discord::button_style style) {
    discord::button x;
    x.label = std::move(label);
    x.custom_id = std::move(id);
    x.style = style;
    return discord::component(x);
  };
  discord::action_row row;
  row.components.push_back(b(g.paused ? "Resume" : "Pause", make_custom_id({"np", "pause"}), discord::button_style::primary));
  row.components.push_back(b("Skip", make_custom_id({"np", "skip"}), discord::button_style::secondary));
  row.components.push_back(b("Stop", make_custom_id({"np", "stop"}), discord::button_style::danger));
  row.components.push_back(b("Loop: " + embed_factory::loop_name(g.queue.loop()), make_custom_id({"np", "loop"}),
                             discord::button_style::secondary));
  return {row};
}

task<void> bot::impl::announce(guild_state& g, const storage::queue_entry& e) {
  if (!g.text_channel || stopped) co_return;
  discord::message_payload m;
  m.flags = discord::message_flags::suppress_notifications;
  if (g.announcement == storage::announcement_style::minimal) {
    m.content = embed_factory::minimal_now_playing(e);
    auto r = co_await api.create_message(discord::snowflake(*g.text_channel), std::move(m));
    (void)r;
    co_return;
  }
  auto v = view_of(g);
  v.entry = e;
  auto emb = embeds.now_playing(v);
  emb.footer = discord::embed_footer{"\xF0\x9F\x8E\xB6 Now playing", embeds.theme().footer_icon_url};
  m.embeds = std::vector<discord::embed>{std::move(emb)};
  m.components = now_playing_buttons(g);
  auto r = co_await api.create_message(discord::snowflake(*g.text_channel), std::move(m));
  if (!r) co_return;
  // Live edits while this track plays (position, pause, loop, queue).
  spawn(strand,
        run_now_playing(shared_from_this(), g.id, g.track_generation, *g.text_channel, r->id.value(), std::string(),
                        clk.now() + std::chrono::hours(24)),
        "bot now playing");
}

void bot::impl::persist(guild_state& g) {
  if (!db) return;
  if (g.queue.empty()) {
    db->remove_queue(g.id);
    return;
  }
  storage::queue_state s;
  s.guild_id = g.id;
  g.queue.to_state(s);
  s.position = g.position;
  s.paused = g.paused;
  s.volume = g.volume;
  s.filters = g.filters;
  s.voice_channel_id = g.voice_channel;
  s.text_channel_id = g.text_channel;
  s.node = g.node;
  db->save_queue(std::move(s));
}

}  // namespace vb::bot
