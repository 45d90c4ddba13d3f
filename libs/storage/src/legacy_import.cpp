#include "vectobeat/storage/legacy_import.hpp"

#include <fstream>
#include <sstream>

#include "vectobeat/common/json.hpp"

namespace vb::storage {

namespace {

constexpr std::uintmax_t max_file_bytes = 64u << 20;
constexpr const char* marker_name = ".vectobeat-imported";

result<std::optional<boost::json::value>> read_json(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return std::optional<boost::json::value>();
  const auto size = std::filesystem::file_size(p, ec);
  if (ec || size > max_file_bytes)
    return unexpected(storage_error{storage_errc::invalid_argument, p.string() + ": unreadable or larger than 64 MiB"});
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = vb::json::parse(ss.str(), {max_file_bytes, 64});
  if (!v) return unexpected(storage_error{storage_errc::corrupt, p.string() + ": " + v.error()});
  return std::optional<boost::json::value>(std::move(*v));
}

std::int64_t read_ts(const boost::json::value* v) {
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  if (v->is_string()) return vb::json::parse_i64(v->as_string()).value_or(0);
  return 0;
}

}  // namespace

result<import_report> import_original_files(const std::filesystem::path& data_dir, stores& s) {
  import_report report;
  std::error_code ec;
  const auto marker = data_dir / marker_name;
  if (std::filesystem::exists(marker, ec)) {
    report.skipped = true;
    return report;
  }
  auto profiles = read_json(data_dir / "guild_profiles.json");
  if (!profiles) return unexpected(profiles.error());
  auto dj = read_json(data_dir / "dj_permissions.json");
  if (!dj) return unexpected(dj.error());
  if (!*profiles && !*dj) {
    report.skipped = true;
    return report;
  }

  if (*profiles && (*profiles)->is_object()) {
    for (auto& [key, entry] : (*profiles)->as_object()) {
      auto guild = vb::json::parse_u64(key);
      if (!guild || *guild == 0) {
        report.warnings.push_back("guild_profiles.json: '" + std::string(key) + "' is not a guild id");
        continue;
      }
      auto p = guild_profile_from_json(*guild, entry);
      if (!p) {
        report.warnings.push_back("guild_profiles.json: guild " + std::string(key) + ": " + p.error());
        continue;
      }
      if (auto r = s.profiles->put(*p); !r) return unexpected(r.error());
      ++report.profiles;
    }
  }

  if (*dj && (*dj)->is_object()) {
    for (auto& [key, entry] : (*dj)->as_object()) {
      auto guild = vb::json::parse_u64(key);
      const auto* o = entry.if_object();
      if (!guild || *guild == 0 || !o) {
        report.warnings.push_back("dj_permissions.json: '" + std::string(key) + "' is not a guild entry");
        continue;
      }
      if (const auto* roles = vb::json::get_array(*o, "roles")) {
        for (auto& r : *roles) {
          std::optional<std::uint64_t> id;
          if (r.is_string()) id = vb::json::parse_u64(r.as_string());
          else if (r.is_uint64()) id = r.as_uint64();
          else if (r.is_int64() && r.as_int64() > 0) id = static_cast<std::uint64_t>(r.as_int64());
          if (!id) {
            report.warnings.push_back("dj_permissions.json: guild " + std::string(key) + ": a role is not an id");
            continue;
          }
          if (auto a = s.dj->add_role(*guild, *id); !a) return unexpected(a.error());
        }
      }
      if (const auto* audit = vb::json::get_array(*o, "audit")) {
        const std::size_t first = audit->size() > dj_audit_limit ? audit->size() - dj_audit_limit : 0;
        for (std::size_t i = first; i < audit->size(); ++i) {
          const auto* a = (*audit)[i].if_object();
          if (!a) continue;
          dj_audit_entry e;
          e.ts = read_ts(vb::json::find(*a, "ts"));
          e.user_id = vb::json::get_snowflake(*a, "user_id").value_or(0);
          e.action = std::string(vb::json::get_string(*a, "action").value_or(""));
          e.details = std::string(vb::json::get_string(*a, "details").value_or(""));
          if (auto r = s.dj->append_audit(*guild, std::move(e)); !r) return unexpected(r.error());
        }
      }
      ++report.dj_guilds;
    }
  }

  std::ofstream(marker) << "imported guild_profiles.json and dj_permissions.json\n";
  return report;
}

}  // namespace vb::storage
