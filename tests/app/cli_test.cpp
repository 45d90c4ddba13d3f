#include "vectobeat/app/cli.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <initializer_list>
#include <string>
#include <vector>

#include "common/test_util.hpp"

namespace vb::app {
namespace {

struct run_result {
  std::variant<cli_command, int> parsed;
  std::string out, err;
  int code() const { return std::holds_alternative<int>(parsed) ? std::get<int>(parsed) : -1; }
  const cli_command& command() const { return std::get<cli_command>(parsed); }
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The environment of whoever runs the tests must not leak into the settings.
    for (const char* v : {"CONFIG_PATH", "DISCORD_TOKEN", "LAVALINK_HOST", "LAVALINK_PORT", "LAVALINK_PASSWORD"}) {
      ::unsetenv(v);
    }
  }

  static run_result parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"vectobeat"};
    argv.insert(argv.end(), args.begin(), args.end());
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    run_result r{parse_cli(static_cast<int>(argv.size()), argv.data()), {}, {}};
    r.out = ::testing::internal::GetCapturedStdout();
    r.err = ::testing::internal::GetCapturedStderr();
    return r;
  }
};

TEST_F(CliTest, HelpListsTheFiveSubcommandsAndEachAnswersHelp) {
  auto r = parse({"--help"});
  EXPECT_EQ(r.code(), 0);
  for (const char* sub : {"up", "bot", "node", "panel", "fake-discord"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
    auto s = parse({sub, "--help"});
    EXPECT_EQ(s.code(), 0) << sub;
    EXPECT_NE(s.out.find("--config"), std::string::npos) << sub;
  }
  EXPECT_NE(parse({"node", "--help"}).out.find("--password"), std::string::npos);
  EXPECT_NE(parse({"bot", "--help"}).out.find("--total-shards"), std::string::npos);
}

TEST_F(CliTest, VersionAndUsageErrors) {
  auto v = parse({"--version"});
  EXPECT_EQ(v.code(), 0);
  EXPECT_NE(v.out.find("vectobeat "), std::string::npos);
  EXPECT_GT(parse({}).code(), 0);                // a subcommand is required
  EXPECT_GT(parse({"dance"}).code(), 0);         // unknown subcommand
  EXPECT_GT(parse({"node", "--port", "70000"}).code(), 0);
  EXPECT_GT(parse({"node", "--port", "many"}).code(), 0);
  EXPECT_GT(parse({"bot", "--total-shards", "0"}).code(), 0);
  EXPECT_GT(parse({"node", "--log-level", "loud"}).code(), 0);
  auto unknown = parse({"node", "--no-such-flag"});
  EXPECT_GT(unknown.code(), 0);
  EXPECT_NE(unknown.err.find("--no-such-flag"), std::string::npos);
}

TEST_F(CliTest, NodeFlagsSetPortPasswordAndAddress) {
  auto r = parse({"node", "--port", "4444", "--password", "pw", "--address", "127.0.0.1"});
  ASSERT_EQ(r.code(), -1) << r.err;
  EXPECT_EQ(r.command().which, role::node);
  const auto& n = r.command().options.config.node;
  EXPECT_EQ(n.port, 4444);
  EXPECT_EQ(n.password, "pw");
  EXPECT_EQ(n.address, "127.0.0.1");
  EXPECT_FALSE(n.allow_private_addresses);
  EXPECT_TRUE(parse({"node", "--allow-private-addresses"}).command().options.config.node.allow_private_addresses);
}

TEST_F(CliTest, UpKeepsStatusAndMetricsOnLoopbackUnlessAnAddressIsGiven) {
  auto up = parse({"up"});
  ASSERT_EQ(up.code(), -1) << up.err;
  EXPECT_EQ(up.command().which, role::up);
  EXPECT_EQ(up.command().options.config.status_api.host, "127.0.0.1");
  EXPECT_EQ(up.command().options.config.metrics.host, "127.0.0.1");

  auto open = parse({"up", "--status-address", "0.0.0.0", "--metrics-address", "10.1.2.3", "--status-port", "4051",
                     "--metrics-port", "4052"});
  ASSERT_EQ(open.code(), -1) << open.err;
  EXPECT_EQ(open.command().options.config.status_api.host, "0.0.0.0");
  EXPECT_EQ(open.command().options.config.metrics.host, "10.1.2.3");
  EXPECT_EQ(open.command().options.config.status_api.port, 4051);
  EXPECT_EQ(open.command().options.config.metrics.port, 4052);

  // The bot is a server role: all interfaces by default, the flags win.
  auto bot = parse({"bot"});
  EXPECT_EQ(bot.command().options.config.status_api.host, "0.0.0.0");
  EXPECT_EQ(bot.command().options.config.metrics.host, "0.0.0.0");
  auto local = parse({"bot", "--status-address", "127.0.0.2", "--metrics-address", "127.0.0.3"});
  EXPECT_EQ(local.command().options.config.status_api.host, "127.0.0.2");
  EXPECT_EQ(local.command().options.config.metrics.host, "127.0.0.3");
}

TEST_F(CliTest, FlagsWinOverTheFileAndAConfiguredAddressSurvivesUp) {
  vb::test::temp_dir dir;
  const auto file = dir.write("config.yml",
                              "status_api:\n  host: 192.168.7.7\n  port: 5051\n"
                              "node:\n  port: 1111\n  password: from-file\n");
  auto up = parse({"up", "--config", file.c_str()});
  ASSERT_EQ(up.code(), -1) << up.err;
  EXPECT_EQ(up.command().options.config.status_api.host, "192.168.7.7");  // not the 0.0.0.0 default
  EXPECT_EQ(up.command().options.config.status_api.port, 5051);
  EXPECT_EQ(up.command().options.config.metrics.host, "127.0.0.1");

  auto node = parse({"node", "--config", file.c_str(), "--port", "2222"});
  ASSERT_EQ(node.code(), -1) << node.err;
  EXPECT_EQ(node.command().options.config.node.port, 2222);
  EXPECT_EQ(node.command().options.config.node.password, "from-file");
}

TEST_F(CliTest, AnInvalidConfigurationFileExitsTwoAndNamesTheKey) {
  vb::test::temp_dir dir;
  const auto file = dir.write("bad.yml", "node:\n  port: 99999\n");
  auto r = parse({"node", "--config", file.c_str()});
  EXPECT_EQ(r.code(), 2);
  EXPECT_NE(r.err.find("configuration error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("port"), std::string::npos) << r.err;
  EXPECT_EQ(parse({"node", "--config", (dir.path() / "missing.yml").c_str()}).code(), 2);
}

TEST_F(CliTest, BotShardRangeAndACommandLineNodeReplaceTheConfiguredNodes) {
  auto r = parse({"bot", "--shards", "0-3", "--total-shards", "8", "--lavalink-host", "audio.local", "--lavalink-port",
                  "2444", "--lavalink-password", "secret", "--token", "t0ken"});
  ASSERT_EQ(r.code(), -1) << r.err;
  const auto& o = r.command().options;
  EXPECT_EQ(r.command().which, role::bot);
  EXPECT_EQ(o.shard_range, "0-3");
  EXPECT_EQ(o.total_shards, 8);
  EXPECT_EQ(o.config.bot.token, "t0ken");
  ASSERT_EQ(o.config.lavalink_nodes.size(), 1u);
  EXPECT_EQ(o.config.lavalink_nodes[0].host, "audio.local");
  EXPECT_EQ(o.config.lavalink_nodes[0].port, 2444);
  EXPECT_EQ(o.config.lavalink_nodes[0].password, "secret");
}

TEST_F(CliTest, EnvironmentIsBelowTheFlags) {
  ::setenv("DISCORD_TOKEN", "from-env", 1);
  EXPECT_EQ(parse({"bot"}).command().options.config.bot.token, "from-env");
  EXPECT_EQ(parse({"bot", "--token", "from-flag"}).command().options.config.bot.token, "from-flag");
  ::unsetenv("DISCORD_TOKEN");
}

TEST_F(CliTest, FakeDiscordAndPanelFlags) {
  auto f = parse({"fake-discord", "--port", "7000", "--no-demo-guild", "--no-voice-tls", "--shards", "4",
                  "--token", "fake-t", "--public-host", "example.test"});
  ASSERT_EQ(f.code(), -1) << f.err;
  EXPECT_EQ(f.command().which, role::fake_discord);
  const auto& fd = f.command().options.config.fake_discord;
  EXPECT_EQ(fd.port, 7000);
  EXPECT_FALSE(fd.demo_guild);
  EXPECT_FALSE(fd.voice_tls);
  EXPECT_EQ(fd.shards, 4);
  EXPECT_EQ(fd.token, "fake-t");
  EXPECT_EQ(fd.public_host, "example.test");
  auto p = parse({"panel", "--port", "3999", "--database-url", "sqlite:///tmp/x.db"});
  ASSERT_EQ(p.code(), -1) << p.err;
  EXPECT_EQ(p.command().which, role::panel);
  EXPECT_EQ(p.command().options.config.panel.port, 3999);
  EXPECT_EQ(p.command().options.config.panel.database_url, "sqlite:///tmp/x.db");
}

}  // namespace
}  // namespace vb::app
