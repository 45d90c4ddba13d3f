#pragma once
// A small metrics registry with Prometheus text exposition (format 0.0.4): counters,
// gauges and histograms, with or without labels, plus gauges computed at scrape time.
// Updating a metric is lock-free; only creating a labelled child takes a lock.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vb::metrics {

class counter {
 public:
  void inc(double v = 1.0) noexcept;  // negative increments are ignored (counters only go up)
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1.0) noexcept;
  void dec(double v = 1.0) noexcept { inc(-v); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class histogram {
 public:
  explicit histogram(std::vector<double> upper_bounds);  // sorted, finite; +Inf is implicit
  void observe(double v) noexcept;
  const std::vector<double>& bounds() const { return bounds_; }
  std::vector<std::uint64_t> cumulative_counts() const;  // one per bound, then +Inf
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

std::vector<double> default_buckets();                 // Prometheus client defaults (seconds)
std::vector<double> exponential_buckets(double start, double factor, int count);

enum class metric_type { counter, gauge, histogram };

// A metric name with one child per label-value tuple.
template <class M>
class family {
 public:
  family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> buckets = {});
  // Returns the child for these label values (created on first use; references stay valid).
  M& with(const std::vector<std::string>& label_values);
  M& get() { return with({}); }
  void remove(const std::vector<std::string>& label_values);
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return labels_; }
  template <class F>
  void for_each(F&& f) const {
    std::lock_guard lk(mu_);
    for (auto& [k, v] : children_) f(k, *v);
  }

 private:
  std::string name_, help_;
  std::vector<std::string> labels_;
  std::vector<double> buckets_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> children_;
};

// A sample produced at scrape time by a callback.
struct sample {
  std::vector<std::string> label_values;
  double value = 0;
};

class registry {
 public:
  // Names must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (not "__"
  // prefixed, not "le", no repeats); violations and duplicate names (including a
  // histogram's _bucket/_sum/_count samples) throw std::invalid_argument.
  family<counter>& counter_family(std::string name, std::string help, std::vector<std::string> labels = {});
  family<gauge>& gauge_family(std::string name, std::string help, std::vector<std::string> labels = {});
  family<histogram>& histogram_family(std::string name, std::string help, std::vector<std::string> labels = {},
                                      std::vector<double> buckets = default_buckets());
  counter& counter_metric(std::string name, std::string help) { return counter_family(std::move(name), std::move(help)).get(); }
  gauge& gauge_metric(std::string name, std::string help) { return gauge_family(std::move(name), std::move(help)).get(); }
  // Gauge (or counter) whose samples are computed by `collect` at every scrape.
  void callback(std::string name, std::string help, metric_type type, std::vector<std::string> labels,
                std::function<std::vector<sample>()> collect);

  // Prometheus text exposition format, families in registration order.
  std::string render() const;

 private:
  struct entry;
  void check_new(const std::string& name, metric_type type, const std::vector<std::string>& labels) const;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<entry>> entries_;
};

// Escaping and number formatting of the text format, exposed for tests.
std::string escape_help(std::string_view s);
std::string escape_label_value(std::string_view s);
std::string format_value(double v);

}  // namespace vb::metrics
