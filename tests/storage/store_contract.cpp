#include "store_contract.hpp"

namespace vb::storage::test {

void StoreContract::SetUp() {
  backend_ = GetParam().make();
  if (!backend_) GTEST_SKIP() << GetParam().name << " is not available";
  s_ = backend_->open();
}

lavalink::track sample_track(const std::string& id, const std::string& author) {
  lavalink::track t;
  t.encoded = "QAAA" + id;
  t.info.identifier = id;
  t.info.title = "Title " + id;
  t.info.author = author;
  t.info.length = 180000;
  t.info.is_seekable = true;
  t.info.uri = "https://example.com/" + id;
  t.info.source_name = "http";
  return t;
}

stored_track sample_stored(const std::string& id, const std::string& author) {
  return stored_track::from(sample_track(id, author), 555);
}

namespace {

TEST_P(StoreContract, ProfilesDefaultThenPersistAcrossARestart) {
  auto d = s_.profiles->get(1);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->default_volume, 100);
  EXPECT_EQ(d->announcement, announcement_style::rich);
  guild_profile p;
  p.guild_id = 1;
  p.default_volume = 55;
  p.autoplay = true;
  p.announcement = announcement_style::minimal;
  p.extra["queue_hint"] = true;
  ASSERT_TRUE(s_.profiles->put(p));
  auto again = backend_->reopen();
  EXPECT_EQ(again.profiles->get(1).value(), p);
  p.default_volume = 201;
  EXPECT_EQ(s_.profiles->put(p).error().code, storage_errc::invalid_argument);
  EXPECT_EQ(again.profiles->get(1)->default_volume, 55);  // nothing written
  ASSERT_TRUE(s_.profiles->remove(1));
  EXPECT_EQ(s_.profiles->get(1)->default_volume, 100);
}

TEST_P(StoreContract, DjRolesAndTheLastFiftyAuditEntries) {
  EXPECT_TRUE(s_.dj->add_role(2, 10).value());
  EXPECT_FALSE(s_.dj->add_role(2, 10).value());
  EXPECT_TRUE(s_.dj->add_role(2, 11).value());
  EXPECT_TRUE(s_.dj->add_role(3, 99).value());
  for (int i = 0; i < 60; ++i)
    ASSERT_TRUE(s_.dj->append_audit(2, {1700000000 + i, 42, "skip", "entry " + std::to_string(i)}));
  auto c = backend_->reopen().dj->get(2);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->roles, (std::set<std::uint64_t>{10, 11}));
  ASSERT_EQ(c->audit.size(), dj_audit_limit);
  EXPECT_EQ(c->audit.front().details, "entry 10");  // oldest kept
  EXPECT_EQ(c->audit.back().details, "entry 59");
  EXPECT_EQ(c->audit.back().user_id, 42u);
  EXPECT_TRUE(s_.dj->remove_role(2, 10).value());
  EXPECT_FALSE(s_.dj->remove_role(2, 10).value());
  EXPECT_TRUE(s_.dj->clear_roles(2).value());
  EXPECT_TRUE(s_.dj->get(2)->roles.empty());
  EXPECT_EQ(s_.dj->get(3)->roles.size(), 1u);  // other guilds untouched
}

TEST_P(StoreContract, PlaylistNamesAreCaseInsensitive) {
  playlist p;
  p.name = "Road Trip";
  p.tracks = {sample_stored("a"), sample_stored("b")};
  ASSERT_TRUE(s_.playlists->save(5, p));
  auto loaded = s_.playlists->load(5, "  ROAD trip ");
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->tracks, p.tracks);
  EXPECT_EQ((*loaded)->name, "Road Trip");
  playlist other;
  other.name = "road TRIP";  // replaces it
  other.tracks = {sample_stored("c")};
  ASSERT_TRUE(s_.playlists->save(5, other));
  playlist second;
  second.name = "Chill";
  second.tracks = {sample_stored("d")};
  ASSERT_TRUE(s_.playlists->save(5, second));
  auto names = backend_->reopen().playlists->list(5);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"Chill", "road TRIP"}));
  EXPECT_TRUE(s_.playlists->list(6)->empty());
  EXPECT_EQ(s_.playlists->load(5, "road trip")->value().tracks.size(), 1u);
  EXPECT_TRUE(s_.playlists->remove(5, "CHILL").value());
  EXPECT_FALSE(s_.playlists->remove(5, "chill").value());
  EXPECT_FALSE(s_.playlists->load(5, "chill")->has_value());
  playlist bad;
  bad.name = std::string(65, 'x');
  EXPECT_EQ(s_.playlists->save(5, bad).error().code, storage_errc::invalid_argument);
}

TEST_P(StoreContract, AutoplayHistoryIsTrimmedPerGuildAndPerArtist) {
  for (int i = 0; i < 520; ++i) {
    auto t = sample_stored("t" + std::to_string(i), i % 2 ? "Odd Band" : "Even Band");
    ASSERT_TRUE(s_.autoplay->record(7, t, 1700000000.0 + i));
  }
  auto h = s_.autoplay->history(7, 1000);
  ASSERT_TRUE(h) << h.error().message;
  ASSERT_EQ(h->size(), autoplay_history_limit);
  EXPECT_EQ(h->front(), "t519");  // newest first
  EXPECT_EQ(h->back(), "t20");
  auto odd = backend_->reopen().autoplay->by_artist(7, "ODD band", 1000);
  ASSERT_TRUE(odd) << odd.error().message;
  ASSERT_EQ(odd->size(), autoplay_artist_limit);
  EXPECT_EQ(odd->front(), "t519");
  EXPECT_EQ(s_.autoplay->history(7, 3)->size(), 3u);
  auto t = s_.autoplay->track("t5");
  ASSERT_TRUE(t && t->has_value());
  EXPECT_EQ((*t)->author, "Odd Band");
  EXPECT_EQ((*t)->requester, std::optional<std::uint64_t>(555));
  EXPECT_TRUE(s_.autoplay->history(8, 10)->empty());
  // Playing a track again moves it to the front instead of duplicating it.
  ASSERT_TRUE(s_.autoplay->record(7, sample_stored("t100", "Even Band"), 1800000000.0));
  EXPECT_EQ(s_.autoplay->history(7, 1)->front(), "t100");
  EXPECT_EQ(s_.autoplay->history(7, 1000)->size(), autoplay_history_limit);
}

TEST_P(StoreContract, TheQueueSurvivesARestart) {
  queue_state q;
  q.guild_id = 9;
  q.current = queue_entry{sample_track("now"), 5};
  q.position = 42000;
  q.paused = true;
  q.volume = 80;
  q.loop = loop_mode::track;
  q.filters.volume = 0.8;
  for (int i = 0; i < 500; ++i) q.entries.push_back({sample_track("n" + std::to_string(i)), 5});
  q.voice_channel_id = 1000;
  q.text_channel_id = 2000;
  q.node = "eu";
  ASSERT_TRUE(s_.queues->put(q));
  auto again = backend_->reopen();
  auto got = again.queues->get(9);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_TRUE(got->has_value());
  EXPECT_GT((*got)->updated_at, 0);
  q.updated_at = (*got)->updated_at;
  EXPECT_EQ(**got, q);
  EXPECT_EQ(again.queues->guilds().value(), std::vector<std::uint64_t>{9});
  ASSERT_TRUE(s_.queues->remove(9));
  EXPECT_FALSE(again.queues->get(9)->has_value());
  EXPECT_TRUE(again.queues->guilds()->empty());
}

}  // namespace
}  // namespace vb::storage::test
