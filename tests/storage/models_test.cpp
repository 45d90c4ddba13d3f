#include "vectobeat/storage/models.hpp"

#include <gtest/gtest.h>

#include "vectobeat/common/json.hpp"

namespace vb::storage {
namespace {

boost::json::value parse(std::string_view s) {
  auto v = vb::json::parse(s);
  EXPECT_TRUE(v) << s;
  return v ? *v : boost::json::value();
}

TEST(PlaylistKey, TrimsAndLowersAndCountsCharactersNotBytes) {
  EXPECT_EQ(playlist_key("  Chill Mix ").value(), "chill mix");
  EXPECT_EQ(playlist_key("ÄÖÜ Straße").value(), "äöü straße");
  EXPECT_EQ(playlist_key("ΜΟΥΣΙΚΗ").value(), "μουσικη");
  EXPECT_EQ(playlist_key("МУЗЫКА").value(), "музыка");
  EXPECT_EQ(playlist_key("İstanbul").value(), "i\xCC\x87stanbul");  // as Python's str.lower()
  EXPECT_EQ(playlist_key("🎵 Vibes").value(), "🎵 vibes");
  std::string sixty_four_emoji;
  for (int i = 0; i < 64; ++i) sixty_four_emoji += "🎵";  // 256 bytes, 64 characters
  EXPECT_TRUE(playlist_key(sixty_four_emoji));
  EXPECT_FALSE(playlist_key(sixty_four_emoji + "x"));
}

TEST(PlaylistKey, RefusesEmptyControlAndInvalidNames) {
  for (std::string_view bad : {"", "   ", "a\tb", "bad\x01", "\xC3\x28", "\xED\xA0\x80"}) {
    auto k = playlist_key(bad);
    ASSERT_FALSE(k) << bad;
    EXPECT_EQ(k.error().code, storage_errc::invalid_argument);
    EXPECT_FALSE(k.error().message.empty());
  }
}

TEST(StoredTrack, WritesTheOriginalRedisShape) {
  stored_track t;
  t.encoded = "QAAA";
  t.identifier = "dQw4w9WgXcQ";
  t.title = "Never Gonna Give You Up";
  t.author = "Rick Astley";
  t.length = 212000;
  t.uri = "https://youtu.be/dQw4w9WgXcQ";
  t.source_name = "youtube";
  t.requester = 555555555555555555ull;
  auto v = to_json(t);
  auto& o = v.as_object();
  EXPECT_EQ(o.at("track"), "QAAA");
  EXPECT_EQ(o.at("requester").as_uint64(), 555555555555555555ull);  // a number, as Python wrote it
  auto& info = o.at("info").as_object();
  for (auto key : {"identifier", "author", "length", "title", "uri", "sourceName", "artworkUrl"})
    EXPECT_TRUE(info.contains(key)) << key;
  EXPECT_TRUE(info.at("artworkUrl").is_null());
  EXPECT_EQ(stored_track_from_json(v).value(), t);
}

TEST(StoredTrack, ReadsWhatTheOriginalWrote) {
  auto v = parse(R"({"track":"QAAB","info":{"identifier":"x","author":"A","length":1000,"title":"T",
                     "uri":null,"sourceName":"soundcloud"},"requester":"42"})");
  auto t = stored_track_from_json(v);
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->requester, std::optional<std::uint64_t>(42));
  EXPECT_EQ(t->source_name, "soundcloud");
  EXPECT_FALSE(t->uri.has_value());
  EXPECT_FALSE(stored_track_from_json(parse(R"({"info":{}})")));
  EXPECT_FALSE(stored_track_from_json(parse("[]")));
}

TEST(Playlist, ReadsTheDocumentAndTheLegacyList) {
  auto doc = parse(R"({"tracks":[{"track":"QAAB","info":{"identifier":"x","author":"A","length":1,"title":"T",
                       "uri":null,"sourceName":"http","artworkUrl":null},"requester":1}],
                       "meta":{"sync":{"source":"https://example.com/list","loadType":"playlist","trackCount":1}}})");
  auto p = playlist_from_json("Mix", doc);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->tracks.size(), 1u);
  EXPECT_EQ(p->meta.at("sync").as_object().at("loadType"), "playlist");
  auto legacy = playlist_from_json("Old", parse(R"([{"track":"QAAC","info":{"identifier":"y"}}])"));
  ASSERT_TRUE(legacy) << legacy.error();
  EXPECT_EQ(legacy->tracks.at(0).encoded, "QAAC");
  EXPECT_EQ(playlist_from_json("Mix", to_json(*p)).value(), *p);
  EXPECT_FALSE(playlist_from_json("Bad", parse(R"({"tracks":[{"info":{}}]})")));
}

TEST(GuildProfile, UsesTheOriginalFileShapeAndKeepsUnknownSettings) {
  auto v = parse(R"({"default_volume":80,"autoplay":true,"announcement_style":"minimal",
                     "adaptive_mastering":false,"compliance_mode":true,"crossfade":"on"})");
  auto p = guild_profile_from_json(9, v);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->default_volume, 80);
  EXPECT_TRUE(p->autoplay);
  EXPECT_EQ(p->announcement, announcement_style::minimal);
  EXPECT_TRUE(p->compliance_mode);
  EXPECT_EQ(p->extra.at("crossfade"), "on");
  EXPECT_EQ(guild_profile_from_json(9, to_json(*p)).value(), *p);
  EXPECT_FALSE(guild_profile_from_json(9, parse(R"({"default_volume":500})")));
  EXPECT_FALSE(guild_profile_from_json(9, parse(R"({"announcement_style":"loud"})")));
}

TEST(StoredTrack, ASavedTrackPlaysBackAsTheSameLavalinkTrack) {
  stored_track t;
  t.encoded = "QAAA";
  t.identifier = "abc";
  t.title = "Song";
  t.author = "Artist";
  t.length = 212000;
  t.uri = "https://example.com/a.mp3";
  t.artwork_url = "https://example.com/a.jpg";
  t.source_name = "http";
  const auto tr = t.to_track();
  EXPECT_EQ(tr.encoded, "QAAA");
  EXPECT_EQ(tr.info.title, "Song");
  EXPECT_EQ(tr.info.author, "Artist");
  EXPECT_EQ(tr.info.length, 212000);
  EXPECT_TRUE(tr.info.is_seekable);
  EXPECT_EQ(tr.info.uri, t.uri);
  EXPECT_EQ(stored_track::from(tr, std::nullopt), t);  // nothing lost either way
  t.is_stream = true;
  EXPECT_FALSE(t.to_track().info.is_seekable);  // a radio stream cannot seek
}

TEST(QueueState, RoundTripsEverythingARestartNeeds) {
  queue_state q;
  q.guild_id = 123456789012345678ull;
  lavalink::track t;
  t.encoded = "QAAA";
  t.info.identifier = "a";
  t.info.title = "A";
  t.info.source_name = "http";
  t.user_data["requester"] = "7";
  q.current = queue_entry{t, 7};
  q.position = 61000;
  q.paused = true;
  q.volume = 150;
  q.loop = loop_mode::queue;
  q.filters.timescale = lavalink::timescale_filter{1.1, 1.0, 1.0};
  q.entries.push_back({t, std::nullopt});
  q.voice_channel_id = 222;
  q.text_channel_id = 333;
  q.node = "eu-1";
  q.updated_at = 1700000000000;
  auto back = queue_state_from_json(to_json(q));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(*back, q);
  EXPECT_FALSE(queue_state_from_json(parse(R"({"v":2,"guildId":"1"})")));
  EXPECT_FALSE(queue_state_from_json(parse(R"({"v":1})")));
}

TEST(Validation, RefusesOutOfRangeValues) {
  guild_profile p;
  p.guild_id = 1;
  p.default_volume = 201;
  EXPECT_EQ(validate(p).error().code, storage_errc::invalid_argument);
  p.default_volume = 200;
  EXPECT_TRUE(validate(p));
  queue_state q;
  q.guild_id = 1;
  q.volume = 1001;
  EXPECT_FALSE(validate(q));
  q.volume = 100;
  q.entries.resize(max_queue_entries + 1);
  EXPECT_FALSE(validate(q));
  playlist pl;
  pl.name = "ok";
  pl.tracks.push_back(stored_track{});
  EXPECT_FALSE(validate(pl));  // a track without an encoded form
}

}  // namespace
}  // namespace vb::storage
