#pragma once
// The SQLite backend: one file, WAL journal, versioned migrations, every write one
// transaction with prepared statements. A file that is not a VectoBeat database (another
// program's, a newer schema, damaged) stops start-up with a clear message; nothing is
// ever wiped or recreated silently.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "vectobeat/storage/stores.hpp"

namespace vb::storage {

inline constexpr int sqlite_schema_version = 1;
// PRAGMA application_id of our files ("VBot").
inline constexpr std::uint32_t sqlite_application_id = 0x56426F74;

struct sqlite_options {
  std::chrono::milliseconds busy_timeout{5000};
  bool quick_check = true;  // PRAGMA quick_check at open
  // Test hook: called inside every write transaction right before COMMIT, with the
  // operation's name ("queue.put", "playlist.save", ...).
  std::function<void(std::string_view)> before_commit_for_test;
};

// Opens (creating the file and its directory when missing) and migrates. Throws
// startup_error naming the file on any problem.
stores open_sqlite(const std::filesystem::path& file, sqlite_options opts = {});

}  // namespace vb::storage
