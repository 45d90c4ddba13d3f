#include "vectobeat/bot/command_registry.hpp"

#include <gtest/gtest.h>

namespace vb::bot {
namespace {

command_handler noop() {
  return [](command_context&) -> task<reply> { co_return reply::text("ok"); };
}

TEST(CommandRegistry, GroupsSubCommandsIntoOneDefinition) {
  command_registry r;
  r.add({"play", "Play something.", "Music", {}, gate::in_voice, true, false, noop(), {}});
  r.describe_group("playlist", "Saved playlists.");
  r.add({"playlist save", "Save.", "Playlists", {}, gate::none, false, true, noop(), {}});
  r.add({"playlist load", "Load.", "Playlists", {}, gate::none, false, true, noop(), {}});
  auto defs = r.definitions();
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(defs[1].name, "playlist");
  EXPECT_EQ(defs[1].description, "Saved playlists.");
  ASSERT_EQ(defs[1].options.size(), 2u);
  EXPECT_EQ(defs[1].options[0].type, discord::option_type::sub_command);
  EXPECT_TRUE(discord::validate(std::span<const discord::command_definition>(defs)));
  EXPECT_EQ(r.find("playlist load")->category, "Playlists");
  EXPECT_EQ(r.by_category().size(), 2u);
}

TEST(CommandRegistry, SameDefinitionsHashTheSame) {
  command_registry a, b;
  a.add({"ping", "Latency.", "Info", {}, gate::none, false, true, noop(), {}});
  b.add({"ping", "Latency.", "Info", {}, gate::none, false, true, noop(), {}});
  auto da = a.definitions(), db = b.definitions();
  EXPECT_EQ(discord::stable_hash(std::span<const discord::command_definition>(da)),
            discord::stable_hash(std::span<const discord::command_definition>(db)));
  EXPECT_TRUE(discord::commands_match(da, db));
}

TEST(CommandRegistry, RefusesDuplicatesAndBadNames) {
  command_registry r;
  r.add({"ping", "Latency.", "Info", {}, gate::none, false, true, noop(), {}});
  EXPECT_THROW(r.add({"ping", "Again.", "Info", {}, gate::none, false, true, noop(), {}}), std::invalid_argument);
  EXPECT_THROW(r.add({"Bad Name", "x", "Info", {}, gate::none, false, true, noop(), {}}), std::invalid_argument);
  EXPECT_THROW(r.add({"nohandler", "x", "Info", {}, gate::none, false, true, {}, {}}), std::invalid_argument);
}

}  // namespace
}  // namespace vb::bot
