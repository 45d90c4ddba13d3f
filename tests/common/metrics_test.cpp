#include "vectobeat/common/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>

namespace vb::metrics {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Metrics, CounterWithoutLabels) {
  registry r;
  auto& c = r.counter_metric("vectobeat_commands_total", "Slash commands handled.");
  c.inc();
  c.inc(2.5);
  c.inc(-4);  // counters only go up
  EXPECT_DOUBLE_EQ(c.value(), 3.5);
  EXPECT_EQ(r.render(),
            "# HELP vectobeat_commands_total Slash commands handled.\n"
            "# TYPE vectobeat_commands_total counter\n"
            "vectobeat_commands_total 3.5\n");
}

TEST(Metrics, GaugeWithLabelsIsSortedByLabelValues) {
  registry r;
  auto& g = r.gauge_family("vectobeat_players", "Players per node.", {"node", "region"});
  g.with({"b", "us"}).set(2);
  g.with({"a", "eu"}).inc(5);
  g.with({"a", "eu"}).dec(1);
  g.with({"c", "us"}).set(-1.25);
  g.remove({"c", "us"});
  EXPECT_EQ(r.render(),
            "# HELP vectobeat_players Players per node.\n"
            "# TYPE vectobeat_players gauge\n"
            "vectobeat_players{node=\"a\",region=\"eu\"} 4\n"
            "vectobeat_players{node=\"b\",region=\"us\"} 2\n");
  EXPECT_THROW(g.with({"only-one"}), std::invalid_argument);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  registry r;
  auto& h = r.histogram_family("vectobeat_latency_seconds", "Latency.", {}, {0.125, 0.5, 1}).get();
  for (double v : {0.0625, 0.125, 0.25, 0.75, 3.0}) h.observe(v);  // 0.125 is "le" its bound
  EXPECT_THAT(h.cumulative_counts(), ElementsAre(2u, 3u, 4u, 5u));
  EXPECT_EQ(r.render(),
            "# HELP vectobeat_latency_seconds Latency.\n"
            "# TYPE vectobeat_latency_seconds histogram\n"
            "vectobeat_latency_seconds_bucket{le=\"0.125\"} 2\n"
            "vectobeat_latency_seconds_bucket{le=\"0.5\"} 3\n"
            "vectobeat_latency_seconds_bucket{le=\"1\"} 4\n"
            "vectobeat_latency_seconds_bucket{le=\"+Inf\"} 5\n"
            "vectobeat_latency_seconds_sum 4.1875\n"
            "vectobeat_latency_seconds_count 5\n");
}

TEST(Metrics, HistogramWithLabels) {
  registry r;
  auto& f = r.histogram_family("http_request_seconds", "Request time.", {"route"}, {1, 2.5});
  f.with({"/v4/info"}).observe(2);
  EXPECT_EQ(r.render(),
            "# HELP http_request_seconds Request time.\n"
            "# TYPE http_request_seconds histogram\n"
            "http_request_seconds_bucket{route=\"/v4/info\",le=\"1\"} 0\n"
            "http_request_seconds_bucket{route=\"/v4/info\",le=\"2.5\"} 1\n"
            "http_request_seconds_bucket{route=\"/v4/info\",le=\"+Inf\"} 1\n"
            "http_request_seconds_sum{route=\"/v4/info\"} 2\n"
            "http_request_seconds_count{route=\"/v4/info\"} 1\n");
}

TEST(Metrics, NaNObservationsLandInInfOnly) {
  histogram h({1, 2});
  h.observe(std::numeric_limits<double>::quiet_NaN());
  h.observe(-5);
  EXPECT_THAT(h.cumulative_counts(), ElementsAre(1u, 1u, 2u));
  EXPECT_EQ(h.count(), 2u);
}

TEST(Metrics, EscapesHelpAndLabelValues) {
  EXPECT_EQ(escape_help("a\\b\nc \"q\""), "a\\\\b\\nc \"q\"");
  EXPECT_EQ(escape_label_value("a\\b\nc \"q\""), "a\\\\b\\nc \\\"q\\\"");
  registry r;
  r.counter_family("x_total", "Line one\nline two \\ end", {"path"}).with({"/a\"b\\c\nd"}).inc();
  EXPECT_EQ(r.render(),
            "# HELP x_total Line one\\nline two \\\\ end\n"
            "# TYPE x_total counter\n"
            "x_total{path=\"/a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, FormatsSpecialValues) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(1e20), "1e+20");
  EXPECT_EQ(format_value(123456789012345.0), "123456789012345");
  registry r;
  r.gauge_metric("weird", "Odd values.").set(std::numeric_limits<double>::quiet_NaN());
  EXPECT_THAT(r.render(), HasSubstr("\nweird NaN\n"));
}

TEST(Metrics, CallbackMetricsAreComputedAtScrapeTime) {
  registry r;
  int scrapes = 0;
  r.callback("vectobeat_guilds", "Guilds per shard.", metric_type::gauge, {"shard"}, [&] {
    ++scrapes;
    return std::vector<sample>{{{"0"}, 10}, {{"1"}, 12.5}, {{"too", "many"}, 1}};
  });
  r.callback("vectobeat_up", "Always one.", metric_type::counter, {}, [] { return std::vector<sample>{{{}, 1}}; });
  r.callback("broken", "Throws.", metric_type::gauge, {}, []() -> std::vector<sample> { throw std::runtime_error("x"); });
  auto text = r.render();
  EXPECT_EQ(scrapes, 1);
  EXPECT_EQ(text,
            "# HELP vectobeat_guilds Guilds per shard.\n"
            "# TYPE vectobeat_guilds gauge\n"
            "vectobeat_guilds{shard=\"0\"} 10\n"
            "vectobeat_guilds{shard=\"1\"} 12.5\n"
            "# HELP vectobeat_up Always one.\n"
            "# TYPE vectobeat_up counter\n"
            "vectobeat_up 1\n"
            "# HELP broken Throws.\n"
            "# TYPE broken gauge\n");
  r.render();
  EXPECT_EQ(scrapes, 2);
  EXPECT_THROW(r.callback("h", "h", metric_type::histogram, {}, [] { return std::vector<sample>{}; }),
               std::invalid_argument);
}

TEST(Metrics, FamiliesRenderInRegistrationOrder) {
  registry r;
  r.gauge_metric("zzz", "last letter").set(1);
  r.counter_metric("aaa", "first letter").inc();
  auto text = r.render();
  EXPECT_LT(text.find("zzz"), text.find("aaa"));
}

TEST(Metrics, RejectsInvalidNames) {
  registry r;
  for (std::string bad : {"", "1abc", "has-dash", "sp ace", "ünicode"})
    EXPECT_THROW(r.counter_family(bad, "x"), std::invalid_argument) << bad;
  EXPECT_NO_THROW(r.counter_family("ns:sub_total", "colons are fine"));
  EXPECT_NO_THROW(r.counter_family("_leading", "underscore is fine"));
  for (std::string bad : {"", "__reserved", "le", "1x", "a-b", "a:b"})
    EXPECT_THROW(r.gauge_family("g_" + std::to_string(bad.size()) + "x", "x", {bad}), std::invalid_argument) << bad;
  EXPECT_THROW(r.gauge_family("dup_labels", "x", {"a", "a"}), std::invalid_argument);
}

TEST(Metrics, RejectsDuplicates) {
  registry r;
  r.counter_family("requests_total", "x");
  EXPECT_THROW(r.counter_family("requests_total", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge_family("requests_total", "x"), std::invalid_argument);
  EXPECT_THROW(r.callback("requests_total", "x", metric_type::gauge, {}, [] { return std::vector<sample>{}; }),
               std::invalid_argument);
  r.histogram_family("latency", "x");
  EXPECT_THROW(r.counter_family("latency_count", "x"), std::invalid_argument);
  r.gauge_family("queue_sum", "x");
  EXPECT_THROW(r.histogram_family("queue", "x"), std::invalid_argument);
}

TEST(Metrics, RejectsInvalidBuckets) {
  registry r;
  EXPECT_THROW(r.histogram_family("h1", "x", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram_family("h2", "x", {}, {2, 1}), std::invalid_argument);
  EXPECT_THROW(r.histogram_family("h3", "x", {}, {1, std::numeric_limits<double>::infinity()}), std::invalid_argument);
  EXPECT_NO_THROW(r.histogram_family("h4", "x", {}, exponential_buckets(0.001, 2, 10)));
  EXPECT_THAT(exponential_buckets(1, 10, 3), ElementsAre(1, 10, 100));
  EXPECT_EQ(default_buckets().size(), 14u);
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  registry r;
  auto& c = r.counter_metric("c_total", "x");
  auto& h = r.histogram_family("h", "x", {}, {0.5}).get();
  auto& f = r.gauge_family("g", "x", {"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(i % 2 ? 1.0 : 0.0);
        f.with({std::to_string(i % 8)}).inc();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_DOUBLE_EQ(c.value(), 40000);
  EXPECT_EQ(h.count(), 40000u);
  EXPECT_THAT(h.cumulative_counts(), ElementsAre(20000u, 40000u));
  EXPECT_DOUBLE_EQ(h.sum(), 20000);
  double total = 0;
  f.for_each([&](auto&, const gauge& g) { total += g.value(); });
  EXPECT_DOUBLE_EQ(total, 40000);
}

}  // namespace
}  // namespace vb::metrics
