#pragma once
// YAML configuration with ${VAR} / ${VAR:default} interpolation and .env loading.
//
// Interpolation happens per scalar *after* parsing, so a value can never change the
// document's structure, and an unset *or empty* variable takes its default (the
// original expanded text before parsing, where `PORT=` turned 2333 into null).
// Every typed read records the key it visited; `document::unknown_keys()` then lists
// the keys nobody asked for, with file and line.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vectobeat/common/expected.hpp"

namespace vb::config {

// Thrown for invalid configuration; what() names the file, line and key.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using env_lookup = std::function<std::optional<std::string>(std::string_view)>;
env_lookup process_env();
env_lookup map_env(std::map<std::string, std::string> vars);

// Expands ${VAR}, ${VAR:default} and ${VAR:-default}: an unset or empty VAR takes the
// default, which may itself contain references. "$${" is a literal "${". Errors on
// unterminated references and invalid names.
expected<std::string, std::string> interpolate(std::string_view text, const env_lookup& env);

// KEY=VALUE lines, '#' comments, optional `export `, single quotes (literal) and
// double quotes (\n, \", \\ escapes). Malformed lines are reported, not guessed.
struct dotenv_result {
  std::map<std::string, std::string> values;
  std::vector<std::string> errors;  // "line N: ..."
};
dotenv_result parse_dotenv(std::string_view text);
// First existing of dir/.env.local, dir/.env.production, dir/.env; otherwise the
// nearest .env in a parent directory.
std::optional<std::filesystem::path> find_dotenv(const std::filesystem::path& start_dir);
// Sets variables that are not already set in the process environment; returns their names.
std::vector<std::string> apply_dotenv(const std::filesystem::path& file);

struct node_impl;
struct document_state;

class node {
 public:
  const std::string& path() const;
  std::string location() const;  // "file:line" of the value (or of the nearest parent)
  bool exists() const;
  bool is_null() const;  // absent or YAML null
  bool is_map() const;
  bool is_list() const;
  bool is_scalar() const;

  node operator[](std::string_view key) const;  // marks the key as known
  bool has(std::string_view key) const;
  std::vector<node> items() const;         // list elements (empty when absent)
  std::vector<std::string> keys() const;   // map keys, all marked as known
  void accept_all() const;                 // mark this subtree as known (free-form sections)

  std::string as_string() const;
  std::int64_t as_int(std::int64_t min = INT64_MIN, std::int64_t max = INT64_MAX) const;
  double as_double(double min = -1e300, double max = 1e300) const;
  bool as_bool() const;

  // Reads with a default return it when the key is absent, null, or blank after
  // interpolation (`port: ${PORT}` with PORT unset or empty).
  std::string get(std::string_view key, std::string def) const;
  // nullopt when absent, null, or empty after interpolation.
  std::optional<std::string> get_optional(std::string_view key) const;
  std::int64_t get_int(std::string_view key, std::int64_t def, std::int64_t min = INT64_MIN,
                       std::int64_t max = INT64_MAX) const;
  double get_double(std::string_view key, double def, double min = -1e300, double max = 1e300) const;
  bool get_bool(std::string_view key, bool def) const;
  // A YAML list, or a comma-separated string (as env variables provide).
  std::vector<std::string> get_string_list(std::string_view key) const;

  // One of `choices` (compared case-insensitively); `def` when absent or blank.
  template <class E>
  E get_enum(std::string_view key, E def, std::initializer_list<std::pair<std::string_view, E>> choices) const {
    node n = (*this)[key];
    if (n.is_null()) return def;
    std::string s = n.as_string();
    if (s.empty()) return def;
    for (auto& [name, value] : choices)
      if (iequals_ascii(name, s)) return value;
    std::string allowed;
    for (auto& [name, value] : choices) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    n.fail("expected one of [" + allowed + "], got '" + s + "'");
  }

  [[noreturn]] void fail(std::string_view what) const;

 private:
  static bool iequals_ascii(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }
  friend class document;
  explicit node(std::shared_ptr<const node_impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const node_impl> impl_;
};

class document {
 public:
  // Throws config::error (with file:line) on YAML syntax errors.
  static document parse(std::string_view text, std::string name, env_lookup env);
  static document load(const std::filesystem::path& file, env_lookup env);
  static document empty(env_lookup env);

  node root() const;
  const std::string& name() const;
  const env_lookup& env() const;
  // "file:line: unknown key 'a.b'" for keys present in the file that no reader visited.
  std::vector<std::string> unknown_keys() const;

 private:
  std::shared_ptr<document_state> state_;
};

}  // namespace vb::config
