#include "vectobeat/node/node_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vectobeat/common/config.hpp"
#include "vectobeat/node/node_error.hpp"

namespace vb::node {
namespace {

using ::testing::ElementsAre;

settings read(std::string_view yaml) {
  return read_settings(config::document::parse(yaml, "test.yml", config::map_env({})));
}

TEST(NodeConfig, FromSettings) {
  auto s = read(
      "spotify: {client_id: id, client_secret: secret}\n"
      "node:\n"
      "  password: pw\n"
      "  sources: {http: true, local: true, youtube: true, soundcloud: false}\n"
      "  filters: {karaoke: false, volume: true}\n"
      "  player_update_interval: 2\n"
      "  opus_encoding_quality: 5\n"
      "  track_stuck_threshold_ms: 3000\n"
      "  frame_buffer_duration_ms: 200\n"
      "  local_roots: [/srv/music]\n"
      "  resolver_command: \" yt-dlp   --no-cache-dir \"\n"
      "  worker_threads: 3\n"
      "  spotify: {market: DE}\n");
  auto c = make_node_config(s);
  EXPECT_EQ(c.password, "pw");
  EXPECT_THAT(c.sources, ElementsAre("http", "local", "youtube"));  // spotify defaults off
  EXPECT_TRUE(c.source_enabled("local"));
  EXPECT_FALSE(c.source_enabled("soundcloud"));
  EXPECT_THAT(c.disabled_filters, ElementsAre("karaoke"));
  EXPECT_EQ(c.player_update_interval, std::chrono::seconds(2));
  EXPECT_EQ(c.opus_complexity, 5);
  EXPECT_EQ(c.track_stuck_threshold, std::chrono::milliseconds(3000));
  EXPECT_EQ(c.frame_buffer, std::chrono::milliseconds(200));
  ASSERT_EQ(c.local_roots.size(), 1u);
  EXPECT_EQ(c.local_roots[0], "/srv/music");
  EXPECT_THAT(c.resolver_command, ElementsAre("yt-dlp", "--no-cache-dir"));
  EXPECT_EQ(c.effective_workers(), 3);
  EXPECT_EQ(c.spotify.client_id, "id");
  EXPECT_TRUE(c.spotify.has_credentials());
  EXPECT_EQ(c.spotify.market, "DE");
}

TEST(NodeConfig, Defaults) {
  auto c = make_node_config(read(""));
  EXPECT_THAT(c.sources, ElementsAre("http"));
  EXPECT_TRUE(c.resolver_command.empty());
  EXPECT_FALSE(c.spotify.has_credentials());
  EXPECT_EQ(c.player_update_interval, std::chrono::seconds(5));
  EXPECT_EQ(c.stats_interval, std::chrono::seconds(60));
  EXPECT_GE(c.effective_workers(), 1);
  EXPECT_EQ(c.http.max_redirects, 5);
}

TEST(NodeConfig, SplitCommand) {
  EXPECT_THAT(split_command("a  b\tc\n"), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(split_command("   ").empty());
}

TEST(NodeError, CategoryAndNames) {
  std::error_code ec = node_error::resolver_missing;
  EXPECT_EQ(ec.category().name(), std::string("vb.node"));
  EXPECT_EQ(ec.message(), "resolver_missing");
  EXPECT_EQ(to_string(node_error::outside_roots), "outside_roots");
}

}  // namespace
}  // namespace vb::node
