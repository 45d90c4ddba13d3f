// Diagnostics, help, guild profile, DJ roles, settings and playlists (contracts §2.4-2.6).
#include <charconv>

#include "bot_impl.hpp"
#include "vectobeat/bot/permissions.hpp"
#include "vectobeat/bot/time_format.hpp"
#include "vectobeat/common/version.hpp"

namespace vb::bot {

namespace {

using discord::command_option;
using discord::option_type;

using detail::opt;

std::string uptime_text(std::chrono::steady_clock::duration d) {
  return format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace

// Page `page` of /help: the commands of one category (pages follow by_category()), with a
// category select menu and previous/next buttons that edit the message in place.
reply bot::impl::help_page(std::size_t page) const {
  const auto cats = registry.by_category();
  reply r;
  if (cats.empty()) return reply::failure("No commands are registered.");
  page = std::min(page, cats.size() - 1);
  auto it = std::next(cats.begin(), static_cast<std::ptrdiff_t>(page));
  std::string d;
  for (auto* s : it->second) {
    std::string line = "`/" + s->name + "` " + s->description + "\n";
    if (d.size() + line.size() > discord::limits::embed_description - 16) {
      d += "\xE2\x80\xA6";
      break;
    }
    d += line;
  }
  auto e = embeds.card(tone::info, "VectoBeat commands \xE2\x80\x94 " + it->first, d);
  e.footer = discord::embed_footer{"Page " + std::to_string(page + 1) + "/" + std::to_string(cats.size()) +
                                       " \xC2\xB7 /help command:<name> explains one command",
                                   std::nullopt};
  r.message.embeds = std::vector<discord::embed>{std::move(e)};
  discord::select_menu menu;
  menu.custom_id = make_custom_id({"help", "cat"});
  menu.placeholder = "Choose a category";
  std::size_t i = 0;
  for (auto& [cat, list] : cats) {
    if (i >= discord::limits::select_options) break;
    discord::select_option o;
    o.label = clip(cat, 100);
    o.value = std::to_string(i);
    o.description = clip(std::to_string(list.size()) + (list.size() == 1 ? " command" : " commands"), 100);
    o.is_default = i == page;
    menu.options.push_back(std::move(o));
    ++i;
  }
  discord::action_row select_row;
  select_row.components.push_back(std::move(menu));
  discord::action_row buttons;
  auto b = [&](std::string label, std::size_t target, const char* tag, bool disabled) {
    discord::button x;
    x.label = std::move(label);
    x.custom_id = make_custom_id({"help", std::to_string(target), tag});
    x.disabled = disabled;
    buttons.components.push_back(std::move(x));
  };
  b("\xE2\x97\x80 Previous", page == 0 ? 0 : page - 1, "p", page == 0);
  b("Next \xE2\x96\xB6", page + 1 >= cats.size() ? page : page + 1, "n", page + 1 >= cats.size());
  r.message.components = std::vector<discord::action_row>{std::move(select_row), std::move(buttons)};
  return r;
}

task<reply> bot::impl::on_help_page(ptr, command_context& ctx) {
  std::string target;
  if (!ctx.args.empty() && ctx.args[0] == "cat") {
    auto* c = ctx.in.component();
    if (c && !c->values.empty()) target = c->values.front();
  } else if (!ctx.args.empty()) {
    target = ctx.args[0];
  }
  std::size_t page = 0;
  auto [p, ec] = std::from_chars(target.data(), target.data() + target.size(), page);
  if (ec != std::errc() || p != target.data() + target.size())
    co_return reply::failure("This help page does not exist. Run `/help` again.");
  auto r = help_page(page);
  r.update_message = true;
  co_return r;
}

void bot::impl::register_info_commands(const ptr&) {
  impl* me = this;
  auto add = [&](command_spec s) { registry.add(std::move(s)); };

  // /help: generated from the registry.
  auto help_option = opt(option_type::string, "command", "A command name", false);
  help_option.autocomplete = true;
  add({"help", "List the commands, or explain one.", "Info", {help_option}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         if (auto name = ctx.string_option("command")) {
           std::string n = *name;
           if (!n.empty() && n.front() == '/') n.erase(0, 1);
           auto* s = me->registry.find(n);
           if (!s) co_return reply::failure("There is no command `/" + clip(n, 40) + "`.");
           std::string d = s->description + "\n";
           for (auto& o : s->options)
             d += "\n`" + o.name + "`" + (o.required ? "" : " (optional)") + ": " + o.description;
           co_return reply::embed(me->embeds.card(tone::info, "/" + s->name, d), true);
         }
         auto r = me->help_page(0);
         r.ephemeral = true;
         co_return r;
       },
       // Command names containing what was typed.
       [me](command_context&, std::string partial) -> task<std::vector<discord::command_option_choice>> {
         std::vector<discord::command_option_choice> out;
         if (!partial.empty() && partial.front() == '/') partial.erase(0, 1);
         for (auto& c : partial) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
         for (auto* s : me->registry.all()) {
           if (!partial.empty() && s->name.find(partial) == std::string::npos) continue;
           out.push_back({clip("/" + s->name + " \xE2\x80\x94 " + s->description, 100), s->name});
           if (out.size() >= discord::limits::autocomplete_choices) break;
         }
         co_return out;
       }});

  add({"ping", "Gateway and node latency.", "Info", {}, gate::none, false, true,
       [me](command_context&) -> task<reply> {
         std::string d = "**Gateway:** " + std::to_string(std::max(0, me->gw->average_latency_ms())) + " ms\n";
         for (auto& s : me->gw->status())
           d += "Shard " + std::to_string(s.shard_id) + ": " + std::string(discord::to_string(s.state)) + ", " +
                std::to_string(std::max(0, s.latency_ms)) + " ms\n";
         auto nodes = co_await me->pool->nodes();
         for (auto& n : nodes)
           d += "Node **" + n.name + "**: " + std::string(llc::to_string(n.status)) + ", " + std::to_string(n.players) +
                " players\n";
         d += "**Uptime:** " + uptime_text(me->clk.now() - me->started_at);
         co_return reply::embed(me->embeds.card(tone::info, "Pong", d), true);
       },
       {}});

  add({"uptime", "How long the bot has been running.", "Info", {}, gate::none, false, true,
       [me](command_context&) -> task<reply> {
         co_return reply::embed(me->embeds.card(tone::info, "Uptime", uptime_text(me->clk.now() - me->started_at)), true);
       },
       {}});

  add({"status", "Bot status: shards, players, nodes.", "Info", {}, gate::none, false, true,
       [me](command_context&) -> task<reply> {
         std::size_t players = 0, playing = 0, queued = 0;
         for (auto& [id, g] : me->guilds) {
           if (!g->voice_channel && g->queue.empty()) continue;
           ++players;
           if (g->queue.current() && !g->paused) ++playing;
           queued += g->queue.size();
         }
         std::string d = "**Guilds:** " + std::to_string(me->gw->cache().guild_count()) + "\n**Players:** " +
                          std::to_string(players) + " (" + std::to_string(playing) + " playing, " +
                          std::to_string(queued) + " queued)\n**Shards:** " + std::to_string(me->gw->shard_ids().size()) +
                          "/" + std::to_string(me->gw->total_shards()) + "\n**Version:** " + std::string(vb::version);
         co_return reply::embed(me->embeds.card(tone::info, "Status", d), true);
       },
       {}});

  add({"lavalink", "Audio node details.", "Info", {}, gate::none, false, true,
       [me](command_context&) -> task<reply> {
         auto nodes = co_await me->pool->nodes();
         auto e = me->embeds.card(tone::info, "Audio nodes", nodes.empty() ? "No node is configured." : "");
         for (auto& n : nodes) {
           std::string v = "Status: " + std::string(llc::to_string(n.status)) + "\nRegion: " + n.region +
                           "\nPlayers: " + std::to_string(n.players) + "\nPenalty: " + std::to_string(static_cast<int>(n.penalty));
           if (n.stats) {
             v += "\nCPU: " + std::to_string(static_cast<int>(n.stats->cpu.lavalink_load * 100)) + "%";
             v += "\nUptime: " + format_duration(n.stats->uptime);
           }
           e.fields.push_back({n.name, v, true});
         }
         co_return reply::embed(std::move(e), true);
       },
       {}});

  add({"voiceinfo", "The bot's voice connection here.", "Info", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         auto* g = me->find_guild(ctx.guild_id);
         if (!g || !g->voice_channel) co_return reply::failure("I am not in a voice channel.");
         auto p = co_await me->pool->player(ctx.guild_id);
         std::string d = "**Channel:** <#" + std::to_string(*g->voice_channel) + ">\n**Node:** " + g->node +
                         "\n**Connected:** " + (p && p->connected ? "yes" : "no") + "\n**Ping:** " +
                         std::to_string(p ? std::max<std::int64_t>(0, p->ping) : 0) + " ms\n**Playing:** " +
                         (g->queue.current() && !g->paused ? "yes" : "no") + "\n**Queue:** " + std::to_string(g->queue.size());
         co_return reply::embed(me->embeds.card(tone::info, "Voice", d), true);
       },
       {}});

  add({"permissions", "Check the bot's permissions here.", "Info", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         const auto gid = discord::snowflake(ctx.guild_id);
         std::string d;
         auto check = [&](const char* what, std::optional<discord::permissions> p) {
           using discord::permission;
           d += std::string("**") + what + "**: ";
           if (!p) {
             d += "unknown\n";
             return;
           }
           const std::pair<permission, const char*> needed[] = {
               {permission::view_channel, "View Channel"}, {permission::send_messages, "Send Messages"},
               {permission::embed_links, "Embed Links"},   {permission::connect, "Connect"},
               {permission::speak, "Speak"}};
           std::string missing;
           for (auto& [bit, name] : needed)
             if (!p->has(bit) && !p->has(permission::administrator)) missing += std::string(missing.empty() ? "" : ", ") + name;
           d += missing.empty() ? "all needed permissions\n" : "missing " + missing + "\n";
         };
         check("This channel", me->gw->cache().bot_permissions(gid, discord::snowflake(ctx.channel_id)));
         const auto vc = me->gw->cache().voice_channel_of(gid, discord::snowflake(ctx.user_id));
         if (vc) check("Your voice channel", me->gw->cache().bot_permissions(gid, vc));
         co_return reply::embed(me->embeds.card(tone::info, "Permissions", d), true);
       },
       {}});

  add({"botinfo", "About this bot.", "Info", {}, gate::none, false, true,
       [me](command_context&) -> task<reply> {
         std::string d = "**VectoBeat** " + std::string(vb::version) + "\n**Commands:** " + std::to_string(me->registry.size()) +
                         "\n**Guilds:** " + std::to_string(me->gw->cache().guild_count()) + "\n**Shards:** " +
                         std::to_string(me->gw->total_shards());
         co_return reply::embed(me->embeds.card(tone::info, "About", d), true);
       },
       {}});

  add({"guildinfo", "About this server.", "Info", {}, gate::manage_guild, false, true,
       [me](command_context& ctx) -> task<reply> {
         auto info = me->gw->cache().guild_info(discord::snowflake(ctx.guild_id));
         if (!info) co_return reply::failure("I do not know this server yet.");
         std::string d = "**Members:** " + std::to_string(info->member_count) + "\n**Channels:** " +
                         std::to_string(info->channel_count) + "\n**Roles:** " + std::to_string(info->role_count) +
                         "\n**In voice:** " + std::to_string(info->voice_state_count);
         co_return reply::embed(me->embeds.card(tone::info, info->name, d), true);
       },
       {}});

  // ---- /profile
  registry.describe_group("profile", "This server's playback profile.");
  add({"profile show", "Show the server's profile.", "Settings", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         const auto id = ctx.guild_id;
         auto fn = [id](storage::stores& s) { return s.profiles->get(id); };
         auto p = co_await me->db->run(fn);
         if (!p) co_return reply::failure("The profile could not be read: " + p.error().message);
         std::string d = "**Default volume:** " + std::to_string(p->default_volume) + "%\n**Autoplay:** " +
                         (p->autoplay ? "on" : "off") + "\n**Announcements:** " +
                         std::string(storage::to_string(p->announcement));
         co_return reply::embed(me->embeds.card(tone::info, "Profile", d), true);
       },
       {}});
  {
    auto level = opt(option_type::integer, "level", "Default volume in percent");
    level.min_value = 0;
    level.max_value = 200;
    add({"profile set-volume", "Set the default volume.", "Settings", {level}, gate::manage_guild, false, true,
         [me](command_context& ctx) -> task<reply> {
           auto v = ctx.int_option("level");
           if (!v || *v < 0 || *v > 200) co_return reply::failure("The volume must be between 0 and 200.");
           const auto id = ctx.guild_id;
           const int vol = static_cast<int>(*v);
           auto fn = [id, vol](storage::stores& s) -> storage::result<void> {
             auto p = s.profiles->get(id);
             if (!p) return unexpected(p.error());
             p->default_volume = vol;
             return s.profiles->put(*p);
           };
           auto r = co_await me->db->run(fn);
           if (!r) co_return reply::failure("The profile could not be saved: " + r.error().message);
           auto& g = me->guild(ctx.guild_id);
           g.profile_loaded = false;
           co_return reply::text("Default volume set to " + std::to_string(vol) + "%.", true);
         },
         {}});
  }
  add({"profile set-autoplay", "Continue with related tracks when the queue ends.", "Settings",
       {opt(option_type::boolean, "enabled", "On or off")}, gate::manage_guild, false, true,
       [me](command_context& ctx) -> task<reply> {
         const bool on = ctx.bool_option("enabled").value_or(false);
         const auto id = ctx.guild_id;
         auto fn = [id, on](storage::stores& s) -> storage::result<void> {
           auto p = s.profiles->get(id);
           if (!p) return unexpected(p.error());
           p->autoplay = on;
           return s.profiles->put(*p);
         };
         auto r = co_await me->db->run(fn);
         if (!r) co_return reply::failure("The profile could not be saved: " + r.error().message);
         me->guild(ctx.guild_id).autoplay = on;
         co_return reply::text(std::string("Autoplay ") + (on ? "enabled." : "disabled."), true);
       },
       {}});
  {
    auto style = opt(option_type::string, "style", "rich or minimal");
    style.choices = {{"rich", std::string("rich")}, {"minimal", std::string("minimal")}};
    add({"profile set-announcement", "Rich embeds or one line for now playing.", "Settings", {style}, gate::manage_guild,
         false, true,
         [me](command_context& ctx) -> task<reply> {
           auto s = storage::parse_announcement_style(ctx.string_option("style").value_or(std::string()));
           if (!s) co_return reply::failure("The style must be `rich` or `minimal`.");
           const auto id = ctx.guild_id;
           const auto style_v = *s;
           auto fn = [id, style_v](storage::stores& st) -> storage::result<void> {
             auto p = st.profiles->get(id);
             if (!p) return unexpected(p.error());
             p->announcement = style_v;
             return st.profiles->put(*p);
           };
           auto r = co_await me->db->run(fn);
           if (!r) co_return reply::failure("The profile could not be saved: " + r.error().message);
           me->guild(ctx.guild_id).announcement = style_v;
           co_return reply::text("Announcements: " + std::string(storage::to_string(style_v)) + ".", true);
         },
         {}});
  }

  // ---- /dj
  registry.describe_group("dj", "DJ roles: who may control other people's tracks.");
  add({"dj show", "Show the DJ roles and recent changes.", "Settings", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         const auto id = ctx.guild_id;
         auto fn = [id](storage::stores& s) { return s.dj->get(id); };
         auto c = co_await me->db->run(fn);
         if (!c) co_return reply::failure("The DJ roles could not be read: " + c.error().message);
         std::string d = c->roles.empty() ? "No DJ roles: everyone may control playback.\n" : "**Roles:** ";
         for (auto r : c->roles) d += "<@&" + std::to_string(r) + "> ";
         std::size_t shown = 0;
         for (auto it = c->audit.rbegin(); it != c->audit.rend() && shown < 5; ++it, ++shown)
           d += "\n<t:" + std::to_string(it->ts) + ":R> <@" + std::to_string(it->user_id) + "> `" + it->action + "` \xE2\x80\x94 " +
                clip(it->details, 100);
         co_return reply::embed(me->embeds.card(tone::info, "DJ roles", d), true);
       },
       {}});
  for (const char* which : {"add-role", "remove-role"}) {
    const bool adding = std::string_view(which) == "add-role";
    add({std::string("dj ") + which, adding ? "Add a DJ role." : "Remove a DJ role.", "Settings",
         {opt(option_type::role, "role", "The role")}, gate::manage_guild, false, true,
         [me, adding](command_context& ctx) -> task<reply> {
           auto role = ctx.snowflake_option("role");
           if (!role) co_return reply::failure("Pick a role.");
           const auto id = ctx.guild_id, user = ctx.user_id, rid = *role;
           const std::int64_t now = me->clk.unix_ms() / 1000;
           auto fn = [id, user, rid, now, adding](storage::stores& s) -> storage::result<bool> {
             auto r = adding ? s.dj->add_role(id, rid) : s.dj->remove_role(id, rid);
             if (r && *r) {
               auto a = s.dj->append_audit(id, {now, user, adding ? "config:add-role" : "config:remove-role", std::to_string(rid)});
               (void)a;
             }
             return r;
           };
           auto r = co_await me->db->run(fn);
           if (!r) co_return reply::failure("The DJ roles could not be saved: " + r.error().message);
           const std::string mention = "<@&" + std::to_string(rid) + ">";
           if (!*r) co_return reply::text(mention + (adding ? " already is a DJ role." : " is not a DJ role."), true);
           co_return reply::text(mention + (adding ? " is now a DJ role." : " is no longer a DJ role."), true);
         },
         {}});
  }
  add({"dj clear", "Remove every DJ role (everyone may control playback).", "Settings", {}, gate::manage_guild, false, true,
       [me](command_context& ctx) -> task<reply> {
         const auto id = ctx.guild_id, user = ctx.user_id;
         const std::int64_t now = me->clk.unix_ms() / 1000;
         auto fn = [id, user, now](storage::stores& s) -> storage::result<bool> {
           auto r = s.dj->clear_roles(id);
           if (r && *r) {
             auto a = s.dj->append_audit(id, {now, user, "config:clear", ""});
             (void)a;
           }
           return r;
         };
         auto r = co_await me->db->run(fn);
         if (!r) co_return reply::failure("The DJ roles could not be saved: " + r.error().message);
         co_return reply::text("DJ roles cleared: everyone may control playback.", true);
       },
       {}});

  // ---- /settings (stored in the guild profile until the panel bridge exists)
  registry.describe_group("settings", "Server settings.");
  {
    auto limit = opt(option_type::integer, "limit", "Maximum queued tracks");
    limit.min_value = 50;
    limit.max_value = 50000;
    add({"settings queue-limit", "Set the queue limit.", "Settings", {limit}, gate::manage_guild, false, true,
         [me](command_context& ctx) -> task<reply> {
           auto v = ctx.int_option("limit");
           if (!v || *v < 50 || *v > 50000) co_return reply::failure("The limit must be between 50 and 50000.");
           const auto id = ctx.guild_id;
           const auto lim = *v;
           auto fn = [id, lim](storage::stores& s) -> storage::result<void> {
             auto p = s.profiles->get(id);
             if (!p) return unexpected(p.error());
             p->extra["queueLimit"] = lim;
             return s.profiles->put(*p);
           };
           auto r = co_await me->db->run(fn);
           if (!r) co_return reply::failure("The setting could not be saved: " + r.error().message);
           me->guild(ctx.guild_id).queue.set_limit(static_cast<std::size_t>(lim));
           co_return reply::text("Queue limit set to " + std::to_string(lim) + " tracks.", true);
         },
         {}});
  }
  add({"settings collaborative", "Let everyone add tracks (off: DJs only).", "Settings",
       {opt(option_type::boolean, "enabled", "On or off")}, gate::manage_guild, false, true,
       [me](command_context& ctx) -> task<reply> {
         const bool on = ctx.bool_option("enabled").value_or(true);
         const auto id = ctx.guild_id;
         auto fn = [id, on](storage::stores& s) -> storage::result<void> {
           auto p = s.profiles->get(id);
           if (!p) return unexpected(p.error());
           p->extra["collaborativeQueue"] = on;
           return s.profiles->put(*p);
         };
         auto r = co_await me->db->run(fn);
         if (!r) co_return reply::failure("The setting could not be saved: " + r.error().message);
         me->guild(ctx.guild_id).collaborative = on;
         co_return reply::text(std::string("Collaborative queue ") + (on ? "enabled." : "disabled."), true);
       },
       {}});

  // ---- /playlist
  registry.describe_group("playlist", "Saved playlists of this server.");
  add({"playlist save", "Save the current track and queue as a playlist.", "Playlists",
       {opt(option_type::string, "name", "Playlist name (1-64 characters)"),
        opt(option_type::boolean, "include_current", "Include the current track (default yes)", false)},
       gate::manage_guild, false, true,
       [me](command_context& ctx) -> task<reply> {
         auto name = ctx.string_option("name").value_or(std::string());
         auto key = storage::playlist_key(name);
         if (!key) co_return reply::failure("Playlist names have 1 to 64 characters.");
         auto& g = me->guild(ctx.guild_id);
         storage::playlist p;
         p.name = name;
         if (ctx.bool_option("include_current").value_or(true) && g.queue.current())
           p.tracks.push_back(storage::stored_track::from(g.queue.current()->track, g.queue.current()->requester));
         for (auto& e : g.queue.upcoming()) p.tracks.push_back(storage::stored_track::from(e.track, e.requester));
         if (p.tracks.empty()) co_return reply::failure("There is nothing to save: the queue is empty.");
         const auto id = ctx.guild_id;
         const auto count = p.tracks.size();
         auto fn = [id, p](storage::stores& s) { return s.playlists->save(id, p); };
         auto r = co_await me->db->run(fn);
         if (!r) co_return reply::failure("The playlist could not be saved: " + r.error().message);
         co_return reply::text("Saved **" + clip(name, 64) + "** with " + std::to_string(count) + " tracks.", true);
       },
       {}});
  add({"playlist load", "Add a saved playlist to the queue.", "Playlists",
       {opt(option_type::string, "name", "Playlist name"),
        opt(option_type::boolean, "replace_queue", "Clear the queue first", false)},
       gate::dj | gate::in_voice | gate::same_voice, true, false,
       [me](command_context& ctx) -> task<reply> {
         auto name = ctx.string_option("name").value_or(std::string());
         const auto id = ctx.guild_id;
         auto fn = [id, name](storage::stores& s) { return s.playlists->load(id, name); };
         auto p = co_await me->db->run(fn);
         if (!p) co_return reply::failure("The playlist could not be read: " + p.error().message);
         if (!*p) co_return reply::failure("There is no playlist called `" + clip(name, 64) + "`.");
         auto& g = me->guild(ctx.guild_id);
         const auto ch = me->gw->cache().voice_channel_of(discord::snowflake(id), discord::snowflake(ctx.user_id));
         if (ctx.bool_option("replace_queue").value_or(false)) g.queue.clear();
         std::vector<storage::queue_entry> entries;
         for (auto& t : (*p)->tracks) entries.push_back(make_entry(t.to_track(), t.requester.value_or(ctx.user_id)));
         if (g.voice_channel != ch.value() || !g.queue.current())
           if (auto err = me->join_voice(g, ch.value())) co_return reply::failure(*err);
         g.text_channel = ctx.channel_id;
         const auto total = entries.size();
         std::optional<storage::queue_entry> first;
         if (!g.queue.current() && !entries.empty()) {
           first = entries.front();
           entries.erase(entries.begin());
         }
         const auto added = g.queue.add(std::move(entries)) + (first ? 1 : 0);
         if (first) {
           g.announce_next = false;
           auto r = co_await me->start_entry(g, *first);
           if (!r) co_return reply::failure(r.error());
         } else {
           me->persist(g);
         }
         co_return reply::embed(me->embeds.card(tone::success, "Playlist loaded",
                                                "**" + clip((*p)->name, 64) + "**: " + std::to_string(added) + " of " +
                                                    std::to_string(total) + " tracks added."));
       },
       {}});
  add({"playlist list", "List the saved playlists.", "Playlists", {}, gate::none, false, true,
       [me](command_context& ctx) -> task<reply> {
         const auto id = ctx.guild_id;
         auto fn = [id](storage::stores& s) { return s.playlists->list(id); };
         auto names = co_await me->db->run(fn);
         if (!names) co_return reply::failure("The playlists could not be read: " + names.error().message);
         std::string d;
         for (auto& n : *names) d += "\xE2\x80\xA2 " + n + "\n";
         if (d.empty()) d = "No playlists yet. Save one with `/playlist save`.";
         co_return reply::embed(me->embeds.card(tone::info, "Playlists", d), true);
       },
       {}});
  add({"playlist delete", "Delete a saved playlist.", "Playlists", {opt(option_type::string, "name", "Playlist name")},
       gate::manage_guild, false, true,
       [me](command_context& ctx) -> task<reply> {
         auto name = ctx.string_option("name").value_or(std::string());
         const auto id = ctx.guild_id;
         auto fn = [id, name](storage::stores& s) { return s.playlists->remove(id, name); };
         auto r = co_await me->db->run(fn);
         if (!r) co_return reply::failure("The playlist could not be deleted: " + r.error().message);
         if (!*r) co_return reply::failure("There is no playlist called `" + clip(name, 64) + "`.");
         co_return reply::text("Deleted **" + clip(name, 64) + "**.", true);
       },
       {}});
}

}  // namespace vb::bot
