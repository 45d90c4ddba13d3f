// Gateway and node events: voice forwarding into the node pool, track events (advance
// exactly once per ended track), failover and restore, live now-playing edits.
#include "bot_impl.hpp"

namespace vb::bot {

task<void> bot::impl::on_voice_state(ptr, discord::voice_state v) {
  const auto guild_id = v.guild_id.value();
  if (v.user_id == bot_user && bot_user) {
    std::optional<std::uint64_t> channel;
    if (v.channel_id) channel = v.channel_id.value();
    auto& g = guild(guild_id);
    if (channel) g.voice_channel = channel;
    auto r = co_await pool->voice_state_update(guild_id, v.session_id, channel);
    if (!r) lg.debug("[guild {}] voice state not forwarded: {}", guild_id, r.error().describe());
    co_return;
  }
  // Someone else moved: when the bot's channel is left empty, start the idle timer.
  auto* g = find_guild(guild_id);
  if (!g || !g->voice_channel || !gw) co_return;
  const auto others = count_listeners(*g);
  listener_levels.sample(others);
  if (others == 0) start_idle(*g);
}

task<void> bot::impl::on_voice_server(ptr, discord::voice_server_update_event e) {
  auto r = co_await pool->voice_server_update(e.guild_id.value(), e.token, e.endpoint);
  if (!r) lg.debug("[guild {}] voice server not forwarded: {}", e.guild_id.value(), r.error().describe());
}

task<void> bot::impl::on_guild_available(ptr self_ptr, std::uint64_t guild_id) {
  auto it = pending_restore.find(guild_id);
  if (it == pending_restore.end()) co_return;
  auto q = std::move(it->second);
  pending_restore.erase(it);
  co_await run_restore(self_ptr, std::move(q));
}

// A queue saved by a previous process: rejoin its voice channel and let the pool replay
// the current track at its position once the voice is complete.
task<void> bot::impl::run_restore(ptr, storage::queue_state q) {
  auto& g = guild(q.guild_id);
  co_await load_profile(g);
  g.queue.from_state(q);
  g.volume = q.volume;
  g.paused = q.paused;
  g.position = q.position;
  g.filters = q.filters;
  g.text_channel = q.text_channel_id;
  g.node = q.node;
  if (!q.voice_channel_id || !q.current) {
    persist(g);
    co_return;
  }
  if (auto err = join_voice(g, *q.voice_channel_id)) {
    lg.warn("[guild {}] cannot restore the queue: {}", q.guild_id, *err);
    co_return;
  }
  llc::player_snapshot snap;
  snap.guild_id = q.guild_id;
  snap.node = q.node;
  snap.track = q.current->track;
  snap.position = q.position;
  snap.paused = q.paused;
  snap.volume = q.volume;
  snap.filters = q.filters;
  snap.channel_id = q.voice_channel_id;
  co_await pool->restore(std::move(snap));
  lg.info("[guild {}] queue restored: {} at {} ms, {} queued", q.guild_id, q.current->track.info.title, q.position,
          q.entries.size());
}

task<void> bot::impl::on_pool_event(ptr, llc::event ev) {
  if (auto* e = std::get_if<llc::track_started>(&ev)) {
    auto* g = find_guild(e->guild_id);
    if (!g) co_return;
    g->node = e->node;
    if (e->replayed) co_return;  // failover, move or restore: not news
    ++g->track_generation;
    streams.fetch_add(1);
    if (db && g->queue.current()) {
      auto t = storage::stored_track::from(e->track, g->queue.current()->requester);
      const double now = static_cast<double>(clk.unix_ms()) / 1000.0;
      const auto id = g->id;
      auto fn = [id, t, now](storage::stores& s) {
        auto r = s.autoplay->record(id, t, now);
        (void)r;
      };
      co_await db->run(fn);
    }
    if (!g->announce_next) {
      g->announce_next = true;
      co_return;
    }
    if (g->queue.current()) co_await announce(*g, *g->queue.current());
  } else if (auto* e = std::get_if<llc::track_ended>(&ev)) {
    auto* g = find_guild(e->guild_id);
    if (!g || !e->may_start_next) co_return;
    co_await advance(*g, false);
  } else if (auto* e = std::get_if<llc::track_stuck>(&ev)) {
    auto* g = find_guild(e->guild_id);
    if (!g) co_return;
    lg.warn("[guild {}] track stuck for {} ms: skipping", e->guild_id, e->threshold_ms);
    co_await advance(*g, true);
  } else if (auto* e = std::get_if<llc::track_exception>(&ev)) {
    lg.warn("[guild {}] track failed: {}", e->guild_id, e->exception.message.value_or(std::string("unknown")));
  } else if (auto* e = std::get_if<llc::player_updated>(&ev)) {
    auto* g = find_guild(e->guild_id);
    if (!g) co_return;
    g->position = e->position;
    g->node = e->node;
    persist(*g);
  } else if (auto* e = std::get_if<llc::player_moved>(&ev)) {
    auto* g = find_guild(e->guild_id);
    if (g) g->node = e->to;
    lg.info("[guild {}] failover: {} -> {}", e->guild_id, e->from, e->to);
  } else if (auto* e = std::get_if<llc::leave_voice>(&ev)) {
    auto* g = find_guild(e->guild_id);
    if (!g) co_return;
    // No node for too long: leave voice but keep the queue for a later /play or restart.
    g->position = e->last.position;
    persist(*g);
    g->voice_channel.reset();
    auto ec = gw->update_voice_state(discord::snowflake(g->id), discord::snowflake(), false, false);
    (void)ec;
  } else if (auto* e = std::get_if<llc::voice_closed>(&ev)) {
    lg.info("[guild {}] node voice connection closed: {} {}", e->guild_id, e->code, e->reason);
  }
}

// Edits a now-playing message (a channel message, or an interaction's @original when
// `token` is set) every refresh interval while the same track plays.
task<void> bot::impl::run_now_playing(ptr, std::uint64_t guild_id, std::uint64_t generation, std::uint64_t channel,
                                      std::uint64_t message, std::string token, steady_time until) {
  if (stopped) co_return;
  auto t = make_timer();
  while (clk.now() < until) {
    const bool fired = co_await t->wait_for(opts.now_playing_refresh);
    if (!fired) co_return;
    auto* g = find_guild(guild_id);
    if (!g || g->track_generation != generation || !g->queue.current() || stopped) co_return;
    if (pool) {
      auto p = co_await pool->player(guild_id);
      g = find_guild(guild_id);
      if (p && g) {
        g->position = p->position;
        g->paused = p->paused;
      }
    }
    g = find_guild(guild_id);
    if (!g || g->track_generation != generation || !g->queue.current()) co_return;
    discord::message_payload m;
    auto emb = embeds.now_playing(view_of(*g));
    m.embeds = std::vector<discord::embed>{std::move(emb)};
    m.components = now_playing_buttons(*g);
    if (token.empty()) {
      auto r = co_await api.edit_message(discord::snowflake(channel), discord::snowflake(message), std::move(m));
      if (!r) co_return;  // deleted, or no access any more
    } else {
      auto r = co_await api.edit_original_response(application, token, std::move(m));
      if (!r) co_return;
    }
  }
}

}  // namespace vb::bot
