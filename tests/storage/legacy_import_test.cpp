#include "vectobeat/storage/legacy_import.hpp"

#include <gtest/gtest.h>

#include "common/test_util.hpp"
#include "vectobeat/storage/sqlite_storage.hpp"

namespace vb::storage {
namespace {

TEST(LegacyImport, BringsBackProfilesAndDjRolesOnce) {
  vb::test::temp_dir dir;
  dir.write("data/guild_profiles.json", R"({
    "111": {"default_volume": 70, "autoplay": true, "announcement_style": "minimal",
            "adaptive_mastering": false, "compliance_mode": false},
    "222": {"default_volume": 999},
    "not-a-guild": {}
  })");
  std::string audit = R"([)";
  for (int i = 0; i < 55; ++i)
    audit += (i ? "," : "") + std::string(R"({"ts": )") + std::to_string(1700000000 + i) +
             R"(, "user_id": 42, "action": "skip", "details": "n)" + std::to_string(i) + R"("})";
  audit += "]";
  dir.write("data/dj_permissions.json", R"({"111": {"roles": ["10", 11], "audit": )" + audit + "}}");
  auto s = open_sqlite(dir.path() / "bot.db");

  auto r = import_original_files(dir.path() / "data", s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->skipped);
  EXPECT_EQ(r->profiles, 1u);
  EXPECT_EQ(r->dj_guilds, 1u);
  EXPECT_EQ(r->warnings.size(), 2u);  // the volume out of range and the bad key
  auto p = s.profiles->get(111);
  EXPECT_EQ(p->default_volume, 70);
  EXPECT_EQ(p->announcement, announcement_style::minimal);
  auto dj = s.dj->get(111);
  EXPECT_EQ(dj->roles, (std::set<std::uint64_t>{10, 11}));
  ASSERT_EQ(dj->audit.size(), dj_audit_limit);
  EXPECT_EQ(dj->audit.front().details, "n5");
  EXPECT_EQ(dj->audit.back().ts, 1700000054);

  // The bot changes the volume; a second start must not bring the old file back.
  guild_profile changed = *p;
  changed.default_volume = 20;
  ASSERT_TRUE(s.profiles->put(changed));
  auto again = import_original_files(dir.path() / "data", s);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->skipped);
  EXPECT_EQ(s.profiles->get(111)->default_volume, 20);
}

TEST(LegacyImport, NothingToImportIsNotAnError) {
  vb::test::temp_dir dir;
  auto s = open_sqlite(dir.path() / "bot.db");
  auto r = import_original_files(dir.path() / "nothing-here", s);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->skipped);
}

TEST(LegacyImport, AnUnreadableFileIsReportedAndNothingIsMarked) {
  vb::test::temp_dir dir;
  dir.write("data/guild_profiles.json", "{ not json");
  auto s = open_sqlite(dir.path() / "bot.db");
  auto r = import_original_files(dir.path() / "data", s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, storage_errc::corrupt);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data" / ".vectobeat-imported"));
}

}  // namespace
}  // namespace vb::storage
