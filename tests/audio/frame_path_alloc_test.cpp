// The frame path must not allocate (ARCHITECTURE.md section 3). This executable replaces the
// global operator new/delete with counting versions; each test turns counting on only around
// the frame loop. libopus and SoundTouch calls into operator new from their shared libraries are
// counted too (the executable's definitions win symbol resolution). Set VB_ALLOC_TRACE=1 to
// print a backtrace for every counted allocation.
#include "vectobeat/audio/filter_chain.hpp"

#include <gtest/gtest.h>

#include <execinfo.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "audio/fixtures.hpp"
#include "audio/signal.hpp"
#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/memory_source.hpp"
#include "vectobeat/audio/opus_decoder.hpp"
#include "vectobeat/audio/opus_encoder.hpp"

namespace {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void* counted_alloc(std::size_t n, std::size_t align = 0) {
  if (counting.load(std::memory_order_relaxed)) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (std::getenv("VB_ALLOC_TRACE") != nullptr) {
      counting = false;
      void* frames[32];
      backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
      counting = true;
    }
  }
  if (n == 0) n = 1;
  void* p = align > alignof(std::max_align_t) ? std::aligned_alloc(align, (n + align - 1) / align * align) : std::malloc(n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

struct count_scope {
  count_scope() {
    allocations = 0;
    counting = true;
  }
  ~count_scope() { counting = false; }
  long count() const { return allocations.load(); }
};

}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace vb::audio {
namespace {

TEST(audio_frame_path_alloc, counter_sees_allocations) {
  count_scope scope;
  // A direct call: the compiler may elide a new-expression whose result is unused, not this.
  void* p = ::operator new(sizeof(int));
  ::operator delete(p);
  EXPECT_EQ(scope.count(), 1);
}

TEST(audio_frame_path_alloc, opus_encoder_and_decoder_do_not_allocate) {
  auto enc = opus_encoder::create();
  auto dec = opus_decoder::create();
  ASSERT_TRUE(enc && dec);
  const auto tone = test::stereo_tone(440, 0.5, 880, 0.4, 1.0);
  std::array<float, frame_values> frame{};
  std::array<std::uint8_t, max_opus_packet_bytes> packet{};
  std::array<float, max_opus_packet_samples * 2> pcm{};
  std::size_t bytes = 0;
  count_scope scope;
  for (std::size_t off = 0; off + frame_values <= tone.size(); off += frame_values) {
    std::copy_n(tone.begin() + static_cast<std::ptrdiff_t>(off), frame_values, frame.begin());
    auto n = enc->encode(frame, packet);
    if (!n) break;
    bytes += *n;
    if (!dec->decode(std::span(packet.data(), *n), pcm)) break;
  }
  (void)dec->conceal(pcm);
  const long seen = scope.count();
  EXPECT_EQ(seen, 0);
  EXPECT_GT(bytes, 0u);
}

filter_settings every_filter() {
  filter_settings s;
  s.volume = 0.8f;
  s.equalizer = std::array<float, equalizer_band_count>{0.1f, 0.05f, 0, 0, -0.1f, 0, 0, 0, 0.2f, 0, 0, 0, 0, 0, 0.1f};
  s.karaoke = karaoke_settings{};
  s.timescale = timescale_settings{.speed = 1.2, .pitch = 1.1, .rate = 0.95};
  s.tremolo = tremolo_settings{};
  s.vibrato = vibrato_settings{};
  s.rotation = rotation_settings{0.2};
  s.distortion = distortion_settings{.sin_offset = 0.1f, .scale = 0.9f};
  s.channel_mix = channel_mix_settings{0.8f, 0.2f, 0.2f, 0.8f};
  s.low_pass = low_pass_settings{};
  return s;
}

// Runs `frames` frames through the chain with counting on; returns (allocations, frames out).
std::pair<long, std::size_t> run_counted(filter_chain& chain, const std::vector<float>& tone, int frames) {
  std::array<float, frame_values> in{}, out{};
  std::size_t produced = 0;
  count_scope scope;
  for (int i = 0; i < frames; ++i) {
    const auto off = (static_cast<std::size_t>(i) * frame_values) % (tone.size() - frame_values);
    std::copy_n(tone.begin() + static_cast<std::ptrdiff_t>(off), frame_values, in.begin());
    chain.process(in);
    while (chain.pull(out)) ++produced;
    if (i == frames / 2) chain.set_player_volume(150);
  }
  chain.flush();
  while (chain.pull(out)) ++produced;
  chain.reset();
  return {scope.count(), produced};
}

TEST(audio_frame_path_alloc, full_filter_chain_does_not_allocate) {
  const auto tone = test::stereo_tone(440, 0.5, 660, 0.4, 2.0);
  filter_chain chain;
  chain.configure(every_filter());  // configure() may allocate: outside the counted region
  const auto [seen, produced] = run_counted(chain, tone, 500);
  EXPECT_EQ(seen, 0);
  EXPECT_GT(produced, 300u);
}

TEST(audio_frame_path_alloc, timescale_extremes_after_reconfiguring_do_not_allocate) {
  const auto tone = test::stereo_tone(440, 0.5, 660, 0.4, 2.0);
  filter_chain chain;
  for (const auto& t : {timescale_settings{.speed = 0.25, .pitch = 4.0, .rate = 0.25},
                        timescale_settings{.speed = 4.0, .pitch = 0.25, .rate = 4.0},
                        timescale_settings{.speed = 0.25, .pitch = 0.25, .rate = 0.25},
                        timescale_settings{.speed = 4.0, .pitch = 4.0, .rate = 4.0},
                        timescale_settings{.speed = 1.5, .pitch = 1.0, .rate = 1.0}}) {
    filter_settings s;
    s.timescale = t;
    chain.configure(s);
    const auto [seen, produced] = run_counted(chain, tone, 200);
    EXPECT_EQ(seen, 0) << t.speed << " " << t.pitch << " " << t.rate;
    EXPECT_GT(produced, 0u);
  }
}

TEST(audio_frame_path_alloc, random_timescale_settings_do_not_allocate) {
  const auto tone = test::stereo_tone(440, 0.5, 660, 0.4, 2.0);
  filter_chain chain;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> factor(0.25, 4.0);
  for (int round = 0; round < 12; ++round) {
    filter_settings s = every_filter();
    s.timescale = timescale_settings{.speed = factor(rng), .pitch = factor(rng), .rate = factor(rng)};
    chain.configure(s);
    const auto [seen, produced] = run_counted(chain, tone, 60);
    EXPECT_EQ(seen, 0) << s.timescale->speed << " " << s.timescale->pitch << " " << s.timescale->rate;
  }
}

TEST(audio_frame_path_alloc, ogg_opus_passthrough_does_not_allocate_in_steady_state) {
  if (test::fixture_dir().empty()) GTEST_SKIP() << "ffmpeg CLI missing";
  // Seekable Ogg: packets come from our page reader, whose buffers grow to the largest page
  // within the first pages and then stay.
  auto d = decoder::open(std::make_unique<memory_source>(test::read_bytes(test::fixture("tone.opus"))));
  ASSERT_TRUE(d);
  opus_packet p;
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(d->next_opus_packet(p));
  int packets = 0;
  count_scope scope;
  for (;;) {
    auto r = d->next_opus_packet(p);
    if (!r || *r == read_status::end_of_stream) break;
    ++packets;
  }
  const long seen = scope.count();
  EXPECT_EQ(seen, 0);
  EXPECT_GT(packets, 80);
}

TEST(audio_frame_path_alloc, identity_chain_does_not_allocate) {
  const auto tone = test::tone(1000, 0.5, 1.0);
  filter_chain chain;
  const auto [seen, produced] = run_counted(chain, tone, 200);
  EXPECT_EQ(seen, 0);
  EXPECT_EQ(produced, 200u);
}

}  // namespace
}  // namespace vb::audio
