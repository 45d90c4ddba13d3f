#include "vectobeat/node/source_manager.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <filesystem>
#include <fstream>
#include <future>

#include "audio/fixtures.hpp"
#include "common/net_fixture.hpp"
#include "lavalink_node/fake_spotify.hpp"
#include "lavalink_node/media_server.hpp"
#include "lavalink_node/test_media.hpp"
#include "vectobeat/lavalink/track_codec.hpp"

namespace vb::node {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using lavalink::load_type;

std::string bytes_of(const std::vector<std::uint8_t>& v) { return std::string(v.begin(), v.end()); }

std::string fixture_bytes(std::string_view name) { return bytes_of(audio::test::read_bytes(audio::test::fixture(name))); }

class SourceManagerTest : public vb::test::io_fixture {
 protected:
  SourceManagerTest() : io_fixture(2) {
    config_.allow_private_addresses = true;
    config_.sources = {"http", "local", "youtube", "soundcloud", "spotify"};
    config_.resolver_command = {VB_FAKE_RESOLVER, "--base", media_.url(""), "--log", log_file().string()};
    config_.spotify.client_id = "client";
    config_.spotify.client_secret = "s3cret";
    config_.spotify.api_base = spotify_.base();
    config_.spotify.accounts_base = spotify_.base();
    config_.http.probe_timeout = 5s;
  }
  ~SourceManagerTest() override {
    stop_io();
    std::filesystem::remove(log_file());
  }

  static std::filesystem::path log_file() {
    return std::filesystem::temp_directory_path() / ("vb_resolver_log_" + std::to_string(::getpid()));
  }

  source_manager& sources() {
    if (!sources_) sources_ = std::make_unique<source_manager>(ex(), loader_.get_executor(), config_);
    return *sources_;
  }

  lavalink::load_result load(std::string id) { return run(sources().load(std::move(id))); }

  expected<std::unique_ptr<track_media>, lavalink::exception_info> open(const lavalink::track& t, std::int64_t start = 0) {
    auto d = lavalink::decode_track(t.encoded, sources().registry());
    if (!d) throw std::runtime_error("undecodable track");
    return run(sources().open(*d, start, std::shared_ptr<open_cancel>{}));
  }

  // Decodes up to `frames` 20 ms frames; returns how many came out.
  static int decode_frames(track_media& m, int frames) {
    std::array<float, audio::frame_values> pcm{};
    int n = 0;
    for (; n < frames; ++n) {
      auto r = m.decoder.read_frame(pcm);
      if (!r || *r == audio::read_status::end_of_stream) break;
    }
    return n;
  }

  static const lavalink::track& the_track(const lavalink::load_result& r) {
    EXPECT_EQ(r.type(), load_type::track);
    return std::get<lavalink::track>(r.data);
  }
  static const lavalink::exception_info& the_error(const lavalink::load_result& r) {
    EXPECT_EQ(r.type(), load_type::error);
    return std::get<lavalink::exception_info>(r.data);
  }

  void require_ffmpeg() {
    if (!audio::test::ffmpeg_available()) GTEST_SKIP() << "ffmpeg CLI not installed";
  }

  test::media_server media_;
  test::fake_spotify spotify_{"client", "s3cret"};
  asio::thread_pool loader_{2};
  node_config config_;
  std::unique_ptr<source_manager> sources_;
};

struct format_case {
  const char* file;
  const char* content_type;
  const char* probe_info;
};

class HttpFormats : public SourceManagerTest, public ::testing::WithParamInterface<format_case> {};

TEST_P(HttpFormats, LoadsProbesAndPlays) {
  require_ffmpeg();
  const auto& c = GetParam();
  test::media_route route;
  route.content_type = c.content_type;
  route.body = fixture_bytes(c.file);
  media_.add("/media/" + std::string(c.file), route);
  const auto url = media_.url("/media/" + std::string(c.file));
  auto r = load(url);
  const auto& t = the_track(r);
  EXPECT_EQ(t.info.source_name, "http");
  EXPECT_EQ(t.info.identifier, url);
  EXPECT_EQ(t.info.uri, url);
  EXPECT_EQ(t.info.title, "VectoBeat Tone");
  EXPECT_EQ(t.info.author, "VB Test");
  EXPECT_FALSE(t.info.is_stream);
  EXPECT_TRUE(t.info.is_seekable);
  EXPECT_NEAR(static_cast<double>(t.info.length), 3000.0, 100.0);
  auto d = lavalink::decode_track(t.encoded, sources().registry());
  ASSERT_TRUE(d);
  EXPECT_EQ(lavalink::probe_info(*d), c.probe_info);
  auto m = open(t);
  ASSERT_TRUE(m) << m.error().message.value_or("");
  EXPECT_NEAR(decode_frames(**m, 500), 150, 2);  // 3 s (AAC adds a priming frame)
}

INSTANTIATE_TEST_SUITE_P(Containers, HttpFormats,
                         ::testing::Values(format_case{"tone.mp3", "audio/mpeg", "mp3"},
                                           format_case{"tone.ogg", "audio/ogg", "ogg"},
                                           format_case{"tone.opus", "audio/ogg", "ogg"},
                                           format_case{"tone.webm", "audio/webm", "matroska/webm"},
                                           format_case{"tone.flac", "audio/flac", "flac"},
                                           format_case{"tone.m4a", "audio/mp4", "mp4"},
                                           format_case{"tone.wav", "audio/wav", "wav"}),
                         [](const auto& info) {
                           std::string n = info.param.file;
                           return n.substr(n.find('.') + 1);
                         });

TEST_F(SourceManagerTest, SeeksWithRangeRequests) {
  require_ffmpeg();
  test::media_route route;
  route.content_type = "audio/wav";
  route.body = fixture_bytes("tone.wav");  // 517 KiB: more than the stream buffer holds
  media_.add("/seek.mp3", route);
  auto t = the_track(load(media_.url("/seek.mp3")));
  auto m = open(t, 2000);  // start at 2 s
  ASSERT_TRUE(m);
  EXPECT_NEAR(static_cast<double>((*m)->decoder.position().count()), 2000.0, 40.0);
  EXPECT_NEAR(decode_frames(**m, 500), 50, 3);
  bool ranged = false;
  for (auto& r : media_.ranges("/seek.mp3")) ranged = ranged || r.starts_with("bytes=");
  EXPECT_TRUE(ranged);
}

TEST_F(SourceManagerTest, HttpFailuresAreLoadErrors) {
  test::media_route garbage;
  garbage.body = std::string(64 * 1024, '\x5a');
  media_.add("/garbage.bin", garbage);
  auto e = the_error(load(media_.url("/garbage.bin")));
  EXPECT_EQ(e.message, "Unknown file format.");
  EXPECT_EQ(e.severity, lavalink::exception_severity::common);

  auto missing = the_error(load(media_.url("/missing.mp3")));
  EXPECT_THAT(missing.message.value_or(""), HasSubstr("HTTP 404"));
  EXPECT_EQ(missing.severity, lavalink::exception_severity::suspicious);

  auto refused = the_error(load("http://127.0.0.1:1/nothing-listens-here.mp3"));
  EXPECT_THAT(refused.message.value_or(""), HasSubstr("Connecting to the URL failed"));
}

// A probe stuck on a body that never comes (header, then nothing) ends as soon as its open is
// cancelled or the sources shut down, not after the probe timeout; later opens fail at once.
TEST_F(SourceManagerTest, CancellingEndsAnOpenOrALoadStuckWhileProbing) {
  config_.http.probe_timeout = 30s;
  config_.http.read_timeout = 30s;
  const auto wav = test::wav_tone(1000, 3);
  test::media_route route;
  route.content_type = "audio/wav";
  route.body.assign(wav.begin(), wav.end());
  media_.add("/stuck.wav", route);
  const lavalink::track t = the_track(load(media_.url("/stuck.wav")));
  route.stall_after_bytes = 0;
  media_.add("/stuck.wav", route);

  auto d = lavalink::decode_track(t.encoded, sources().registry());
  ASSERT_TRUE(d);
  auto cancel = std::make_shared<open_cancel>();
  auto opening = asio::co_spawn(ex(), sources().open(*d, 0, cancel), asio::use_future);
  ASSERT_TRUE(eventually([&] { return media_.requests("/stuck.wav") >= 2; }));
  auto t0 = std::chrono::steady_clock::now();
  cancel->cancel();
  ASSERT_EQ(opening.wait_for(10s), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  auto opened = opening.get();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message.value_or(""), "Cancelled");

  auto loading = asio::co_spawn(ex(), sources().load(media_.url("/stuck.wav")), asio::use_future);
  ASSERT_TRUE(eventually([&] { return media_.requests("/stuck.wav") >= 3; }));
  t0 = std::chrono::steady_clock::now();
  sources().shutdown();
  ASSERT_EQ(loading.wait_for(10s), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(loading.get().type(), load_type::error);

  const int requests = media_.requests("/stuck.wav");
  auto late = open(t);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message.value_or(""), "Cancelled");
  EXPECT_EQ(media_.requests("/stuck.wav"), requests);  // nothing was fetched for it
}

TEST_F(SourceManagerTest, PrivateAddressesAreRefusedUnlessAllowed) {
  config_.allow_private_addresses = false;
  test::media_route route;
  route.body = "x";
  media_.add("/private.mp3", route);
  auto e = the_error(load(media_.url("/private.mp3")));
  EXPECT_EQ(e.message, "The address of this URL is not allowed");
  EXPECT_EQ(media_.requests("/private.mp3"), 0);
  auto e6 = the_error(load("http://[::1]:9/x.mp3"));
  EXPECT_EQ(e6.message, "The address of this URL is not allowed");
}

TEST_F(SourceManagerTest, RedirectsAreFollowedUpToTheLimit) {
  require_ffmpeg();
  test::media_route audio;
  audio.content_type = "audio/mpeg";
  audio.body = fixture_bytes("tone.mp3");
  media_.add("/final.mp3", audio);
  for (int i = 0; i < 7; ++i) {
    test::media_route hop;
    hop.status = 302;
    hop.location = i == 6 ? "/final.mp3" : "/hop" + std::to_string(i + 1);
    media_.add("/hop" + std::to_string(i), hop);
  }
  EXPECT_EQ(load(media_.url("/hop5")).type(), load_type::track);  // 2 redirects
  auto e = the_error(load(media_.url("/hop0")));  // 7 redirects > 5
  EXPECT_THAT(e.message.value_or(""), HasSubstr("HTTP 302"));
  EXPECT_EQ(media_.requests("/hop5"), 2);  // the long chain stopped after five hops
}

TEST_F(SourceManagerTest, IcecastStreamIsALiveTrackWithItsIcyTitle) {
  require_ffmpeg();
  test::media_route radio;
  radio.content_type = "audio/mpeg";
  radio.body = fixture_bytes("tone.mp3");
  radio.endless = true;
  radio.accept_ranges = false;
  radio.send_length = false;
  radio.icy_metaint = 8192;
  radio.icy_title = "Artist - Live Title";
  radio.icy_name = "Test Radio";
  radio.bytes_per_second = 64 * 1024;
  media_.add("/radio", radio);
  auto t = the_track(load(media_.url("/radio")));
  EXPECT_TRUE(t.info.is_stream);
  EXPECT_FALSE(t.info.is_seekable);
  EXPECT_EQ(t.info.length, lavalink::unknown_length);
  EXPECT_EQ(t.info.title, "VectoBeat Tone");  // tags win over ICY metadata...
  radio.body = fixture_bytes("tone.aac");  // ...an untagged stream takes the StreamTitle
  radio.content_type = "audio/aac";
  media_.add("/radio2", radio);
  auto t2 = the_track(load(media_.url("/radio2")));
  EXPECT_EQ(t2.info.title, "Artist - Live Title");
  EXPECT_TRUE(t2.info.is_stream);
  auto m = open(t2);
  ASSERT_TRUE(m);
  EXPECT_EQ(decode_frames(**m, 100), 100);  // it keeps going: a stream has no end
}

TEST_F(SourceManagerTest, M3uAndPlsPlaylists) {
  require_ffmpeg();
  test::media_route audio;
  audio.content_type = "audio/mpeg";
  audio.body = fixture_bytes("tone.mp3");
  media_.add("/a.mp3", audio);
  test::media_route single;
  single.content_type = "audio/x-mpegurl";
  single.body = "#EXTM3U\n#EXTINF:-1,Station\na.mp3\n";
  media_.add("/radio.m3u", single);
  auto t = the_track(load(media_.url("/radio.m3u")));  // one entry: followed, like lavaplayer
  EXPECT_EQ(t.info.uri, media_.url("/a.mp3"));
  EXPECT_EQ(t.info.title, "VectoBeat Tone");

  test::media_route pls;
  pls.content_type = "audio/x-scpls";
  pls.body = "[playlist]\nFile1=a.mp3\nTitle1=First\nLength1=3\nFile2=http://127.0.0.1:1/b.ogg\nTitle2=Second\n";
  media_.add("/list.pls", pls);
  auto r = load(media_.url("/list.pls"));
  ASSERT_EQ(r.type(), load_type::playlist);
  const auto& pl = std::get<lavalink::playlist>(r.data);
  EXPECT_EQ(pl.info.name, "list.pls");
  EXPECT_EQ(pl.info.selected_track, -1);
  ASSERT_EQ(pl.tracks.size(), 2u);
  EXPECT_EQ(pl.tracks[0].info.title, "First");
  EXPECT_EQ(pl.tracks[0].info.length, 3000);
  EXPECT_TRUE(pl.tracks[1].info.is_stream);
  // Playing the playlist URL itself plays its first entry.
  auto m = open(pl.tracks[0]);
  ASSERT_TRUE(m);
  EXPECT_EQ(decode_frames(**m, 10), 10);

  test::media_route empty_list;
  empty_list.content_type = "audio/x-mpegurl";
  empty_list.body = "#EXTM3U\n# nothing here\n";
  media_.add("/empty.m3u", empty_list);
  EXPECT_EQ(the_error(load(media_.url("/empty.m3u"))).message, "The playlist has no playable entries");
}

TEST_F(SourceManagerTest, HlsVideoOnDemandAndLive) {
  require_ffmpeg();
  test::media_route seg;
  seg.content_type = "audio/aac";
  seg.body = fixture_bytes("tone.aac");
  media_.add("/hls/s1.aac", seg);
  media_.add("/hls/s2.aac", seg);
  test::media_route vod;
  vod.content_type = "application/vnd.apple.mpegurl";
  vod.body = "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\ns1.aac\n#EXTINF:3.0,\ns2.aac\n#EXT-X-ENDLIST\n";
  media_.add("/hls/vod.m3u8", vod);
  auto t = the_track(load(media_.url("/hls/vod.m3u8")));
  EXPECT_FALSE(t.info.is_stream);
  EXPECT_EQ(t.info.length, 6000);
  auto m = open(t);
  ASSERT_TRUE(m) << m.error().message.value_or("");
  EXPECT_NEAR(decode_frames(**m, 1000), 300, 10);  // both segments, back to back

  test::media_route live = vod;
  live.body = "#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:3.0,\ns1.aac\n";
  media_.add("/hls/live.m3u8", live);
  auto lt = the_track(load(media_.url("/hls/live.m3u8")));
  EXPECT_TRUE(lt.info.is_stream);
  EXPECT_EQ(lt.info.length, lavalink::unknown_length);

  test::media_route enc = vod;
  enc.body = "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:3.0,\ns1.aac\n#EXT-X-ENDLIST\n";
  media_.add("/hls/enc.m3u8", enc);
  EXPECT_EQ(the_error(load(media_.url("/hls/enc.m3u8"))).message, "Encrypted HLS is not supported");
}

TEST_F(SourceManagerTest, LocalFilesOnlyInsideTheRoots) {
  require_ffmpeg();
  const auto root = std::filesystem::temp_directory_path() / ("vb_local_root_" + std::to_string(::getpid()));
  const auto outside = std::filesystem::temp_directory_path() / ("vb_local_out_" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "music");
  std::filesystem::create_directories(outside);
  std::filesystem::copy_file(audio::test::fixture("tone.flac"), root / "music" / "tone.flac",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(audio::test::fixture("tone.flac"), outside / "secret.flac",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(root / "escape.flac");
  std::filesystem::create_symlink(outside / "secret.flac", root / "escape.flac");
  config_.local_roots = {root};

  auto t = the_track(load((root / "music" / "tone.flac").string()));
  EXPECT_EQ(t.info.source_name, "local");
  EXPECT_EQ(t.info.title, "VectoBeat Tone");
  auto m = open(t);
  ASSERT_TRUE(m);
  EXPECT_EQ(decode_frames(**m, 500), 150);
  EXPECT_EQ(load("file://" + (root / "music" / "tone.flac").string()).type(), load_type::track);

  EXPECT_EQ(the_error(load((outside / "secret.flac").string())).message, "The file is outside the allowed directories");
  EXPECT_EQ(the_error(load((root / "escape.flac").string())).message, "The file is outside the allowed directories");
  EXPECT_EQ(the_error(load((root / "music" / ".." / ".." / outside.filename() / "secret.flac").string())).message,
            "The file is outside the allowed directories");
  EXPECT_EQ(the_error(load((root / "nope.mp3").string())).message, "The file does not exist");
  std::filesystem::remove_all(root);
  std::filesystem::remove_all(outside);
}

TEST_F(SourceManagerTest, ResolverSearchesVideosAndPlaylists) {
  auto r = load("ytsearch:never gonna");
  ASSERT_EQ(r.type(), load_type::search);
  const auto& found = std::get<lavalink::search_result>(r.data).tracks;
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].info.source_name, "youtube");
  EXPECT_EQ(found[0].info.identifier, "vid0");
  EXPECT_EQ(found[0].info.title, "never gonna 0");
  EXPECT_EQ(found[0].info.author, "Channel");
  EXPECT_EQ(found[0].info.length, 3000);
  EXPECT_EQ(found[0].info.uri, "https://www.youtube.com/watch?v=vid0");
  EXPECT_EQ(found[0].info.artwork_url, "https://i.ytimg.com/vi/vid0/maxresdefault.jpg");

  auto sc = load("scsearch:lofi");
  ASSERT_EQ(sc.type(), load_type::search);
  EXPECT_EQ(std::get<lavalink::search_result>(sc.data).tracks.at(0).info.source_name, "soundcloud");
  auto none = load("ytmsearch:nothing");
  ASSERT_EQ(none.type(), load_type::search);
  EXPECT_TRUE(std::get<lavalink::search_result>(none.data).tracks.empty());

  auto v = the_track(load("https://www.youtube.com/watch?v=abc123"));
  EXPECT_EQ(v.info.identifier, "abc123");
  EXPECT_EQ(v.info.title, "Video abc123");
  EXPECT_EQ(v.info.author, "Uploader abc123");
  EXPECT_EQ(v.info.artwork_url, "https://img.example/abc123.jpg");
  EXPECT_EQ(the_track(load("https://youtu.be/xyz")).info.identifier, "xyz");
  EXPECT_EQ(the_track(load("https://soundcloud.com/artist/some-track")).info.source_name, "soundcloud");

  auto pl = load("https://www.youtube.com/playlist?list=PL1");
  ASSERT_EQ(pl.type(), load_type::playlist);
  EXPECT_EQ(std::get<lavalink::playlist>(pl.data).info.name, "Fake Playlist");
  EXPECT_EQ(std::get<lavalink::playlist>(pl.data).tracks.size(), 2u);
}

TEST_F(SourceManagerTest, ResolverFailuresAreClearErrors) {
  auto e = the_error(load("https://www.youtube.com/watch?v=unavailable"));
  EXPECT_EQ(e.message, "[youtube] unavailable: Video unavailable");
  EXPECT_EQ(the_error(load("https://www.youtube.com/watch?v=garbage")).message, "The resolver printed invalid JSON");
  config_.resolver_timeout = 300ms;
  sources_.reset();
  EXPECT_EQ(the_error(load("https://www.youtube.com/watch?v=slow")).message, "The resolver took too long");
  config_.resolver_command.clear();
  sources_.reset();
  auto missing = the_error(load("ytsearch:anything"));
  EXPECT_EQ(missing.message, "No resolver command is configured for this source");
  EXPECT_EQ(missing.severity, lavalink::exception_severity::common);
  config_.sources.erase("youtube");
  sources_.reset();
  EXPECT_EQ(load("ytsearch:anything").type(), load_type::empty);  // a disabled source's prefix matches nothing
}

TEST_F(SourceManagerTest, TheIdentifierIsOneArgumentNeverAShellWord) {
  load("ytsearch:a b; touch /tmp/vb_pwned $(id)");
  std::ifstream f(log_file());
  std::string line;
  bool found = false;
  while (std::getline(f, line)) found = found || line == "ytsearch10:a b; touch /tmp/vb_pwned $(id)";
  EXPECT_TRUE(found);
  EXPECT_FALSE(std::filesystem::exists("/tmp/vb_pwned"));
}

TEST_F(SourceManagerTest, ResolverTracksPlayThroughTheUrlItGives) {
  require_ffmpeg();
  test::media_route audio;
  audio.content_type = "audio/webm";
  audio.body = fixture_bytes("tone.webm");
  media_.add("/yt/abc123", audio);
  auto t = the_track(load("https://www.youtube.com/watch?v=abc123"));
  auto m = open(t, 1000);
  ASSERT_TRUE(m) << m.error().message.value_or("");
  EXPECT_TRUE((*m)->decoder.opus_passthrough_available());
  EXPECT_NEAR(decode_frames(**m, 500), 100, 3);
  auto un = open(the_track(load("https://www.youtube.com/watch?v=abc123")));
  ASSERT_TRUE(un);
}

TEST_F(SourceManagerTest, SpotifyMetadataAndTheMirror) {
  auto t = the_track(load("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=abc"));
  EXPECT_EQ(t.info.source_name, "spotify");
  EXPECT_EQ(t.info.identifier, "4uLU6hMCjMI75M1A2tKUQC");
  EXPECT_EQ(t.info.title, "Never Gonna Give You Up");
  EXPECT_EQ(t.info.author, "Rick Astley");
  EXPECT_EQ(t.info.length, 213573);
  EXPECT_EQ(t.info.isrc, "GBARL9300135");
  EXPECT_EQ(t.info.artwork_url, "https://i.scdn.co/image/album.jpg");
  auto d = lavalink::decode_track(t.encoded, sources().registry());
  ASSERT_TRUE(d);
  ASSERT_EQ(d->details.size(), 6u);
  EXPECT_EQ(std::get<std::optional<std::string>>(d->details[0]), "Whenever You Need Somebody");
  EXPECT_EQ(load("spotify:track:4uLU6hMCjMI75M1A2tKUQC").type(), load_type::track);

  auto album = load("https://open.spotify.com/album/alb1");
  ASSERT_EQ(album.type(), load_type::playlist);
  const auto& apl = std::get<lavalink::playlist>(album.data);
  EXPECT_EQ(apl.info.name, "Test Album");
  ASSERT_EQ(apl.tracks.size(), 3u);  // two pages
  EXPECT_EQ(apl.tracks[2].info.title, "Album Track 3");
  EXPECT_EQ(apl.tracks[0].info.artwork_url, "https://i.scdn.co/image/album.jpg");

  auto pl = load("https://open.spotify.com/intl-de/playlist/pl1");
  ASSERT_EQ(pl.type(), load_type::playlist);
  EXPECT_EQ(std::get<lavalink::playlist>(pl.data).tracks.size(), 1u);  // the local file is skipped

  auto s = load("spsearch:never gonna");
  ASSERT_EQ(s.type(), load_type::search);
  EXPECT_EQ(std::get<lavalink::search_result>(s.data).tracks.size(), 1u);
  EXPECT_EQ(load("https://open.spotify.com/track/doesnotexist").type(), load_type::empty);
  EXPECT_EQ(spotify_.token_requests(), 1);  // the token is cached

  require_ffmpeg();
  test::media_route audio;
  audio.content_type = "audio/mpeg";
  audio.body = fixture_bytes("tone.mp3");
  media_.add("/yt/vid0", audio);
  auto m = open(t);
  ASSERT_TRUE(m) << m.error().message.value_or("");
  EXPECT_EQ(decode_frames(**m, 10), 10);
  std::ifstream f(log_file());
  std::string line;
  bool isrc_search = false;
  while (std::getline(f, line)) isrc_search = isrc_search || line == "ytsearch1:\"GBARL9300135\"";
  EXPECT_TRUE(isrc_search);
}

TEST_F(SourceManagerTest, SpotifyWithoutOrWithWrongCredentials) {
  config_.spotify.client_secret.clear();
  auto e = the_error(load("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"));
  EXPECT_EQ(e.message, "Spotify credentials are not configured");
  config_.spotify.client_secret = "wrong";
  sources_.reset();
  EXPECT_EQ(the_error(load("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")).message, "Spotify refused the credentials");
}

TEST_F(SourceManagerTest, UnknownIdentifiersAreEmpty) {
  EXPECT_EQ(load("just some words").type(), load_type::empty);
  EXPECT_EQ(load("   ").type(), load_type::empty);
  config_.sources = {"youtube"};
  sources_.reset();
  EXPECT_EQ(load(media_.url("/a.mp3")).type(), load_type::empty);  // http disabled
  EXPECT_EQ(sources().enabled_sources(), std::vector<std::string>{"youtube"});
}

}  // namespace
}  // namespace vb::node
