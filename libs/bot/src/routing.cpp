// Regional routing (contracts §3 "Regional routing", §7.2 POST /reconcile-routing): each
// guild prefers the nodes of one region ("auto": every node); reconciling re-evaluates the
// node of the guild's player and moves the player through the pool's move path (replayed
// at its position on the new node, then deleted on the old one) when its node is gone,
// outside the region while a node inside it is live, or much busier than the best node.
// It runs on /settings region, POST /reconcile-routing, and every routing_interval.
#include <algorithm>

#include "bot_impl.hpp"

namespace vb::bot {

namespace {

// A live node in the right region is only left for load when its penalty exceeds the
// best node's by this much (Lavalink penalties: 1 per player, CPU and frame penalties
// grow into the hundreds under load), so players do not hop between similar nodes.
constexpr double rebalance_penalty_margin = 100.0;

bool in_region(const std::string& wanted, const std::string& node_region) {
  return wanted.empty() || wanted == "auto" || wanted == node_region;
}

const llc::node_view* find_node(const std::vector<llc::node_view>& nodes, const std::string& name) {
  auto it = std::find_if(nodes.begin(), nodes.end(), [&](const llc::node_view& n) { return n.name == name; });
  return it == nodes.end() ? nullptr : &*it;
}

}  // namespace

task<route_outcome> bot::impl::reroute(ptr, std::uint64_t guild_id) {
  route_outcome out;
  if (auto* g = find_guild(guild_id)) out.region = g->region;
  if (!pool) {
    out.note = "no audio nodes are configured";
    co_return out;
  }
  const std::string region = out.region == "auto" ? std::string() : out.region;
  co_await pool->set_region(guild_id, region);
  auto p = co_await pool->player(guild_id);
  if (!p || p->node.empty()) {
    out.note = "no player in this guild; the region applies when one starts";
    co_return out;
  }
  out.from = out.to = p->node;
  auto nodes = co_await pool->nodes();
  auto best_name = pool->best_node(region);
  if (!best_name) {
    out.note = "no live node to move to";
    co_return out;
  }
  if (*best_name == p->node) {
    out.note = "already on the best node";
    co_return out;
  }
  const auto* cur = find_node(nodes, p->node);
  const auto* best = find_node(nodes, *best_name);
  std::string why;
  if (!cur || cur->status != llc::node_status::ready) why = "its node is not live";
  else if (best && !in_region(out.region, cur->region) && in_region(out.region, best->region))
    why = "its node is outside region " + out.region;
  else if (best && in_region(out.region, best->region) && cur->penalty - best->penalty >= rebalance_penalty_margin)
    why = "its node is much busier";
  if (why.empty()) {
    out.note = "kept: its node is live, in the region, and not much busier than " + *best_name;
    co_return out;
  }
  auto moved = co_await pool->move(guild_id, *best_name);
  if (!moved) {
    out.note = "could not move (" + why + "): " + moved.error().message;
    lg.warn("[guild {}] routing: move {} -> {} failed: {}", guild_id, out.from, *best_name, moved.error().describe());
    co_return out;
  }
  out.moved = true;
  out.to = moved->node;
  out.note = "moved because " + why;
  lg.info("[guild {}] routing: moved {} -> {} ({})", guild_id, out.from, out.to, why);
  if (auto* g = find_guild(guild_id)) {
    g->node = out.to;
    persist(*g);
  }
  co_return out;
}

task<void> bot::impl::run_routing(ptr self) {
  if (opts.routing_interval.count() <= 0 || stopped) co_return;
  auto t = make_timer();
  while (!stopped) {
    const bool fired = co_await t->wait_for(opts.routing_interval);
    if (!fired || stopped) co_return;
    std::vector<std::uint64_t> playing;
    for (auto& [id, g] : guilds)
      if (g->queue.current() && g->voice_channel) playing.push_back(id);
    for (auto id : playing) {
      if (stopped) co_return;
      auto o = co_await reroute(self, id);
      (void)o;
    }
  }
}

void bot::impl::register_routing_commands(const ptr&) {
  impl* me = this;
  auto region = discord::command_option{};
  region.type = discord::option_type::string;
  region.name = "region";
  region.description = "Preferred audio node region";
  region.required = true;
  for (auto r : {"auto", "us", "eu", "apac"}) region.choices.push_back({r, std::string(r)});
  registry.add({"settings region", "Prefer audio nodes of one region (auto: any).", "Settings", {region},
                gate::manage_guild, true, true,
                [me](command_context& ctx) -> task<reply> {
                  auto value = ctx.string_option("region").value_or(std::string());
                  static const std::set<std::string> known{"auto", "us", "eu", "apac"};
                  if (!known.count(value))
                    co_return reply::failure("The region must be one of auto, us, eu or apac.");
                  const auto id = ctx.guild_id;
                  auto fn = [id, value](storage::stores& s) -> storage::result<void> {
                    auto p = s.profiles->get(id);
                    if (!p) return unexpected(p.error());
                    p->extra["lavalinkRegion"] = value;
                    return s.profiles->put(*p);
                  };
                  auto saved = co_await me->db->run(fn);
                  if (!saved) co_return reply::failure("The setting could not be saved: " + saved.error().message);
                  me->guild(id).region = value;
                  auto o = co_await me->reroute(me->shared_from_this(), id);
                  std::string text = "Region set to **" + value + "**.";
                  if (o.moved) text += " Moved playback from **" + o.from + "** to **" + o.to + "**.";
                  else if (!o.from.empty()) text += " Playback stays on **" + o.from + "** (" + o.note + ").";
                  co_return reply::text(std::move(text), true);
                },
                {}});
}

}  // namespace vb::bot
