#include "vectobeat/discord/message.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace vb::discord {
namespace {

std::string chars(std::size_t n) { return std::string(n, 'x'); }

embed now_playing() {
  embed e;
  e.title = "Now playing";
  e.description = "[Never Gonna Give You Up](https://example.com/t) - Rick Astley";
  e.color = 0x5865F2;
  e.footer = embed_footer{"VectoBeat", std::nullopt};
  e.fields = {{"Duration", "3:33", true}, {"Requested by", "<@5>", true}};
  return e;
}

TEST(Embed, LimitsAreEnforcedAtTheBoundary) {
  embed e;
  e.title = chars(256);
  EXPECT_TRUE(validate(e));
  e.title = chars(257);
  auto v = validate(e);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, model_error::limit_exceeded);
  EXPECT_EQ(v.error().field, "embed.title");

  embed d;
  d.description = chars(4096);
  EXPECT_TRUE(validate(d));
  d.description = chars(4097);
  EXPECT_FALSE(validate(d));

  embed f;
  f.fields.assign(25, {"n", "v", false});
  EXPECT_TRUE(validate(f));
  f.fields.push_back({"n", "v", false});
  EXPECT_FALSE(validate(f));
  f.fields.assign(1, {chars(257), "v", false});
  EXPECT_EQ(validate(f).error().field, "embed.fields[0].name");
  f.fields.assign(1, {"n", chars(1025), false});
  EXPECT_EQ(validate(f).error().field, "embed.fields[0].value");
  f.fields.assign(1, {"n", "", false});
  EXPECT_FALSE(validate(f));  // empty values are refused by Discord too

  embed ft;
  ft.footer = embed_footer{chars(2049), std::nullopt};
  EXPECT_FALSE(validate(ft));
}

TEST(Embed, CharactersAreCodePointsNotBytes) {
  embed e;
  std::string umlauts;
  for (int i = 0; i < 256; ++i) umlauts += "\xC3\xA4";  // 256 x 'ä' = 512 bytes
  e.title = umlauts;
  EXPECT_TRUE(validate(e));
}

TEST(Message, TotalOfSixThousandAcrossEmbedsAndTenEmbeds) {
  message_payload m;
  m.embeds.emplace();
  for (int i = 0; i < 2; ++i) {
    embed e;
    e.description = chars(3000);
    m.embeds->push_back(e);
  }
  EXPECT_TRUE(validate(m));
  (*m.embeds)[1].title = "x";  // 6001
  auto v = validate(m);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().field, "embeds");
  m.embeds->assign(11, now_playing());
  EXPECT_FALSE(validate(m));
  message_payload c;
  c.content = chars(2001);
  EXPECT_FALSE(validate(c));
}

TEST(Message, ComponentsRules) {
  action_row row;
  for (int i = 0; i < 5; ++i) row.components.push_back(button{button_style::primary, "b", "id" + std::to_string(i), {}, {}, false});
  message_payload m;
  m.components = std::vector<action_row>{row};
  EXPECT_TRUE(validate(m));
  row.components.push_back(button{button_style::primary, "b", "id5", {}, {}, false});
  m.components = std::vector<action_row>{row};
  EXPECT_FALSE(validate(m));  // six buttons

  action_row link;
  link.components.push_back(button{button_style::link, "Open", "", std::string("https://example.com"), {}, false});
  EXPECT_TRUE(validate(link));
  std::get<button>(link.components[0]).custom_id = "x";
  EXPECT_FALSE(validate(link));  // link buttons have no custom_id

  action_row sel;
  select_menu s;
  s.custom_id = "pick";
  s.options = {{"One", "1", {}, {}, false}, {"Two", "2", {}, {}, false}};
  s.max_values = 2;
  sel.components.push_back(s);
  EXPECT_TRUE(validate(sel));
  sel.components.push_back(button{button_style::primary, "b", "id", {}, {}, false});
  EXPECT_FALSE(validate(sel));  // a select is alone in its row
  s.max_values = 3;
  EXPECT_FALSE(validate(action_row{{s}}));  // more than its options
  s.max_values = 1;
  s.custom_id = chars(101);
  EXPECT_FALSE(validate(action_row{{s}}));

  message_payload six;
  six.components = std::vector<action_row>(6, action_row{{button{button_style::primary, "b", "id", {}, {}, false}}});
  EXPECT_FALSE(validate(six));
}

TEST(Message, JsonShapeOmitsUnsetAndKeepsClears) {
  message_payload m;
  m.embeds = std::vector<embed>{now_playing()};
  m.components = std::vector<action_row>{{{button{button_style::secondary, "Skip", "np:skip", {}, partial_emoji{{}, "⏭", false}, false}}}};
  m.flags = message_flags::ephemeral;
  auto j = to_json(m);
  ASSERT_TRUE(j);
  EXPECT_FALSE(j->contains("content"));
  EXPECT_EQ(j->at("flags").to_number<std::int64_t>(), 64);
  const auto& e = j->at("embeds").as_array()[0].as_object();
  EXPECT_EQ(e.at("title").as_string(), "Now playing");
  EXPECT_EQ(e.at("color").to_number<std::int64_t>(), 0x5865F2);
  EXPECT_EQ(e.at("footer").as_object().at("text").as_string(), "VectoBeat");
  EXPECT_EQ(e.at("fields").as_array().size(), 2u);
  EXPECT_TRUE(e.at("fields").as_array()[0].as_object().at("inline").as_bool());
  const auto& row = j->at("components").as_array()[0].as_object();
  EXPECT_EQ(row.at("type").as_int64(), 1);
  const auto& b = row.at("components").as_array()[0].as_object();
  EXPECT_EQ(b.at("type").as_int64(), 2);
  EXPECT_EQ(b.at("custom_id").as_string(), "np:skip");
  EXPECT_EQ(b.at("emoji").as_object().at("name").as_string(), "⏭");

  message_payload clear;
  clear.embeds = std::vector<embed>{};
  auto cj = to_json(clear);
  ASSERT_TRUE(cj);
  EXPECT_TRUE(cj->at("embeds").as_array().empty());  // an edit that removes embeds

  message_payload bad;
  bad.content = chars(2001);
  EXPECT_FALSE(to_json(bad));
}

TEST(InteractionResponse, EveryCallbackType) {
  EXPECT_EQ(boost::json::serialize(*to_json(interaction_response::pong())), R"({"type":1})");
  EXPECT_EQ(boost::json::serialize(*to_json(interaction_response::defer(true))), R"({"type":5,"data":{"flags":64}})");
  EXPECT_EQ(boost::json::serialize(*to_json(interaction_response::defer(false))), R"({"type":5})");
  EXPECT_EQ(boost::json::serialize(*to_json(interaction_response::defer_update())), R"({"type":6})");
  message_payload m;
  m.content = "Queued";
  EXPECT_EQ(boost::json::serialize(*to_json(interaction_response::reply(m))), R"({"type":4,"data":{"content":"Queued"}})");
  EXPECT_EQ(boost::json::serialize(*to_json(interaction_response::update(m))), R"({"type":7,"data":{"content":"Queued"}})");
  auto ac = to_json(interaction_response::autocomplete({{"Rick", std::string("rick")}, {"Ten", std::int64_t{10}}}));
  ASSERT_TRUE(ac);
  EXPECT_EQ(boost::json::serialize(*ac), R"({"type":8,"data":{"choices":[{"name":"Rick","value":"rick"},{"name":"Ten","value":10}]}})");
  std::vector<command_option_choice> many(26, {"x", std::string("x")});
  EXPECT_FALSE(to_json(interaction_response::autocomplete(many)));
  modal_payload mp{"playlist:new", "New playlist", {action_row{{text_input{"name", "Name", 1, 1, 64, true, {}, {}}}}}};
  auto mj = to_json(interaction_response::show_modal(mp));
  ASSERT_TRUE(mj) << mj.error().message();
  EXPECT_EQ(mj->at("data").as_object().at("components").as_array()[0].as_object().at("components").as_array()[0].as_object().at("type").as_int64(), 4);
  mp.title = chars(46);
  EXPECT_FALSE(to_json(interaction_response::show_modal(mp)));
  interaction_response r4{callback_type::channel_message, {}, {}, {}};
  EXPECT_FALSE(to_json(r4));  // type 4 needs data
  auto deferred_bad = interaction_response::defer(true);
  deferred_bad.message->flags = message_flags::ephemeral | message_flags::suppress_embeds;
  EXPECT_FALSE(validate(deferred_bad));
}

}  // namespace
}  // namespace vb::discord
