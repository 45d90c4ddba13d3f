#include "vectobeat/storage/redis_storage.hpp"

#include <gtest/gtest.h>

#include "redis_server.hpp"
#include "store_contract.hpp"
#include "discord_voice/test_certificate.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::storage::test {
namespace {

using vb::voice::test::test_certificate;

redis_options options_for(const redis_server& s) {
  redis_options o;
  o.port = s.port();
  o.command_timeout = std::chrono::seconds(10);
  return o;
}

class redis_backend final : public backend {
 public:
  stores open() override { return open_redis(options_for(server_)); }
  stores reopen() override { return open_redis(options_for(server_)); }
  redis_server server_;
};

std::unique_ptr<backend> make_redis() {
  if (!redis_server::available()) {
    std::cerr << "redis-server not found in PATH: Redis storage tests are skipped "
                 "(scripts/setup.sh --tests installs it)\n";
    return nullptr;
  }
  auto b = std::make_unique<redis_backend>();
  if (!b->server_.started()) {
    ADD_FAILURE() << "redis-server is installed but did not start";
    return nullptr;
  }
  return b;
}

INSTANTIATE_TEST_SUITE_P(Redis, StoreContract, ::testing::Values(backend_param{"redis", make_redis}),
                         [](const auto& info) { return info.param.name; });

class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!redis_server::available()) GTEST_SKIP() << "redis-server not found in PATH";
    server_ = std::make_unique<redis_server>();
    ASSERT_TRUE(server_->started());
    raw_ = std::make_unique<redis_connection>(options_for(*server_));
    s_ = open_redis(options_for(*server_));
  }
  std::string get(const std::string& key) {
    auto r = raw_->command({"GET", key});
    EXPECT_TRUE(r);
    return r ? r->str : std::string();
  }

  std::unique_ptr<redis_server> server_;
  std::unique_ptr<redis_connection> raw_;
  stores s_;
};

TEST_F(RedisTest, PlaylistsUseTheOriginalKeysAndDocument) {
  playlist p;
  p.name = "Road Trip";
  p.tracks = {sample_stored("a")};
  p.meta["sync"] = boost::json::object{{"source", "https://example.com/l"}, {"loadType", "playlist"}};
  ASSERT_TRUE(s_.playlists->save(123, p));
  auto doc = vb::json::parse(get("playlist:123:road trip"));
  ASSERT_TRUE(doc && doc->is_object());
  auto& o = doc->as_object();
  auto& track = o.at("tracks").as_array().at(0).as_object();
  EXPECT_EQ(track.at("track"), boost::json::value(p.tracks[0].encoded));
  EXPECT_EQ(track.at("info").as_object().at("identifier"), "a");
  EXPECT_EQ(track.at("requester").to_number<std::uint64_t>(), 555u);
  EXPECT_EQ(o.at("meta").as_object().at("sync").as_object().at("loadType"), "playlist");
}

TEST_F(RedisTest, PlaylistsWrittenByTheOriginalBotLoad) {
  // As the Python bot stored them: no name field; one in the legacy plain-list form.
  ASSERT_TRUE(raw_->command({"SET", "playlist:77:party",
                             R"({"tracks":[{"track":"QAAA1","info":{"identifier":"x","author":"A","length":1000,)"
                             R"("title":"T","uri":null,"sourceName":"youtube","artworkUrl":null},"requester":42}],)"
                             R"("meta":{}})"}));
  ASSERT_TRUE(raw_->command({"SET", "playlist:77:old", R"([{"track":"QAAA2","info":{"identifier":"y"}}])"}));
  auto names = s_.playlists->list(77);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"old", "party"}));
  auto party = s_.playlists->load(77, "Party");
  ASSERT_TRUE(party && party->has_value());
  EXPECT_EQ((*party)->tracks.at(0).requester, std::optional<std::uint64_t>(42));
  EXPECT_EQ(s_.playlists->load(77, "OLD")->value().tracks.at(0).encoded, "QAAA2");
}

TEST_F(RedisTest, AutoplayUsesTheOriginalSortedSets) {
  ASSERT_TRUE(s_.autoplay->record(5, sample_stored("t1", "Daft Punk"), 1700000000.5));
  ASSERT_TRUE(s_.autoplay->record(5, sample_stored("t2", "Daft Punk"), 1700000001.0));
  auto h = raw_->command({"ZRANGE", "autoplay:history:5", "0", "-1", "WITHSCORES"});
  ASSERT_TRUE(h);
  ASSERT_EQ(h->elements.size(), 4u);
  EXPECT_EQ(h->elements[0].str, "t1");
  EXPECT_EQ(std::stod(h->elements[1].str), 1700000000.5);
  auto a = raw_->command({"ZCARD", "autoplay:artist:5:daft punk"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->integer, 2);
  auto t = vb::json::parse(get("autoplay:track:t1"));
  ASSERT_TRUE(t && t->is_object());
  EXPECT_EQ(t->as_object().at("info").as_object().at("author"), "Daft Punk");
}

TEST_F(RedisTest, ARedisOutageIsAnErrorAndTheNextCallReconnects) {
  ASSERT_TRUE(s_.queues->guilds());
  server_->stop();
  auto down = s_.profiles->get(1);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, storage_errc::unavailable);
  ASSERT_TRUE(server_->start());
  guild_profile p;
  p.guild_id = 1;
  p.default_volume = 30;
  ASSERT_TRUE(s_.profiles->put(p));
  EXPECT_EQ(s_.profiles->get(1)->default_volume, 30);
}

TEST_F(RedisTest, AStoppedServerFailsStartUpClearly) {
  auto o = options_for(*server_);
  server_->stop();
  try {
    (void)open_redis(o);
    FAIL() << "connected to a stopped server";
  } catch (const startup_error& e) {
    EXPECT_NE(std::string(e.what()).find("redis://127.0.0.1:" + std::to_string(o.port)), std::string::npos) << e.what();
  }
}

TEST_F(RedisTest, AValueOfAnotherTypeIsAnErrorNotACrash) {
  ASSERT_TRUE(raw_->command({"SADD", "queue:8", "not-a-string"}));
  auto q = s_.queues->get(8);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, storage_errc::io);
  ASSERT_TRUE(raw_->command({"SET", "profile:8", "{broken"}));
  EXPECT_EQ(s_.profiles->get(8).error().code, storage_errc::corrupt);
}

TEST(RedisAuth, PasswordAndDatabaseAreUsedAndAWrongPasswordFailsStartUp) {
  if (!redis_server::available()) GTEST_SKIP() << "redis-server not found in PATH";
  redis_server server({"--requirepass", "s3cret-pass"});
  ASSERT_TRUE(server.started());
  auto o = options_for(server);
  o.password = "s3cret-pass";
  o.db = 3;
  auto s = open_redis(o);
  guild_profile p;
  p.guild_id = 1;
  p.default_volume = 42;
  ASSERT_TRUE(s.profiles->put(p));
  redis_connection db0(o);
  ASSERT_TRUE(db0.command({"SELECT", "0"}));
  auto other = db0.command({"EXISTS", "profile:1"});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->integer, 0);  // written to db 3, not 0
  ASSERT_TRUE(db0.command({"SELECT", "3"}));
  EXPECT_EQ(db0.command({"EXISTS", "profile:1"})->integer, 1);
  o.password = "not-the-pass-9f8e";
  try {
    (void)open_redis(o);
    FAIL() << "a wrong password was accepted";
  } catch (const startup_error& e) {
    EXPECT_EQ(std::string(e.what()).find("not-the-pass-9f8e"), std::string::npos) << "the password leaked: " << e.what();
    EXPECT_NE(std::string(e.what()).find("AUTH"), std::string::npos) << e.what();
  }
}

TEST(RedisTls, TheServerIsVerifiedAgainstTheConfiguredCa) {
  if (!redis_server::available()) GTEST_SKIP() << "redis-server not found in PATH";
  test_certificate cert;
  const auto tls_port = redis_server::pick_free_port();
  redis_server server({"--tls-port", std::to_string(tls_port), "--tls-cert-file", cert.cert_file(), "--tls-key-file",
                       cert.key_file(), "--tls-ca-cert-file", cert.cert_file(), "--tls-auth-clients", "no"});
  if (!server.started()) GTEST_SKIP() << "this redis-server was built without TLS";
  redis_options o;
  o.port = tls_port;
  o.ca_path = cert.cert_file();
  auto s = open_redis(o);
  EXPECT_EQ(s.backend, "rediss://127.0.0.1:" + std::to_string(tls_port) + "/0");
  guild_profile p;
  p.guild_id = 1;
  p.default_volume = 12;
  ASSERT_TRUE(s.profiles->put(p));
  EXPECT_EQ(s.profiles->get(1)->default_volume, 12);

  test_certificate stranger;  // a CA that did not sign the server's certificate
  o.ca_path = stranger.cert_file();
  EXPECT_THROW((void)open_redis(o), startup_error);
  o.ca_path = "/nonexistent/ca.pem";
  EXPECT_THROW((void)open_redis(o), startup_error);
}

}  // namespace
}  // namespace vb::storage::test
