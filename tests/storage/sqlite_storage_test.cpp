#include "vectobeat/storage/sqlite_storage.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "common/test_util.hpp"
#include "store_contract.hpp"

namespace vb::storage::test {
namespace {

class sqlite_backend final : public backend {
 public:
  stores open() override { return open_sqlite(dir_.path() / "data" / "bot.db"); }
  stores reopen() override { return open_sqlite(dir_.path() / "data" / "bot.db"); }

 private:
  vb::test::temp_dir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract,
                         ::testing::Values(backend_param{"sqlite", [] { return std::make_unique<sqlite_backend>(); }}),
                         [](const auto& info) { return info.param.name; });

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Runs SQL on a file with the raw SQLite API (a database made by someone else).
void raw_sql(const std::filesystem::path& p, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

queue_state small_queue(std::uint64_t guild, const std::string& marker) {
  queue_state q;
  q.guild_id = guild;
  q.current = queue_entry{sample_track(marker), 1};
  q.position = 1000;
  for (int i = 0; i < 3; ++i) q.entries.push_back({sample_track(marker + std::to_string(i)), 1});
  return q;
}

class SqliteTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_.path() / "bot.db"; }
  vb::test::temp_dir dir_;
};

TEST_F(SqliteTest, AnEmptyFileIsMigratedToTheCurrentSchema) {
  dir_.write("bot.db", "");
  auto s = open_sqlite(file());
  ASSERT_TRUE(s.queues->put(small_queue(1, "a")));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), sqlite_schema_version);
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(SqliteTest, AFileThatIsNotSqliteStopsStartUpAndIsLeftAlone) {
  const std::string content = "this is somebody's notes, not a database\n";
  dir_.write("bot.db", content);
  try {
    (void)open_sqlite(file());
    FAIL() << "opened a text file as the database";
  } catch (const startup_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a SQLite database"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file().string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(file()), content);
}

TEST_F(SqliteTest, AnotherProgramsDatabaseIsRefused) {
  raw_sql(file(), "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);");
  const auto before = read_file(file());
  EXPECT_THROW((void)open_sqlite(file()), startup_error);
  EXPECT_EQ(read_file(file()), before);
}

TEST_F(SqliteTest, ANewerSchemaIsRefused) {
  { (void)open_sqlite(file()); }
  raw_sql(file(), "PRAGMA user_version = 99");
  try {
    (void)open_sqlite(file());
    FAIL() << "opened a newer schema";
  } catch (const startup_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteTest, ADamagedFileIsRefused) {
  {
    auto s = open_sqlite(file());
    for (int g = 1; g <= 50; ++g) ASSERT_TRUE(s.queues->put(small_queue(static_cast<std::uint64_t>(g), "x")));
  }
  raw_sql(file(), "PRAGMA wal_checkpoint(TRUNCATE)");
  // Overwrite the headers of the pages after the first (b-tree and overflow headers) with
  // garbage, as a bad disk block or a stray write would.
  const auto pages = std::filesystem::file_size(file()) / 4096;
  ASSERT_GT(pages, 3u);
  std::fstream f(file(), std::ios::in | std::ios::out | std::ios::binary);
  const std::string garbage(8, '\x5A');
  for (std::uintmax_t page = 1; page < pages; ++page) {
    f.seekp(static_cast<std::streamoff>(page * 4096));
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  f.close();
  EXPECT_THROW((void)open_sqlite(file()), startup_error);
}

TEST_F(SqliteTest, AWriteThatFailsBeforeCommitLeavesTheOldState) {
  {
    auto s = open_sqlite(file());
    ASSERT_TRUE(s.queues->put(small_queue(1, "old")));
  }
  sqlite_options o;
  o.before_commit_for_test = [](std::string_view op) {
    if (op == "queue.put") throw std::runtime_error("power cut");
  };
  {
    auto s = open_sqlite(file(), o);
    EXPECT_THROW((void)s.queues->put(small_queue(1, "new")), std::runtime_error);
    EXPECT_EQ(s.queues->get(1)->value().current->track.info.identifier, "old");
  }
  auto s = open_sqlite(file());
  EXPECT_EQ(s.queues->get(1)->value().current->track.info.identifier, "old");
}

TEST_F(SqliteTest, AProcessKilledMidWriteLeavesTheLastCommittedState) {
  {
    auto s = open_sqlite(file());
    ASSERT_TRUE(s.queues->put(small_queue(1, "old")));
    playlist p;
    p.name = "Keep";
    p.tracks = {sample_stored("k")};
    ASSERT_TRUE(s.playlists->save(1, p));
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sqlite_options o;
    o.before_commit_for_test = [](std::string_view) { _exit(7); };  // dies inside the transaction
    try {
      auto s = open_sqlite(file(), o);
      (void)s.queues->put(small_queue(1, "new"));
    } catch (...) {
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 7);  // it really died mid-write
  auto s = open_sqlite(file());
  auto q = s.queues->get(1);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->value().current->track.info.identifier, "old");
  EXPECT_EQ(q->value().entries.size(), 3u);
  EXPECT_TRUE(s.playlists->load(1, "keep")->has_value());
}

TEST_F(SqliteTest, ACorruptRowIsReportedNotCrashedOn) {
  {
    auto s = open_sqlite(file());
    ASSERT_TRUE(s.queues->put(small_queue(1, "a")));
    ASSERT_TRUE(s.queues->put(small_queue(2, "b")));
  }
  raw_sql(file(), "UPDATE queues SET document = '{\"v\":1,\"guildId\":' WHERE guild_id = 1");
  auto s = open_sqlite(file());
  auto bad = s.queues->get(1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, storage_errc::corrupt);
  EXPECT_TRUE(s.queues->get(2));  // the others still load
}

TEST_F(SqliteTest, SnowflakesAboveTheSignedRangeRoundTrip) {
  auto s = open_sqlite(file());
  const std::uint64_t big = 18'000'000'000'000'000'000ull;
  ASSERT_TRUE(s.dj->add_role(big, big - 1));
  EXPECT_EQ(s.dj->get(big)->roles, std::set<std::uint64_t>{big - 1});
}

TEST_F(SqliteTest, QueueWritesAreCheap) {
  auto s = open_sqlite(file());
  queue_state q;
  q.guild_id = 1;
  for (int i = 0; i < 500; ++i) q.entries.push_back({sample_track("n" + std::to_string(i)), 5});
  constexpr int rounds = 50;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    q.position = i * 1000;
    ASSERT_TRUE(s.queues->put(q));
  }
  const auto per_write =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count() / rounds;
  std::cout << "[ measure  ] 500-entry queue write: " << per_write << " us\n";
  EXPECT_LT(per_write, 200'000);  // a failure bound, not a benchmark
}

}  // namespace
}  // namespace vb::storage::test
