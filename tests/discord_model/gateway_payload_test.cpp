#include "vectobeat/discord/gateway_payload.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "discord_model/sample_payloads.hpp"

namespace vb::discord {
namespace {

using test::obj;

TEST(GatewayFrame, ParsesOpcodesSequenceAndEventName) {
  gateway_frame_parser p;
  auto hello = p.parse(R"({"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null})");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->op, 10);
  EXPECT_FALSE(hello->s);
  EXPECT_TRUE(hello->t.empty());
  EXPECT_EQ(hello->d->as_object().at("heartbeat_interval").as_int64(), 41250);

  auto d = p.parse(R"({"t":"VOICE_SERVER_UPDATE","s":42,"op":0,"d":{"token":"x","guild_id":"1","endpoint":"e:1"}})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->t, "VOICE_SERVER_UPDATE");
  EXPECT_EQ(d->s, 42);

  auto ack = p.parse(R"({"op":11})");
  ASSERT_TRUE(ack);
  EXPECT_TRUE(ack->d->is_null());
}

TEST(GatewayFrame, RefusesGarbageWithoutCrashingAndRecovers) {
  gateway_frame_parser p({4096, 8});
  EXPECT_EQ(p.parse("{not json").error().code, model_error::invalid_json);
  EXPECT_EQ(p.parse("[1,2]").error().code, model_error::not_an_object);
  EXPECT_EQ(p.parse(R"({"d":1})").error().code, model_error::invalid_field);  // no op
  EXPECT_EQ(p.parse(std::string(5000, ' ')).error().code, model_error::invalid_json);  // too large
  EXPECT_FALSE(p.parse(R"({"op":0,"d":[[[[[[[[[[1]]]]]]]]]]})"));  // too deep
  EXPECT_FALSE(p.parse(""));
  auto ok = p.parse(R"({"op":11,"d":null})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->op, 11);
}

TEST(GatewayFrame, LargeDocumentsBeyondTheInlineArena) {
  gateway_frame_parser p;
  std::string big = R"({"op":0,"s":1,"t":"GUILD_CREATE","d":{"id":"1","channels":[)";
  for (int i = 0; i < 3000; ++i) big += (i ? "," : "") + std::string(R"({"id":")") + std::to_string(i + 1) + R"(","type":0,"name":"channel"})";
  big += "]}}";
  for (int round = 0; round < 3; ++round) {
    auto f = p.parse(big);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->d->as_object().at("channels").as_array().size(), 3000u);
  }
}

TEST(GatewayEncode, IdentifyResumeHeartbeatVoiceState) {
  identify_params ip;
  ip.token = "secret-token";
  ip.shard_id = 3;
  ip.shard_count = 8;
  ip.large_threshold = 10;  // clamped to 50
  ip.initial_presence = presence{"online", activity{"/play", 2, {}, {}}, false, {}};
  auto id = obj(encode_identify(ip));
  EXPECT_EQ(id.at("op").as_int64(), 2);
  const auto& d = id.at("d").as_object();
  EXPECT_EQ(d.at("token").as_string(), "secret-token");
  EXPECT_EQ(d.at("intents").as_int64(), 129);
  EXPECT_EQ(d.at("shard").as_array()[0].as_int64(), 3);
  EXPECT_EQ(d.at("shard").as_array()[1].as_int64(), 8);
  EXPECT_EQ(d.at("large_threshold").as_int64(), 50);
  EXPECT_FALSE(d.at("compress").as_bool());
  EXPECT_EQ(d.at("properties").as_object().at("browser").as_string(), "vectobeat");
  const auto& pr = d.at("presence").as_object();
  EXPECT_TRUE(pr.at("since").is_null());
  EXPECT_EQ(pr.at("activities").as_array()[0].as_object().at("type").as_int64(), 2);

  auto r = obj(encode_resume("tok", "sess", 99));
  EXPECT_EQ(r.at("op").as_int64(), 6);
  EXPECT_EQ(r.at("d").as_object().at("seq").as_int64(), 99);
  EXPECT_EQ(encode_heartbeat(std::nullopt), R"({"op":1,"d":null})");
  EXPECT_EQ(encode_heartbeat(7), R"({"op":1,"d":7})");
  EXPECT_EQ(encode_voice_state_update(snowflake(41771983423143937), snowflake(127121515262115840), false, true),
            R"({"op":4,"d":{"guild_id":"41771983423143937","channel_id":"127121515262115840","self_mute":false,"self_deaf":true}})");
  EXPECT_EQ(encode_voice_state_update(snowflake(1), snowflake(), false, false),
            R"({"op":4,"d":{"guild_id":"1","channel_id":null,"self_mute":false,"self_deaf":false}})");
  auto rm = obj(encode_request_guild_members(snowflake(1), "", 0, false, "n1"));
  EXPECT_EQ(rm.at("op").as_int64(), 8);
}

TEST(GatewayEncode, PresenceNames) {
  EXPECT_TRUE(valid_presence_status("dnd"));
  EXPECT_FALSE(valid_presence_status("busy"));
  EXPECT_EQ(activity_type_from_name("listening"), 2);
  EXPECT_EQ(activity_type_from_name("dancing"), std::nullopt);
}

}  // namespace
}  // namespace vb::discord
