#include "vectobeat/common/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>


namespace vb::config {

// ---------------------------------------------------------------- environment

env_lookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    std::string key(name);
    if (const char* v = std::getenv(key.c_str())) return std::string(v);
    return std::nullopt;
  };
}

env_lookup map_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    if (auto it = vars.find(std::string(name)); it != vars.end()) return it->second;
    return std::nullopt;
  };
}

namespace {
bool valid_var_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Index of the '}' closing the reference that starts at text[open] ("${"), counting
// nested "${" in defaults; npos when unterminated.
std::size_t closing_brace(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text.substr(i, 3) == "$${") {
      i += 2;  // a literal "${" opens nothing
    } else if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

expected<std::string, std::string> interpolate_at(std::string_view text, const env_lookup& env, int depth) {
  if (depth > 8) return unexpected(std::string("references nested too deeply"));
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '$' && i + 2 < text.size() && text[i + 1] == '$' && text[i + 2] == '{') {
      out += "${";
      i += 3;
      continue;
    }
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      std::size_t close = closing_brace(text, i);
      if (close == std::string_view::npos) return unexpected(std::string("unterminated '${'"));
      std::string_view ref = text.substr(i + 2, close - i - 2);
      std::string_view name = ref;
      std::optional<std::string_view> def;
      if (auto colon = ref.find(':'); colon != std::string_view::npos) {
        name = ref.substr(0, colon);
        def = ref.substr(colon + 1);
        if (!def->empty() && def->front() == '-') def = def->substr(1);  // ${VAR:-x} as in shells
      }
      if (!valid_var_name(name)) return unexpected("invalid variable name '" + std::string(name) + "'");
      std::optional<std::string> v = env ? env(name) : std::nullopt;
      if (v && !v->empty()) {
        out += *v;  // values are not expanded again
      } else if (def) {
        auto d = interpolate_at(*def, env, depth + 1);
        if (!d) return d;
        out += *d;
      }
      i = close + 1;
      continue;
    }
    out += text[i++];
  }
  return out;
}
}  // namespace

expected<std::string, std::string> interpolate(std::string_view text, const env_lookup& env) {
  return interpolate_at(text, env, 0);
}

// ---------------------------------------------------------------- dotenv

namespace {
std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses one non-blank, non-comment line into key and value; returns an error text.
std::optional<std::string> parse_dotenv_line(std::string_view line, std::string& key, std::string& value) {
  if (line.starts_with("export") && line.size() > 6 && (line[6] == ' ' || line[6] == '\t'))
    line = trim_blanks(line.substr(6));
  std::size_t eq = line.find('=');
  if (eq == std::string_view::npos) return "expected KEY=VALUE";
  key = std::string(trim_blanks(line.substr(0, eq)));
  if (!valid_var_name(key)) return "invalid variable name '" + key + "'";
  std::string_view raw = trim_blanks(line.substr(eq + 1));
  value.clear();
  if (raw.empty() || (raw.front() != '"' && raw.front() != '\'')) {
    // Unquoted: an inline comment starts at a '#' preceded by a blank.
    for (std::size_t k = 1; k < raw.size(); ++k) {
      if (raw[k] == '#' && (raw[k - 1] == ' ' || raw[k - 1] == '\t')) {
        raw = trim_blanks(raw.substr(0, k));
        break;
      }
    }
    value = std::string(raw);
    return std::nullopt;
  }
  const char q = raw.front();
  std::size_t k = 1;
  for (; k < raw.size() && raw[k] != q; ++k) {
    if (q == '"' && raw[k] == '\\' && k + 1 < raw.size()) {
      char n = raw[++k];
      switch (n) {
        case 'n': value += '\n'; break;
        case 'r': value += '\r'; break;
        case 't': value += '\t'; break;
        case '"': case '\\': case '$': value += n; break;
        default: value += '\\'; value += n;  // unknown escapes stay as written (Windows paths)
      }
      continue;
    }
    value += raw[k];
  }
  if (k >= raw.size()) return "unterminated quote";
  std::string_view rest = trim_blanks(raw.substr(k + 1));
  if (!rest.empty() && rest.front() != '#') return "unexpected text after the closing quote";
  return std::nullopt;
}
}  // namespace

dotenv_result parse_dotenv(std::string_view text) {
  dotenv_result r;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = trim_blanks(line);
    if (line.empty() || line.front() == '#') continue;
    std::string key, value;
    if (auto err = parse_dotenv_line(line, key, value)) {
      r.errors.push_back("line " + std::to_string(line_no) + ": " + *err);
      continue;
    }
    r.values[std::move(key)] = std::move(value);
  }
  return r;
}

std::optional<std::filesystem::path> find_dotenv(const std::filesystem::path& start_dir) {
  std::error_code ec;
  for (const char* name : {".env.local", ".env.production", ".env"}) {
    auto p = start_dir / name;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  for (auto dir = start_dir.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    auto p = dir / ".env";
    if (std::filesystem::is_regular_file(p, ec)) return p;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

std::vector<std::string> apply_dotenv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(file.string() + ": cannot read .env file");
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = parse_dotenv(ss.str());
  if (!parsed.errors.empty()) throw error(file.string() + ": " + parsed.errors.front());
  std::vector<std::string> set;
  for (auto& [k, v] : parsed.values) {
    if (std::getenv(k.c_str())) continue;
    ::setenv(k.c_str(), v.c_str(), 0);
    set.push_back(k);
  }
  return set;
}

// ---------------------------------------------------------------- document

struct document_state {
  std::string name;
  env_lookup env;
  YAML::Node root;
  std::mutex mu;
  std::set<std::pair<int, int>> known;  // marks (line, column) of visited keys
  std::set<std::pair<int, int>> free_form;  // subtrees accepted wholesale
};

struct node_impl {
  std::shared_ptr<document_state> doc;
  YAML::Node yaml;  // a default YAML::Node (a null) when absent
  bool present = false;  // yaml-cpp's IsDefined() is true for default nodes, so track it here
  std::string path;
  YAML::Mark mark;  // of the value, or of the parent when absent
};

namespace {

std::string fmt_double(double v) {
  std::ostringstream os;
  os.imbue(std::locale::classic());
  os << v;
  return os.str();
}

std::string where(const document_state& d, const YAML::Mark& m) {
  if (m.line < 0) return d.name;
  return d.name + ":" + std::to_string(m.line + 1);
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

}  // namespace

const std::string& node::path() const { return impl_->path; }
std::string node::location() const { return where(*impl_->doc, impl_->mark); }
bool node::exists() const { return impl_->present; }
bool node::is_null() const { return !impl_->present || impl_->yaml.IsNull(); }
bool node::is_map() const { return impl_->present && impl_->yaml.IsMap(); }
bool node::is_list() const { return impl_->present && impl_->yaml.IsSequence(); }
bool node::is_scalar() const { return impl_->present && impl_->yaml.IsScalar(); }

void node::fail(std::string_view what) const {
  std::string key = impl_->path.empty() ? std::string("<root>") : impl_->path;
  throw error(location() + ": key '" + key + "': " + std::string(what));
}

node node::operator[](std::string_view key) const {
  auto out = std::make_shared<node_impl>();
  out->doc = impl_->doc;
  out->path = child_path(impl_->path, key);
  out->mark = impl_->mark;
  if (is_map()) {
    for (auto it = impl_->yaml.begin(); it != impl_->yaml.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) {
        std::lock_guard lk(impl_->doc->mu);
        impl_->doc->known.insert({it->first.Mark().line, it->first.Mark().column});
        out->yaml = it->second;
        out->present = true;
        out->mark = it->second.Mark().line >= 0 ? it->second.Mark() : it->first.Mark();
        break;
      }
    }
  } else if (exists() && !is_null()) {
    fail("expected a mapping");
  }
  return node(out);
}

bool node::has(std::string_view key) const {
  if (!is_map()) return false;
  for (auto it = impl_->yaml.begin(); it != impl_->yaml.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return true;
  return false;
}

std::vector<node> node::items() const {
  std::vector<node> out;
  if (is_null()) return out;
  if (!is_list()) fail("expected a list");
  std::size_t i = 0;
  for (auto it = impl_->yaml.begin(); it != impl_->yaml.end(); ++it, ++i) {
    auto n = std::make_shared<node_impl>();
    n->doc = impl_->doc;
    n->yaml = static_cast<const YAML::Node&>(*it);
    n->present = true;
    n->path = impl_->path + "[" + std::to_string(i) + "]";
    n->mark = it->Mark();
    out.push_back(node(n));
  }
  return out;
}

std::vector<std::string> node::keys() const {
  std::vector<std::string> out;
  if (is_null()) return out;
  if (!is_map()) fail("expected a mapping");
  std::lock_guard lk(impl_->doc->mu);
  for (auto it = impl_->yaml.begin(); it != impl_->yaml.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    impl_->doc->known.insert({it->first.Mark().line, it->first.Mark().column});
    out.push_back(it->first.Scalar());
  }
  return out;
}

void node::accept_all() const {
  if (!exists()) return;
  std::lock_guard lk(impl_->doc->mu);
  impl_->doc->free_form.insert({impl_->yaml.Mark().line, impl_->yaml.Mark().column});
}

std::string node::as_string() const {
  if (!is_scalar()) fail(exists() ? "expected a scalar value" : "is required");
  auto r = interpolate(impl_->yaml.Scalar(), impl_->doc->env);
  if (!r) fail(r.error());
  return std::move(*r);
}

namespace {
std::string_view trim_spaces(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}
}  // namespace

std::int64_t node::as_int(std::int64_t min, std::int64_t max) const {
  std::string s = as_string();
  std::string_view v = trim_spaces(s);
  if (v.size() > 1 && v.front() == '+' && v[1] != '-') v.remove_prefix(1);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec == std::errc::result_out_of_range && p == v.data() + v.size())
    fail("value " + s + " out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) fail("expected an integer, got '" + s + "'");
  if (out < min || out > max)
    fail("value " + std::to_string(out) + " out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return out;
}

double node::as_double(double min, double max) const {
  std::string s = as_string();
  std::string_view v = trim_spaces(s);
  if (v.size() > 1 && v.front() == '+' && v[1] != '-') v.remove_prefix(1);
  // from_chars, not strtod: the result must not depend on the process locale.
  double out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out, std::chars_format::general);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || !std::isfinite(out))
    fail("expected a number, got '" + s + "'");
  if (!(out >= min && out <= max)) fail("value " + s + " out of range [" + fmt_double(min) + ", " + fmt_double(max) + "]");
  return out;
}

bool node::as_bool() const {
  std::string s = as_string();
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  fail("expected a boolean (true/false), got '" + s + "'");
}

namespace {
// A scalar that interpolates to "" counts as absent for reads with a default.
bool blank(const node& n) { return n.is_null() || (n.is_scalar() && n.as_string().empty()); }
}  // namespace

std::string node::get(std::string_view key, std::string def) const {
  node n = (*this)[key];
  if (n.is_null()) return def;
  std::string s = n.as_string();
  return s.empty() ? def : s;
}

std::optional<std::string> node::get_optional(std::string_view key) const {
  node n = (*this)[key];
  if (n.is_null()) return std::nullopt;
  std::string s = n.as_string();
  if (s.empty()) return std::nullopt;
  return s;
}

std::int64_t node::get_int(std::string_view key, std::int64_t def, std::int64_t min, std::int64_t max) const {
  node n = (*this)[key];
  return blank(n) ? def : n.as_int(min, max);
}

double node::get_double(std::string_view key, double def, double min, double max) const {
  node n = (*this)[key];
  return blank(n) ? def : n.as_double(min, max);
}

bool node::get_bool(std::string_view key, bool def) const {
  node n = (*this)[key];
  return blank(n) ? def : n.as_bool();
}

std::vector<std::string> node::get_string_list(std::string_view key) const {
  node n = (*this)[key];
  std::vector<std::string> out;
  if (n.is_null()) return out;
  if (n.is_list()) {
    for (auto& item : n.items()) out.push_back(item.as_string());
    return out;
  }
  std::string s = n.as_string();
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string_view part = trim_spaces(std::string_view(s).substr(start, comma - start));
    if (!part.empty()) out.emplace_back(part);
    start = comma + 1;
  }
  return out;
}

document document::parse(std::string_view text, std::string name, env_lookup env) {
  document d;
  d.state_ = std::make_shared<document_state>();
  d.state_->name = std::move(name);
  d.state_->env = std::move(env);
  try {
    d.state_->root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw error(where(*d.state_, e.mark) + ": invalid YAML: " + e.msg);
  }
  if (d.state_->root.IsDefined() && !d.state_->root.IsNull() && !d.state_->root.IsMap())
    throw error(d.state_->name + ": the top level must be a mapping");
  return d;
}

document document::load(const std::filesystem::path& file, env_lookup env) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(file.string() + ": cannot read configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file.string(), std::move(env));
}

document document::empty(env_lookup env) { return parse("", "<defaults>", std::move(env)); }

node document::root() const {
  auto n = std::make_shared<node_impl>();
  n->doc = state_;
  n->yaml = state_->root;
  n->present = true;
  n->mark = state_->root.IsDefined() ? state_->root.Mark() : YAML::Mark::null_mark();
  return node(n);
}

const std::string& document::name() const { return state_->name; }
const env_lookup& document::env() const { return state_->env; }

std::vector<std::string> document::unknown_keys() const {
  std::vector<std::string> out;
  std::lock_guard lk(state_->mu);
  // Containers are visited once (by position): an alias repeats its anchor's subtree
  // and may even contain itself ("&a [*a]").
  std::set<std::pair<int, int>> visited;
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& n, const std::string& path) {
    if (state_->free_form.count({n.Mark().line, n.Mark().column})) return;
    if ((n.IsMap() || n.IsSequence()) && !visited.insert({n.Mark().line, n.Mark().column}).second) return;
    if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
        std::string p = child_path(path, key);
        if (!state_->known.count({it->first.Mark().line, it->first.Mark().column})) {
          out.push_back(where(*state_, it->first.Mark()) + ": unknown key '" + p + "'");
          continue;
        }
        walk(it->second, p);
      }
    } else if (n.IsSequence()) {
      std::size_t i = 0;
      for (auto it = n.begin(); it != n.end(); ++it, ++i) walk(static_cast<const YAML::Node&>(*it), path + "[" + std::to_string(i) + "]");
    }
  };
  if (state_->root.IsDefined()) walk(state_->root, "");
  return out;
}

}  // namespace vb::config
