// The bot's state as the Status API (contracts §7.3) and Prometheus (§8) show it.
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <ctime>

#include "bot_impl.hpp"

namespace vb::bot {

namespace {

std::string iso_time(system_time t) {
  const auto secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

}  // namespace

std::size_t bot::impl::count_listeners(const guild_state& g) {
  if (!g.voice_channel || !gw) return 0;
  std::size_t here = 0;
  for (auto& vs : gw->cache().voice_states(discord::snowflake(g.id), discord::snowflake(*g.voice_channel)))
    if (vs.user_id != bot_user) {
      ++here;
      listeners_24h.see(vs.user_id.value());
    }
  return here;
}

guild_view bot::impl::view(const guild_state& g) const {
  guild_view v;
  v.guild_id = g.id;
  v.current = g.queue.current();
  v.upcoming.assign(g.queue.upcoming().begin(), g.queue.upcoming().end());
  v.loop = g.queue.loop();
  v.volume = g.volume;
  v.paused = g.paused;
  v.position = g.position;
  v.node = g.node;
  v.voice_channel = g.voice_channel;
  v.filter_preset = g.preset;
  return v;
}

task<std::string> bot::impl::status_json(ptr) {
  auto orig = co_await asio::this_coro::executor;
  std::vector<llc::node_view> nodes;
  if (pool) nodes = co_await pool->nodes();
  co_await asio::post(asio::bind_executor(strand, asio::use_awaitable));
  boost::json::object o;
  const auto now = clk.system_now();
  o["updatedAt"] = iso_time(now);
  o["healthScore"] = 100;
  boost::json::array ids, guild_list;
  std::size_t guild_count = 0;
  if (gw)
    gw->cache().for_each_guild_id([&](discord::snowflake id) {
      ++guild_count;
      ids.push_back(boost::json::value(id.str()));
      if (auto info = gw->cache().guild_info(id)) {
        boost::json::object g;
        g["id"] = id.str();
        g["name"] = info->name;
        g["memberCount"] = info->member_count;
        g["icon"] = nullptr;
        guild_list.push_back(std::move(g));
      }
    });
  o["guildCount"] = guild_count;
  o["guildIds"] = ids;
  o["knownGuildIds"] = ids;
  o["guilds"] = guild_list;
  o["servers"] = guild_list;
  std::size_t players = 0, active = 0, queued = 0, voice = 0, listeners = 0;
  boost::json::array detail, listener_detail;
  for (auto& [id, g] : guilds) {
    if (!g->voice_channel && g->queue.empty()) continue;
    ++players;
    if (g->queue.current() && !g->paused) ++active;
    queued += g->queue.size();
    std::size_t here = 0;
    if (g->voice_channel && gw) {
      ++voice;
      here = count_listeners(*g);
      listeners += here;
    }
    boost::json::object d;
    d["guildId"] = std::to_string(id);
    auto info = gw ? gw->cache().guild_info(discord::snowflake(id)) : std::nullopt;
    d["guildName"] = info ? info->name : std::string();
    d["isPlaying"] = g->queue.current() && !g->paused;
    d["queueLength"] = g->queue.size();
    d["textChannelId"] = g->text_channel ? boost::json::value(std::to_string(*g->text_channel)) : nullptr;
    d["voiceChannelId"] = g->voice_channel ? boost::json::value(std::to_string(*g->voice_channel)) : nullptr;
    if (auto& c = g->queue.current()) {
      boost::json::object t;
      t["title"] = c->track.info.title;
      t["author"] = c->track.info.author;
      t["identifier"] = c->track.info.identifier;
      t["uri"] = c->track.info.uri ? boost::json::value(*c->track.info.uri) : nullptr;
      t["duration"] = c->track.info.is_stream ? 0 : c->track.info.length;
      d["currentTrack"] = t;
    } else {
      d["currentTrack"] = nullptr;
    }
    d["listeners"] = here;
    d["nodeName"] = g->node;
    d["nodeRegion"] = "";
    d["desiredRegion"] = "auto";
    detail.push_back(std::move(d));
    if (g->voice_channel) {
      boost::json::object l;
      l["guildId"] = std::to_string(id);
      l["guildName"] = info ? info->name : std::string();
      l["channelId"] = std::to_string(*g->voice_channel);
      auto ch = gw ? gw->cache().channel_info(discord::snowflake(id), discord::snowflake(*g->voice_channel)) : std::nullopt;
      l["channelName"] = ch ? ch->name : std::string();
      l["listeners"] = here;
      listener_detail.push_back(std::move(l));
    }
  }
  o["players"] = players;
  o["activePlayers"] = active;
  o["listeners"] = listeners;
  o["currentListeners"] = listeners;
  o["activeListeners"] = listeners;
  o["queueTracks"] = queued;
  o["queueLength"] = queued;
  o["voiceConnections"] = voice;
  o["activeVoice"] = voice;
  o["connectedVoiceChannels"] = voice;
  // Distinct listeners and the highest simultaneous count within the last 24 hours.
  listener_levels.sample(listeners);
  o["listeners24h"] = listeners_24h.count();
  o["listenerPeak24h"] = listener_levels.max();
  const auto st = streams.load();
  o["totalStreams"] = st;
  o["streams"] = st;
  o["streamCount"] = st;
  const double up = std::chrono::duration<double>(clk.now() - started_at).count();
  o["uptimeSeconds"] = up;
  o["uptime"] = up;
  o["uptimePercent"] = 100.0;
  o["uptimePercentage"] = 100.0;
  o["uptime_percent"] = 100.0;
  double lat = gw ? gw->average_latency_ms() : -1;
  if (lat < 0 || !std::isfinite(lat)) lat = 0;
  o["latency"] = lat;
  o["averageLatency"] = lat;
  o["latencyMs"] = lat;
  double best = 0, worst = 0;
  boost::json::array shards;
  int online = 0, total = 0;
  if (gw) {
    for (auto& s : gw->status()) {
      ++total;
      const bool on = s.state == discord::shard_state::ready;
      online += on;
      const double l = s.latency_ms < 0 ? 0 : s.latency_ms;
      if (total == 1 || l < best) best = l;
      worst = std::max(worst, l);
      shards.push_back(boost::json::object{{"id", s.shard_id}, {"latency", l}, {"online", on}});
    }
  }
  o["latencyBest"] = best;
  o["latencyP95"] = worst;
  o["loopLagMs"] = 0;
  o["shardsOnline"] = online;
  o["shardsTotal"] = gw ? gw->total_shards() : 0;
  o["shardCount"] = gw ? gw->total_shards() : 0;
  o["shards"] = shards;
  o["incidents24h"] = 0;
  o["incidents"] = 0;
  o["incidentsTotal"] = 0;
  double total_cmds = 0;
  commands_total->for_each([&](const std::vector<std::string>&, const metrics::counter& c) { total_cmds += c.value(); });
  const auto day = commands_24h.sum();
  o["commands24h"] = day;
  o["commandCount24h"] = day;
  o["commandsTotal"] = total_cmds;
  boost::json::array cmds;
  boost::json::object reference;
  for (auto* s : registry.all()) {
    boost::json::object c{{"name", "/" + s->name}, {"description", s->description}, {"category", s->category}};
    cmds.push_back(c);
    auto& cat = reference[s->category];
    if (!cat.is_array()) cat = boost::json::array();
    cat.as_array().push_back(boost::json::object{{"name", "/" + s->name}, {"description", s->description}});
  }
  o["commands"] = cmds;
  o["commandReference"] = reference;
  o["commandCategories"] = reference;
  o["playersDetail"] = detail;
  o["listenerDetail"] = listener_detail;
  o["isOnline"] = online > 0;
  o["onlineSince"] = iso_time(started_sys);
  if (pool) {
    boost::json::array ns;
    for (auto& n : nodes) {
      std::size_t playing = 0;
      for (auto& [id, g] : guilds)
        if (g->node == n.name && g->queue.current() && !g->paused) ++playing;
      ns.push_back(boost::json::object{{"name", n.name},
                                       {"available", n.status == llc::node_status::ready},
                                       {"players", n.players},
                                       {"playingPlayers", playing},
                                       {"region", n.region}});
    }
    o["nodes"] = ns;
  }
  auto text = boost::json::serialize(o);
  co_await asio::post(asio::bind_executor(orig, asio::use_awaitable));
  co_return text;
}

task<std::string> bot::impl::render_metrics(ptr) {
  auto orig = co_await asio::this_coro::executor;
  std::vector<llc::node_view> nodes;
  if (pool) nodes = co_await pool->nodes();
  co_await asio::post(asio::bind_executor(strand, asio::use_awaitable));
  std::size_t players = 0, active = 0, queued = 0;
  for (auto& [id, g] : guilds) {
    if (!g->voice_channel && g->queue.empty()) continue;
    ++players;
    if (g->queue.current() && !g->paused) ++active;
    queued += g->queue.size();
  }
  uptime_gauge->set(std::chrono::duration<double>(clk.now() - started_at).count());
  guilds_gauge->set(gw ? static_cast<double>(gw->cache().guild_count()) : 0);
  players_gauge->set(static_cast<double>(players));
  active_players_gauge->set(static_cast<double>(active));
  queue_tracks_gauge->set(static_cast<double>(queued));
  for (auto& n : nodes) node_up->with({n.name}).set(n.status == llc::node_status::ready ? 1 : 0);
  auto& lat = *shard_latency;
  auto& sg = *shard_guilds;
  if (gw) {
    for (auto& s : gw->status()) {
      lat.with({std::to_string(s.shard_id)}).set(s.latency_ms < 0 ? 0 : s.latency_ms / 1000.0);
      sg.with({std::to_string(s.shard_id)})
          .set(static_cast<double>(gw->cache().guild_count(s.shard_id, std::max(1, gw->total_shards()))));
    }
  }
  auto text = metrics.render();
  co_await asio::post(asio::bind_executor(orig, asio::use_awaitable));
  co_return text;
}

}  // namespace vb::bot
