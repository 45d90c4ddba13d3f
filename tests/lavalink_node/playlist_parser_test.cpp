#include "vectobeat/node/playlist_parser.hpp"

#include <gtest/gtest.h>

namespace vb::node {
namespace {

TEST(PlaylistParser, DetectsByContentTypeExtensionAndContent) {
  EXPECT_EQ(detect_playlist("application/vnd.apple.mpegurl", "http://x/a", ""), playlist_kind::hls);
  EXPECT_EQ(detect_playlist("audio/x-mpegurl; charset=utf-8", "http://x/a", "#EXTM3U\nhttp://x/s.mp3\n"), playlist_kind::m3u);
  EXPECT_EQ(detect_playlist("audio/x-mpegurl", "http://x/a", "#EXTM3U\n#EXT-X-TARGETDURATION:6\n"), playlist_kind::hls);
  EXPECT_EQ(detect_playlist("audio/x-scpls", "http://x/a", ""), playlist_kind::pls);
  EXPECT_EQ(detect_playlist("", "http://x/radio.PLS?x=1", ""), playlist_kind::pls);
  EXPECT_EQ(detect_playlist("", "http://x/live.m3u8", ""), playlist_kind::hls);
  EXPECT_EQ(detect_playlist("text/plain", "http://x/a", "\xEF\xBB\xBF[playlist]\nFile1=x"), playlist_kind::pls);
  EXPECT_EQ(detect_playlist("audio/mpeg", "http://x/a.mp3", "ID3"), std::nullopt);
}

TEST(PlaylistParser, ExtendedM3uWithRelativeUrlsTitlesAndLengths) {
  const auto entries = parse_m3u(
      "#EXTM3U\r\n#EXTINF:123,Artist - Song\r\nsong.mp3\r\n\r\n# comment\r\n#EXTINF:-1,Radio\r\n"
      "https://radio.example/live\r\nnot a url at all\r\nftp://x/y\r\n",
      "http://host/dir/list.m3u", 10);
  ASSERT_EQ(entries.size(), 2u);  // the line with spaces is no URL, ftp is not playable
  EXPECT_EQ(entries[0].url, "http://host/dir/song.mp3");
  EXPECT_EQ(entries[0].title, "Artist - Song");
  EXPECT_EQ(entries[0].length_ms, 123000);
  EXPECT_EQ(entries[1].url, "https://radio.example/live");
  EXPECT_EQ(entries[1].title, "Radio");
  EXPECT_EQ(entries[1].length_ms, std::nullopt);
  EXPECT_EQ(parse_m3u("a.mp3\nb.mp3\nc.mp3\n", "http://h/", 2).size(), 2u);
}

TEST(PlaylistParser, PlsInNumberOrder) {
  const auto entries = parse_pls(
      "[playlist]\nNumberOfEntries=2\nFile2=http://b/2\nTitle2=Second\nFile1=http://a/1\nTitle1=First\nLength1=60\n"
      "Length2=-1\nVersion=2\n",
      "http://h/x.pls", 10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].url, "http://a/1");
  EXPECT_EQ(entries[0].title, "First");
  EXPECT_EQ(entries[0].length_ms, 60000);
  EXPECT_EQ(entries[1].title, "Second");
  EXPECT_EQ(entries[1].length_ms, std::nullopt);
}

TEST(PlaylistParser, HlsMasterPicksAudioOnlyVariant) {
  auto pl = parse_hls(
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401e,mp4a.40.2\"\nvideo.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.5\"\nlow.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.2\"\nhigh.m3u8\n",
      "https://cdn/x/master.m3u8");
  ASSERT_TRUE(pl);
  EXPECT_TRUE(pl->master);
  ASSERT_EQ(pl->variants.size(), 3u);
  const auto* v = pick_variant(*pl);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->url, "https://cdn/x/high.m3u8");

  auto video_only = parse_hls("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900\nb.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=300\na.m3u8\n",
                              "https://cdn/m.m3u8");
  EXPECT_EQ(pick_variant(*video_only)->url, "https://cdn/a.m3u8");
}

TEST(PlaylistParser, HlsMediaPlaylist) {
  auto pl = parse_hls(
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:7\n"
      "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.0,\nseg7.ts\n#EXTINF:3.5,\nseg8.ts\n#EXT-X-ENDLIST\n",
      "http://h/a/b.m3u8");
  ASSERT_TRUE(pl);
  EXPECT_FALSE(pl->master);
  EXPECT_TRUE(pl->ended);
  EXPECT_FALSE(pl->encrypted);
  EXPECT_EQ(pl->target_duration_s, 4.0);
  ASSERT_EQ(pl->segments.size(), 2u);
  EXPECT_EQ(pl->segments[0].url, "http://h/a/seg7.ts");
  EXPECT_EQ(pl->segments[0].sequence, 7);
  EXPECT_EQ(pl->segments[1].sequence, 8);
  EXPECT_EQ(pl->total_ms(), 7500);
  EXPECT_EQ(pl->map_url, "http://h/a/init.mp4");

  auto enc = parse_hls("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:4,\ns.ts\n", "http://h/x.m3u8");
  EXPECT_TRUE(enc->encrypted);
  auto clear = parse_hls("#EXTM3U\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:4,\ns.ts\n", "http://h/x.m3u8");
  EXPECT_FALSE(clear->encrypted);
  EXPECT_FALSE(parse_hls("not a playlist", "http://h/x.m3u8"));
}

TEST(PlaylistParser, ResolveUrl) {
  EXPECT_EQ(resolve_url("http://h/a/b.m3u", "../c.mp3"), "http://h/c.mp3");
  EXPECT_EQ(resolve_url("http://h/a/b.m3u", "//other/x"), "http://other/x");
  EXPECT_EQ(resolve_url("http://h/a/b.m3u", "https://z/y#frag"), "https://z/y");
  EXPECT_EQ(resolve_url("not a url", "x"), std::nullopt);
}

}  // namespace
}  // namespace vb::node
