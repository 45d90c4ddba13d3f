#include "vectobeat/lavalink/track_codec.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "lavalink_protocol/golden.hpp"
#include "vectobeat/common/base64.hpp"

namespace vb::lavalink {
namespace {

using namespace std::string_literals;

// lavalink-v4.md §8.4.
constexpr std::string_view v3_plain =
    "QAAAjwMAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0"
    "dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAAAAHeW91dHViZQAAAAAAAAAA";
constexpr std::string_view v3_artwork =
    "QAAAxQMAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0"
    "dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EBADRodHRwczovL2kueXRpbWcuY29tL3ZpL2RRdzR3OVdnWGNRL21heHJlc2Rl"
    "ZmF1bHQuanBnAAAHeW91dHViZQAAAAAAAAAA";
constexpr std::string_view v3_http_stream =
    "QAAAfwMADVVua25vd24gdGl0bGUADlVua25vd24gYXJ0aXN0f/////////8AHmh0dHBzOi8vZXhhbXBsZS5jb20vc3RyZWFtLm1wMwEBAB5odHRwczov"
    "L2V4YW1wbGUuY29tL3N0cmVhbS5tcDMAAAAEaHR0cAADbXAzAAAAAAAAAAA=";

std::string blob_of(std::string_view base64) { return vb::base64_decode(base64).value(); }

// Rewrites the 30-bit body size in a blob's header.
std::string with_body_size(std::string blob, std::uint32_t size) {
  const std::uint32_t header = (static_cast<std::uint32_t>(static_cast<unsigned char>(blob[0])) >> 6 << 30) | size;
  for (int k = 0; k < 4; ++k) blob[k] = static_cast<char>((header >> (24 - 8 * k)) & 0xFF);
  return blob;
}

TEST(TrackCodec, DecodesTheDocumentedSample) {
  const auto blob = blob_of(test::sample_encoded);
  EXPECT_EQ(blob.size(), 145u);
  auto t = decode_track(test::sample_encoded);
  ASSERT_TRUE(t) << to_string(t.error());
  EXPECT_EQ(t->version, 2);
  EXPECT_EQ(t->info.title, "Rick Astley - Never Gonna Give You Up");
  EXPECT_EQ(t->info.author, "RickAstleyVEVO");
  EXPECT_EQ(t->info.length, 212000);
  EXPECT_EQ(t->info.identifier, "dQw4w9WgXcQ");
  EXPECT_FALSE(t->info.is_stream);
  EXPECT_TRUE(t->info.is_seekable);
  EXPECT_EQ(t->info.uri, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  EXPECT_EQ(t->info.artwork_url, std::nullopt);
  EXPECT_EQ(t->info.isrc, std::nullopt);
  EXPECT_EQ(t->info.source_name, "youtube");
  EXPECT_EQ(t->info.position, 0);
  EXPECT_TRUE(t->details.empty());
  EXPECT_EQ(probe_info(*t), std::nullopt);
}

TEST(TrackCodec, ReencodesTheSampleByteForByte) {
  auto t = decode_track(test::sample_encoded);
  ASSERT_TRUE(t);
  EXPECT_EQ(encode_track(*t).value(), test::sample_encoded);
  EXPECT_EQ(encode_track_blob(*t).value(), blob_of(test::sample_encoded));
}

TEST(TrackCodec, SampleDecodesToTheDocumentedTrackJson) {
  auto t = decode_track(test::sample_encoded);
  ASSERT_TRUE(t);
  EXPECT_EQ(to_json(make_track(*t, std::string(test::sample_encoded))), test::must_parse(test::sample_track_json));
}

TEST(TrackCodec, SampleUpgradedToVersion3MatchesTheVectors) {
  auto t = decode_track(test::sample_encoded).value();
  t.version = 3;
  EXPECT_EQ(encode_track(t).value(), v3_plain);
  t.info.artwork_url = "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg";
  EXPECT_EQ(encode_track(t).value(), v3_artwork);
}

TEST(TrackCodec, RoundTripsTheDocumentedVectors) {
  for (auto text : {v3_plain, v3_artwork, v3_http_stream}) {
    auto t = decode_track(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(t->version, 3);
    EXPECT_EQ(encode_track(*t).value(), text);
  }
  EXPECT_EQ(blob_of(v3_plain).size(), 4u + 143u);
  EXPECT_EQ(blob_of(v3_artwork).size(), 4u + 197u);
  EXPECT_EQ(blob_of(v3_http_stream).size(), 4u + 127u);
}

TEST(TrackCodec, DecodesTheHttpStreamVector) {
  auto t = decode_track(v3_http_stream).value();
  EXPECT_EQ(t.info.title, "Unknown title");
  EXPECT_EQ(t.info.author, "Unknown artist");
  EXPECT_EQ(t.info.length, unknown_length);
  EXPECT_EQ(t.info.identifier, "https://example.com/stream.mp3");
  EXPECT_EQ(t.info.uri, "https://example.com/stream.mp3");
  EXPECT_TRUE(t.info.is_stream);
  EXPECT_FALSE(t.info.is_seekable);
  EXPECT_EQ(t.info.source_name, "http");
  EXPECT_EQ(probe_info(t), "mp3");
  EXPECT_EQ(t.info.position, 0);
}

TEST(TrackCodec, VersionOneIsTheUnversionedForm) {
  decoded_track t;
  t.version = 1;
  t.info = {"id", true, "author", 1000, false, 5, "title", std::nullopt, std::nullopt, std::nullopt, "soundcloud"};
  const auto blob = encode_track_blob(t).value();
  EXPECT_EQ(static_cast<unsigned char>(blob[0]) >> 6, 0);  // no TRACK_INFO_VERSIONED flag
  EXPECT_EQ(blob[4], '\0');                                // the title's length, not a version byte
  auto back = decode_track_blob(blob);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, t);
}

TEST(TrackCodec, VersionedBlobWithVersionOneDecodes) {
  // Flag set and version byte 1 (no uri field).
  auto v1 = encode_track_blob(decoded_track{1, {"id", true, "a", 1, false, 0, "t", {}, {}, {}, "youtube"}, {}}).value();
  std::string versioned = v1.substr(0, 4) + '\x01' + v1.substr(4);
  versioned = with_body_size(versioned, static_cast<std::uint32_t>(versioned.size() - 4));
  versioned[0] = static_cast<char>(versioned[0] | 0x40);
  auto t = decode_track_blob(versioned);
  ASSERT_TRUE(t) << to_string(t.error());
  EXPECT_EQ(t->version, 1);
  EXPECT_EQ(t->info.title, "t");
}

TEST(TrackCodec, SkipsTrailingBodyBytesAndIgnoresBytesAfterTheMessage) {
  const auto blob = blob_of(v3_http_stream);
  const auto expected_track = decode_track_blob(blob).value();
  std::string longer = with_body_size(blob + "\x01\x02\x03", static_cast<std::uint32_t>(blob.size() - 4 + 3));
  EXPECT_EQ(decode_track_blob(longer).value(), expected_track);
  EXPECT_EQ(decode_track_blob(blob + "garbage").value(), expected_track);
}

TEST(TrackCodec, TruncationAtEveryOffsetIsATypedError) {
  for (auto text : {test::sample_encoded, v3_plain, v3_artwork, v3_http_stream}) {
    const auto blob = blob_of(text);
    for (std::size_t n = 0; n < blob.size(); ++n) {
      auto r = decode_track_blob(std::string_view(blob).substr(0, n));
      ASSERT_FALSE(r) << n;
      EXPECT_EQ(r.error(), track_codec_error::truncated) << n;
    }
    // The body size itself cut short: every field must stay inside the body.
    for (std::uint32_t k = 1; k < blob.size() - 4; ++k) {
      auto r = decode_track_blob(with_body_size(blob.substr(0, 4 + k), k));
      ASSERT_FALSE(r) << k;
      EXPECT_EQ(r.error(), track_codec_error::truncated) << k;
    }
    EXPECT_EQ(decode_track_blob(with_body_size(blob.substr(0, 4), 0)).error(), track_codec_error::empty_message);
  }
}

TEST(TrackCodec, RejectsOversizedInput) {
  EXPECT_EQ(decode_track_blob(std::string(max_track_blob_bytes + 1, '\0')).error(), track_codec_error::too_large);
  EXPECT_EQ(decode_track(std::string((max_track_blob_bytes / 3 + 2) * 4, 'A')).error(), track_codec_error::too_large);
  // A header claiming a huge body is simply truncated input.
  EXPECT_EQ(decode_track_blob("\x7f\xff\xff\xff\x03"s).error(), track_codec_error::truncated);
  decoded_track t;
  t.info.source_name = "youtube";
  t.info.title = std::string(65535, 'x');
  t.info.author = std::string(65535, 'y');
  EXPECT_EQ(encode_track(t).error(), track_codec_error::too_large);
}

TEST(TrackCodec, RejectsNonBase64) {
  for (std::string_view text : {"not base64!", "QAAAjQ@=", "Q", "QA=A", "====", "QAAAjQ==QAAA"}) {
    auto r = decode_track(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error(), track_codec_error::not_base64) << text;
  }
  EXPECT_EQ(decode_track("").error(), track_codec_error::truncated);
}

TEST(TrackCodec, ToleratesMissingPadding) {
  std::string text(test::sample_encoded);
  while (text.back() == '=') text.pop_back();
  EXPECT_EQ(decode_track(text).value(), decode_track(test::sample_encoded).value());
}

TEST(TrackCodec, RejectsUnsupportedVersions) {
  auto blob = blob_of(v3_plain);
  for (char v : {'\x00', '\x04', '\xff'}) {
    blob[4] = v;
    EXPECT_EQ(decode_track_blob(blob).error(), track_codec_error::unsupported_version);
  }
  decoded_track t;
  t.info.source_name = "youtube";
  t.version = 4;
  EXPECT_EQ(encode_track(t).error(), track_codec_error::unsupported_version);
  t.version = 0;
  EXPECT_EQ(encode_track(t).error(), track_codec_error::unsupported_version);
}

TEST(TrackCodec, UnknownSourcesFailCleanlyAndCanBeRegistered) {
  // A LavaSrc-style source: album name/url, artist url/artwork, preview url, isPreview.
  auto registry = source_registry::with_builtin_sources();
  registry.add({"spotify",
                {detail_kind::nullable_utf, detail_kind::nullable_utf, detail_kind::nullable_utf,
                 detail_kind::nullable_utf, detail_kind::nullable_utf, detail_kind::boolean}});
  decoded_track t;
  t.info = {"4uLU6hMCjMI75M1A2tKUQC", true, "Rick Astley", 213573, false, 0, "Never Gonna Give You Up",
            "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", std::nullopt, "GBARL9300135", "spotify"};
  t.details = {source_detail(std::in_place_index<1>, "Whenever You Need Somebody"s),
               source_detail(std::in_place_index<1>, std::nullopt),
               source_detail(std::in_place_index<1>, "https://open.spotify.com/artist/0gxyHStUsqpMadRV0Di1Qt"s),
               source_detail(std::in_place_index<1>, std::nullopt),
               source_detail(std::in_place_index<1>, std::nullopt),
               source_detail(false)};
  auto text = encode_track(t, registry);
  ASSERT_TRUE(text);
  EXPECT_EQ(decode_track(*text, registry).value(), t);
  EXPECT_EQ(decode_track(*text).error(), track_codec_error::unknown_source);
  EXPECT_EQ(encode_track(t).error(), track_codec_error::unknown_source);
}

TEST(TrackCodec, DetailsMustMatchTheLayout) {
  decoded_track t;
  t.info.source_name = "http";
  EXPECT_EQ(encode_track(t).error(), track_codec_error::invalid_details);  // probe info missing
  t.details = {source_detail(true)};
  EXPECT_EQ(encode_track(t).error(), track_codec_error::invalid_details);  // wrong kind
  t.details = {source_detail(std::in_place_index<0>, "mp3"s), source_detail(std::in_place_index<0>, "x"s)};
  EXPECT_EQ(encode_track(t).error(), track_codec_error::invalid_details);  // too many
  t.details.pop_back();
  EXPECT_TRUE(encode_track(t));
}

TEST(TrackCodec, FieldsTheVersionCannotCarryAreRejected) {
  auto t = decode_track(v3_artwork).value();
  t.version = 2;
  EXPECT_EQ(encode_track(t).error(), track_codec_error::unrepresentable);
  t.info.artwork_url.reset();
  t.info.isrc = "GBARL9300135";
  EXPECT_EQ(encode_track(t).error(), track_codec_error::unrepresentable);
  t.info.isrc.reset();
  t.version = 1;
  EXPECT_EQ(encode_track(t).error(), track_codec_error::unrepresentable);  // uri
}

TEST(TrackCodec, MalformedTextIsBadUtf8) {
  auto blob = blob_of(v3_plain);
  blob[7] = '\xff';  // first byte of the title
  EXPECT_EQ(decode_track_blob(blob).error(), track_codec_error::bad_utf8);
  blob = blob_of(v3_plain);
  blob.replace(7, 3, "\xed\xa0\xbd");  // a lone high surrogate
  EXPECT_EQ(decode_track_blob(blob).error(), track_codec_error::bad_utf8);
  decoded_track t;
  t.info.source_name = "youtube";
  t.info.author = "\xc3(";
  EXPECT_EQ(encode_track(t).error(), track_codec_error::bad_utf8);
}

TEST(TrackCodec, ErrorCodesHaveACategory) {
  std::error_code ec = track_codec_error::unknown_source;
  EXPECT_EQ(ec.category().name(), std::string("vb.lavalink.track_codec"));
  EXPECT_EQ(ec.message(), "encoded track has an unknown source");
  EXPECT_EQ(ec, make_error_code(track_codec_error::unknown_source));
}

// Property-style round trips over generated tracks (fixed seed: deterministic).
class track_generator {
 public:
  explicit track_generator(std::uint32_t seed) : rng_(seed) {}

  std::string text(std::size_t max_chars) {
    static const std::string pieces[] = {"a", "Z", " ", "\0"s, "é", "ß", "€", "日", "\xef\xbf\xbf", "😀", "𝄞", "\x7f", "/"};
    std::string out;
    const std::size_t n = pick(max_chars + 1);
    for (std::size_t i = 0; i < n; ++i) out += pieces[pick(std::size(pieces))];
    return out;
  }

  std::optional<std::string> maybe_text(std::size_t max_chars) {
    if (pick(3) == 0) return std::nullopt;
    return text(max_chars);
  }

  std::int64_t number() {
    switch (pick(5)) {
      case 0: return 0;
      case 1: return unknown_length;
      case 2: return std::numeric_limits<std::int64_t>::min();
      case 3: return -static_cast<std::int64_t>(pick(1000));
      default: return static_cast<std::int64_t>(rng_());
    }
  }

  decoded_track track() {
    static const char* sources[] = {"youtube", "soundcloud", "bandcamp", "twitch", "vimeo",
                                    "niconico", "yandex-music", "http", "local"};
    decoded_track t;
    t.version = static_cast<std::uint8_t>(1 + pick(3));
    t.info.title = text(200);
    t.info.author = text(50);
    t.info.length = number();
    t.info.identifier = text(40);
    t.info.is_stream = pick(2) == 1;
    t.info.is_seekable = !t.info.is_stream;
    if (t.version >= 2) t.info.uri = maybe_text(100);
    if (t.version >= 3) {
      t.info.artwork_url = maybe_text(100);
      t.info.isrc = maybe_text(12);
    }
    t.info.source_name = sources[pick(std::size(sources))];
    if (t.info.source_name == "http" || t.info.source_name == "local")
      t.details.emplace_back(std::in_place_index<0>, text(20));
    t.info.position = number();
    return t;
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  std::mt19937 rng_;
};

TEST(TrackCodec, GeneratedTracksRoundTrip) {
  track_generator gen(20260401);
  for (int i = 0; i < 3000; ++i) {
    const auto t = gen.track();
    auto text = encode_track(t);
    ASSERT_TRUE(text) << i << ": " << to_string(text.error());
    auto back = decode_track(*text);
    ASSERT_TRUE(back) << i << ": " << to_string(back.error());
    ASSERT_EQ(*back, t) << i;
    ASSERT_EQ(encode_track(*back).value(), *text) << i;
  }
}

TEST(TrackCodec, LongStringsNearTheLimitRoundTrip) {
  track_generator gen(7);
  std::string emoji;
  for (int i = 0; i < 10922; ++i) emoji += "😀";  // 65532 bytes of surrogate pairs
  for (const auto& title : {std::string(65535, 'x'), std::string(32767, '\0'), emoji}) {
    auto t = gen.track();
    t.info.title = title;
    t.info.author = "a";
    auto text = encode_track(t);
    ASSERT_TRUE(text) << to_string(text.error());
    EXPECT_EQ(decode_track(*text).value(), t);
  }
  auto t = gen.track();
  t.info.title = emoji + "😀";
  EXPECT_EQ(encode_track(t).error(), track_codec_error::string_too_long);
}

TEST(TrackCodec, StreamsWithUnknownLengthRoundTrip) {
  decoded_track t;
  t.info = {"https://radio.example/live", false, "Radio", unknown_length, true, 0, "Live", "https://radio.example/live",
            std::nullopt, std::nullopt, "http"};
  t.details = {source_detail(std::in_place_index<0>, "mpegts-adts"s)};
  auto text = encode_track(t).value();
  EXPECT_EQ(decode_track(text).value(), t);
}

}  // namespace
}  // namespace vb::lavalink
