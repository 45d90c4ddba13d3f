#include "vectobeat/audio/filter_chain.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "audio/signal.hpp"

namespace vb::audio {
namespace {

using test::channel;
using test::db;
using test::rms;

// A chain with `s` fully applied (glides finished) and the given player volume.
filter_chain chain_with(const filter_settings& s, int player_volume = 100,
                        volume_curve curve = volume_curve::linear) {
  filter_chain c({.player_volume_curve = curve});
  c.configure(s);
  c.set_player_volume(player_volume);
  c.reset();
  return c;
}

// Ratio in dB of output to input RMS on channel `c`, skipping `skip_s` seconds of settling.
double gain_db(filter_chain& chain, const std::vector<float>& in, double skip_s = 0.2, int c = 0) {
  const auto out = test::run_chain(chain, in);
  const auto skip = static_cast<std::size_t>(skip_s * sample_rate);
  const auto a = channel(in, c), b = channel(out, c);
  const std::size_t n = std::min(a.size(), b.size());
  return db(rms(std::span(b).subspan(skip, n - skip)) / rms(std::span(a).subspan(skip, n - skip)));
}

std::vector<float> middle(const std::vector<float>& mono, double edge_s = 0.25) {
  const auto edge = static_cast<std::ptrdiff_t>(edge_s * sample_rate);
  return {mono.begin() + edge, mono.end() - edge};
}

double seconds(const std::vector<float>& lr) { return static_cast<double>(lr.size()) / channel_count / sample_rate; }

TEST(audio_filter_chain, volume_filter_scales_rms) {
  filter_settings s;
  s.volume = 0.5f;
  auto c = chain_with(s);
  EXPECT_NEAR(gain_db(c, test::tone(1000, 0.5, 1.0), 0.0), -6.02, 0.1);
}

TEST(audio_filter_chain, player_volume_200_doubles_and_clips_at_full_scale) {
  auto c = chain_with({}, 200);
  EXPECT_NEAR(gain_db(c, test::tone(1000, 0.25, 1.0), 0.0), 6.02, 0.1);

  auto loud = chain_with({}, 200);
  const auto out = test::run_chain(loud, test::tone(1000, 0.8, 0.2));
  float peak = 0;
  for (float v : out) peak = std::max(peak, std::fabs(v));
  EXPECT_EQ(peak, 1.0f);  // saturated, never beyond full scale
}

TEST(audio_filter_chain, player_volume_and_volume_filter_multiply) {
  filter_settings s;
  s.volume = 0.5f;
  auto c = chain_with(s, 50);
  EXPECT_NEAR(gain_db(c, test::tone(1000, 0.5, 1.0), 0.0), -12.04, 0.1);
}

TEST(audio_filter_chain, lavaplayer_volume_curve_is_available) {
  auto c = chain_with({}, 200, volume_curve::lavaplayer);
  EXPECT_NEAR(gain_db(c, test::tone(1000, 0.1, 1.0), 0.0), db(24621.0 * 200 / 150 / 10000.0), 0.05);
  auto half = chain_with({}, 50, volume_curve::lavaplayer);
  EXPECT_NEAR(gain_db(half, test::tone(1000, 0.1, 1.0), 0.0), db(std::tan(50 * 0.0079f)), 0.05);
}

// lavadsp's smoother v += (x - v)/s is H(z) = a / (1 - (1-a) z^-1), a = 1/s.
double low_pass_gain_db(double smoothing, double freq) {
  const double a = 1.0 / smoothing;
  const double w = 2 * std::numbers::pi * freq / sample_rate;
  return db(a / std::sqrt(1 - 2 * (1 - a) * std::cos(w) + (1 - a) * (1 - a)));
}

TEST(audio_filter_chain, low_pass_matches_lavadsp_smoother) {
  filter_settings s;
  s.low_pass = low_pass_settings{20.0f};
  auto c = chain_with(s);
  const double expected = low_pass_gain_db(20.0, 1000.0);
  EXPECT_NEAR(expected, -8.75, 0.05);  // the formula itself, for the record
  EXPECT_NEAR(gain_db(c, test::tone(1000, 0.5, 1.0)), expected, 0.5);
  auto bass = chain_with(s);
  const double g50 = gain_db(bass, test::tone(50, 0.5, 1.0));
  EXPECT_NEAR(g50, low_pass_gain_db(20.0, 50.0), 0.5);
  EXPECT_GT(g50, -0.5);

  s.low_pass = low_pass_settings{1.0f};  // <= 1 disables
  EXPECT_TRUE(chain_with(s).is_identity());
}

TEST(audio_filter_chain, equalizer_band_8_raises_1khz_only) {
  filter_settings s;
  s.equalizer = std::array<float, equalizer_band_count>{};
  (*s.equalizer)[8] = 0.25f;
  auto c = chain_with(s);
  EXPECT_NEAR(gain_db(c, test::tone(1000, 0.2, 1.0)), 6.02, 0.5);
  auto low = chain_with(s);
  EXPECT_NEAR(gain_db(low, test::tone(25, 0.2, 2.0), 0.5), 0.0, 0.3);

  (*s.equalizer)[8] = -0.25f;  // "muted"
  auto cut = chain_with(s);
  EXPECT_LT(gain_db(cut, test::tone(1000, 0.2, 1.0)), -20.0);
}

struct timescale_case {
  timescale_settings t;
  double duration_ratio;
  double freq_ratio;
};

void PrintTo(const timescale_case& c, std::ostream* os) {
  *os << "speed=" << c.t.speed << ",pitch=" << c.t.pitch << ",rate=" << c.t.rate;
}

class filter_chain_timescale : public ::testing::TestWithParam<timescale_case> {};

TEST_P(filter_chain_timescale, changes_duration_and_pitch) {
  const auto& p = GetParam();
  filter_settings s;
  s.timescale = p.t;
  auto c = chain_with(s);
  const auto in = test::tone(1000, 0.5, 3.0);
  const auto out = test::run_chain(c, in);
  EXPECT_NEAR(seconds(out) / 3.0, p.duration_ratio, 0.02 * p.duration_ratio);
  for (int ch = 0; ch < 2; ++ch) {
    EXPECT_NEAR(test::zero_crossing_frequency(middle(channel(out, ch))), 1000.0 * p.freq_ratio, 10.0 * p.freq_ratio);
  }
}

INSTANTIATE_TEST_SUITE_P(
    audio_timescale, filter_chain_timescale,
    ::testing::Values(timescale_case{{.speed = 1.25, .pitch = 1.0, .rate = 1.0}, 1 / 1.25, 1.0},
                      timescale_case{{.speed = 1.0, .pitch = 1.5, .rate = 1.0}, 1.0, 1.5},
                      timescale_case{{.speed = 1.0, .pitch = 1.0, .rate = 1.25}, 1 / 1.25, 1.25},
                      timescale_case{{.speed = 0.8, .pitch = 1.0, .rate = 1.0}, 1 / 0.8, 1.0}));

TEST(audio_filter_chain, tremolo_modulates_the_envelope_at_its_frequency) {
  filter_settings s;
  s.tremolo = tremolo_settings{.frequency = 4.0f, .depth = 1.0f};
  auto c = chain_with(s);
  const auto out = test::run_chain(c, test::tone(1000, 0.5, 2.0));
  auto env = test::block_rms(channel(out, 0), 240);  // 5 ms blocks: 200 per second
  const double mean = rms(env);
  for (auto& e : env) e -= static_cast<float>(mean);
  EXPECT_NEAR(test::zero_crossing_frequency(env, 200.0), 4.0, 0.2);
  const auto [lo, hi] = std::minmax_element(env.begin(), env.end());
  EXPECT_GT(*hi - *lo, 0.3);  // depth 1: the envelope swings from ~0 to full
}

TEST(audio_filter_chain, rotation_alternates_left_and_right_at_rotation_hz) {
  filter_settings s;
  s.rotation = rotation_settings{1.0};
  auto c = chain_with(s);
  const auto out = test::run_chain(c, test::tone(1000, 0.5, 3.0));
  const auto l = test::block_rms(channel(out, 0), 480), r = test::block_rms(channel(out, 1), 480);  // 100/s
  std::vector<float> balance(l.size());
  for (std::size_t i = 0; i < l.size(); ++i) balance[i] = l[i] - r[i];
  EXPECT_NEAR(test::zero_crossing_frequency(balance, 100.0), 1.0, 0.05);
  EXPECT_GT(*std::max_element(balance.begin(), balance.end()), 0.25);
  EXPECT_LT(*std::min_element(balance.begin(), balance.end()), -0.25);
}

TEST(audio_filter_chain, channel_mix_all_half_is_mono) {
  filter_settings s;
  s.channel_mix = channel_mix_settings{0.5f, 0.5f, 0.5f, 0.5f};
  auto c = chain_with(s);
  const auto out = test::run_chain(c, test::stereo_tone(500, 0.4, 1300, 0.3, 0.5));
  EXPECT_EQ(channel(out, 0), channel(out, 1));
  EXPECT_GT(rms(channel(out, 0)), 0.1);
}

TEST(audio_filter_chain, karaoke_removes_centre_and_keeps_sides) {
  filter_settings s;
  s.karaoke = karaoke_settings{};
  auto centre = chain_with(s);
  const double centre_db = gain_db(centre, test::tone(1000, 0.5, 1.0));
  auto side = chain_with(s);
  const double side_db = gain_db(side, test::stereo_tone(1000, 0.5, 1000, 0.0, 1.0));
  EXPECT_LT(centre_db, -20.0);
  EXPECT_NEAR(side_db, 0.0, 1.0);
}

TEST(audio_filter_chain, vibrato_wobbles_pitch_around_the_original) {
  filter_settings s;
  s.vibrato = vibrato_settings{.frequency = 5.0f, .depth = 1.0f};
  auto c = chain_with(s);
  const auto out = channel(test::run_chain(c, test::tone(1000, 0.5, 2.0)), 0);
  EXPECT_NEAR(test::zero_crossing_frequency(middle(out)), 1000.0, 10.0);
  double lo = 1e9, hi = 0;
  for (std::size_t off = 4800; off + 960 <= out.size() - 4800; off += 960) {
    const double f = test::zero_crossing_frequency(std::span(out).subspan(off, 960));
    lo = std::min(lo, f), hi = std::max(hi, f);
  }
  EXPECT_GT(hi - lo, 20.0);
  EXPECT_NEAR(db(rms(middle(out)) / (0.5 / std::sqrt(2.0))), 0.0, 1.0);
}

TEST(audio_filter_chain, distortion_with_defaults_is_identity) {
  filter_settings s;
  s.distortion = distortion_settings{};
  auto c = chain_with(s);
  EXPECT_TRUE(c.is_identity());
  const auto in = test::stereo_tone(440, 0.5, 660, 0.4, 0.5);
  EXPECT_EQ(test::run_chain(c, in), in);

  s.distortion->scale = 0.5f;
  auto d = chain_with(s);
  EXPECT_FALSE(d.is_identity());
  EXPECT_NE(test::run_chain(d, in), in);
}

TEST(audio_filter_chain, is_identity_follows_lavalink_enabled_rules) {
  EXPECT_TRUE(filter_chain{}.is_identity());
  filter_settings defaults;
  defaults.volume = 1.0f;
  defaults.equalizer = std::array<float, equalizer_band_count>{};
  defaults.timescale = timescale_settings{};
  defaults.tremolo = tremolo_settings{.frequency = 2.0f, .depth = 0.0f};
  defaults.vibrato = vibrato_settings{.frequency = 2.0f, .depth = 0.0f};
  defaults.rotation = rotation_settings{};
  defaults.distortion = distortion_settings{};
  defaults.channel_mix = channel_mix_settings{};
  defaults.low_pass = low_pass_settings{1.0f};
  EXPECT_TRUE(chain_with(defaults).is_identity());
  const auto in = test::stereo_tone(440, 0.5, 660, 0.4, 0.2);
  auto all_default = chain_with(defaults);
  EXPECT_EQ(test::run_chain(all_default, in), in);

  std::vector<filter_settings> changed(11);
  changed[0].volume = 0.9f;
  changed[1].equalizer = std::array<float, equalizer_band_count>{0.1f};
  changed[2].karaoke = karaoke_settings{};  // enabled whenever present
  changed[3].timescale = timescale_settings{.speed = 1.1};
  changed[4].tremolo = tremolo_settings{};
  changed[5].vibrato = vibrato_settings{};
  changed[6].rotation = rotation_settings{0.2};
  changed[7].distortion = distortion_settings{.sin_offset = 0.1f};
  changed[8].channel_mix = channel_mix_settings{.left_to_right = 0.5f};
  changed[9].low_pass = low_pass_settings{};  // default smoothing 20 is enabled
  for (std::size_t i = 0; i + 1 < changed.size(); ++i) EXPECT_FALSE(chain_with(changed[i]).is_identity()) << i;
  EXPECT_FALSE(chain_with({}, 99).is_identity());
  EXPECT_TRUE(chain_with({}, 100).is_identity());
}

// Largest step between neighbouring samples: a click shows up as a step far above the tone's.
float max_step(const std::vector<float>& mono) {
  float m = 0;
  for (std::size_t i = 1; i < mono.size(); ++i) m = std::max(m, std::fabs(mono[i] - mono[i - 1]));
  return m;
}

TEST(audio_filter_chain, settings_changes_glide_without_clicks) {
  // 1003 Hz: the changes at frames 10, 20 and 30 land near peaks of the wave, where a step
  // would be largest. The loudest the tone gets (0.5 x 150 %) sets the largest natural step.
  const auto in = test::tone(1003, 0.5, 1.0);
  const float tone_step = static_cast<float>(0.75 * 2 * std::numbers::pi * 1003 / sample_rate);
  filter_chain c;
  std::vector<float> out;
  std::array<float, frame_values> f{}, o{};
  int frame = 0;
  for (std::size_t off = 0; off + frame_values <= in.size(); off += frame_values, ++frame) {
    if (frame == 10) {
      filter_settings s;
      s.volume = 0.2f;
      s.rotation = rotation_settings{0.5};  // halves both channels at once when it starts
      c.configure(s);
    }
    if (frame == 20) c.set_player_volume(150);
    if (frame == 30) c.configure({});
    std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(off), frame_values, f.begin());
    c.process(f);
    while (c.pull(o)) out.insert(out.end(), o.begin(), o.end());
  }
  ASSERT_EQ(out.size(), in.size());
  for (int ch = 0; ch < 2; ++ch) EXPECT_LT(max_step(channel(out, ch)), tone_step * 1.05f) << ch;
}

TEST(audio_filter_chain, pull_interface_buffers_and_flushes_timescale) {
  filter_settings s;
  s.timescale = timescale_settings{.speed = 0.5};
  auto c = chain_with(s);
  std::array<float, frame_values> in{}, out{};
  const auto tone = test::tone(1000, 0.5, 0.02);
  std::copy(tone.begin(), tone.end(), in.begin());
  std::size_t produced = 0;
  for (int i = 0; i < 50; ++i) {
    c.process(in);
    c.process(in);  // feeding twice before pulling is fine
    while (c.pull(out)) ++produced;
  }
  c.flush();
  while (c.pull(out)) ++produced;
  EXPECT_NEAR(static_cast<double>(produced), 200.0, 4.0);  // 100 frames at half speed
  EXPECT_EQ(c.ready_frames(), 0u);

  // reset() drops buffered audio.
  for (int i = 0; i < 20; ++i) c.process(in);
  c.reset();
  EXPECT_EQ(c.ready_frames(), 0u);
  EXPECT_FALSE(c.pull(out));
}

TEST(audio_filter_chain, turning_timescale_off_keeps_its_buffered_audio) {
  filter_settings s;
  s.timescale = timescale_settings{.speed = 1.25};
  auto c = chain_with(s);
  const auto in = test::tone(1000, 0.5, 3.0);
  std::vector<float> out;
  std::array<float, frame_values> f{}, o{};
  for (std::size_t off = 0, frame = 0; off + frame_values <= in.size(); off += frame_values, ++frame) {
    if (frame == 75) c.configure({});
    std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(off), frame_values, f.begin());
    c.process(f);
    while (c.pull(o)) out.insert(out.end(), o.begin(), o.end());
  }
  c.flush();
  while (c.pull(o)) out.insert(out.end(), o.begin(), o.end());
  EXPECT_NEAR(seconds(out), 1.5 / 1.25 + 1.5, 0.05);
}

TEST(audio_filter_chain, timescale_moving_to_a_wider_envelope_keeps_the_audio) {
  filter_settings s;
  s.timescale = timescale_settings{.speed = 1.2};  // fits the smallest SoundTouch sizing
  auto c = chain_with(s);
  const auto in = test::tone(1000, 0.5, 3.0);
  std::vector<float> out;
  std::array<float, frame_values> f{}, o{};
  for (std::size_t off = 0, frame = 0; off + frame_values <= in.size(); off += frame_values, ++frame) {
    if (frame == 75) {
      s.timescale->speed = 3.0;  // needs the widest: a new instance, the old tail is kept
      c.configure(s);
    }
    std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(off), frame_values, f.begin());
    c.process(f);
    while (c.pull(o)) out.insert(out.end(), o.begin(), o.end());
  }
  c.flush();
  while (c.pull(o)) out.insert(out.end(), o.begin(), o.end());
  EXPECT_NEAR(seconds(out), 1.5 / 1.2 + 1.5 / 3.0, 0.05);
  EXPECT_NEAR(test::zero_crossing_frequency(middle(channel(out, 0))), 1000.0, 10.0);
}

TEST(audio_filter_chain, hostile_values_are_sanitised) {
  filter_settings s;
  s.volume = NAN;
  s.timescale = timescale_settings{.speed = 0.0, .pitch = 1e9, .rate = -3};
  s.tremolo = tremolo_settings{.frequency = -1.0f, .depth = 7.0f};
  s.vibrato = vibrato_settings{.frequency = 1e9f, .depth = INFINITY};
  s.karaoke = karaoke_settings{.level = 5, .mono_level = -1, .filter_band = 1e9f, .filter_width = -5};
  s.distortion = distortion_settings{.tan_scale = 1e30f, .scale = 1e30f};
  s.low_pass = low_pass_settings{INFINITY};
  s.equalizer = std::array<float, equalizer_band_count>{};
  s.equalizer->fill(1e9f);
  auto c = chain_with(s, 1000000);
  const auto out = test::run_chain(c, test::tone(1000, 0.5, 0.5));
  EXPECT_FALSE(out.empty());
  for (float v : out) ASSERT_TRUE(std::isfinite(v) && std::fabs(v) <= 1.0f);
}

}  // namespace
}  // namespace vb::audio
