#include "vectobeat/lavalink/info.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "readers.hpp"

namespace vb::lavalink {
namespace {

using detail::object_reader;

void read_strings(object_reader& r, std::string_view key, std::vector<std::string>& out) {
  const auto* arr = r.array(key);
  if (!arr) return;
  out.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto* s = (*arr)[i].if_string();
    if (!s) {
      r.fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a string");
      return;
    }
    out.emplace_back(*s);
  }
}

boost::json::array strings(const std::vector<std::string>& in) {
  boost::json::array a;
  a.reserve(in.size());
  for (const auto& s : in) a.emplace_back(s);
  return a;
}

void read_info(object_reader& r, info& out) {
  if (auto v = r.child("version")) {
    out.version.semver = v->string("semver");
    out.version.major = v->int32("major");
    out.version.minor = v->int32("minor");
    out.version.patch = v->int32("patch");
    out.version.pre_release = v->nullable_string("preRelease");
    out.version.build = v->nullable_string("build");
  }
  out.build_time = r.int64("buildTime");
  if (auto g = r.child("git")) {
    out.git.branch = g->string("branch");
    out.git.commit = g->string("commit");
    out.git.commit_time = g->int64("commitTime");
  }
  out.jvm = r.string("jvm");
  out.lavaplayer = r.string("lavaplayer");
  read_strings(r, "sourceManagers", out.source_managers);
  read_strings(r, "filters", out.filters);
  if (const auto* arr = r.array("plugins")) {
    for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
      auto p = r.element("plugins", i, (*arr)[i]);
      if (!p.is_object()) return;
      out.plugins.push_back({p.string("name"), p.string("version")});
    }
  }
}

}  // namespace

boost::json::value to_json(const info& i) {
  boost::json::object o;
  o["version"] = {{"semver", i.version.semver},
                  {"major", i.version.major},
                  {"minor", i.version.minor},
                  {"patch", i.version.patch},
                  {"preRelease", detail::nullable(i.version.pre_release)},
                  {"build", detail::nullable(i.version.build)}};
  o["buildTime"] = i.build_time;
  o["git"] = {{"branch", i.git.branch}, {"commit", i.git.commit}, {"commitTime", i.git.commit_time}};
  o["jvm"] = i.jvm;
  o["lavaplayer"] = i.lavaplayer;
  o["sourceManagers"] = strings(i.source_managers);
  o["filters"] = strings(i.filters);
  boost::json::array plugins;
  for (const auto& p : i.plugins) plugins.push_back(boost::json::object{{"name", p.name}, {"version", p.version}});
  o["plugins"] = std::move(plugins);
  return o;
}

template <>
expected<info, std::string> from_json<info>(const boost::json::value& v) {
  return detail::decode_root<info>(v, read_info);
}

}  // namespace vb::lavalink
