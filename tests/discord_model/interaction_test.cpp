#include "vectobeat/discord/interaction.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "sample_payloads.hpp"

namespace vb::discord {
namespace {

using test::obj;

TEST(Interaction, SlashCommandWithOptionsMemberAndPermissions) {
  auto in = parse_interaction(obj(test::interaction_json(1, 1, test::play_command_data(1))));
  ASSERT_TRUE(in) << in.error().message();
  EXPECT_EQ(in->type, interaction_type::application_command);
  EXPECT_EQ(in->guild_id.value(), test::guild_id(1));
  EXPECT_EQ(in->channel_id.value(), test::channel_id(1, 1));
  EXPECT_EQ(in->user_id().value(), test::user_id(1, 10));
  EXPECT_TRUE(in->app_permissions.has(permission::send_messages));
  ASSERT_TRUE(in->member_info && in->member_info->perms);
  const auto* cmd = in->command();
  ASSERT_TRUE(cmd);
  EXPECT_EQ(cmd->full_name(), "play");
  ASSERT_TRUE(cmd->option("query"));
  EXPECT_EQ(cmd->option("query")->as_string(), "never gonna give you up");
  EXPECT_FALSE(cmd->option("missing"));
  EXPECT_EQ(in->token.substr(0, 8), "aW50ZXJh");
}

TEST(Interaction, SubCommandGroupsResolvedAndTypedValues) {
  auto in = parse_interaction(obj(R"({"id":"1","application_id":"2","type":2,"token":"t","guild_id":"3","channel_id":"4",
    "member":{"user":{"id":"5","username":"alice"},"roles":[],"permissions":"8"},
    "data":{"id":"6","name":"playlist","type":1,"options":[{"name":"manage","type":2,"options":[
        {"name":"save","type":1,"options":[{"name":"name","type":3,"value":"Road trip"},{"name":"limit","type":4,"value":50},
            {"name":"gain","type":10,"value":1.5},{"name":"public","type":5,"value":true},{"name":"for","type":6,"value":"5"}]}]}],
      "resolved":{"users":{"5":{"id":"5","username":"alice"}},"members":{"5":{"roles":["7"],"nick":"Al"}},
                  "channels":{"4":{"id":"4","type":2,"name":"Music","permissions":"3145728"}}}}})"));
  ASSERT_TRUE(in) << in.error().message();
  const auto* cmd = in->command();
  EXPECT_EQ(cmd->full_name(), "playlist manage save");
  EXPECT_EQ(cmd->leaf_options().size(), 5u);
  EXPECT_EQ(cmd->option("name")->as_string(), "Road trip");
  EXPECT_EQ(cmd->option("limit")->as_int(), 50);
  EXPECT_EQ(cmd->option("limit")->as_number(), 50.0);
  EXPECT_EQ(cmd->option("gain")->as_number(), 1.5);
  EXPECT_EQ(cmd->option("public")->as_bool(), true);
  EXPECT_EQ(cmd->option("for")->as_snowflake(), snowflake(5));
  EXPECT_EQ(cmd->option("name")->as_int(), std::nullopt);  // typed access never converts
  ASSERT_TRUE(cmd->resolved.find_member(snowflake(5)));
  EXPECT_EQ(cmd->resolved.find_member(snowflake(5))->nick, "Al");
  EXPECT_EQ(cmd->resolved.find_user(snowflake(5))->username, "alice");
  EXPECT_EQ(cmd->resolved.find_channel(snowflake(4))->perms, permission::connect | permission::speak);
}

TEST(Interaction, AutocompleteFocusedOptionKeepsPartialInput) {
  auto in = parse_interaction(obj(R"({"id":"1","application_id":"2","type":4,"token":"t","guild_id":"3","channel_id":"4",
    "data":{"id":"6","name":"volume","type":1,"options":[{"name":"level","type":4,"value":"1","focused":true}]}})"));
  ASSERT_TRUE(in) << in.error().message();
  EXPECT_EQ(in->type, interaction_type::autocomplete);
  ASSERT_TRUE(in->command()->focused());
  EXPECT_EQ(in->command()->focused()->name, "level");
  EXPECT_EQ(in->command()->focused()->as_string(), "1");  // partial text, even for INTEGER
}

TEST(Interaction, ComponentsAndModals) {
  auto b = parse_interaction(obj(R"({"id":"1","application_id":"2","type":3,"token":"t","channel_id":"4",
     "user":{"id":"9","username":"dm-user"},"message":{"id":"77"},
     "data":{"custom_id":"np:skip","component_type":2}})"));
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(b->component()->custom_id, "np:skip");
  EXPECT_EQ(b->message_id, snowflake(77));
  EXPECT_EQ(b->user_id(), snowflake(9));
  auto s = parse_interaction(obj(R"({"id":"1","application_id":"2","type":3,"token":"t","channel_id":"4",
     "data":{"custom_id":"queue:pick","component_type":3,"values":["a","b"]}})"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->component()->values, (std::vector<std::string>{"a", "b"}));
  auto m = parse_interaction(obj(R"({"id":"1","application_id":"2","type":5,"token":"t","channel_id":"4",
     "data":{"custom_id":"playlist:new","components":[{"type":1,"components":[{"type":4,"custom_id":"name","value":"Mix"}]}]}})"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->modal()->field("name"), "Mix");
  EXPECT_EQ(m->modal()->field("other"), std::nullopt);
}

TEST(Interaction, RefusesMissingEssentialsAndMistypedValues) {
  EXPECT_FALSE(parse_interaction(obj(R"({"application_id":"2","type":2,"token":"t"})")));
  EXPECT_FALSE(parse_interaction(obj(R"({"id":"1","application_id":"2","type":2})")));  // no token
  EXPECT_FALSE(parse_interaction(obj(R"({"id":"1","application_id":"2","type":9,"token":"t"})")));
  EXPECT_FALSE(parse_interaction(obj(R"({"id":"1","application_id":"2","type":2,"token":"t"})")));  // no data
  auto wrong = parse_interaction(obj(R"({"id":"1","application_id":"2","type":2,"token":"t",
     "data":{"name":"volume","options":[{"name":"level","type":4,"value":"loud"}]}})"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "option.level");
  // Nesting deeper than group > sub-command > value is refused, not recursed into.
  std::string deep = R"({"name":"a","type":2,"options":[{"name":"b","type":1,"options":[{"name":"c","type":1,"options":[{"name":"d","type":3,"value":"x"}]}]}]})";
  EXPECT_FALSE(parse_interaction(obj(R"({"id":"1","application_id":"2","type":2,"token":"t","data":{"name":"x","options":[)" + deep + "]}}")));
  auto ping = parse_interaction(obj(R"({"id":"1","application_id":"2","type":1,"token":"t"})"));
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->type, interaction_type::ping);
}

}  // namespace
}  // namespace vb::discord
