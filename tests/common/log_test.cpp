#include "vectobeat/common/log.hpp"

#include <boost/json/parse.hpp>
#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/test_util.hpp"

namespace {
// Counts how often fmt formats it, to prove that formatting is lazy.
struct counted {
  static inline int formatted = 0;
};
}  // namespace

template <>
struct fmt::formatter<counted> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  auto format(const counted&, fmt::format_context& ctx) const {
    ++counted::formatted;
    constexpr std::string_view text = "counted";  // (fmt::format_to would not link with clang + libfmt.so)
    return std::copy(text.begin(), text.end(), ctx.out());
  }
};

namespace vb::log {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Each test starts from a known configuration with capture on and leaves it reset.
class Log : public ::testing::Test {
 protected:
  void SetUp() override {
    configure({});
    capture_for_test(true);
  }
  void TearDown() override {
    capture_for_test(false);
    configure({});
  }
  static std::vector<std::string> lines() { return captured_for_test(); }
};

TEST_F(Log, RedactsRegisteredSecrets) {
  add_secret("sup3r-s3cret-value");
  add_secret("abc");  // too short to register: it would mangle ordinary text
  EXPECT_EQ(redact("token is sup3r-s3cret-value, twice sup3r-s3cret-value"), "token is ***, twice ***");
  EXPECT_EQ(redact("abc stays"), "abc stays");
}

TEST_F(Log, LongerSecretsWinOverTheirPrefixes) {
  add_secret("prefix-secret");
  add_secret("prefix-secret-and-more");
  EXPECT_EQ(redact("[prefix-secret-and-more]"), "[***]");
}

TEST_F(Log, RedactsCredentialLikeValues) {
  EXPECT_EQ(redact("Authorization: Bot MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs"),
            "Authorization: Bot ***");
  EXPECT_EQ(redact("authorization: Bearer abc.def"), "authorization: Bearer ***");
  EXPECT_EQ(redact(R"({"op":2,"d":{"token":"MTk4.Cl2.ZnC","intents":513}})"), R"({"op":2,"d":{"token":"***","intents":513}})");
  EXPECT_EQ(redact(R"({"token": "a\"b", "x": 1})"), R"({"token": "***", "x": 1})");
  EXPECT_EQ(redact("login user=bob password=hunter2 ok"), "login user=bob password=*** ok");
  EXPECT_EQ(redact("x-api-key: k-123\r\nHost: a"), "x-api-key: ***\r\nHost: a");
  EXPECT_EQ(redact("X-API-KEY: k-123"), "X-API-KEY: ***");
  EXPECT_EQ(redact("GET /ws?token=abc&v=10"), "GET /ws?token=***&v=10");
  EXPECT_EQ(redact("client_secret='s3'"), "client_secret='***'");
  EXPECT_EQ(redact("bot_token=xyz"), "bot_token=***");
  // Not credentials: no value, other words, JSON null.
  EXPECT_EQ(redact("the password is wrong"), "the password is wrong");
  EXPECT_EQ(redact("tokens=5 token_count=3"), "tokens=5 token_count=3");
  EXPECT_EQ(redact(R"({"password":null})"), R"({"password":null})");
}

TEST_F(Log, LinesAreRedactedBeforeTheyReachASink) {
  logger lg("gateway");
  lg.info("identify payload {}", R"({"token":"MTk4.abc.def"})");
  lg.write(level::warn, "Authorization: Bot raw-token-value");
  auto l = lines();
  ASSERT_THAT(l, SizeIs(2));
  EXPECT_THAT(l[0], HasSubstr(R"(identify payload {"token":"***"})"));
  EXPECT_THAT(l[0], HasSubstr("[gateway]"));
  EXPECT_THAT(l[1], HasSubstr("Authorization: Bot ***"));
  EXPECT_THAT(l[1], Not(HasSubstr("raw-token-value")));
}

TEST_F(Log, TextLinesCannotBeForgedWithNewlines) {
  logger lg("panel");
  lg.info("user said {}", "hi\n2026-01-01T00:00:00.000Z info  [panel] forged");
  auto l = lines();
  ASSERT_THAT(l, SizeIs(1));
  EXPECT_THAT(l[0], HasSubstr(R"(hi\n2026)"));
  EXPECT_EQ(std::count(l[0].begin(), l[0].end(), '\n'), 1);
}

TEST_F(Log, JsonFormatEscapesAndNamesFields) {
  options o;
  o.fmt = format::json;
  configure(o);
  logger lg("node.player");
  lg.warn("quote \" backslash \\ newline \n tab \t bell \x07 password=pw123");
  auto l = lines();
  ASSERT_THAT(l, SizeIs(1));
  EXPECT_THAT(l[0], EndsWith("}\n"));
  auto v = boost::json::parse(l[0]);
  auto& obj = v.as_object();
  EXPECT_EQ(obj.at("level").as_string(), "warn");
  EXPECT_EQ(obj.at("component").as_string(), "node.player");
  EXPECT_EQ(obj.at("msg").as_string(), "quote \" backslash \\ newline \n tab \t bell \x07 password=***");
  std::string ts(obj.at("ts").as_string());
  EXPECT_EQ(ts.size(), 24u) << ts;  // 2026-01-01T00:00:00.000Z
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_THAT(l[0], HasSubstr(R"(\u0007)"));
}

TEST_F(Log, PerComponentLevelsWithInheritance) {
  logger node("node"), player("node.player"), deep("node.player.filters"), gateway("gateway"), nodes("nodes");
  options o;
  o.default_level = level::warn;
  o.components = {{"node", level::debug}, {"node.player.filters", level::error}};
  configure(o);  // applies to loggers that already exist
  EXPECT_TRUE(node.enabled(level::debug));
  EXPECT_TRUE(player.enabled(level::debug));  // inherits "node"
  EXPECT_FALSE(player.enabled(level::trace));
  EXPECT_FALSE(deep.enabled(level::warn));
  EXPECT_TRUE(deep.enabled(level::error));
  EXPECT_FALSE(gateway.enabled(level::info));
  EXPECT_TRUE(gateway.enabled(level::warn));
  EXPECT_FALSE(nodes.enabled(level::info));  // "nodes" is not a child of "node"
  logger later("node.voice");                // and to loggers created afterwards
  EXPECT_TRUE(later.enabled(level::debug));

  player.debug("shown");
  gateway.info("hidden");
  gateway.error("shown too");
  auto l = lines();
  ASSERT_THAT(l, SizeIs(2));
  EXPECT_THAT(l[0], HasSubstr("shown"));
  EXPECT_THAT(l[1], HasSubstr("shown too"));
}

TEST_F(Log, OffSilencesEverything) {
  options o;
  o.default_level = level::off;
  configure(o);
  logger lg("quiet");
  lg.critical("nothing");
  EXPECT_THAT(lines(), IsEmpty());
}

TEST_F(Log, FormattingIsLazy) {
  options o;
  o.default_level = level::info;
  configure(o);
  logger lg("lazy");
  counted::formatted = 0;
  lg.debug("value {}", counted{});
  lg.trace("value {}", counted{});
  EXPECT_EQ(counted::formatted, 0);
  lg.info("value {}", counted{});
  EXPECT_EQ(counted::formatted, 1);
  auto l = lines();
  ASSERT_THAT(l, SizeIs(1));
  EXPECT_THAT(l[0], HasSubstr("value counted"));
}

TEST_F(Log, ParsesLevelNames) {
  EXPECT_EQ(parse_level("trace"), level::trace);
  EXPECT_EQ(parse_level("warning"), level::warn);
  EXPECT_EQ(parse_level("warn"), level::warn);
  EXPECT_EQ(parse_level("off"), level::off);
  EXPECT_EQ(parse_level("loud"), std::nullopt);
  for (int i = 0; i <= static_cast<int>(level::off); ++i)
    EXPECT_EQ(parse_level(level_name(static_cast<level>(i))), static_cast<level>(i));
}

TEST_F(Log, WritesToAFile) {
  test::temp_dir dir;
  options o;
  o.file = (dir.path() / "vb.log").string();
  configure(o);
  logger("filelog").error("to the file");
  configure({});  // closes the file
  std::ifstream in(dir.path() / "vb.log");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(content, HasSubstr("[filelog] to the file"));
}

TEST_F(Log, AFailedConfigureChangesNothing) {
  test::temp_dir dir;
  auto not_a_dir = dir.write("plain-file", "x");
  options bad;
  bad.file = (not_a_dir / "sub" / "vb.log").string();  // its parent cannot be created
  bad.default_level = level::trace;
  EXPECT_ANY_THROW(configure(bad));
  logger lg("after-failure");
  EXPECT_FALSE(lg.enabled(level::debug));
  lg.info("still logging");
  EXPECT_THAT(lines(), ElementsAre(HasSubstr("still logging")));
}

TEST(RateLimit, LetsOneMessageThroughPerPeriodAndCountsTheRest) {
  rate_limit rl(std::chrono::seconds(10));
  auto t0 = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  std::uint64_t suppressed = 99;
  EXPECT_TRUE(rl.allow(suppressed, t0));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_FALSE(rl.allow(suppressed, t0 + std::chrono::seconds(1)));
  EXPECT_FALSE(rl.allow(suppressed, t0 + std::chrono::seconds(5)));
  EXPECT_FALSE(rl.allow(suppressed, t0 + std::chrono::milliseconds(9999)));
  EXPECT_TRUE(rl.allow(suppressed, t0 + std::chrono::seconds(10)));
  EXPECT_EQ(suppressed, 3u);
  EXPECT_FALSE(rl.allow(suppressed, t0 + std::chrono::seconds(11)));
  EXPECT_TRUE(rl.allow(suppressed, t0 + std::chrono::seconds(60)));
  EXPECT_EQ(suppressed, 1u);
}

TEST(RateLimit, RealClockAllowsTheFirstMessage) {
  rate_limit rl(std::chrono::hours(1));
  std::uint64_t suppressed = 7;
  EXPECT_TRUE(rl.allow(suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_FALSE(rl.allow(suppressed));
}

}  // namespace
}  // namespace vb::log
