// The five stores on one SQLite connection (schema in sqlite_db.cpp).
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>

#include "sqlite_db.hpp"
#include "text_util.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::storage {

namespace {

using detail::database;
using detail::guarded;
using detail::sqlite_failure;

using detail::now_ms;

[[noreturn]] void corrupt(std::string what) { throw sqlite_failure{{storage_errc::corrupt, std::move(what)}}; }

boost::json::value parse_document(const std::string& text, std::string_view what) {
  auto v = vb::json::parse(text, {64u << 20, 64});
  if (!v) corrupt(std::string(what) + " is not valid JSON: " + v.error());
  return std::move(*v);
}

class sqlite_profiles final : public guild_profile_store {
 public:
  explicit sqlite_profiles(std::shared_ptr<database> db) : db_(std::move(db)) {}

  result<guild_profile> get(std::uint64_t guild_id) override {
    return guarded([&]() -> result<guild_profile> {
      auto s = db_->prepare(
          "SELECT default_volume, autoplay, announcement_style, adaptive_mastering, compliance_mode, extra "
          "FROM guild_profiles WHERE guild_id = ?");
      s.bind(1, guild_id);
      guild_profile p;
      p.guild_id = guild_id;
      if (!s.step()) return p;
      p.default_volume = static_cast<int>(s.int64(0));
      p.autoplay = s.int64(1) != 0;
      p.announcement = parse_announcement_style(s.text(2)).value_or(announcement_style::rich);
      p.adaptive_mastering = s.int64(3) != 0;
      p.compliance_mode = s.int64(4) != 0;
      auto extra = parse_document(s.text(5), "profile settings");
      if (!extra.is_object()) corrupt("profile settings are not an object");
      p.extra = std::move(extra.as_object());
      return p;
    });
  }

  result<void> put(const guild_profile& p) override {
    if (auto v = validate(p); !v) return v;
    return guarded([&]() -> result<void> {
      database::transaction t(*db_, "profile.put");
      auto s = db_->prepare(
          "INSERT INTO guild_profiles (guild_id, default_volume, autoplay, announcement_style, adaptive_mastering, "
          "compliance_mode, extra, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
          "default_volume = excluded.default_volume, autoplay = excluded.autoplay, announcement_style = "
          "excluded.announcement_style, adaptive_mastering = excluded.adaptive_mastering, compliance_mode = "
          "excluded.compliance_mode, extra = excluded.extra, updated_at = excluded.updated_at");
      s.bind(1, p.guild_id).bind(2, p.default_volume).bind(3, p.autoplay).bind(4, to_string(p.announcement));
      s.bind(5, p.adaptive_mastering).bind(6, p.compliance_mode).bind(7, boost::json::serialize(p.extra));
      s.bind(8, now_ms());
      s.run();
      t.commit();
      return {};
    });
  }

  result<void> remove(std::uint64_t guild_id) override {
    return guarded([&]() -> result<void> {
      database::transaction t(*db_, "profile.remove");
      db_->prepare("DELETE FROM guild_profiles WHERE guild_id = ?").bind(1, guild_id).run();
      t.commit();
      return {};
    });
  }

 private:
  std::shared_ptr<database> db_;
};

class sqlite_dj final : public dj_store {
 public:
  explicit sqlite_dj(std::shared_ptr<database> db) : db_(std::move(db)) {}

  result<dj_config> get(std::uint64_t guild_id) override {
    return guarded([&]() -> result<dj_config> {
      dj_config c;
      c.guild_id = guild_id;
      auto r = db_->prepare("SELECT role_id FROM dj_roles WHERE guild_id = ?");
      r.bind(1, guild_id);
      while (r.step()) c.roles.insert(r.uint64(0));
      auto a = db_->prepare(
          "SELECT ts, user_id, action, details FROM dj_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?");
      a.bind(1, guild_id).bind(2, static_cast<std::int64_t>(dj_audit_limit));
      while (a.step()) c.audit.push_back({a.int64(0), a.uint64(1), a.text(2), a.text(3)});
      std::reverse(c.audit.begin(), c.audit.end());
      return c;
    });
  }

  result<bool> add_role(std::uint64_t guild_id, std::uint64_t role_id) override {
    return guarded([&]() -> result<bool> {
      database::transaction t(*db_, "dj.add_role");
      auto n = db_->prepare("SELECT count(*) FROM dj_roles WHERE guild_id = ?");
      n.bind(1, guild_id);
      const auto count = n.step() ? n.int64(0) : 0;
      auto ins = db_->prepare("INSERT OR IGNORE INTO dj_roles (guild_id, role_id) VALUES (?, ?)");
      ins.bind(1, guild_id).bind(2, role_id);
      ins.run();
      const bool changed = db_->changes() > 0;
      if (changed && static_cast<std::size_t>(count) >= max_dj_roles)
        return unexpected(storage_error{storage_errc::invalid_argument, "a guild has at most 250 DJ roles"});
      t.commit();
      return changed;
    });
  }

  result<bool> remove_role(std::uint64_t guild_id, std::uint64_t role_id) override {
    return guarded([&]() -> result<bool> {
      database::transaction t(*db_, "dj.remove_role");
      db_->prepare("DELETE FROM dj_roles WHERE guild_id = ? AND role_id = ?").bind(1, guild_id).bind(2, role_id).run();
      const bool changed = db_->changes() > 0;
      t.commit();
      return changed;
    });
  }

  result<bool> clear_roles(std::uint64_t guild_id) override {
    return guarded([&]() -> result<bool> {
      database::transaction t(*db_, "dj.clear_roles");
      db_->prepare("DELETE FROM dj_roles WHERE guild_id = ?").bind(1, guild_id).run();
      const bool changed = db_->changes() > 0;
      t.commit();
      return changed;
    });
  }

  result<void> append_audit(std::uint64_t guild_id, dj_audit_entry e) override {
    return guarded([&]() -> result<void> {
      database::transaction t(*db_, "dj.audit");
      auto ins = db_->prepare("INSERT INTO dj_audit (guild_id, ts, user_id, action, details) VALUES (?, ?, ?, ?, ?)");
      ins.bind(1, guild_id).bind(2, e.ts).bind(3, e.user_id);
      ins.bind(4, detail::cut_utf8(e.action, max_audit_text_bytes)).bind(5, detail::cut_utf8(e.details, max_audit_text_bytes));
      ins.run();
      auto trim = db_->prepare(
          "DELETE FROM dj_audit WHERE guild_id = ?1 AND id NOT IN "
          "(SELECT id FROM dj_audit WHERE guild_id = ?1 ORDER BY id DESC LIMIT ?2)");
      trim.bind(1, guild_id).bind(2, static_cast<std::int64_t>(dj_audit_limit));
      trim.run();
      t.commit();
      return {};
    });
  }

 private:
  std::shared_ptr<database> db_;
};

class sqlite_playlists final : public playlist_store {
 public:
  explicit sqlite_playlists(std::shared_ptr<database> db) : db_(std::move(db)) {}

  result<void> save(std::uint64_t guild_id, const playlist& p) override {
    if (auto v = validate(p); !v) return v;
    auto key = playlist_key(p.name);
    if (!key) return unexpected(key.error());
    return guarded([&]() -> result<void> {
      database::transaction t(*db_, "playlist.save");
      auto s = db_->prepare(
          "INSERT INTO playlists (guild_id, name_key, name, document, updated_at) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (guild_id, name_key) DO UPDATE SET name = excluded.name, document = excluded.document, "
          "updated_at = excluded.updated_at");
      s.bind(1, guild_id).bind(2, *key).bind(3, detail::trim(p.name));
      s.bind(4, boost::json::serialize(to_json(p))).bind(5, now_ms());
      s.run();
      t.commit();
      return {};
    });
  }

  result<std::optional<playlist>> load(std::uint64_t guild_id, std::string_view name) override {
    auto key = playlist_key(name);
    if (!key) return unexpected(key.error());
    return guarded([&]() -> result<std::optional<playlist>> {
      auto s = db_->prepare("SELECT name, document FROM playlists WHERE guild_id = ? AND name_key = ?");
      s.bind(1, guild_id).bind(2, *key);
      if (!s.step()) return std::optional<playlist>();
      auto p = playlist_from_json(s.text(0), parse_document(s.text(1), "playlist"));
      if (!p) corrupt("playlist '" + s.text(0) + "': " + p.error());
      return std::optional<playlist>(std::move(*p));
    });
  }

  result<std::vector<std::string>> list(std::uint64_t guild_id) override {
    return guarded([&]() -> result<std::vector<std::string>> {
      auto s = db_->prepare("SELECT name FROM playlists WHERE guild_id = ? ORDER BY name_key");
      s.bind(1, guild_id);
      std::vector<std::string> out;
      while (s.step()) out.push_back(s.text(0));
      return out;
    });
  }

  result<bool> remove(std::uint64_t guild_id, std::string_view name) override {
    auto key = playlist_key(name);
    if (!key) return unexpected(key.error());
    return guarded([&]() -> result<bool> {
      database::transaction t(*db_, "playlist.remove");
      db_->prepare("DELETE FROM playlists WHERE guild_id = ? AND name_key = ?").bind(1, guild_id).bind(2, *key).run();
      const bool changed = db_->changes() > 0;
      t.commit();
      return changed;
    });
  }

 private:
  std::shared_ptr<database> db_;
};

class sqlite_autoplay final : public autoplay_store {
 public:
  explicit sqlite_autoplay(std::shared_ptr<database> db) : db_(std::move(db)) {}

  result<void> record(std::uint64_t guild_id, const stored_track& track, double played_at) override {
    if (track.identifier.empty() || track.encoded.empty())
      return unexpected(storage_error{storage_errc::invalid_argument, "track has no identifier or encoded form"});
    const auto artist = lower_name(track.author);
    return guarded([&]() -> result<void> {
      database::transaction t(*db_, "autoplay.record");
      db_->prepare(
             "INSERT INTO autoplay_history (guild_id, identifier, played_at) VALUES (?, ?, ?) "
             "ON CONFLICT (guild_id, identifier) DO UPDATE SET played_at = excluded.played_at")
          .bind(1, guild_id)
          .bind(2, track.identifier)
          .bind(3, played_at)
          .run();
      db_->prepare(
             "DELETE FROM autoplay_history WHERE guild_id = ?1 AND identifier NOT IN (SELECT identifier FROM "
             "autoplay_history WHERE guild_id = ?1 ORDER BY played_at DESC, identifier LIMIT ?2)")
          .bind(1, guild_id)
          .bind(2, static_cast<std::int64_t>(autoplay_history_limit))
          .run();
      db_->prepare(
             "INSERT INTO autoplay_artist (guild_id, artist_key, identifier, played_at) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (guild_id, artist_key, identifier) DO UPDATE SET played_at = excluded.played_at")
          .bind(1, guild_id)
          .bind(2, artist)
          .bind(3, track.identifier)
          .bind(4, played_at)
          .run();
      db_->prepare(
             "DELETE FROM autoplay_artist WHERE guild_id = ?1 AND artist_key = ?2 AND identifier NOT IN (SELECT "
             "identifier FROM autoplay_artist WHERE guild_id = ?1 AND artist_key = ?2 ORDER BY played_at DESC, "
             "identifier LIMIT ?3)")
          .bind(1, guild_id)
          .bind(2, artist)
          .bind(3, static_cast<std::int64_t>(autoplay_artist_limit))
          .run();
      db_->prepare(
             "INSERT INTO autoplay_tracks (identifier, document) VALUES (?, ?) "
             "ON CONFLICT (identifier) DO UPDATE SET document = excluded.document")
          .bind(1, track.identifier)
          .bind(2, boost::json::serialize(to_json(track)))
          .run();
      t.commit();
      return {};
    });
  }

  result<std::vector<std::string>> history(std::uint64_t guild_id, std::size_t limit) override {
    return guarded([&]() -> result<std::vector<std::string>> {
      auto s = db_->prepare(
          "SELECT identifier FROM autoplay_history WHERE guild_id = ? ORDER BY played_at DESC, identifier LIMIT ?");
      s.bind(1, guild_id).bind(2, static_cast<std::int64_t>(std::min(limit, autoplay_history_limit)));
      std::vector<std::string> out;
      while (s.step()) out.push_back(s.text(0));
      return out;
    });
  }

  result<std::vector<std::string>> by_artist(std::uint64_t guild_id, std::string_view artist, std::size_t limit) override {
    return guarded([&]() -> result<std::vector<std::string>> {
      auto s = db_->prepare(
          "SELECT identifier FROM autoplay_artist WHERE guild_id = ? AND artist_key = ? "
          "ORDER BY played_at DESC, identifier LIMIT ?");
      s.bind(1, guild_id).bind(2, lower_name(artist));
      s.bind(3, static_cast<std::int64_t>(std::min(limit, autoplay_artist_limit)));
      std::vector<std::string> out;
      while (s.step()) out.push_back(s.text(0));
      return out;
    });
  }

  result<std::optional<stored_track>> track(std::string_view identifier) override {
    return guarded([&]() -> result<std::optional<stored_track>> {
      auto s = db_->prepare("SELECT document FROM autoplay_tracks WHERE identifier = ?");
      s.bind(1, identifier);
      if (!s.step()) return std::optional<stored_track>();
      auto t = stored_track_from_json(parse_document(s.text(0), "autoplay track"));
      if (!t) corrupt("autoplay track: " + t.error());
      return std::optional<stored_track>(std::move(*t));
    });
  }

 private:
  std::shared_ptr<database> db_;
};

class sqlite_queues final : public queue_store {
 public:
  explicit sqlite_queues(std::shared_ptr<database> db) : db_(std::move(db)) {}

  result<std::optional<queue_state>> get(std::uint64_t guild_id) override {
    return guarded([&]() -> result<std::optional<queue_state>> {
      auto s = db_->prepare("SELECT document FROM queues WHERE guild_id = ?");
      s.bind(1, guild_id);
      if (!s.step()) return std::optional<queue_state>();
      auto q = queue_state_from_json(parse_document(s.text(0), "queue"));
      if (!q) corrupt("queue of guild " + std::to_string(guild_id) + ": " + q.error());
      return std::optional<queue_state>(std::move(*q));
    });
  }

  result<void> put(const queue_state& q) override {
    if (auto v = validate(q); !v) return v;
    return guarded([&]() -> result<void> {
      auto stamped = q;
      stamped.updated_at = now_ms();
      database::transaction t(*db_, "queue.put");
      db_->prepare(
             "INSERT INTO queues (guild_id, document, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE "
             "SET document = excluded.document, updated_at = excluded.updated_at")
          .bind(1, q.guild_id)
          .bind(2, boost::json::serialize(to_json(stamped)))
          .bind(3, stamped.updated_at)
          .run();
      t.commit();
      return {};
    });
  }

  result<void> remove(std::uint64_t guild_id) override {
    return guarded([&]() -> result<void> {
      database::transaction t(*db_, "queue.remove");
      db_->prepare("DELETE FROM queues WHERE guild_id = ?").bind(1, guild_id).run();
      t.commit();
      return {};
    });
  }

  result<std::vector<std::uint64_t>> guilds() override {
    return guarded([&]() -> result<std::vector<std::uint64_t>> {
      auto s = db_->prepare("SELECT guild_id FROM queues ORDER BY guild_id");
      std::vector<std::uint64_t> out;
      while (s.step()) out.push_back(s.uint64(0));
      return out;
    });
  }

 private:
  std::shared_ptr<database> db_;
};

}  // namespace

stores open_sqlite(const std::filesystem::path& file, sqlite_options opts) {
  auto db = std::make_shared<database>(file, opts);
  stores s;
  s.profiles = std::make_shared<sqlite_profiles>(db);
  s.dj = std::make_shared<sqlite_dj>(db);
  s.playlists = std::make_shared<sqlite_playlists>(db);
  s.autoplay = std::make_shared<sqlite_autoplay>(db);
  s.queues = std::make_shared<sqlite_queues>(db);
  s.backend = "sqlite:" + file.string();
  return s;
}

}  // namespace vb::storage
