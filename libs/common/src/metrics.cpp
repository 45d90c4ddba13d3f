#include "vectobeat/common/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace vb::metrics {

namespace {
void atomic_add(std::atomic<double>& a, double v) noexcept {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool valid_metric_name(std::string_view n) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = ascii_alpha(c) || c == '_' || c == ':' || (i > 0 && ascii_digit(c));
    if (!ok) return false;
  }
  return true;
}

bool valid_label_name(std::string_view n) {
  if (n.empty() || n.starts_with("__")) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = ascii_alpha(c) || c == '_' || (i > 0 && ascii_digit(c));
    if (!ok) return false;
  }
  return true;
}

// The sample names a family puts on the wire (a histogram adds three suffixes).
std::vector<std::string> exposed_names(const std::string& name, metric_type type) {
  if (type != metric_type::histogram) return {name};
  return {name, name + "_bucket", name + "_sum", name + "_count"};
}
}  // namespace

void counter::inc(double v) noexcept {
  if (v > 0) atomic_add(value_, v);
}

void gauge::inc(double v) noexcept { atomic_add(value_, v); }

histogram::histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end())
    throw std::invalid_argument("histogram buckets must be strictly increasing");
  for (double b : bounds_)
    if (!std::isfinite(b)) throw std::invalid_argument("histogram buckets must be finite");
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void histogram::observe(double v) noexcept {
  // First bound >= v (le semantics); NaN compares false everywhere and belongs in +Inf only.
  auto it = std::isnan(v) ? bounds_.end() : std::lower_bound(bounds_.begin(), bounds_.end(), v);
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    out[i] = acc;
  }
  return out;
}

std::vector<double> default_buckets() { return {.005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10}; }

std::vector<double> exponential_buckets(double start, double factor, int count) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i, start *= factor) out.push_back(start);
  return out;
}

template <class M>
family<M>::family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(label_names)), buckets_(std::move(buckets)) {}

template <class M>
M& family<M>::with(const std::vector<std::string>& values) {
  if (values.size() != labels_.size())
    throw std::invalid_argument(fmt::format("metric {} expects {} label values, got {}", name_, labels_.size(), values.size()));
  std::lock_guard lk(mu_);
  auto it = children_.find(values);
  if (it == children_.end()) {
    std::unique_ptr<M> m;
    if constexpr (std::is_same_v<M, histogram>) m = std::make_unique<M>(buckets_);
    else m = std::make_unique<M>();
    it = children_.emplace(values, std::move(m)).first;
  }
  return *it->second;
}

template <class M>
void family<M>::remove(const std::vector<std::string>& values) {
  std::lock_guard lk(mu_);
  children_.erase(values);
}

template class family<counter>;
template class family<gauge>;
template class family<histogram>;

struct registry::entry {
  std::string name, help;
  metric_type type;
  std::vector<std::string> labels;
  std::variant<std::unique_ptr<family<counter>>, std::unique_ptr<family<gauge>>, std::unique_ptr<family<histogram>>,
               std::function<std::vector<sample>()>>
      impl;
};

void registry::check_new(const std::string& name, metric_type type, const std::vector<std::string>& labels) const {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name: '" + name + "'");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!valid_label_name(labels[i]) || labels[i] == "le")
      throw std::invalid_argument("invalid label name '" + labels[i] + "' for metric " + name);
    for (std::size_t j = 0; j < i; ++j)
      if (labels[i] == labels[j]) throw std::invalid_argument("duplicate label name '" + labels[i] + "' for metric " + name);
  }
  for (auto& e : entries_)
    for (auto& mine : exposed_names(name, type))
      for (auto& theirs : exposed_names(e->name, e->type))
        if (mine == theirs) throw std::invalid_argument("duplicate metric: " + mine);
}

family<counter>& registry::counter_family(std::string name, std::string help, std::vector<std::string> labels) {
  std::lock_guard lk(mu_);
  check_new(name, metric_type::counter, labels);
  auto e = std::make_shared<entry>();
  auto f = std::make_unique<family<counter>>(name, help, labels);
  auto& ref = *f;
  *e = entry{std::move(name), std::move(help), metric_type::counter, std::move(labels), std::move(f)};
  entries_.push_back(std::move(e));
  return ref;
}

family<gauge>& registry::gauge_family(std::string name, std::string help, std::vector<std::string> labels) {
  std::lock_guard lk(mu_);
  check_new(name, metric_type::gauge, labels);
  auto e = std::make_shared<entry>();
  auto f = std::make_unique<family<gauge>>(name, help, labels);
  auto& ref = *f;
  *e = entry{std::move(name), std::move(help), metric_type::gauge, std::move(labels), std::move(f)};
  entries_.push_back(std::move(e));
  return ref;
}

family<histogram>& registry::histogram_family(std::string name, std::string help, std::vector<std::string> labels,
                                              std::vector<double> buckets) {
  std::lock_guard lk(mu_);
  check_new(name, metric_type::histogram, labels);
  histogram probe(buckets);  // validates the buckets now, not at first use
  auto e = std::make_shared<entry>();
  auto f = std::make_unique<family<histogram>>(name, help, labels, std::move(buckets));
  auto& ref = *f;
  *e = entry{std::move(name), std::move(help), metric_type::histogram, std::move(labels), std::move(f)};
  entries_.push_back(std::move(e));
  return ref;
}

void registry::callback(std::string name, std::string help, metric_type type, std::vector<std::string> labels,
                        std::function<std::vector<sample>()> collect) {
  if (type == metric_type::histogram) throw std::invalid_argument("callback metrics cannot be histograms");
  std::lock_guard lk(mu_);
  check_new(name, type, labels);
  auto e = std::make_shared<entry>();
  *e = entry{std::move(name), std::move(help), type, std::move(labels), std::move(collect)};
  entries_.push_back(std::move(e));
}

std::string escape_help(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_label_value(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

namespace {

void write_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                  std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    out += escape_label_value(values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

std::string_view type_name(metric_type t) {
  switch (t) {
    case metric_type::counter: return "counter";
    case metric_type::gauge: return "gauge";
    case metric_type::histogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string registry::render() const {
  std::vector<std::shared_ptr<entry>> entries;
  {
    std::lock_guard lk(mu_);
    entries = entries_;
  }
  std::string out;
  for (auto& e : entries) {
    out += "# HELP " + e->name + " " + escape_help(e->help) + "\n";
    out += "# TYPE " + e->name + " " + std::string(type_name(e->type)) + "\n";
    auto simple = [&](const std::vector<std::string>& labels, double v) {
      out += e->name;
      write_labels(out, e->labels, labels);
      out += ' ';
      out += format_value(v);
      out += '\n';
    };
    if (auto* c = std::get_if<0>(&e->impl)) {
      (*c)->for_each([&](auto& labels, const counter& m) { simple(labels, m.value()); });
    } else if (auto* g = std::get_if<1>(&e->impl)) {
      (*g)->for_each([&](auto& labels, const gauge& m) { simple(labels, m.value()); });
    } else if (auto* h = std::get_if<2>(&e->impl)) {
      (*h)->for_each([&](auto& labels, const histogram& m) {
        auto counts = m.cumulative_counts();
        for (std::size_t i = 0; i <= m.bounds().size(); ++i) {
          out += e->name + "_bucket";
          std::string le = i < m.bounds().size() ? format_value(m.bounds()[i]) : "+Inf";
          write_labels(out, e->labels, labels, "le", le);
          out += ' ' + format_value(static_cast<double>(counts[i])) + '\n';
        }
        out += e->name + "_sum";
        write_labels(out, e->labels, labels);
        out += ' ' + format_value(m.sum()) + '\n';
        out += e->name + "_count";
        write_labels(out, e->labels, labels);
        out += ' ' + format_value(static_cast<double>(m.count())) + '\n';
      });
    } else if (auto* cb = std::get_if<3>(&e->impl)) {
      // A failing collector must not break the whole scrape: its family goes empty.
      std::vector<sample> samples;
      try {
        samples = (*cb)();
      } catch (const std::exception&) {
        samples.clear();
      }
      for (auto& s : samples) {
        if (s.label_values.size() != e->labels.size()) continue;
        simple(s.label_values, s.value);
      }
    }
  }
  return out;
}

}  // namespace vb::metrics
