#include "vectobeat/audio/decoder.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <random>

#include "audio/fixtures.hpp"
#include "audio/signal.hpp"
#include "vectobeat/audio/file_source.hpp"
#include "vectobeat/audio/icy_source.hpp"
#include "vectobeat/audio/memory_source.hpp"
#include "vectobeat/audio/opus_decoder.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define VB_DECODER_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VB_DECODER_TEST_ASAN 1
#endif
#endif
#ifdef VB_DECODER_TEST_ASAN
#include <sanitizer/allocator_interface.h>
#endif

namespace vb::audio {
namespace {

using namespace std::chrono_literals;
using test::fixture;

#define REQUIRE_FIXTURES()                                                  \
  do {                                                                      \
    if (test::fixture_dir().empty()) GTEST_SKIP() << "ffmpeg CLI missing"; \
  } while (0)

expected<decoder, audio_error> open_file(std::string_view name, const decoder_options& o = {}) {
  auto src = file_source::open(fixture(name));
  if (!src) return unexpected(src.error());
  return decoder::open(std::move(*src), o);
}

std::unique_ptr<byte_source> bytes_source(std::vector<std::uint8_t> b) {
  return std::make_unique<memory_source>(std::move(b));
}

// Decodes everything left; returns interleaved PCM.
std::vector<float> decode_all(decoder& d) {
  std::vector<float> out;
  std::array<float, frame_values> f{};
  for (int guard = 0; guard < 100000; ++guard) {
    auto r = d.read_frame(f);
    EXPECT_TRUE(r.has_value()) << to_string(r.error()) << " " << d.last_error_detail();
    if (!r || *r == read_status::end_of_stream) break;
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

double duration_ms(const std::vector<float>& pcm) { return static_cast<double>(pcm.size()) / channel_count / 48.0; }

// Middle of a signal, away from codec start-up and tail effects.
std::vector<float> steady_part(const std::vector<float>& mono) {
  const std::size_t skip = std::min<std::size_t>(4800, mono.size() / 4);
  return {mono.begin() + static_cast<std::ptrdiff_t>(skip), mono.end() - static_cast<std::ptrdiff_t>(skip)};
}

class decoder_format_test : public ::testing::TestWithParam<test::fixture_format> {};

TEST_P(decoder_format_test, decodes_to_48k_stereo_tone_with_metadata) {
  REQUIRE_FIXTURES();
  const auto& f = GetParam();
  auto d = open_file(f.file);
  ASSERT_TRUE(d) << to_string(d.error());
  const auto& info = d->info();
  EXPECT_EQ(info.container, f.container);
  EXPECT_EQ(info.codec, f.codec);
  EXPECT_EQ(info.source_channels, 2);
  if (f.tagged) {
    EXPECT_EQ(info.title, "VectoBeat Tone");
    EXPECT_EQ(info.artist, "VB Test");
  }
  ASSERT_TRUE(info.duration.has_value());
  EXPECT_NEAR(static_cast<double>(info.duration->count()), 3000.0 + f.slack_ms, 30.0);
  EXPECT_FALSE(info.is_stream());

  const auto pcm = decode_all(*d);
  EXPECT_NEAR(duration_ms(pcm), 3000.0 + f.slack_ms, 20.0) << f.file;
  for (int c = 0; c < 2; ++c) {
    const auto mono = steady_part(test::channel(pcm, c));
    EXPECT_NEAR(test::zero_crossing_frequency(mono), 1000.0, 10.0) << f.file << " channel " << c;
    // lavfi's sine has amplitude 1/8, and -ac 2 spreads it at -3 dB: RMS 0.0625.
    EXPECT_NEAR(test::rms(mono), 0.0625, 0.005) << f.file;  // LAME lands 0.45 dB low
  }
  // position() counts real samples; the last frame was padded.
  EXPECT_NEAR(static_cast<double>(d->position().count()), duration_ms(pcm), 20.0);
}

TEST_P(decoder_format_test, seek_is_accurate_within_a_frame) {
  REQUIRE_FIXTURES();
  const auto& f = GetParam();
  auto d = open_file(f.file);
  ASSERT_TRUE(d);
  std::array<float, frame_values> frame{};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(d->read_frame(frame));
  ASSERT_TRUE(d->seek(1500ms)) << d->last_error_detail();
  EXPECT_EQ(d->position(), 1500ms);
  const auto rest = decode_all(*d);
  EXPECT_NEAR(duration_ms(rest), 1500.0 + f.slack_ms, 20.0) << f.file;
  EXPECT_NEAR(test::zero_crossing_frequency(steady_part(test::channel(rest, 0))), 1000.0, 10.0);

  // Backwards again, then past the end.
  ASSERT_TRUE(d->seek(500ms));
  EXPECT_NEAR(duration_ms(decode_all(*d)), 2500.0 + f.slack_ms, 20.0) << f.file;
  ASSERT_TRUE(d->seek(10s));
  auto r = d->read_frame(frame);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, read_status::end_of_stream);
}

INSTANTIATE_TEST_SUITE_P(audio_formats, decoder_format_test, ::testing::ValuesIn(test::fixture_formats()),
                         [](const auto& info) {
                           std::string n(info.param.file);
                           for (auto& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return n;
                         });

TEST(audio_decoder, int16_frames_match_float_frames) {
  REQUIRE_FIXTURES();
  auto a = open_file("tone.flac");
  auto b = open_file("tone.flac");
  ASSERT_TRUE(a && b);
  std::array<float, frame_values> f{};
  std::array<std::int16_t, frame_values> s{};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(a->read_frame(f));
    ASSERT_TRUE(b->read_frame(s));
    for (std::size_t k = 0; k < frame_values; ++k) ASSERT_NEAR(f[k] * 32767.0f, s[k], 1.0f);
  }
}

TEST(audio_decoder, memory_source_and_format_hint) {
  REQUIRE_FIXTURES();
  decoder_options o;
  o.format_hint = "mp3";
  auto d = decoder::open(bytes_source(test::read_bytes(fixture("tone.mp3"))), o);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->info().container, "mp3");
  EXPECT_NEAR(duration_ms(decode_all(*d)), 3000.0, 20.0);
}

// Hides seeking and size, like a live HTTP stream.
class stream_source final : public byte_source {
 public:
  explicit stream_source(std::vector<std::uint8_t> b) : inner_(std::move(b)) {}
  expected<std::size_t, audio_error> read(std::span<std::byte> buf) override { return inner_.read(buf); }

 private:
  memory_source inner_;
};

TEST(audio_decoder, non_seekable_source_is_a_stream_and_seeks_forward_only) {
  REQUIRE_FIXTURES();
  auto d = decoder::open(std::make_unique<stream_source>(test::read_bytes(fixture("tone.ogg"))));
  ASSERT_TRUE(d) << to_string(d.error());
  EXPECT_TRUE(d->info().is_stream());
  std::array<float, frame_values> f{};
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(d->read_frame(f));
  EXPECT_EQ(d->position(), 500ms);
  auto back = d->seek(100ms);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error(), audio_error::not_seekable);
  ASSERT_TRUE(d->seek(2000ms));
  EXPECT_NEAR(duration_ms(decode_all(*d)), 1000.0, 20.0);
}

TEST(audio_decoder, icy_stream_titles_arrive_through_the_metadata_hook) {
  REQUIRE_FIXTURES();
  // An mp3 "radio stream": ICY blocks every 4096 bytes, the title changing once.
  const auto mp3 = test::read_bytes(fixture("tone.mp3"));
  constexpr std::size_t metaint = 4096;
  std::vector<std::uint8_t> stream;
  for (std::size_t off = 0, block = 0; off < mp3.size(); off += metaint, ++block) {
    const auto end = std::min(mp3.size(), off + metaint);
    stream.insert(stream.end(), mp3.begin() + static_cast<std::ptrdiff_t>(off), mp3.begin() + static_cast<std::ptrdiff_t>(end));
    if (end - off < metaint) break;
    std::string meta = block < 5 ? "StreamTitle='First - Song';" : "StreamTitle='Second - Song';";
    meta.resize((meta.size() + 15) / 16 * 16, '\0');
    stream.push_back(static_cast<std::uint8_t>(meta.size() / 16));
    stream.insert(stream.end(), meta.begin(), meta.end());
  }
  auto d = decoder::open(std::make_unique<icy_source>(std::make_unique<stream_source>(stream), metaint));
  ASSERT_TRUE(d) << to_string(d.error());
  EXPECT_TRUE(d->info().is_stream());
  std::vector<std::string> titles;
  std::array<float, frame_values> f{};
  int frames = 0;
  for (;;) {
    auto r = d->read_frame(f);
    ASSERT_TRUE(r);
    if (*r == read_status::end_of_stream) break;
    ++frames;
    if (auto m = d->take_metadata_update()) titles.push_back(m->title);
  }
  EXPECT_NEAR(frames, 150, 1);
  EXPECT_EQ(titles, (std::vector<std::string>{"First - Song", "Second - Song"}));
}

TEST(audio_decoder, garbage_and_empty_inputs_give_typed_errors) {
  std::mt19937 rng(42);
  std::vector<std::uint8_t> garbage(64 * 1024);
  for (auto& b : garbage) b = static_cast<std::uint8_t>(rng());
  auto g = decoder::open(bytes_source(garbage));
  ASSERT_FALSE(g);
  EXPECT_TRUE(g.error() == audio_error::unsupported_format || g.error() == audio_error::invalid_data)
      << to_string(g.error());

  auto e = decoder::open(bytes_source({}));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), audio_error::unsupported_format);

  auto n = decoder::open(nullptr);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), audio_error::invalid_argument);

  // Text is not audio, even though FFmpeg has demuxers that would read it as data.
  const std::string text = "#EXTM3U\n#EXTINF:-1,x\nfile:///etc/passwd\n";
  auto t = decoder::open(bytes_source({text.begin(), text.end()}));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error(), audio_error::unsupported_format);
}

TEST(audio_decoder, truncated_inputs_end_early_or_fail_typed) {
  REQUIRE_FIXTURES();
  for (const auto& f : test::fixture_formats()) {
    const auto full = test::read_bytes(fixture(f.file));
    for (std::size_t keep : {std::size_t{16}, std::size_t{200}, full.size() / 2}) {
      std::vector<std::uint8_t> part(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(keep));
      auto d = decoder::open(bytes_source(part));
      if (!d) {
        SUCCEED() << f.file << " cut at " << keep << ": " << to_string(d.error());
        continue;
      }
      std::array<float, frame_values> frame{};
      int frames = 0;
      for (;;) {
        auto r = d->read_frame(frame);
        if (!r || *r == read_status::end_of_stream) break;
        ++frames;
      }
      EXPECT_LE(frames, 151) << f.file;
      if (keep == full.size() / 2 && f.container != "mp4") {
        // Half a file decodes to roughly half the audio (mp4 keeps its index at the end).
        EXPECT_GT(frames, 40) << f.file;
      }
    }
  }
}

class failing_source final : public byte_source {
 public:
  failing_source(std::vector<std::uint8_t> b, std::size_t fail_after) : inner_(std::move(b)), left_(fail_after) {}
  expected<std::size_t, audio_error> read(std::span<std::byte> buf) override {
    if (left_ == 0) return unexpected(audio_error::io_error);
    auto r = inner_.read(buf.first(std::min(buf.size(), left_)));
    if (r) left_ -= *r;
    return r;
  }

 private:
  memory_source inner_;
  std::size_t left_;
};

TEST(audio_decoder, source_failure_is_an_io_error) {
  REQUIRE_FIXTURES();
  auto early = decoder::open(std::make_unique<failing_source>(test::read_bytes(fixture("tone.flac")), 0));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error(), audio_error::io_error);

  auto d = decoder::open(std::make_unique<failing_source>(test::read_bytes(fixture("tone.wav")), 100000));
  ASSERT_TRUE(d);
  std::array<float, frame_values> frame{};
  expected<read_status, audio_error> r = read_status::ok;
  for (int i = 0; i < 1000 && r && *r == read_status::ok; ++i) r = d->read_frame(frame);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), audio_error::io_error);
}

TEST(audio_decoder, opus_passthrough_packets_decode_to_the_tone) {
  REQUIRE_FIXTURES();
  for (std::string_view file : {"tone.opus", "tone.webm"}) {
    auto d = open_file(file);
    ASSERT_TRUE(d);
    ASSERT_TRUE(d->opus_passthrough_available()) << file;
    auto od = opus_decoder::create();
    ASSERT_TRUE(od);
    std::vector<float> pcm;
    std::vector<float> buf(max_opus_packet_samples * 2);
    opus_packet p;
    int packets = 0;
    std::int64_t samples = 0;
    std::chrono::milliseconds last{-20};
    for (;;) {
      auto r = d->next_opus_packet(p);
      ASSERT_TRUE(r) << to_string(r.error());
      if (*r == read_status::end_of_stream) break;
      EXPECT_EQ(p.samples, 960) << file;
      // Positions are track time: the first packet starts before 0 (the pre-skip), so it is
      // reported at 0 and the rest follow 20 ms apart.
      if (packets > 1) {
        EXPECT_EQ((p.position - last).count(), 20) << file;
      }
      last = p.position;
      samples += p.samples;
      ++packets;
      auto n = od->decode(p.data, buf);
      ASSERT_TRUE(n);
      pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n * 2));
    }
    // Passthrough keeps the encoder's pre-skip and final padding: a little over 3 s.
    EXPECT_NEAR(static_cast<double>(samples) / 48.0, 3000.0, 40.0) << file;
    EXPECT_NEAR(test::zero_crossing_frequency(steady_part(test::channel(pcm, 0))), 1000.0, 10.0) << file;
    EXPECT_GT(packets, 140);
  }
}

TEST(audio_decoder, opus_passthrough_reports_packet_duration) {
  REQUIRE_FIXTURES();
  auto d = open_file("tone40.opus");
  ASSERT_TRUE(d);
  opus_packet p;
  ASSERT_TRUE(d->next_opus_packet(p));
  EXPECT_EQ(p.samples, 1920);  // 40 ms, passed on as is
  ASSERT_TRUE(d->next_opus_packet(p));
  const auto second = p.position;
  ASSERT_TRUE(d->next_opus_packet(p));
  EXPECT_EQ(p.samples, 1920);
  EXPECT_EQ(p.position - second, 40ms);
}

TEST(audio_decoder, passthrough_is_refused_for_other_codecs) {
  REQUIRE_FIXTURES();
  auto d = open_file("tone.mp3");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->opus_passthrough_available());
  opus_packet p;
  auto r = d->next_opus_packet(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), audio_error::not_opus);
}

TEST(audio_decoder, switching_between_packets_and_pcm_keeps_the_timeline) {
  REQUIRE_FIXTURES();
  auto d = open_file("tone.webm");
  ASSERT_TRUE(d);
  std::array<float, frame_values> f{};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(d->read_frame(f));
  EXPECT_EQ(d->position(), 200ms);
  opus_packet p;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(d->next_opus_packet(p));
  // The decoder had read ahead less than one packet; passthrough continues after it.
  EXPECT_NEAR(static_cast<double>(d->position().count()), 400.0, 30.0);
  const auto before = d->position();
  const auto rest = decode_all(*d);
  EXPECT_NEAR(duration_ms(rest) + static_cast<double>(before.count()), 3000.0, 30.0);
  EXPECT_NEAR(test::zero_crossing_frequency(steady_part(test::channel(rest, 1))), 1000.0, 10.0);

  ASSERT_TRUE(d->seek(1000ms));
  ASSERT_TRUE(d->next_opus_packet(p));
  EXPECT_NEAR(static_cast<double>(p.position.count()), 1000.0, 20.0);
}

// Bytes allocated and not yet freed in the process (the test runs on one thread).
double heap_in_use() {
#ifdef VB_DECODER_TEST_ASAN
  return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#else
  const auto m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
#endif
}

expected<decoder, audio_error> open_long_mp3(const decoder_options& o = {}) {
  auto src = file_source::open(test::long_two_tone_mp3());
  if (!src) return unexpected(src.error());
  return decoder::open(std::move(*src), o);
}

// Reads frames until the position reaches `until`; false on an error or the end of the track.
bool play_until(decoder& d, std::chrono::milliseconds until) {
  std::array<float, frame_values> f{};
  while (d.position() < until) {
    auto r = d.read_frame(f);
    if (!r || *r == read_status::end_of_stream) return false;
  }
  return true;
}

std::vector<float> read_ms(decoder& d, int ms) {
  std::vector<float> out;
  std::array<float, frame_values> f{};
  for (int i = 0; i < ms / 20; ++i) {
    auto r = d.read_frame(f);
    if (!r || *r == read_status::end_of_stream) break;
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

// Frequency of the left channel between `from_ms` and `to_ms` of a 48 kHz stereo signal.
double frequency_between(const std::vector<float>& pcm, int from_ms, int to_ms) {
  const auto left = test::channel(pcm, 0);
  const auto a = static_cast<std::size_t>(from_ms) * 48, b = std::min(left.size(), static_cast<std::size_t>(to_ms) * 48);
  if (a >= b) return 0;
  return test::zero_crossing_frequency(std::span<const float>(left.data() + a, b - a));
}

TEST(audio_decoder, memory_does_not_grow_with_the_time_played) {
  if (test::long_two_tone_mp3().empty()) GTEST_SKIP() << "ffmpeg CLI missing";
  auto d = open_long_mp3();
  ASSERT_TRUE(d) << to_string(d.error());
  ASSERT_TRUE(play_until(*d, 20s));
  const double at_20s = heap_in_use();
  ASSERT_TRUE(play_until(*d, 110s));
  const double at_110s = heap_in_use();
  // FFmpeg's default seek index (1 MiB) grew by an entry per MP3 frame: ~82 KB over these 90 s,
  // ~280 KB over a 5-minute track, for every player.
  EXPECT_LT(at_110s - at_20s, 16 * 1024.0) << "heap at 20 s " << at_20s << ", at 110 s " << at_110s;
}

TEST(audio_decoder, seeks_back_precisely_after_a_long_play_with_a_small_index) {
  if (test::long_two_tone_mp3().empty()) GTEST_SKIP() << "ffmpeg CLI missing";
  decoder_options o;
  o.max_index_bytes = 1024;  // ~40 entries: after 110 s, entries for the first minute are seconds apart
  auto d = open_long_mp3(o);
  ASSERT_TRUE(d) << to_string(d.error());
  ASSERT_TRUE(play_until(*d, 110s));
  for (const auto target : {30000ms, 5000ms, 90000ms, 61000ms}) {
    ASSERT_TRUE(d->seek(target)) << d->last_error_detail();
    EXPECT_EQ(d->position(), target);
    const auto pcm = read_ms(*d, 500);
    EXPECT_EQ(d->position(), target + 500ms);
    EXPECT_NEAR(frequency_between(pcm, 50, 450), target < 60s ? 440.0 : 880.0, 2.0) << target.count();
  }
  // Across the change of tone at 60 s: it is heard 500 ms after a seek to 59.5 s (+-1 frame).
  ASSERT_TRUE(d->seek(59500ms));
  const auto pcm = read_ms(*d, 1000);
  EXPECT_NEAR(frequency_between(pcm, 20, 480), 440.0, 2.0);
  EXPECT_NEAR(frequency_between(pcm, 520, 980), 880.0, 2.0);
}

}  // namespace
}  // namespace vb::audio
