#include "ogg_opus_reader.hpp"

#include <gtest/gtest.h>

#include <random>

#include "audio/fixtures.hpp"
#include "audio/ogg_writer.hpp"
#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/memory_source.hpp"

namespace vb::audio::detail {
namespace {

using test::fake_opus_packet;
using test::ogg_writer;

struct read_packet {
  std::vector<std::uint8_t> data;
  int samples = 0;
  std::int64_t timestamp = 0;
};

struct read_result {
  std::vector<read_packet> packets;
  ogg_read_status last = ogg_read_status::end_of_stream;
  std::optional<audio_error> error;
};

read_result read_all(ogg_opus_reader& r, std::size_t limit = 100000) {
  read_result out;
  ogg_opus_packet p;
  for (std::size_t i = 0; i < limit; ++i) {
    auto got = r.next(p);
    if (!got) {
      out.error = got.error();
      break;
    }
    out.last = *got;
    if (*got != ogg_read_status::packet) break;
    out.packets.push_back({{p.data.begin(), p.data.end()}, p.samples, p.timestamp});
  }
  return out;
}

read_result read_bytes(std::span<const std::uint8_t> bytes) {
  auto src = memory_source::borrow(bytes);
  ogg_opus_reader r(src);
  return read_all(r);
}

// `count` packets of varied sizes (1 .. 700 bytes, including 255 and 510), 20 ms each.
std::vector<std::vector<std::uint8_t>> make_packets(std::size_t count, std::uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::vector<std::vector<std::uint8_t>> v;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t size = std::uniform_int_distribution<std::size_t>(1, 700)(rng);
    if (i % 7 == 3) size = 255;
    if (i % 11 == 5) size = 510;
    v.push_back(fake_opus_packet(size, static_cast<std::uint32_t>(i + seed)));
  }
  return v;
}

// A stream of `packets`, `per_page` packets per flush, pages of at most `max_segments` lacing
// values (small values break packets across pages).
std::vector<std::uint8_t> make_stream(const std::vector<std::vector<std::uint8_t>>& packets, std::size_t per_page,
                                      std::size_t max_segments = 255, int pre_skip = 312,
                                      ogg_writer* keep = nullptr) {
  ogg_writer w(0x1234);
  w.headers(2, pre_skip);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    w.packet(packets[i], 960);
    if ((i + 1) % per_page == 0 || i + 1 == packets.size()) w.flush(i + 1 == packets.size(), max_segments);
  }
  if (keep != nullptr) *keep = w;
  return w.bytes();
}

void expect_packets(const read_result& got, const std::vector<std::vector<std::uint8_t>>& want, std::size_t first,
                    std::int64_t first_ts) {
  ASSERT_FALSE(got.error) << to_string(*got.error);
  ASSERT_EQ(got.packets.size(), want.size() - first);
  for (std::size_t i = 0; i < got.packets.size(); ++i) {
    EXPECT_EQ(got.packets[i].data, want[first + i]) << "packet " << first + i;
    EXPECT_EQ(got.packets[i].samples, 960);
    EXPECT_EQ(got.packets[i].timestamp, first_ts + static_cast<std::int64_t>(i) * 960) << "packet " << first + i;
  }
}

TEST(ogg_opus_reader, crc_matches_the_bitwise_reference) {
  std::mt19937 rng(7);
  std::vector<std::uint8_t> bytes(3000);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  for (std::size_t n : {0, 1, 7, 8, 9, 27, 255, 1000, 2999, 3000}) {
    const std::span<const std::uint8_t> s(bytes.data(), n);
    EXPECT_EQ(ogg_crc32(s), test::reference_ogg_crc(s)) << n;
    // Incremental use gives the same result as one call.
    EXPECT_EQ(ogg_crc32(s.subspan(n / 3), ogg_crc32(s.first(n / 3))), test::reference_ogg_crc(s)) << n;
  }
}

TEST(ogg_opus_reader, yields_every_packet_with_granule_timestamps) {
  const auto packets = make_packets(200);
  const auto got = read_bytes(make_stream(packets, 50));
  expect_packets(got, packets, 0, -312);
}

TEST(ogg_opus_reader, packets_spanning_pages_and_255_lacing_edges) {
  // 255 and 510-byte packets end with a 0 lacing value; pages of 1, 2 or 3 segments cut packets
  // everywhere, including right after a 255 (the next page then starts with the 0).
  const auto packets = make_packets(120, 3);
  for (std::size_t max_segments : {1, 2, 3, 255}) {
    const auto got = read_bytes(make_stream(packets, 5, max_segments));
    expect_packets(got, packets, 0, -312);
  }
}

TEST(ogg_opus_reader, bad_crc_page_is_skipped_and_the_stream_resyncs) {
  const auto packets = make_packets(60);
  ogg_writer w(0);
  auto bytes = make_stream(packets, 10, 255, 312, &w);
  // Pages: 0 OpusHead, 1 OpusTags, 2.. audio (10 packets each). Corrupt audio page 3's body.
  const std::size_t page3 = w.page_offsets()[3];
  bytes[page3 + 27 + 10 + 5] ^= 0x40;
  auto src = memory_source::borrow(bytes);
  ogg_opus_reader r(src);
  const auto got = read_all(r);
  ASSERT_FALSE(got.error);
  EXPECT_EQ(r.stats().crc_failures, 1u);
  ASSERT_EQ(got.packets.size(), 50u);
  for (std::size_t i = 0; i < 50; ++i) {
    const std::size_t k = i < 10 ? i : i + 10;  // packets 10..19 were on the bad page
    EXPECT_EQ(got.packets[i].data, packets[k]);
    // After the gap, timestamps come back from the next page's granule position.
    EXPECT_EQ(got.packets[i].timestamp, static_cast<std::int64_t>(k) * 960 - 312) << i;
  }
}

TEST(ogg_opus_reader, lost_page_drops_the_packet_it_interrupted) {
  // 600-byte packets (3 lacing values) on pages of 2 segments: every packet spans pages.
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::uint32_t i = 0; i < 10; ++i) packets.push_back(fake_opus_packet(600, i));
  ogg_writer w(0);
  auto bytes = make_stream(packets, 10, 2, 312, &w);
  // Page 6 holds the end of packet 2 and the start of packet 3: both are lost.
  bytes[w.page_offsets()[6] + 30] ^= 0x01;
  auto src = memory_source::borrow(bytes);
  ogg_opus_reader r(src);
  const auto got = read_all(r);
  ASSERT_FALSE(got.error);
  EXPECT_EQ(r.stats().crc_failures, 1u);
  EXPECT_EQ(r.stats().dropped_packets, 1u);
  ASSERT_EQ(got.packets.size(), packets.size() - 2);
  // What arrives is intact and in order, at its true time.
  std::size_t k = 0;
  for (const auto& p : got.packets) {
    while (k < packets.size() && packets[k] != p.data) ++k;
    ASSERT_LT(k, packets.size()) << "a packet that was never written";
    EXPECT_EQ(p.timestamp, static_cast<std::int64_t>(k) * 960 - 312);
  }
}

TEST(ogg_opus_reader, garbage_before_and_between_pages_is_skipped) {
  const auto packets = make_packets(40);
  ogg_writer w(0);
  const auto clean = make_stream(packets, 8, 255, 312, &w);
  std::vector<std::uint8_t> junk = {'O', 'g', 'g', 'x', 'O', 'g', 'g', 'S', 0, 0, 'O', 'O', 'g'};
  for (int i = 0; i < 3000; ++i) junk.push_back(static_cast<std::uint8_t>(i * 37));
  std::vector<std::uint8_t> bytes = junk;
  const auto& offs = w.page_offsets();
  for (std::size_t i = 0; i < offs.size(); ++i) {
    const std::size_t end = i + 1 < offs.size() ? offs[i + 1] : clean.size();
    bytes.insert(bytes.end(), clean.begin() + static_cast<std::ptrdiff_t>(offs[i]),
                 clean.begin() + static_cast<std::ptrdiff_t>(end));
    if (i % 2 == 1) bytes.insert(bytes.end(), junk.begin(), junk.begin() + 100);
  }
  auto src = memory_source::borrow(bytes);
  ogg_opus_reader r(src);
  const auto got = read_all(r);
  expect_packets(got, packets, 0, -312);
  EXPECT_GT(r.stats().skipped_bytes, 3000u);
}

TEST(ogg_opus_reader, truncation_anywhere_ends_the_stream_cleanly) {
  const auto packets = make_packets(30);
  const auto bytes = make_stream(packets, 6, 4);
  for (std::size_t cut = 0; cut <= bytes.size(); cut += 7) {
    const auto got = read_bytes({bytes.data(), cut});
    ASSERT_FALSE(got.error) << cut;
    EXPECT_EQ(got.last, ogg_read_status::end_of_stream);
    ASSERT_LE(got.packets.size(), packets.size());
    for (std::size_t i = 0; i < got.packets.size(); ++i) EXPECT_EQ(got.packets[i].data, packets[i]) << cut;
  }
}

TEST(ogg_opus_reader, absurd_input_never_crashes) {
  std::mt19937 rng(11);
  const auto packets = make_packets(20);
  const auto clean = make_stream(packets, 5, 7);
  for (int round = 0; round < 300; ++round) {
    auto bytes = clean;
    const int flips = std::uniform_int_distribution<int>(1, 20)(rng);
    for (int i = 0; i < flips; ++i) {
      bytes[std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng)] = static_cast<std::uint8_t>(rng());
    }
    const auto got = read_bytes(bytes);
    EXPECT_LE(got.packets.size(), packets.size() + 40);
  }
  // A header claiming 255 segments of 255 bytes with nothing behind it.
  std::vector<std::uint8_t> lie = {'O', 'g', 'g', 'S', 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255};
  lie.resize(lie.size() + 255, 255);
  const auto got = read_bytes(lie);
  EXPECT_FALSE(got.error);
  EXPECT_TRUE(got.packets.empty());
}

TEST(ogg_opus_reader, endless_garbage_is_invalid_data_not_a_hang) {
  std::vector<std::uint8_t> junk(ogg_max_sync_search_bytes + 100000, 'x');
  const auto got = read_bytes(junk);
  ASSERT_TRUE(got.error);
  EXPECT_EQ(*got.error, audio_error::invalid_data);
}

TEST(ogg_opus_reader, start_offset_and_end_trimming_follow_granule_positions) {
  // A file cut from a live stream: the first audio page's granule says 10 s already passed.
  ogg_writer s(5);
  s.headers(2, 0);
  const auto packets = make_packets(10);
  for (std::size_t i = 0; i < 5; ++i) s.packet(packets[i], 960 + (i == 0 ? 480000 : 0));
  s.flush();
  // The last page's granule ends 400 samples into its last packet (end trimming).
  for (std::size_t i = 5; i < 10; ++i) s.packet(packets[i], i == 9 ? 400 : 960);
  s.flush(true);
  const auto got = read_bytes(s.bytes());
  ASSERT_EQ(got.packets.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(got.packets[i].timestamp, 480000 + static_cast<std::int64_t>(i) * 960) << i;
  }
}

TEST(ogg_opus_reader, restart_at_a_page_counts_back_from_its_granule) {
  const auto packets = make_packets(100);
  ogg_writer w(0);
  const auto bytes = make_stream(packets, 10, 255, 312, &w);
  auto src = memory_source::borrow(bytes);
  ogg_opus_reader first(src);
  ogg_opus_packet p;
  ASSERT_TRUE(first.next(p));
  ASSERT_TRUE(first.head());
  EXPECT_EQ(first.head()->pre_skip, 312);

  // Like the decoder: serial and OpusHead known, restart in the middle (page 6 holds 40..49).
  ogg_opus_reader r(src, 0x1234, *first.head());
  ASSERT_TRUE(r.restart(w.page_offsets()[6]));
  expect_packets(read_all(r), packets, 40, 40 * 960 - 312);
  // A few bytes before a page: the partial bytes are skipped.
  ASSERT_TRUE(r.restart(w.page_offsets()[6] - 5));
  expect_packets(read_all(r), packets, 40, 40 * 960 - 312);
  // And back to the start, through the headers again.
  ASSERT_TRUE(r.restart(0));
  expect_packets(read_all(r), packets, 0, -312);
}

TEST(ogg_opus_reader, follows_the_first_opus_stream_among_several) {
  // A non-Opus stream first, then two Opus streams, pages interleaved.
  ogg_writer other(1), a(2), b(3);
  const std::vector<std::uint8_t> vorbis_head = {1, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 2};
  other.bos(vorbis_head);
  a.headers(2, 100);
  b.headers(1, 200);
  const auto pa = make_packets(30, 21), pb = make_packets(30, 22);
  std::vector<std::uint8_t> bytes;
  auto append_new = [&](ogg_writer& w, std::size_t& done) {
    auto& all = w.bytes();
    bytes.insert(bytes.end(), all.begin() + static_cast<std::ptrdiff_t>(done), all.end());
    done = all.size();
  };
  std::size_t done_o = 0, done_a = 0, done_b = 0;
  append_new(other, done_o);
  // a's and b's BOS pages before any other page.
  const std::size_t a_tags = a.page_offsets()[1], b_tags = b.page_offsets()[1];
  bytes.insert(bytes.end(), a.bytes().begin(), a.bytes().begin() + static_cast<std::ptrdiff_t>(a_tags));
  bytes.insert(bytes.end(), b.bytes().begin(), b.bytes().begin() + static_cast<std::ptrdiff_t>(b_tags));
  bytes.insert(bytes.end(), a.bytes().begin() + static_cast<std::ptrdiff_t>(a_tags), a.bytes().end());
  bytes.insert(bytes.end(), b.bytes().begin() + static_cast<std::ptrdiff_t>(b_tags), b.bytes().end());
  done_a = a.bytes().size();
  done_b = b.bytes().size();
  for (std::size_t i = 0; i < 30; ++i) {
    a.packet(pa[i], 960);
    b.packet(pb[i], 960);
    if (i % 5 == 4) {
      b.flush(i == 29);
      append_new(b, done_b);
      a.flush(i == 29);
      append_new(a, done_a);
    }
  }
  auto src = memory_source::borrow(bytes);
  ogg_opus_reader r(src);
  expect_packets(read_all(r), pa, 0, -100);
  EXPECT_EQ(r.head()->channels, 2);
}

TEST(ogg_opus_reader, chained_links_continue_the_timeline_and_bring_their_tags) {
  const auto p1 = make_packets(20, 31), p2 = make_packets(15, 32);
  ogg_writer l1(7), l2(8);
  l1.headers(2, 312, "First", "Artist A");
  for (const auto& p : p1) l1.packet(p, 960);
  l1.flush(true, 40);
  l2.headers(2, 120, "Second", "Artist B", 70000, 255);  // tags span several pages
  for (const auto& p : p2) l2.packet(p, 960);
  l2.flush(true, 40);
  auto bytes = l1.bytes();
  bytes.insert(bytes.end(), l2.bytes().begin(), l2.bytes().end());

  auto src = memory_source::borrow(bytes);
  ogg_opus_reader r(src);
  ogg_opus_packet p;
  for (std::size_t i = 0; i < p1.size(); ++i) {
    ASSERT_TRUE(r.next(p));
    EXPECT_EQ(p.timestamp, static_cast<std::int64_t>(i) * 960 - 312);
  }
  EXPECT_FALSE(r.take_tags());  // the first link's tags are the caller's (FFmpeg read them)
  const std::int64_t link_end = static_cast<std::int64_t>(p1.size()) * 960 - 312;
  for (std::size_t i = 0; i < p2.size(); ++i) {
    auto got = r.next(p);
    ASSERT_TRUE(got);
    ASSERT_EQ(*got, ogg_read_status::packet);
    EXPECT_EQ(std::vector<std::uint8_t>(p.data.begin(), p.data.end()), p2[i]);
    EXPECT_EQ(p.timestamp, link_end + static_cast<std::int64_t>(i) * 960) << i;
    if (i == 0) {
      auto t = r.take_tags();
      ASSERT_TRUE(t);
      EXPECT_EQ(t->title, "Second");
      EXPECT_EQ(t->artist, "Artist B");
    }
  }
  auto end = r.next(p);
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, ogg_read_status::end_of_stream);
}

TEST(ogg_opus_reader, chained_link_that_is_not_stereo_opus_stops_the_reader) {
  ogg_writer l1(7), l2(8);
  l1.headers(2, 312);
  for (const auto& p : make_packets(5)) l1.packet(p, 960);
  l1.flush(true);
  l2.headers(1, 312);  // mono
  for (const auto& p : make_packets(5)) l2.packet(p, 960);
  l2.flush(true);
  auto bytes = l1.bytes();
  bytes.insert(bytes.end(), l2.bytes().begin(), l2.bytes().end());
  const auto got = read_bytes(bytes);
  EXPECT_EQ(got.packets.size(), 5u);
  EXPECT_EQ(got.last, ogg_read_status::foreign_stream);
}

TEST(ogg_opus_reader, oversized_packet_is_dropped) {
  ogg_writer w(1);
  w.headers();
  const auto small = fake_opus_packet(100, 1);
  const auto huge = fake_opus_packet(ogg_max_packet_bytes + 1000, 2);
  w.packet(small, 960);
  w.packet(huge, 960);
  w.packet(small, 960);
  w.flush(true);
  auto src = memory_source::borrow(w.bytes());
  ogg_opus_reader r(src);
  const auto got = read_all(r);
  ASSERT_EQ(got.packets.size(), 2u);
  EXPECT_EQ(got.packets[1].data, small);
  EXPECT_EQ(r.stats().dropped_packets, 1u);
}

TEST(ogg_opus_reader, packet_durations_come_from_the_toc) {
  ogg_writer w(1);
  w.headers(2, 0);
  w.packet(fake_opus_packet(50, 1, 0xF4), 480);   // 10 ms
  w.packet(fake_opus_packet(51, 2, 0xFD), 1920);  // 2 x 20 ms
  w.packet(fake_opus_packet(50, 3), 960);
  w.flush(true);
  const auto got = read_bytes(w.bytes());
  ASSERT_EQ(got.packets.size(), 3u);
  EXPECT_EQ(got.packets[0].samples, 480);
  EXPECT_EQ(got.packets[1].samples, 1920);
  EXPECT_EQ(got.packets[2].timestamp, 2400);
}

TEST(ogg_opus_reader, matches_ffmpeg_on_a_real_file) {
  if (test::fixture_dir().empty()) GTEST_SKIP() << "ffmpeg CLI missing";
  for (std::string_view file : {"tone.opus", "tone40.opus"}) {
    const auto bytes = test::read_bytes(test::fixture(file));
    // FFmpeg's demuxer: the decoder keeps it for sources that cannot seek.
    auto d = decoder::open(std::make_unique<test::unseekable_source>(bytes));
    ASSERT_TRUE(d);
    auto src = memory_source::borrow(bytes);
    ogg_opus_reader r(src);
    opus_packet fp;
    ogg_opus_packet op;
    int n = 0;
    for (;; ++n) {
      auto a = d->next_opus_packet(fp);
      auto b = r.next(op);
      ASSERT_TRUE(a && b);
      ASSERT_EQ(*a == read_status::end_of_stream, *b == ogg_read_status::end_of_stream) << file << " packet " << n;
      if (*a == read_status::end_of_stream) break;
      ASSERT_TRUE(std::equal(fp.data.begin(), fp.data.end(), op.data.begin(), op.data.end())) << n;
      EXPECT_EQ(fp.samples, op.samples);
      EXPECT_EQ(fp.position.count(), std::max<std::int64_t>(0, op.timestamp) / 48) << file << " packet " << n;
    }
    EXPECT_GT(n, 70) << file;
    EXPECT_EQ(r.stats().crc_failures, 0u);
  }
}

}  // namespace
}  // namespace vb::audio::detail
