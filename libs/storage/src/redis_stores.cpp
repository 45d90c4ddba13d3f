// The five stores on one Redis connection (key layout in redis_storage.hpp).
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

#include "text_util.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/storage/redis_storage.hpp"

namespace vb::storage {

namespace {

using conn_ptr = std::shared_ptr<redis_connection>;

std::string id(std::uint64_t v) { return std::to_string(v); }

using detail::now_ms;

storage_error error_reply(const redis_reply& r) { return {storage_errc::io, "Redis: " + r.str}; }

// A reply expected to be a string value or nil.
result<std::optional<std::string>> string_value(expected<redis_reply, storage_error> r) {
  if (!r) return unexpected(r.error());
  if (r->is_error()) return unexpected(error_reply(*r));
  if (r->is_nil()) return std::optional<std::string>();
  if (r->type != redis_reply::kind::bulk && r->type != redis_reply::kind::simple)
    return unexpected(storage_error{storage_errc::corrupt, "Redis: unexpected reply type"});
  return std::optional<std::string>(std::move(r->str));
}

result<std::vector<std::string>> string_list(expected<redis_reply, storage_error> r) {
  if (!r) return unexpected(r.error());
  if (r->is_error()) return unexpected(error_reply(*r));
  if (r->is_nil()) return std::vector<std::string>();
  if (r->type != redis_reply::kind::array)
    return unexpected(storage_error{storage_errc::corrupt, "Redis: expected an array"});
  std::vector<std::string> out;
  for (auto& e : r->elements) {
    if (e.type != redis_reply::kind::bulk) return unexpected(storage_error{storage_errc::corrupt, "Redis: bad array item"});
    out.push_back(std::move(e.str));
  }
  return out;
}

result<boost::json::value> parse_value(const std::string& text, std::string_view what) {
  auto v = vb::json::parse(text, {64u << 20, 64});
  if (!v) return unexpected(storage_error{storage_errc::corrupt, std::string(what) + " is not valid JSON: " + v.error()});
  return std::move(*v);
}

std::string score(double v) { return fmt::format("{}", v); }

class redis_profiles final : public guild_profile_store {
 public:
  explicit redis_profiles(conn_ptr c) : c_(std::move(c)) {}
  static std::string key(std::uint64_t g) { return "profile:" + id(g); }

  result<guild_profile> get(std::uint64_t guild_id) override {
    auto s = string_value(c_->command({"GET", key(guild_id)}));
    if (!s) return unexpected(s.error());
    guild_profile p;
    p.guild_id = guild_id;
    if (!*s) return p;
    auto v = parse_value(**s, "profile");
    if (!v) return unexpected(v.error());
    auto decoded = guild_profile_from_json(guild_id, *v);
    if (!decoded) return unexpected(storage_error{storage_errc::corrupt, "profile: " + decoded.error()});
    return std::move(*decoded);
  }

  result<void> put(const guild_profile& p) override {
    if (auto v = validate(p); !v) return v;
    auto r = c_->command({"SET", key(p.guild_id), boost::json::serialize(to_json(p))});
    if (!r) return unexpected(r.error());
    if (r->is_error()) return unexpected(error_reply(*r));
    return {};
  }

  result<void> remove(std::uint64_t guild_id) override {
    auto r = c_->command({"DEL", key(guild_id)});
    if (!r) return unexpected(r.error());
    if (r->is_error()) return unexpected(error_reply(*r));
    return {};
  }

 private:
  conn_ptr c_;
};

class redis_dj final : public dj_store {
 public:
  explicit redis_dj(conn_ptr c) : c_(std::move(c)) {}
  static std::string roles_key(std::uint64_t g) { return "dj:roles:" + id(g); }
  static std::string audit_key(std::uint64_t g) { return "dj:audit:" + id(g); }

  result<dj_config> get(std::uint64_t guild_id) override {
    auto r = c_->pipeline({{"SMEMBERS", roles_key(guild_id)},
                           {"LRANGE", audit_key(guild_id), "0", std::to_string(dj_audit_limit - 1)}});
    if (!r) return unexpected(r.error());
    dj_config c;
    c.guild_id = guild_id;
    auto roles = string_list(std::move((*r)[0]));
    if (!roles) return unexpected(roles.error());
    for (auto& s : *roles) {
      auto v = vb::json::parse_u64(s);
      if (!v) return unexpected(storage_error{storage_errc::corrupt, "dj roles: '" + s + "' is not an id"});
      c.roles.insert(*v);
    }
    auto audit = string_list(std::move((*r)[1]));
    if (!audit) return unexpected(audit.error());
    for (auto it = audit->rbegin(); it != audit->rend(); ++it) {  // stored newest first
      auto v = parse_value(*it, "dj audit");
      if (!v) return unexpected(v.error());
      const auto* o = v->if_object();
      if (!o) return unexpected(storage_error{storage_errc::corrupt, "dj audit entry is not an object"});
      dj_audit_entry e;
      e.ts = vb::json::get_int(*o, "ts").value_or(0);
      e.user_id = vb::json::get_snowflake(*o, "user_id").value_or(0);
      e.action = std::string(vb::json::get_string(*o, "action").value_or(""));
      e.details = std::string(vb::json::get_string(*o, "details").value_or(""));
      c.audit.push_back(std::move(e));
    }
    return c;
  }

  result<bool> add_role(std::uint64_t guild_id, std::uint64_t role_id) override {
    auto n = c_->command({"SCARD", roles_key(guild_id)});
    if (!n) return unexpected(n.error());
    if (n->is_error()) return unexpected(error_reply(*n));
    auto member = c_->command({"SISMEMBER", roles_key(guild_id), id(role_id)});
    if (!member) return unexpected(member.error());
    if (member->integer == 1) return false;
    if (static_cast<std::size_t>(n->integer) >= max_dj_roles)
      return unexpected(storage_error{storage_errc::invalid_argument, "a guild has at most 250 DJ roles"});
    return changed(c_->command({"SADD", roles_key(guild_id), id(role_id)}));
  }

  result<bool> remove_role(std::uint64_t guild_id, std::uint64_t role_id) override {
    return changed(c_->command({"SREM", roles_key(guild_id), id(role_id)}));
  }

  result<bool> clear_roles(std::uint64_t guild_id) override { return changed(c_->command({"DEL", roles_key(guild_id)})); }

  result<void> append_audit(std::uint64_t guild_id, dj_audit_entry e) override {
    boost::json::object o{{"ts", e.ts},
                          {"user_id", id(e.user_id)},
                          {"action", detail::cut_utf8(e.action, max_audit_text_bytes)},
                          {"details", detail::cut_utf8(e.details, max_audit_text_bytes)}};
    auto r = c_->transaction({{"LPUSH", audit_key(guild_id), boost::json::serialize(o)},
                              {"LTRIM", audit_key(guild_id), "0", std::to_string(dj_audit_limit - 1)}});
    if (!r) return unexpected(r.error());
    return {};
  }

 private:
  static result<bool> changed(expected<redis_reply, storage_error> r) {
    if (!r) return unexpected(r.error());
    if (r->is_error()) return unexpected(error_reply(*r));
    return r->integer > 0;
  }
  conn_ptr c_;
};

class redis_playlists final : public playlist_store {
 public:
  explicit redis_playlists(conn_ptr c) : c_(std::move(c)) {}
  static std::string prefix(std::uint64_t g) { return "playlist:" + id(g) + ":"; }

  result<void> save(std::uint64_t guild_id, const playlist& p) override {
    if (auto v = validate(p); !v) return v;
    auto key = playlist_key(p.name);
    if (!key) return unexpected(key.error());
    auto doc = to_json(p).as_object();
    doc["name"] = detail::trim(p.name);  // ours; the original reads only tracks and meta
    auto r = c_->command({"SET", prefix(guild_id) + *key, boost::json::serialize(doc)});
    if (!r) return unexpected(r.error());
    if (r->is_error()) return unexpected(error_reply(*r));
    return {};
  }

  result<std::optional<playlist>> load(std::uint64_t guild_id, std::string_view name) override {
    auto key = playlist_key(name);
    if (!key) return unexpected(key.error());
    auto s = string_value(c_->command({"GET", prefix(guild_id) + *key}));
    if (!s) return unexpected(s.error());
    if (!*s) return std::optional<playlist>();
    auto v = parse_value(**s, "playlist");
    if (!v) return unexpected(v.error());
    auto p = playlist_from_json(display_name(*v, *key), *v);
    if (!p) return unexpected(storage_error{storage_errc::corrupt, "playlist '" + *key + "': " + p.error()});
    return std::optional<playlist>(std::move(*p));
  }

  result<std::vector<std::string>> list(std::uint64_t guild_id) override {
    // SCAN playlist:{guild}:* as the original did, then the display names in one MGET.
    std::vector<std::string> keys;
    std::string cursor = "0";
    const auto pattern = prefix(guild_id) + "*";
    for (int rounds = 0; rounds < 100000; ++rounds) {
      auto r = c_->command({"SCAN", cursor, "MATCH", pattern, "COUNT", "500"});
      if (!r) return unexpected(r.error());
      if (r->is_error()) return unexpected(error_reply(*r));
      if (r->type != redis_reply::kind::array || r->elements.size() != 2)
        return unexpected(storage_error{storage_errc::corrupt, "Redis: unexpected SCAN reply"});
      cursor = r->elements[0].str;
      for (auto& k : r->elements[1].elements) keys.push_back(k.str);
      if (cursor == "0") break;
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<std::string> names;
    if (keys.empty()) return names;
    std::vector<std::string> mget{"MGET"};
    mget.insert(mget.end(), keys.begin(), keys.end());
    auto values = c_->command(mget);
    if (!values) return unexpected(values.error());
    if (values->type != redis_reply::kind::array || values->elements.size() != keys.size())
      return unexpected(storage_error{storage_errc::corrupt, "Redis: unexpected MGET reply"});
    const auto plen = prefix(guild_id).size();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string key_name = keys[i].substr(plen);
      auto& val = values->elements[i];
      if (val.is_nil()) continue;  // deleted between SCAN and MGET
      auto v = vb::json::parse(val.str);
      names.push_back(v ? display_name(*v, key_name) : key_name);
    }
    return names;
  }

  result<bool> remove(std::uint64_t guild_id, std::string_view name) override {
    auto key = playlist_key(name);
    if (!key) return unexpected(key.error());
    auto r = c_->command({"DEL", prefix(guild_id) + *key});
    if (!r) return unexpected(r.error());
    if (r->is_error()) return unexpected(error_reply(*r));
    return r->integer > 0;
  }

 private:
  static std::string display_name(const boost::json::value& v, const std::string& key_name) {
    if (const auto* o = v.if_object())
      if (auto n = vb::json::get_string(*o, "name"); n && lower_name(*n) == key_name) return std::string(*n);
    return key_name;
  }
  conn_ptr c_;
};

class redis_autoplay final : public autoplay_store {
 public:
  explicit redis_autoplay(conn_ptr c) : c_(std::move(c)) {}
  static std::string history_key(std::uint64_t g) { return "autoplay:history:" + id(g); }
  static std::string artist_key(std::uint64_t g, std::string_view artist) {
    return "autoplay:artist:" + id(g) + ":" + lower_name(artist);
  }
  static std::string track_key(std::string_view identifier) { return "autoplay:track:" + std::string(identifier); }

  result<void> record(std::uint64_t guild_id, const stored_track& t, double played_at) override {
    if (t.identifier.empty() || t.encoded.empty())
      return unexpected(storage_error{storage_errc::invalid_argument, "track has no identifier or encoded form"});
    const auto hk = history_key(guild_id);
    const auto ak = artist_key(guild_id, t.author);
    const auto keep_history = "-" + std::to_string(autoplay_history_limit + 1);
    const auto keep_artist = "-" + std::to_string(autoplay_artist_limit + 1);
    auto r = c_->transaction({{"SET", track_key(t.identifier), boost::json::serialize(to_json(t))},
                              {"ZADD", hk, score(played_at), t.identifier},
                              {"ZREMRANGEBYRANK", hk, "0", keep_history},
                              {"ZADD", ak, score(played_at), t.identifier},
                              {"ZREMRANGEBYRANK", ak, "0", keep_artist}});
    if (!r) return unexpected(r.error());
    return {};
  }

  result<std::vector<std::string>> history(std::uint64_t guild_id, std::size_t limit) override {
    if (limit == 0) return std::vector<std::string>();
    return string_list(c_->command({"ZREVRANGE", history_key(guild_id), "0", std::to_string(limit - 1)}));
  }

  result<std::vector<std::string>> by_artist(std::uint64_t guild_id, std::string_view artist, std::size_t limit) override {
    if (limit == 0) return std::vector<std::string>();
    return string_list(c_->command({"ZREVRANGE", artist_key(guild_id, artist), "0", std::to_string(limit - 1)}));
  }

  result<std::optional<stored_track>> track(std::string_view identifier) override {
    auto s = string_value(c_->command({"GET", track_key(identifier)}));
    if (!s) return unexpected(s.error());
    if (!*s) return std::optional<stored_track>();
    auto v = parse_value(**s, "autoplay track");
    if (!v) return unexpected(v.error());
    auto t = stored_track_from_json(*v);
    if (!t) return unexpected(storage_error{storage_errc::corrupt, "autoplay track: " + t.error()});
    return std::optional<stored_track>(std::move(*t));
  }

 private:
  conn_ptr c_;
};

class redis_queues final : public queue_store {
 public:
  explicit redis_queues(conn_ptr c) : c_(std::move(c)) {}
  static std::string key(std::uint64_t g) { return "queue:" + id(g); }
  static constexpr const char* index_key = "queue:guilds";

  result<std::optional<queue_state>> get(std::uint64_t guild_id) override {
    auto s = string_value(c_->command({"GET", key(guild_id)}));
    if (!s) return unexpected(s.error());
    if (!*s) return std::optional<queue_state>();
    auto v = parse_value(**s, "queue");
    if (!v) return unexpected(v.error());
    auto q = queue_state_from_json(*v);
    if (!q) return unexpected(storage_error{storage_errc::corrupt, "queue: " + q.error()});
    return std::optional<queue_state>(std::move(*q));
  }

  result<void> put(const queue_state& q) override {
    if (auto v = validate(q); !v) return v;
    auto stamped = q;
    stamped.updated_at = now_ms();
    auto r = c_->transaction({{"SET", key(q.guild_id), boost::json::serialize(to_json(stamped))},
                              {"SADD", index_key, id(q.guild_id)}});
    if (!r) return unexpected(r.error());
    return {};
  }

  result<void> remove(std::uint64_t guild_id) override {
    auto r = c_->transaction({{"DEL", key(guild_id)}, {"SREM", index_key, id(guild_id)}});
    if (!r) return unexpected(r.error());
    return {};
  }

  result<std::vector<std::uint64_t>> guilds() override {
    auto members = string_list(c_->command({"SMEMBERS", index_key}));
    if (!members) return unexpected(members.error());
    std::vector<std::uint64_t> out;
    for (auto& m : *members)
      if (auto v = vb::json::parse_u64(m)) out.push_back(*v);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  conn_ptr c_;
};

}  // namespace

stores open_redis(const redis_options& opts) {
  auto c = std::make_shared<redis_connection>(opts);
  auto pong = c->command({"PING"});
  if (!pong) throw startup_error("Redis " + opts.describe() + ": " + pong.error().message);
  if (pong->is_error()) throw startup_error("Redis " + opts.describe() + ": " + pong->str);
  stores s;
  s.profiles = std::make_shared<redis_profiles>(c);
  s.dj = std::make_shared<redis_dj>(c);
  s.playlists = std::make_shared<redis_playlists>(c);
  s.autoplay = std::make_shared<redis_autoplay>(c);
  s.queues = std::make_shared<redis_queues>(c);
  s.backend = opts.describe();
  return s;
}

}  // namespace vb::storage
