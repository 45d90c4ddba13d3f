#include "vectobeat/lavalink/load_result.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

const std::string& t() { return test::sample_track_json; }

TEST(LoadResultJson, Track) {
  const auto r = test::golden<load_result>(R"({"loadType":"track","data":)" + t() + "}");
  ASSERT_EQ(r.type(), load_type::track);
  EXPECT_EQ(std::get<track>(r.data).info.identifier, "dQw4w9WgXcQ");
}

TEST(LoadResultJson, Playlist) {
  const auto r = test::golden<load_result>(R"({"loadType":"playlist","data":{"info":{"name":"My list","selectedTrack":-1},
    "pluginInfo":{},"tracks":[)" + t() + "," + t() + "]}}");
  ASSERT_EQ(r.type(), load_type::playlist);
  const auto& p = std::get<playlist>(r.data);
  EXPECT_EQ(p.info.name, "My list");
  EXPECT_EQ(p.info.selected_track, -1);
  EXPECT_EQ(p.tracks.size(), 2u);
}

TEST(LoadResultJson, Search) {
  const auto r = test::golden<load_result>(R"({"loadType":"search","data":[)" + t() + "]}");
  ASSERT_EQ(r.type(), load_type::search);
  EXPECT_EQ(std::get<search_result>(r.data).tracks.size(), 1u);
  const auto empty = test::golden<load_result>(R"({"loadType":"search","data":[]})");
  EXPECT_TRUE(std::get<search_result>(empty.data).tracks.empty());
}

TEST(LoadResultJson, EmptyEmitsObjectAndAcceptsNull) {
  test::golden<load_result>(R"({"loadType":"empty","data":{}})");
  for (const char* text : {R"({"loadType":"empty","data":null})", R"({"loadType":"empty"})"}) {
    auto r = from_json<load_result>(test::must_parse(text));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->type(), load_type::empty);
  }
  EXPECT_EQ(to_json(load_result{}), test::must_parse(R"({"loadType":"empty","data":{}})"));
}

TEST(LoadResultJson, Error) {
  const auto r = test::golden<load_result>(R"({"loadType":"error","data":{"message":"Something went wrong",
    "severity":"fault","cause":"java.lang.Exception: Something went wrong","causeStackTrace":"..."}})");
  ASSERT_EQ(r.type(), load_type::error);
  EXPECT_EQ(std::get<exception_info>(r.data).severity, exception_severity::fault);
}

TEST(LoadResultJson, V3LoadTypesAreRejected) {
  for (const char* type : {"TRACK_LOADED", "PLAYLIST_LOADED", "SEARCH_RESULT", "NO_MATCHES", "LOAD_FAILED"}) {
    EXPECT_EQ(test::decode_error<load_result>(std::string(R"({"loadType":")") + type + R"(","data":{}})"),
              "loadType must be one of track, playlist, search, empty, error");
  }
}

TEST(LoadResultJson, NestedErrorsHaveAPath) {
  EXPECT_EQ(test::decode_error<load_result>(R"({"loadType":"search","data":[{"encoded":"x","info":{}}]})"),
            "data[0].info.identifier is missing");
  EXPECT_EQ(test::decode_error<load_result>(R"({"loadType":"playlist","data":{"info":{"name":"x","selectedTrack":"0"},
    "tracks":[]}})"), "data.info.selectedTrack must be a 32-bit integer");
  EXPECT_EQ(test::decode_error<load_result>(R"({"loadType":"search","data":[1]})"), "data[0] must be an object");
  EXPECT_EQ(test::decode_error<load_result>(R"({"loadType":"empty","data":[]})"), "data must be an object or null");
}

TEST(PlaylistInfoJson, Golden) {
  const auto p = test::golden<playlist_info>(R"({"name":"Mix","selectedTrack":3})");
  EXPECT_EQ(p.selected_track, 3);
}

}  // namespace
}  // namespace vb::lavalink
