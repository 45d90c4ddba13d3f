#include "vectobeat/discord/gateway_cache.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

namespace vb::discord {

namespace {

// Compact records: ~24 bytes each, names in one buffer per guild. What is not here is
// not needed to answer the readers above.
struct role_entry {
  std::uint64_t id;
  std::uint64_t perms;  // bit 63: the bot has this role (Discord defines bits up to 52)
};
constexpr std::uint64_t bot_has_role = 1ULL << 63;

struct channel_entry {
  std::uint64_t id;
  std::uint32_t name_off;
  std::uint16_t name_len;
  std::uint8_t type;
  std::uint8_t ow_count;
  std::uint16_t user_limit;
  std::uint16_t ow_begin;
};

// Only overwrites that can apply to the bot: @everyone, any role (the bot may gain it),
// and the bot's own member overwrite. Other members' overwrites are dropped.
struct overwrite_entry {
  std::uint64_t id;
  std::uint64_t allow;
  std::uint64_t deny;
};

struct voice_entry {
  std::uint64_t user;
  std::uint64_t channel;
  std::uint8_t flags;
};
enum : std::uint8_t { vf_self_deaf = 1, vf_deaf = 2, vf_self_mute = 4, vf_mute = 8, vf_suppress = 16 };

struct guild_entry {
  std::uint64_t owner = 0;
  std::string names;  // guild name first, then channel names
  std::uint16_t guild_name_len = 0;
  bool unavailable = false;
  std::int32_t member_count = 0;
  std::vector<role_entry> roles;
  std::vector<channel_entry> channels;
  std::vector<overwrite_entry> overwrites;
  std::vector<voice_entry> voices;
};

struct self_voice_entry {
  std::uint64_t channel;
  std::string session_id;
};

constexpr std::size_t stripe_count = 64;
constexpr std::size_t max_name_bytes = 400;  // Discord names are at most 100 characters

std::size_t stripe_of(snowflake id) { return ((id.value() >> 22) ^ id.value()) % stripe_count; }

std::string_view clip(std::string_view s) { return s.substr(0, max_name_bytes); }

}  // namespace

struct gateway_cache::impl {
  struct stripe {
    mutable std::shared_mutex mu;
    std::unordered_map<std::uint64_t, guild_entry> guilds;
    std::unordered_map<std::uint64_t, self_voice_entry> self_voice;
  };
  std::array<stripe, stripe_count> stripes;
  std::atomic<std::uint64_t> self{0};

  stripe& of(snowflake g) { return stripes[stripe_of(g)]; }
  const stripe& of(snowflake g) const { return stripes[stripe_of(g)]; }

  static std::string_view name_of(const guild_entry& g, const channel_entry& c) {
    return std::string_view(g.names).substr(c.name_off, c.name_len);
  }

  // Rewrites the name buffer when more than half of it is stale.
  static void maybe_compact(guild_entry& g) {
    std::size_t live = g.guild_name_len;
    for (const auto& c : g.channels) live += c.name_len;
    if (g.names.size() < 256 || g.names.size() < 2 * live) return;
    std::string fresh = g.names.substr(0, g.guild_name_len);
    for (auto& c : g.channels) {
      const auto n = name_of(g, c);
      c.name_off = static_cast<std::uint32_t>(fresh.size());
      fresh.append(n);
    }
    g.names = std::move(fresh);
  }

  bool keep_overwrite(snowflake guild_id, const permission_overwrite& o) const {
    if (o.type == overwrite_type::role) return true;
    (void)guild_id;
    return o.id.value() == self.load(std::memory_order_relaxed);
  }

  void set_channel(guild_entry& g, snowflake guild_id, channel_entry& e, const channel& c) {
    const auto name = clip(c.name);
    e.id = c.id.value();
    e.name_off = static_cast<std::uint32_t>(g.names.size());
    e.name_len = static_cast<std::uint16_t>(name.size());
    g.names.append(name);
    e.type = static_cast<std::uint8_t>(c.type);
    e.user_limit = static_cast<std::uint16_t>(std::clamp(c.user_limit, 0, 65535));
    e.ow_begin = static_cast<std::uint16_t>(std::min<std::size_t>(g.overwrites.size(), 65535));
    std::uint8_t n = 0;
    for (const auto& o : c.overwrites) {
      if (n == 255 || g.overwrites.size() >= 65535) break;
      if (!keep_overwrite(guild_id, o)) continue;
      g.overwrites.push_back({o.id.value(), o.allow.bits(), o.deny.bits()});
      ++n;
    }
    e.ow_count = n;
  }

  static void erase_overwrites(guild_entry& g, channel_entry& e) {
    if (e.ow_count == 0) return;
    const auto begin = e.ow_begin;
    const auto count = e.ow_count;
    g.overwrites.erase(g.overwrites.begin() + begin, g.overwrites.begin() + begin + count);
    for (auto& c : g.channels)
      if (c.ow_count && c.ow_begin > begin) c.ow_begin = static_cast<std::uint16_t>(c.ow_begin - count);
    e.ow_count = 0;
  }

  static void set_roles(guild_entry& g, const std::vector<role>& roles) {
    // The bot-role marks survive a role list refresh.
    std::vector<std::uint64_t> mine;
    for (const auto& r : g.roles)
      if (r.perms & bot_has_role) mine.push_back(r.id);
    g.roles.clear();
    g.roles.reserve(roles.size());
    for (const auto& r : roles) {
      std::uint64_t p = r.perms.bits() & ~bot_has_role;
      if (std::find(mine.begin(), mine.end(), r.id.value()) != mine.end()) p |= bot_has_role;
      g.roles.push_back({r.id.value(), p});
    }
  }

  void set_bot_roles(guild_entry& g, const std::vector<snowflake>& roles) {
    for (auto& r : g.roles) {
      const bool has = std::find(roles.begin(), roles.end(), snowflake(r.id)) != roles.end();
      r.perms = has ? (r.perms | bot_has_role) : (r.perms & ~bot_has_role);
    }
  }

  static std::uint8_t voice_flags(const voice_state& v) {
    return static_cast<std::uint8_t>((v.self_deaf ? vf_self_deaf : 0) | (v.deaf ? vf_deaf : 0) |
                                     (v.self_mute ? vf_self_mute : 0) | (v.mute ? vf_mute : 0) |
                                     (v.suppress ? vf_suppress : 0));
  }

  permissions base_of(snowflake guild_id, const guild_entry& g) const {
    const std::uint64_t me = self.load(std::memory_order_relaxed);
    if (me && g.owner == me) return permissions::all();
    permissions p;
    for (const auto& r : g.roles)
      if (r.id == guild_id.value() || (r.perms & bot_has_role)) p |= permissions(r.perms & ~bot_has_role);
    if (p.has(permission::administrator)) return permissions::all();
    return p;
  }
};

gateway_cache::gateway_cache() : impl_(std::make_unique<impl>()) {}
gateway_cache::~gateway_cache() = default;

void gateway_cache::set_self_user(snowflake bot_user_id) { impl_->self = bot_user_id.value(); }
snowflake gateway_cache::self_user() const { return snowflake(impl_->self.load()); }

void gateway_cache::on_ready(int shard_id, int shard_count, const std::vector<snowflake>& guilds) {
  std::unordered_set<std::uint64_t> listed;
  for (auto g : guilds) listed.insert(g.value());
  for (auto& s : impl_->stripes) {
    std::unique_lock lk(s.mu);
    for (auto it = s.guilds.begin(); it != s.guilds.end();) {
      const snowflake id(it->first);
      if (id.shard_for(shard_count) == shard_id && !listed.count(it->first)) {
        s.self_voice.erase(it->first);
        it = s.guilds.erase(it);
      } else {
        ++it;
      }
    }
  }
}

void gateway_cache::upsert_guild(const guild& g) {
  guild_entry e;
  const auto gname = clip(g.name);
  std::size_t name_bytes = gname.size();
  for (const auto& c : g.channels) name_bytes += clip(c.name).size();
  e.names.reserve(name_bytes);
  e.names.append(gname);
  e.guild_name_len = static_cast<std::uint16_t>(gname.size());
  e.owner = g.owner_id.value();
  e.member_count = g.member_count;
  e.unavailable = g.unavailable;
  impl::set_roles(e, g.roles);
  std::size_t ows = 0;
  for (const auto& c : g.channels)
    for (const auto& o : c.overwrites) ows += impl_->keep_overwrite(g.id, o);
  e.overwrites.reserve(ows);
  e.channels.resize(g.channels.size());
  for (std::size_t i = 0; i < g.channels.size(); ++i) impl_->set_channel(e, g.id, e.channels[i], g.channels[i]);
  std::size_t voices = 0;
  for (const auto& v : g.voice_states) voices += static_cast<bool>(v.channel_id);
  e.voices.reserve(voices);
  const std::uint64_t me = impl_->self.load(std::memory_order_relaxed);
  std::optional<self_voice_entry> mine;
  for (const auto& v : g.voice_states) {
    if (!v.channel_id) continue;
    e.voices.push_back({v.user_id.value(), v.channel_id.value(), impl::voice_flags(v)});
    if (v.user_id.value() == me) mine = self_voice_entry{v.channel_id.value(), v.session_id};
  }
  for (const auto& m : g.members)
    if (m.user_id.value() == me && me) impl_->set_bot_roles(e, m.roles);
  auto& s = impl_->of(g.id);
  std::unique_lock lk(s.mu);
  s.guilds.insert_or_assign(g.id.value(), std::move(e));
  if (mine) s.self_voice.insert_or_assign(g.id.value(), std::move(*mine));
  else s.self_voice.erase(g.id.value());
}

void gateway_cache::update_guild(const guild& g) {
  auto& s = impl_->of(g.id);
  std::unique_lock lk(s.mu);
  auto it = s.guilds.find(g.id.value());
  if (it == s.guilds.end()) return;
  auto& e = it->second;
  const auto gname = clip(g.name);
  if (gname != std::string_view(e.names).substr(0, e.guild_name_len)) {
    std::string fresh(gname);
    for (auto& c : e.channels) {
      const auto n = impl::name_of(e, c);
      c.name_off = static_cast<std::uint32_t>(fresh.size());
      fresh.append(n);
    }
    e.names = std::move(fresh);
    e.guild_name_len = static_cast<std::uint16_t>(gname.size());
  }
  if (g.owner_id) e.owner = g.owner_id.value();
  if (!g.roles.empty()) impl::set_roles(e, g.roles);
  e.unavailable = false;
}

void gateway_cache::remove_guild(snowflake guild_id, bool unavailable) {
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return;
  if (unavailable) {
    it->second.unavailable = true;  // an outage: keep what we know until it comes back
    return;
  }
  s.guilds.erase(it);
  s.self_voice.erase(guild_id.value());
}

void gateway_cache::upsert_channel(const channel& c) {
  if (!c.guild_id) return;  // DMs are not cached
  auto& s = impl_->of(c.guild_id);
  std::unique_lock lk(s.mu);
  auto it = s.guilds.find(c.guild_id.value());
  if (it == s.guilds.end()) return;
  auto& g = it->second;
  auto ch = std::find_if(g.channels.begin(), g.channels.end(), [&](auto& e) { return e.id == c.id.value(); });
  if (ch == g.channels.end()) {
    g.channels.push_back({});
    ch = g.channels.end() - 1;
  } else {
    impl::erase_overwrites(g, *ch);
  }
  impl_->set_channel(g, c.guild_id, *ch, c);
  impl::maybe_compact(g);
}

void gateway_cache::remove_channel(snowflake guild_id, snowflake channel_id) {
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return;
  auto& g = it->second;
  auto ch = std::find_if(g.channels.begin(), g.channels.end(), [&](auto& e) { return e.id == channel_id.value(); });
  if (ch == g.channels.end()) return;
  impl::erase_overwrites(g, *ch);
  g.channels.erase(ch);
  std::erase_if(g.voices, [&](const voice_entry& v) { return v.channel == channel_id.value(); });
  impl::maybe_compact(g);
}

void gateway_cache::upsert_role(snowflake guild_id, const role& r) {
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return;
  auto& roles = it->second.roles;
  auto re = std::find_if(roles.begin(), roles.end(), [&](auto& e) { return e.id == r.id.value(); });
  if (re == roles.end()) roles.push_back({r.id.value(), r.perms.bits() & ~bot_has_role});
  else re->perms = (re->perms & bot_has_role) | (r.perms.bits() & ~bot_has_role);
}

void gateway_cache::remove_role(snowflake guild_id, snowflake role_id) {
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return;
  std::erase_if(it->second.roles, [&](const role_entry& e) { return e.id == role_id.value(); });
  auto& g = it->second;
  // Its overwrites can no longer apply.
  for (auto& c : g.channels) {
    if (!c.ow_count) continue;
    auto first = g.overwrites.begin() + c.ow_begin;
    auto last = first + c.ow_count;
    auto keep = std::remove_if(first, last, [&](const overwrite_entry& o) { return o.id == role_id.value(); });
    const auto removed = static_cast<std::uint16_t>(last - keep);
    if (!removed) continue;
    g.overwrites.erase(keep, last);
    for (auto& other : g.channels)
      if (other.ow_count && other.ow_begin > c.ow_begin) other.ow_begin = static_cast<std::uint16_t>(other.ow_begin - removed);
    c.ow_count = static_cast<std::uint8_t>(c.ow_count - removed);
  }
}

void gateway_cache::update_voice_state(const voice_state& v) {
  if (!v.guild_id) return;
  auto& s = impl_->of(v.guild_id);
  std::unique_lock lk(s.mu);
  if (v.user_id.value() == impl_->self.load(std::memory_order_relaxed)) {
    if (v.channel_id) s.self_voice.insert_or_assign(v.guild_id.value(), self_voice_entry{v.channel_id.value(), v.session_id});
    else s.self_voice.erase(v.guild_id.value());
  }
  auto it = s.guilds.find(v.guild_id.value());
  if (it == s.guilds.end()) return;
  auto& voices = it->second.voices;
  auto ve = std::find_if(voices.begin(), voices.end(), [&](auto& e) { return e.user == v.user_id.value(); });
  if (!v.channel_id) {
    if (ve != voices.end()) voices.erase(ve);
    return;
  }
  if (ve == voices.end()) voices.push_back({v.user_id.value(), v.channel_id.value(), impl::voice_flags(v)});
  else *ve = {v.user_id.value(), v.channel_id.value(), impl::voice_flags(v)};
}

void gateway_cache::member_added(snowflake guild_id) {
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  if (auto it = s.guilds.find(guild_id.value()); it != s.guilds.end()) ++it->second.member_count;
}

void gateway_cache::member_removed(snowflake guild_id, snowflake user_id) {
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  if (auto it = s.guilds.find(guild_id.value()); it != s.guilds.end()) {
    if (it->second.member_count > 0) --it->second.member_count;
    std::erase_if(it->second.voices, [&](const voice_entry& v) { return v.user == user_id.value(); });
  }
}

void gateway_cache::member_updated(snowflake guild_id, const member& m) {
  if (m.user_id.value() != impl_->self.load(std::memory_order_relaxed)) return;
  auto& s = impl_->of(guild_id);
  std::unique_lock lk(s.mu);
  if (auto it = s.guilds.find(guild_id.value()); it != s.guilds.end()) impl_->set_bot_roles(it->second, m.roles);
}

std::optional<cached_guild> gateway_cache::guild_info(snowflake guild_id) const {
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return std::nullopt;
  const auto& g = it->second;
  return cached_guild{guild_id,        g.names.substr(0, g.guild_name_len), snowflake(g.owner), g.member_count,
                      g.unavailable,   g.channels.size(),                   g.roles.size(),     g.voices.size()};
}

std::optional<cached_channel> gateway_cache::channel_info(snowflake guild_id, snowflake channel_id) const {
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return std::nullopt;
  for (const auto& c : it->second.channels)
    if (c.id == channel_id.value())
      return cached_channel{channel_id, static_cast<channel_type>(c.type), std::string(impl::name_of(it->second, c)),
                            c.user_limit};
  return std::nullopt;
}

std::vector<cached_channel> gateway_cache::channels(snowflake guild_id) const {
  std::vector<cached_channel> out;
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return out;
  out.reserve(it->second.channels.size());
  for (const auto& c : it->second.channels)
    out.push_back({snowflake(c.id), static_cast<channel_type>(c.type), std::string(impl::name_of(it->second, c)), c.user_limit});
  return out;
}

std::optional<permissions> gateway_cache::bot_permissions(snowflake guild_id) const {
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end() || !impl_->self.load()) return std::nullopt;
  return impl_->base_of(guild_id, it->second);
}

std::optional<permissions> gateway_cache::bot_permissions(snowflake guild_id, snowflake channel_id) const {
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  const std::uint64_t me = impl_->self.load();
  if (it == s.guilds.end() || !me) return std::nullopt;
  const auto& g = it->second;
  auto ch = std::find_if(g.channels.begin(), g.channels.end(), [&](auto& e) { return e.id == channel_id.value(); });
  if (ch == g.channels.end()) return std::nullopt;
  const permissions base = impl_->base_of(guild_id, g);
  // Rebuild the inputs of the documented algorithm from the compact records.
  std::vector<snowflake> my_roles;
  for (const auto& r : g.roles)
    if (r.perms & bot_has_role) my_roles.push_back(snowflake(r.id));
  std::vector<permission_overwrite> ows;
  ows.reserve(ch->ow_count);
  for (std::size_t i = ch->ow_begin; i < static_cast<std::size_t>(ch->ow_begin) + ch->ow_count; ++i) {
    const auto& o = g.overwrites[i];
    ows.push_back({snowflake(o.id), o.id == me ? overwrite_type::member : overwrite_type::role, permissions(o.allow),
                   permissions(o.deny)});
  }
  return channel_permissions(base, guild_id, snowflake(me), my_roles, ows, is_voice(static_cast<channel_type>(ch->type)));
}

snowflake gateway_cache::voice_channel_of(snowflake guild_id, snowflake user_id) const {
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return snowflake();
  for (const auto& v : it->second.voices)
    if (v.user == user_id.value()) return snowflake(v.channel);
  return snowflake();
}

std::vector<cached_voice_state> gateway_cache::voice_states(snowflake guild_id, snowflake channel_id) const {
  std::vector<cached_voice_state> out;
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.guilds.find(guild_id.value());
  if (it == s.guilds.end()) return out;
  for (const auto& v : it->second.voices)
    if (!channel_id || v.channel == channel_id.value())
      out.push_back({snowflake(v.user), snowflake(v.channel), (v.flags & vf_self_deaf) != 0, (v.flags & vf_deaf) != 0,
                     (v.flags & vf_self_mute) != 0, (v.flags & vf_mute) != 0, (v.flags & vf_suppress) != 0});
  return out;
}

std::optional<self_voice_state> gateway_cache::self_voice(snowflake guild_id) const {
  const auto& s = impl_->of(guild_id);
  std::shared_lock lk(s.mu);
  auto it = s.self_voice.find(guild_id.value());
  if (it == s.self_voice.end()) return std::nullopt;
  return self_voice_state{snowflake(it->second.channel), it->second.session_id};
}

std::size_t gateway_cache::guild_count() const {
  std::size_t n = 0;
  for (const auto& s : impl_->stripes) {
    std::shared_lock lk(s.mu);
    n += s.guilds.size();
  }
  return n;
}

std::size_t gateway_cache::guild_count(int shard_id, int shard_count) const {
  std::size_t n = 0;
  for (const auto& s : impl_->stripes) {
    std::shared_lock lk(s.mu);
    for (const auto& [id, g] : s.guilds) n += snowflake(id).shard_for(shard_count) == shard_id;
  }
  return n;
}

void gateway_cache::for_each_guild_id(const std::function<void(snowflake)>& fn) const {
  std::vector<snowflake> ids;
  for (const auto& s : impl_->stripes) {
    std::shared_lock lk(s.mu);
    for (const auto& [id, g] : s.guilds) ids.push_back(snowflake(id));
  }
  for (auto id : ids) fn(id);
}

}  // namespace vb::discord
