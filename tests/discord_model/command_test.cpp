#include "vectobeat/discord/command.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace vb::discord {
namespace {

command_definition play() {
  command_definition c;
  c.name = "play";
  c.description = "Play a song or playlist";
  command_option q;
  q.type = option_type::string;
  q.name = "query";
  q.description = "URL or search terms";
  q.required = true;
  q.autocomplete = true;
  q.max_length = 200;
  c.options.push_back(q);
  return c;
}

command_definition volume() {
  command_definition c;
  c.name = "volume";
  c.description = "Set the volume";
  command_option l;
  l.type = option_type::integer;
  l.name = "level";
  l.description = "0-200";
  l.required = true;
  l.min_value = 0;
  l.max_value = 200;
  c.options.push_back(l);
  c.default_member_permissions = permissions(permission::manage_guild);
  return c;
}

command_definition playlist() {
  command_definition c;
  c.name = "playlist";
  c.description = "Manage playlists";
  command_option save{option_type::sub_command, "save", "Save the queue", false, {}, {}, {}, {}, {}, {}, {}, false};
  save.options.push_back({option_type::string, "name", "Playlist name", true, {}, {}, {}, {}, {}, 1, 64, false});
  command_option load{option_type::sub_command, "load", "Load a playlist", false, {}, {}, {}, {}, {}, {}, {}, false};
  load.options.push_back({option_type::string, "name", "Playlist name", true, {}, {}, {}, {}, {}, {}, {}, true});
  c.options = {save, load};
  return c;
}

TEST(Command, ValidDefinitionsPass) {
  std::vector<command_definition> cs{play(), volume(), playlist()};
  auto v = validate(cs);
  EXPECT_TRUE(v) << v.error().message();
  command_definition loop;
  loop.name = "loop";
  loop.description = "Loop mode";
  command_option mode{option_type::string, "mode", "off, track or queue", true, {}, {}, {}, {}, {}, {}, {}, false};
  mode.choices = {{"Off", std::string("off")}, {"Track", std::string("track")}, {"Queue", std::string("queue")}};
  loop.options.push_back(mode);
  EXPECT_TRUE(validate(loop));
}

TEST(Command, NamesFollowDiscordsRule) {
  EXPECT_TRUE(valid_command_name("play"));
  EXPECT_TRUE(valid_command_name("now-playing_2'x"));
  EXPECT_TRUE(valid_command_name("spielen\xC3\xA4"));  // non-ASCII letters
  EXPECT_FALSE(valid_command_name("Play"));            // lower case where it exists
  EXPECT_FALSE(valid_command_name("now playing"));
  EXPECT_FALSE(valid_command_name(""));
  EXPECT_FALSE(valid_command_name(std::string(33, 'a')));
  EXPECT_TRUE(valid_command_name(std::string(32, 'a')));
  EXPECT_FALSE(valid_command_name("bad\xFF"));  // not UTF-8
  EXPECT_TRUE(valid_command_name("Add To Queue", false));  // message/user commands may
}

TEST(Command, EachLimitIsRefusedWithTheField) {
  auto c = play();
  c.description = std::string(101, 'd');
  EXPECT_EQ(validate(c).error().field, "command play.description");
  c = play();
  c.options[0].choices = {{"a", std::string("a")}};  // choices with autocomplete
  EXPECT_FALSE(validate(c));
  c = volume();
  c.options[0].min_value = 300;  // min above max
  EXPECT_FALSE(validate(c));
  c = volume();
  c.options[0].choices = std::vector<command_option_choice>(26, {"x", std::int64_t{1}});
  EXPECT_FALSE(validate(c));
  c = volume();
  c.options[0].choices = {{"loud", std::string("200")}};  // a string choice on an integer
  EXPECT_FALSE(validate(c));
  c = play();
  c.options.push_back(c.options[0]);  // duplicate name
  EXPECT_FALSE(validate(c));
  c = play();
  c.options[0].required = false;
  c.options.push_back({option_type::integer, "count", "n", true, {}, {}, {}, {}, {}, {}, {}, false});
  EXPECT_EQ(validate(c).error().field, "command play.options[1].required");  // required after optional
  c = playlist();
  c.options.push_back({option_type::string, "x", "mixed", false, {}, {}, {}, {}, {}, {}, {}, false});
  EXPECT_FALSE(validate(c));  // sub-commands mixed with values
  c = play();
  c.options.assign(26, c.options[0]);
  EXPECT_FALSE(validate(c));
  std::vector<command_definition> twice{play(), play()};
  EXPECT_FALSE(validate(twice));
  std::vector<command_definition> many;
  for (int i = 0; i < 101; ++i) {
    auto p = play();
    p.name = "cmd" + std::to_string(i);
    many.push_back(p);
  }
  EXPECT_FALSE(validate(many));
  many.pop_back();
  EXPECT_TRUE(validate(many));
}

TEST(Command, JsonShape) {
  auto j = to_json(volume());
  EXPECT_EQ(boost::json::serialize(j),
            R"({"type":1,"name":"volume","description":"Set the volume","options":[{"type":4,"name":"level","description":"0-200","required":true,"min_value":0,"max_value":200}],"default_member_permissions":"32"})");
}

TEST(Command, HashIsStableOrderIndependentAndChangesWithContent) {
  std::vector<command_definition> a{play(), volume(), playlist()};
  std::vector<command_definition> b{playlist(), play(), volume()};
  EXPECT_EQ(stable_hash(a), stable_hash(b));
  EXPECT_EQ(stable_hash(a).size(), 16u);
  // A pinned value: the hash must not drift between builds (it is stored on disk).
  std::vector<command_definition> one{volume()};
  EXPECT_EQ(canonical_json(one),
            R"([{"type":1,"name":"volume","description":"Set the volume","options":[{"type":4,"name":"level","description":"0-200","required":true,"min_value":0,"max_value":200}],"default_member_permissions":"32","nsfw":false}])");
  const std::string pinned = stable_hash(one);
  EXPECT_EQ(pinned, stable_hash(one));
  auto changed = a;
  changed[1].options[0].max_value = 150;
  EXPECT_NE(stable_hash(changed), stable_hash(a));
  changed = a;
  changed[0].description += ".";
  EXPECT_NE(stable_hash(changed), stable_hash(a));
}

TEST(Command, RemoteListWithDiscordDefaultsMatchesLocal) {
  // What Discord returns after a bulk overwrite: ids, versions and defaults added.
  auto remote_json = boost::json::parse(R"([
    {"id":"11","application_id":"1","version":"1","type":1,"name":"volume","description":"Set the volume",
     "default_member_permissions":"32","dm_permission":true,"contexts":[0,1,2],"integration_types":[0],"nsfw":false,
     "options":[{"type":4,"name":"level","description":"0-200","required":true,"min_value":0,"max_value":200}]},
    {"id":"12","application_id":"1","version":"1","type":1,"name":"play","description":"Play a song or playlist",
     "default_member_permissions":null,"contexts":null,"integration_types":[0],"nsfw":false,
     "options":[{"type":3,"name":"query","description":"URL or search terms","required":true,"autocomplete":true,"max_length":200}]}
  ])").as_array();
  std::vector<command_definition> remote;
  for (const auto& v : remote_json) remote.push_back(*parse_command(v.as_object()));
  EXPECT_EQ(remote[0].id, snowflake(11));
  std::vector<command_definition> local{play(), volume()};
  EXPECT_TRUE(commands_match(local, remote));
  local[1].options[0].max_value = 100;
  EXPECT_FALSE(commands_match(local, remote));
  std::vector<command_definition> fewer{play()};
  EXPECT_FALSE(commands_match(fewer, remote));
  auto with_ctx = std::vector<command_definition>{play(), volume()};
  with_ctx[1].contexts = std::vector<int>{0};
  EXPECT_FALSE(commands_match(with_ctx, remote));  // set locally: compared
}

}  // namespace
}  // namespace vb::discord
