#pragma once
// Internal: a thin RAII layer over the SQLite C API (connection, cached prepared
// statements, transactions). Not thread-safe: one thread at a time.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vectobeat/storage/sqlite_storage.hpp"

namespace vb::storage::detail {

// A failed SQLite call; carries the storage error to return.
struct sqlite_failure {
  storage_error error;
};

class statement {
 public:
  statement(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  statement& bind(int i, std::int64_t v);
  statement& bind(int i, std::uint64_t v) { return bind(i, static_cast<std::int64_t>(v)); }  // bit pattern kept
  statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  statement& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  statement& bind(int i, double v);
  statement& bind(int i, std::string_view v);
  statement& bind_null(int i);

  bool step();  // true: a row is available; false: done. Throws sqlite_failure.
  void run() { while (step()) {} }

  std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
  std::uint64_t uint64(int col) const { return static_cast<std::uint64_t>(int64(col)); }
  double real(int col) const { return sqlite3_column_double(s_, col); }
  std::string text(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class database {
 public:
  database(const std::filesystem::path& file, const sqlite_options& opts);  // throws startup_error
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  statement prepare(const char* sql);  // cached; throws sqlite_failure
  void exec(const char* sql);          // throws sqlite_failure

  // BEGIN IMMEDIATE ... COMMIT, rolled back when not committed (exception, early return).
  class transaction {
   public:
    transaction(database& db, std::string_view op);
    ~transaction();
    void commit();

   private:
    database& db_;
    std::string_view op_;
    bool done_ = false;
  };

  [[noreturn]] void fail(int rc, std::string_view what) const;
  int changes() const { return sqlite3_changes(db_); }
  const std::filesystem::path& file() const { return file_; }
  const sqlite_options& options() const { return opts_; }

 private:
  void open_checked();
  void migrate(int from);
  void close();

  std::filesystem::path file_;
  sqlite_options opts_;
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// Runs `f` and turns a thrown sqlite_failure into the error of a result.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const sqlite_failure& e) {
    return unexpected(e.error);
  }
}

}  // namespace vb::storage::detail
