#include "vectobeat/common/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
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
}  // namespace

expected<std::string, std::string> interpolate(std::string_view text, const env_lookup& env) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '$' && i + 2 < text.size() && text[i + 1] == '$' && text[i + 2] == '{') {
      out += "${";
      i += 3;
      continue;
    }
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      std::size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos)
        return unexpected("unterminated '${' in '" + std::string(text) + "'");
      std::string_view ref = text.substr(i + 2, close - i - 2);
      std::string_view name = ref;
      std::optional<std::string_view> def;
      if (auto colon = ref.find(':'); colon != std::string_view::npos) {
        name = ref.substr(0, colon);
        def = ref.substr(colon + 1);
        if (!def->empty() && def->front() == '-') def = def->substr(1);  // accept ${VAR:-x} too
      }
      if (!valid_var_name(name)) return unexpected("invalid variable name '" + std::string(name) + "'");
      std::optional<std::string> v = env ? env(name) : std::nullopt;
      if (v && !v->empty()) out += *v;
      else if (def) out += *def;
      i = close + 1;
      continue;
    }
    out += text[i++];
  }
  return out;
}

// ---------------------------------------------------------------- dotenv

dotenv_result parse_dotenv(std::string_view text) {
  dotenv_result r;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto trim = [](std::string_view s) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
      return s;
    };
    line = trim(line);
    if (line.empty() || line.front() == '#') {
      if (eol == text.size()) break;
      continue;
    }
    if (line.starts_with("export ")) line = trim(line.substr(7));
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      r.errors.push_back("line " + std::to_string(line_no) + ": expected KEY=VALUE");
      if (eol == text.size()) break;
      continue;
    }
    std::string_view key = trim(line.substr(0, eq));
    std::string_view raw = trim(line.substr(eq + 1));
    if (!valid_var_name(key)) {
      r.errors.push_back("line " + std::to_string(line_no) + ": invalid variable name '" + std::string(key) + "'");
      if (eol == text.size()) break;
      continue;
    }
    std::string value;
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
      char q = raw.front();
      std::size_t end = std::string_view::npos;
      for (std::size_t k = 1; k < raw.size(); ++k) {
        if (q == '"' && raw[k] == '\\' && k + 1 < raw.size()) {
          char n = raw[++k];
          value += n == 'n' ? '\n' : n == 't' ? '\t' : n;
          continue;
        }
        if (raw[k] == q) {
          end = k;
          break;
        }
        value += raw[k];
      }
      if (end == std::string_view::npos) {
        r.errors.push_back("line " + std::to_string(line_no) + ": unterminated quote");
        if (eol == text.size()) break;
        continue;
      }
    } else {
      // Unquoted: an inline comment starts at " #".
      if (auto hash = raw.find(" #"); hash != std::string_view::npos) raw = trim(raw.substr(0, hash));
      value = std::string(raw);
    }
    r.values[std::string(key)] = std::move(value);
    if (eol == text.size()) break;
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
  YAML::Node yaml;  // may be undefined (absent)
  std::string path;
  YAML::Mark mark;  // of the value, or of the parent when absent
};

namespace {

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
bool node::exists() const { return impl_->yaml.IsDefined(); }
bool node::is_null() const { return !impl_->yaml.IsDefined() || impl_->yaml.IsNull(); }
bool node::is_map() const { return impl_->yaml.IsDefined() && impl_->yaml.IsMap(); }
bool node::is_list() const { return impl_->yaml.IsDefined() && impl_->yaml.IsSequence(); }
bool node::is_scalar() const { return impl_->yaml.IsDefined() && impl_->yaml.IsScalar(); }

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

std::int64_t node::as_int(std::int64_t min, std::int64_t max) const {
  std::string s = as_string();
  std::string_view v = s;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) fail("expected an integer, got '" + s + "'");
  if (out < min || out > max)
    fail("value " + std::to_string(out) + " out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return out;
}

double node::as_double(double min, double max) const {
  std::string s = as_string();
  char* end = nullptr;
  double out = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) fail("expected a number, got '" + s + "'");
  if (!(out >= min && out <= max)) fail("value " + s + " out of range");
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
  return n.is_null() ? def : n.as_string();
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
    std::string part = s.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
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
    throw error(d.state_->name + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
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
  n->mark = state_->root.IsDefined() ? state_->root.Mark() : YAML::Mark::null_mark();
  return node(n);
}

const std::string& document::name() const { return state_->name; }
const env_lookup& document::env() const { return state_->env; }

std::vector<std::string> document::unknown_keys() const {
  std::vector<std::string> out;
  std::lock_guard lk(state_->mu);
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& n, const std::string& path) {
    if (state_->free_form.count({n.Mark().line, n.Mark().column})) return;
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
