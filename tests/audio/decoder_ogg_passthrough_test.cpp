#include "vectobeat/audio/decoder.hpp"

#include <gtest/gtest.h>

#include "audio/fixtures.hpp"
#include "audio/ogg_writer.hpp"
#include "audio/signal.hpp"
#include "vectobeat/audio/memory_source.hpp"
#include "vectobeat/audio/opus_decoder.hpp"
#include "vectobeat/audio/opus_encoder.hpp"

// Opus passthrough from seekable Ogg files goes through our page reader; from other sources it
// stays on FFmpeg's demuxer. These tests hold both to the same behaviour.
namespace vb::audio {
namespace {

using namespace std::chrono_literals;

#define REQUIRE_OGG_FIXTURES()                                              \
  do {                                                                      \
    if (test::fixture_dir().empty()) GTEST_SKIP() << "ffmpeg CLI missing"; \
  } while (0)

struct got_packet {
  std::vector<std::uint8_t> data;
  int samples = 0;
  std::chrono::milliseconds position{0};
};

std::vector<got_packet> next_packets(decoder& d, std::size_t n = 1000000) {
  std::vector<got_packet> out;
  opus_packet p;
  while (out.size() < n) {
    auto r = d.next_opus_packet(p);
    EXPECT_TRUE(r) << to_string(r.error());
    if (!r || *r == read_status::end_of_stream) break;
    out.push_back({{p.data.begin(), p.data.end()}, p.samples, p.position});
  }
  return out;
}

decoder open_seekable(const std::vector<std::uint8_t>& bytes) {
  auto d = decoder::open(std::make_unique<memory_source>(bytes));
  EXPECT_TRUE(d) << to_string(d.error());
  return std::move(*d);
}

decoder open_unseekable(const std::vector<std::uint8_t>& bytes) {
  auto d = decoder::open(std::make_unique<test::unseekable_source>(bytes));
  EXPECT_TRUE(d) << to_string(d.error());
  return std::move(*d);
}

void expect_same(const std::vector<got_packet>& a, const std::vector<got_packet>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].data, b[i].data) << i;
    EXPECT_EQ(a[i].samples, b[i].samples) << i;
    EXPECT_EQ(a[i].position, b[i].position) << i;
  }
}

// Frames of interleaved PCM decoded from `n` frames of the decoder.
std::vector<float> pcm_frames(decoder& d, int n) {
  std::vector<float> out;
  std::array<float, frame_values> f{};
  for (int i = 0; i < n; ++i) {
    auto r = d.read_frame(f);
    EXPECT_TRUE(r);
    if (!r || *r == read_status::end_of_stream) break;
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

TEST(audio_decoder_ogg, passthrough_packets_match_ffmpegs_demuxer) {
  REQUIRE_OGG_FIXTURES();
  for (std::string_view file : {"tone.opus", "tone40.opus"}) {
    const auto bytes = test::read_bytes(test::fixture(file));
    auto ours = open_seekable(bytes);
    auto theirs = open_unseekable(bytes);
    const auto a = next_packets(ours);
    EXPECT_GT(a.size(), 70u) << file;
    expect_same(a, next_packets(theirs));
  }
}

// A seekable source that counts its seeks; `local` says whether its seeks stay off the network
// (a file) or may wait on it (an HTTP source with range requests).
class seek_counting_source final : public byte_source {
 public:
  seek_counting_source(std::vector<std::uint8_t> bytes, bool local, std::shared_ptr<int> seeks)
      : inner_(std::move(bytes)), local_(local), seeks_(std::move(seeks)) {}
  expected<std::size_t, audio_error> read(std::span<std::byte> b) override { return inner_.read(b); }
  bool seekable() const noexcept override { return true; }
  bool seeks_locally() const noexcept override { return local_; }
  expected<void, audio_error> seek(std::uint64_t offset) override {
    ++*seeks_;
    return inner_.seek(offset);
  }
  std::optional<std::uint64_t> size() const override { return inner_.size(); }

 private:
  memory_source inner_;
  bool local_;
  std::shared_ptr<int> seeks_;
};

// The node reads packets and switches modes on its frame worker, which must never wait on a
// network: from a source whose seeks are not local, passthrough stays on FFmpeg's demuxer and
// neither packets nor mode switches seek the source.
TEST(audio_decoder_ogg, a_remote_source_is_never_seeked_by_packets_or_mode_switches) {
  REQUIRE_OGG_FIXTURES();
  const auto bytes = test::read_bytes(test::fixture("tone.opus"));
  auto seeks = std::make_shared<int>(0);
  auto d = decoder::open(std::make_unique<seek_counting_source>(bytes, false, seeks));
  ASSERT_TRUE(d) << to_string(d.error());
  const int after_open = *seeks;
  const auto first = next_packets(*d, 25);
  ASSERT_EQ(first.size(), 25u);
  EXPECT_EQ(pcm_frames(*d, 10).size(), 10 * frame_values);
  const auto again = next_packets(*d, 10);
  ASSERT_EQ(again.size(), 10u);
  EXPECT_EQ(*seeks, after_open);
  // The same packets as the local path gives.
  auto local = open_seekable(bytes);
  expect_same(first, next_packets(local, 25));

  // A local source is what takes the reader: its hand-overs do seek.
  auto counted = std::make_shared<int>(0);
  auto l = decoder::open(std::make_unique<seek_counting_source>(bytes, true, counted));
  ASSERT_TRUE(l);
  const int local_after_open = *counted;
  ASSERT_EQ(next_packets(*l, 25).size(), 25u);
  EXPECT_GT(*counted, local_after_open);
}

TEST(audio_decoder_ogg, seeks_land_within_one_packet_both_ways) {
  REQUIRE_OGG_FIXTURES();
  const auto bytes = test::read_bytes(test::fixture("tone.opus"));
  auto d = open_seekable(bytes);
  auto whole = open_seekable(bytes);
  const auto all = next_packets(whole);
  for (auto target : {1000ms, 2500ms, 300ms, 0ms, 1990ms}) {
    ASSERT_TRUE(d.seek(target));
    auto p = next_packets(d, 3);
    ASSERT_EQ(p.size(), 3u) << target.count();
    // The first packet is the one that contains the target.
    EXPECT_LE(p[0].position, target);
    EXPECT_GT(p[0].position + 20ms, target);
    // And it is that packet of the file, followed by its successors.
    const auto it = std::find_if(all.begin(), all.end(), [&](const got_packet& g) { return g.data == p[0].data; });
    ASSERT_NE(it, all.end());
    EXPECT_EQ(it->position, p[0].position);
    ASSERT_LT(it + 2, all.end());
    EXPECT_EQ((it + 1)->data, p[1].data);
    EXPECT_EQ((it + 2)->data, p[2].data);
    EXPECT_EQ(d.position(), p[2].position + 20ms);
  }
  ASSERT_TRUE(d.seek(5000ms));  // past the end
  EXPECT_TRUE(next_packets(d).empty());
}

TEST(audio_decoder_ogg, switching_modes_keeps_the_timeline_and_the_tone) {
  REQUIRE_OGG_FIXTURES();
  auto d = open_seekable(test::read_bytes(test::fixture("tone.opus")));
  // Packets, then PCM, then packets again, then PCM to the end.
  const auto first = next_packets(d, 25);
  ASSERT_EQ(first.size(), 25u);
  const auto after_packets = d.position();
  EXPECT_EQ(after_packets, first.back().position + 20ms);
  const auto pcm1 = pcm_frames(d, 25);
  ASSERT_EQ(pcm1.size(), 25u * frame_values);
  EXPECT_NEAR(static_cast<double>(d.position().count()), static_cast<double>(after_packets.count()) + 500.0, 1.0);
  // The PCM continues the tone without a start-up transient: the codec was primed by the pre-roll.
  const auto left = test::channel(pcm1, 0);
  EXPECT_NEAR(test::zero_crossing_frequency(left), 1000.0, 10.0);
  EXPECT_NEAR(test::rms(std::span(left).first(960)), test::rms(std::span(left).last(960)), 0.01);

  const auto before = d.position();
  const auto second = next_packets(d, 10);
  ASSERT_EQ(second.size(), 10u);
  // Less than one packet of decoded PCM is dropped or repeated at the switch.
  EXPECT_NEAR(static_cast<double>(second.front().position.count()), static_cast<double>(before.count()), 20.0);
  for (std::size_t i = 1; i < second.size(); ++i) EXPECT_EQ(second[i].position - second[i - 1].position, 20ms);

  const auto before_rest = d.position();
  std::vector<float> rest;
  for (;;) {
    auto more = pcm_frames(d, 50);
    if (more.empty()) break;
    rest.insert(rest.end(), more.begin(), more.end());
  }
  EXPECT_NEAR(static_cast<double>(rest.size()) / channel_count / 48.0 + static_cast<double>(before_rest.count()), 3000.0, 30.0);
}

// An Ogg/Opus file made of chained links (real Opus packets of a 1 kHz tone), one per title.
std::vector<std::uint8_t> chained_file(const std::vector<std::string>& titles, int packets_per_link, int mono_link = -1) {
  auto enc = opus_encoder::create();
  EXPECT_TRUE(enc);
  const auto pcm = test::tone(1000, 0.25, 0.02 * packets_per_link);
  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, 1500> buf{};
  for (std::size_t l = 0; l < titles.size(); ++l) {
    test::ogg_writer w(static_cast<std::uint32_t>(100 + l));
    w.headers(static_cast<int>(l) == mono_link ? 1 : 2, 312, titles[l], "VB Test");
    for (int i = 0; i < packets_per_link; ++i) {
      const_pcm_frame_view frame(pcm.data() + static_cast<std::size_t>(i) * frame_values, frame_values);
      auto n = enc->encode(frame, buf);
      EXPECT_TRUE(n);
      w.packet(std::span(buf).first(*n), 960);
      if (i % 25 == 24) w.flush();
    }
    w.flush(true);
    out.insert(out.end(), w.bytes().begin(), w.bytes().end());
  }
  return out;
}

TEST(audio_decoder_ogg, chained_links_pass_through_with_their_titles) {
  const auto bytes = chained_file({"First", "Second", "Third"}, 60);
  auto d = open_seekable(bytes);
  EXPECT_EQ(d.info().title, "First");
  EXPECT_FALSE(d.take_metadata_update());
  std::vector<std::string> titles;
  std::vector<got_packet> packets;
  opus_packet p;
  for (;;) {
    auto r = d.next_opus_packet(p);
    ASSERT_TRUE(r) << to_string(r.error());
    if (*r == read_status::end_of_stream) break;
    packets.push_back({{p.data.begin(), p.data.end()}, p.samples, p.position});
    if (auto u = d.take_metadata_update()) titles.push_back(u->title);
  }
  ASSERT_EQ(packets.size(), 180u);
  EXPECT_EQ(titles, (std::vector<std::string>{"Second", "Third"}));
  // One timeline across the links: 20 ms apart (the first packet is clamped to 0).
  for (std::size_t i = 2; i < packets.size(); ++i) EXPECT_EQ(packets[i].position - packets[i - 1].position, 20ms) << i;
  // Every packet decodes: the tone plays through the link boundaries.
  auto od = opus_decoder::create();
  ASSERT_TRUE(od);
  std::vector<float> pcm, buf(max_opus_packet_samples * 2);
  for (const auto& g : packets) {
    auto n = od->decode(g.data, buf);
    ASSERT_TRUE(n);
    pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n * 2));
  }
  EXPECT_NEAR(test::zero_crossing_frequency(test::channel(pcm, 1)), 1000.0, 10.0);
}

TEST(audio_decoder_ogg, a_chained_link_that_is_not_stereo_goes_back_to_ffmpeg) {
  const auto bytes = chained_file({"Stereo", "Mono"}, 40, 1);
  auto d = open_seekable(bytes);
  opus_packet p;
  int packets = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    auto r = d.next_opus_packet(p);
    if (!r || *r == read_status::end_of_stream) break;  // FFmpeg's verdict on the mono link
    ++packets;
  }
  // The stereo link arrived whole; what FFmpeg makes of the rest is its business, not a crash.
  EXPECT_GE(packets, 40);
}

}  // namespace
}  // namespace vb::audio
