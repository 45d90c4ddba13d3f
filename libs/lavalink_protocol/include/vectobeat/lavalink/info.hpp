#pragma once
// GET /v4/info (lavalink-v4.md §4.9).
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

struct version_info {
  std::string semver;
  std::int32_t major = 0;
  std::int32_t minor = 0;
  std::int32_t patch = 0;
  std::optional<std::string> pre_release;
  std::optional<std::string> build;
  friend bool operator==(const version_info&, const version_info&) = default;
};

struct git_info {
  std::string branch;
  std::string commit;
  std::int64_t commit_time = 0;  // epoch ms
  friend bool operator==(const git_info&, const git_info&) = default;
};

struct plugin_info {
  std::string name;
  std::string version;
  friend bool operator==(const plugin_info&, const plugin_info&) = default;
};

struct info {
  version_info version;
  std::int64_t build_time = 0;  // epoch ms
  git_info git;
  std::string jvm;         // runtime description; a native node puts its own here
  std::string lavaplayer;  // engine description
  // Canonical source names; lavalink-client refuses searches for sources not listed.
  std::vector<std::string> source_managers;
  std::vector<std::string> filters;  // enabled filters, plugin filters included
  std::vector<plugin_info> plugins;

  friend bool operator==(const info&, const info&) = default;
};

boost::json::value to_json(const info& i);
template <>
expected<info, std::string> from_json<info>(const boost::json::value& v);

}  // namespace vb::lavalink
