#include "vectobeat/lavalink/track.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(TrackJson, DocumentedSample) {
  const auto t = test::golden<track>(test::sample_track_json);
  EXPECT_EQ(t.encoded, test::sample_encoded);
  EXPECT_EQ(t.info.identifier, "dQw4w9WgXcQ");
  EXPECT_TRUE(t.info.is_seekable);
  EXPECT_EQ(t.info.author, "RickAstleyVEVO");
  EXPECT_EQ(t.info.length, 212000);
  EXPECT_FALSE(t.info.is_stream);
  EXPECT_EQ(t.info.position, 0);
  EXPECT_EQ(t.info.title, "Rick Astley - Never Gonna Give You Up");
  EXPECT_EQ(t.info.uri, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  EXPECT_EQ(t.info.artwork_url, std::nullopt);
  EXPECT_EQ(t.info.isrc, std::nullopt);
  EXPECT_EQ(t.info.source_name, "youtube");
  EXPECT_TRUE(t.plugin_info.empty());
  EXPECT_TRUE(t.user_data.empty());
}

TEST(TrackJson, StreamWithUserDataAndPluginInfo) {
  const auto t = test::golden<track>(R"({"encoded":"QAAAfw==","info":{"identifier":"https://example.com/stream.mp3",
    "isSeekable":false,"author":"Unknown artist","length":9223372036854775807,"isStream":true,"position":0,
    "title":"Unknown title","uri":"https://example.com/stream.mp3","artworkUrl":"https://example.com/a.jpg",
    "isrc":"USUM71703861","sourceName":"http"},"pluginInfo":{"albumName":"x"},
    "userData":{"requester":{"id":"123","name":"Ann"}}})");
  EXPECT_EQ(t.info.length, unknown_length);
  EXPECT_TRUE(t.info.is_stream);
  EXPECT_EQ(t.info.artwork_url, "https://example.com/a.jpg");
  EXPECT_EQ(t.info.isrc, "USUM71703861");
  EXPECT_EQ(t.plugin_info.at("albumName"), "x");
  EXPECT_EQ(t.user_data.at("requester").at("name"), "Ann");
}

TEST(TrackJson, PluginInfoAndUserDataAreAlwaysSerialised) {
  track t;
  const auto v = to_json(t);
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.at("pluginInfo"), boost::json::object());
  EXPECT_EQ(v.at("userData"), boost::json::object());
  EXPECT_TRUE(v.at("info").at("uri").is_null());
}

TEST(TrackJson, OlderNodesMayOmitOptionalFields) {
  // 4.0.0 omitted pluginInfo/userData; v3-era info had no artworkUrl/isrc.
  auto t = from_json<track>(test::must_parse(R"({"encoded":"QA==","info":{"identifier":"x","isSeekable":true,
    "author":"a","length":1,"isStream":false,"position":0,"title":"t","uri":null,"sourceName":"youtube"}})"));
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->info.artwork_url, std::nullopt);
  EXPECT_TRUE(t->user_data.empty());
}

TEST(TrackJson, TypeErrorsNameTheField) {
  EXPECT_EQ(test::decode_error<track>(R"({"encoded":1})"), "encoded must be a string");
  EXPECT_EQ(test::decode_error<track>(R"({"encoded":"x"})"), "info is missing");
  EXPECT_EQ(test::decode_error<track>(R"({"encoded":"x","info":[]})"), "info must be an object");
  EXPECT_EQ(test::decode_error<track>(R"({"encoded":"x","info":{"identifier":"x","isSeekable":true,"author":"a",
    "length":1.5,"isStream":false,"position":0,"title":"t","uri":null,"sourceName":"youtube"}})"),
            "info.length must be an integer");
  EXPECT_EQ(test::decode_error<track>(R"({"encoded":"x","info":{"identifier":"x","isSeekable":true,"author":"a",
    "length":1,"isStream":false,"position":0,"title":"t","uri":5,"sourceName":"youtube"}})"),
            "info.uri must be a string or null");
  EXPECT_EQ(test::decode_error<track>(R"([])"), "JSON value must be an object");
  EXPECT_EQ(test::decode_error<track_info>(R"({"identifier":"x","isSeekable":"yes"})"), "isSeekable must be a boolean");
}

TEST(TrackJson, ArraysOfTracks) {
  const auto arr = test::must_parse("[" + test::sample_track_json + "," + test::sample_track_json + "]");
  auto tracks = from_json_array<track>(arr);
  ASSERT_TRUE(tracks) << tracks.error();
  ASSERT_EQ(tracks->size(), 2u);
  EXPECT_EQ(to_json_array(*tracks), arr);
  auto bad = from_json_array<track>(test::must_parse(R"([{"encoded":"x"}])"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "[0]: info is missing");
}

}  // namespace
}  // namespace vb::lavalink
