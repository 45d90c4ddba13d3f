#pragma once
// One-time import of the original bot's local files (vectobeat-contracts.md §5):
// data/guild_profiles.json and data/dj_permissions.json. The original never loaded its
// profiles (§16 #16); this gives users back what they had set.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "vectobeat/storage/stores.hpp"

namespace vb::storage {

struct import_report {
  bool skipped = false;          // already imported earlier (marker file present) or no files
  std::size_t profiles = 0;      // profiles written
  std::size_t dj_guilds = 0;     // guilds whose DJ roles and audit were written
  std::vector<std::string> warnings;  // entries that were skipped, with the reason
};

// Reads the files in `data_dir` (missing files are fine), writes every valid entry to the
// stores and then creates `data_dir/.vectobeat-imported` so it runs once. Entries that do not
// decode are skipped with a warning; the files themselves are left untouched. Blocking: run
// it on the storage thread.
result<import_report> import_original_files(const std::filesystem::path& data_dir, stores& s);

}  // namespace vb::storage
