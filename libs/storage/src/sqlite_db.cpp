#include "sqlite_db.hpp"

#include <fmt/format.h>

#include <system_error>

namespace vb::storage::detail {

namespace {

storage_errc classify(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return storage_errc::unavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return storage_errc::corrupt;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH: return storage_errc::invalid_argument;
    default: return storage_errc::io;
  }
}

// Schema versions; each runs in its own transaction with the version bump.
constexpr const char* migration_v1 = R"sql(
CREATE TABLE guild_profiles (
  guild_id INTEGER PRIMARY KEY,
  default_volume INTEGER NOT NULL CHECK (default_volume BETWEEN 0 AND 200),
  autoplay INTEGER NOT NULL CHECK (autoplay IN (0, 1)),
  announcement_style TEXT NOT NULL CHECK (announcement_style IN ('rich', 'minimal')),
  adaptive_mastering INTEGER NOT NULL CHECK (adaptive_mastering IN (0, 1)),
  compliance_mode INTEGER NOT NULL CHECK (compliance_mode IN (0, 1)),
  extra TEXT NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE dj_roles (
  guild_id INTEGER NOT NULL,
  role_id INTEGER NOT NULL,
  PRIMARY KEY (guild_id, role_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE dj_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  guild_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX dj_audit_by_guild ON dj_audit (guild_id, id);
CREATE TABLE playlists (
  guild_id INTEGER NOT NULL,
  name_key TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (guild_id, name_key)
) STRICT, WITHOUT ROWID;
CREATE TABLE autoplay_history (
  guild_id INTEGER NOT NULL,
  identifier TEXT NOT NULL,
  played_at REAL NOT NULL,
  PRIMARY KEY (guild_id, identifier)
) STRICT, WITHOUT ROWID;
CREATE INDEX autoplay_history_by_time ON autoplay_history (guild_id, played_at);
CREATE TABLE autoplay_artist (
  guild_id INTEGER NOT NULL,
  artist_key TEXT NOT NULL,
  identifier TEXT NOT NULL,
  played_at REAL NOT NULL,
  PRIMARY KEY (guild_id, artist_key, identifier)
) STRICT, WITHOUT ROWID;
CREATE INDEX autoplay_artist_by_time ON autoplay_artist (guild_id, artist_key, played_at);
CREATE TABLE autoplay_tracks (
  identifier TEXT PRIMARY KEY,
  document TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE queues (
  guild_id INTEGER PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
)sql";

constexpr const char* migrations[] = {migration_v1};
static_assert(std::size(migrations) == sqlite_schema_version);

}  // namespace

// ------------------------------------------------------------------ statement

statement& statement::bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(s_, i, v); rc != SQLITE_OK)
    throw sqlite_failure{{classify(rc), std::string("bind: ") + sqlite3_errstr(rc)}};
  return *this;
}

statement& statement::bind(int i, double v) {
  if (int rc = sqlite3_bind_double(s_, i, v); rc != SQLITE_OK)
    throw sqlite_failure{{classify(rc), std::string("bind: ") + sqlite3_errstr(rc)}};
  return *this;
}

statement& statement::bind(int i, std::string_view v) {
  if (int rc = sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8); rc != SQLITE_OK)
    throw sqlite_failure{{classify(rc), std::string("bind: ") + sqlite3_errstr(rc)}};
  return *this;
}

statement& statement::bind_null(int i) {
  if (int rc = sqlite3_bind_null(s_, i); rc != SQLITE_OK)
    throw sqlite_failure{{classify(rc), std::string("bind: ") + sqlite3_errstr(rc)}};
  return *this;
}

bool statement::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw sqlite_failure{{classify(rc), std::string("SQLite: ") + sqlite3_errmsg(db_)}};
}

std::string statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
}

// ------------------------------------------------------------------ database

void database::fail(int rc, std::string_view what) const {
  throw sqlite_failure{{classify(rc), fmt::format("{}: {}", what, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc))}};
}

database::database(const std::filesystem::path& file, const sqlite_options& opts) : file_(file), opts_(opts) {
  try {
    open_checked();
  } catch (const sqlite_failure& e) {
    close();
    throw startup_error(fmt::format("database {}: {}", file_.string(), e.error.message));
  } catch (...) {
    close();
    throw;
  }
}

database::~database() { close(); }

void database::close() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  cache_.clear();
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

void database::open_checked() {
  std::error_code ec;
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) throw startup_error(fmt::format("database {}: cannot create its directory: {}", file_.string(), ec.message()));
  const bool existed = std::filesystem::exists(file_, ec);
  int rc = sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) fail(rc, "cannot open");
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(opts_.busy_timeout.count()));

  // What is this file? Reading the header fails with SQLITE_NOTADB for a foreign file.
  std::int64_t app_id = 0;
  std::int64_t version = 0;
  std::int64_t tables = 0;
  try {
    auto a = prepare("PRAGMA application_id");
    if (a.step()) app_id = a.int64(0);
    auto v = prepare("PRAGMA user_version");
    if (v.step()) version = v.int64(0);
    auto t = prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
    if (t.step()) tables = t.int64(0);
  } catch (const sqlite_failure& e) {
    if (e.error.code == storage_errc::corrupt)
      throw startup_error(fmt::format("database {}: the file is not a SQLite database (or is damaged): {}",
                                      file_.string(), e.error.message));
    throw;
  }
  const auto ours = static_cast<std::int64_t>(static_cast<std::int32_t>(sqlite_application_id));
  if (app_id != ours && !(app_id == 0 && version == 0 && tables == 0))
    throw startup_error(fmt::format(
        "database {}: not a VectoBeat bot database (application_id {:#x}, {} table(s)); refusing to touch it",
        file_.string(), static_cast<std::uint32_t>(app_id), tables));
  if (version > sqlite_schema_version)
    throw startup_error(fmt::format(
        "database {}: schema version {} is newer than this VectoBeat supports ({}); use a newer build or the "
        "backup of this file",
        file_.string(), version, sqlite_schema_version));
  if (existed && opts_.quick_check && tables > 0) {
    auto q = prepare("PRAGMA quick_check");
    if (q.step()) {
      auto verdict = q.text(0);
      if (verdict != "ok")
        throw startup_error(fmt::format("database {}: integrity check failed: {}", file_.string(), verdict));
    }
  }
  // WAL: readers do not block the writer and a crash leaves the last committed state.
  {
    auto j = prepare("PRAGMA journal_mode=WAL");
    j.run();
  }
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
  if (version < sqlite_schema_version) migrate(static_cast<int>(version));
}

void database::migrate(int from) {
  for (int v = from + 1; v <= sqlite_schema_version; ++v) {
    transaction t(*this, "migrate");
    exec(migrations[v - 1]);
    exec(fmt::format("PRAGMA user_version = {}", v).c_str());
    if (v == 1) exec(fmt::format("PRAGMA application_id = {}", static_cast<std::int32_t>(sqlite_application_id)).c_str());
    t.commit();
  }
}

statement database::prepare(const char* sql) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) fail(rc, "prepare");
    it = cache_.emplace(sql, s).first;
  }
  return statement(db_, it->second);
}

void database::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw sqlite_failure{{classify(rc), "SQLite: " + msg}};
  }
}

database::transaction::transaction(database& db, std::string_view op) : db_(db), op_(op) {
  db_.exec("BEGIN IMMEDIATE");
}

database::transaction::~transaction() {
  if (!done_) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void database::transaction::commit() {
  if (db_.opts_.before_commit_for_test) db_.opts_.before_commit_for_test(op_);
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace vb::storage::detail
