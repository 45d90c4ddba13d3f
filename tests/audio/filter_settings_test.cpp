#include "vectobeat/audio/filter_settings.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vb::audio {
namespace {

TEST(audio_filter_settings, enabled_rules_follow_lavalink) {
  filter_settings s;
  EXPECT_FALSE(s.any_enabled());
  s.volume = 1.0f;
  EXPECT_FALSE(s.any_enabled());
  s.volume = 1.5f;
  EXPECT_TRUE(s.volume_enabled());
  s = {};
  s.equalizer = std::array<float, equalizer_band_count>{};
  EXPECT_FALSE(s.any_enabled());
  (*s.equalizer)[14] = -0.1f;
  EXPECT_TRUE(s.equalizer_enabled());
  EXPECT_TRUE(karaoke_settings{}.enabled());
  EXPECT_FALSE(timescale_settings{}.enabled());
  EXPECT_TRUE((timescale_settings{.rate = 0.9}.enabled()));
  EXPECT_TRUE(tremolo_settings{}.enabled());
  EXPECT_FALSE((tremolo_settings{.depth = 0}.enabled()));
  EXPECT_FALSE(rotation_settings{}.enabled());
  EXPECT_FALSE(distortion_settings{}.enabled());
  EXPECT_TRUE((distortion_settings{.offset = 0.1f}.enabled()));
  EXPECT_FALSE(channel_mix_settings{}.enabled());
  EXPECT_TRUE(low_pass_settings{}.enabled());
  EXPECT_FALSE(low_pass_settings{1.0f}.enabled());
  EXPECT_EQ(equalizer_band_hz[8], 1000.0f);
}

TEST(audio_filter_settings, validate_reports_the_json_field) {
  filter_settings ok;
  ok.volume = 5.0f;
  ok.equalizer = std::array<float, equalizer_band_count>{};
  ok.equalizer->fill(-0.25f);
  ok.timescale = timescale_settings{.speed = 3.0};
  ok.vibrato = vibrato_settings{.frequency = 14.0f, .depth = 1.0f};
  ok.channel_mix = channel_mix_settings{0.5f, 0.5f, 0.5f, 0.5f};
  ok.karaoke = karaoke_settings{};
  ok.distortion = distortion_settings{};
  EXPECT_FALSE(validate(ok));

  auto field_of = [](const filter_settings& s) { return std::string(validate(s).value().field); };
  filter_settings s;
  s.volume = 5.5f;
  EXPECT_EQ(field_of(s), "volume");
  s = {};
  s.equalizer = std::array<float, equalizer_band_count>{};
  (*s.equalizer)[3] = 1.5f;
  EXPECT_EQ(field_of(s), "equalizer[3].gain");
  s = {};
  s.timescale = timescale_settings{.speed = 1.0, .pitch = 0.0};
  EXPECT_EQ(field_of(s), "timescale.pitch");
  s = {};
  s.vibrato = vibrato_settings{.frequency = 15.0f};
  EXPECT_EQ(field_of(s), "vibrato.frequency");
  s = {};
  s.tremolo = tremolo_settings{.frequency = 2.0f, .depth = 1.5f};
  EXPECT_EQ(field_of(s), "tremolo.depth");
  s = {};
  s.karaoke = karaoke_settings{.level = 2.0f};
  EXPECT_EQ(field_of(s), "karaoke.level");
  s = {};
  s.channel_mix = channel_mix_settings{.right_to_left = -0.1f};
  EXPECT_EQ(field_of(s), "channelMix.rightToLeft");
  s = {};
  s.rotation = rotation_settings{NAN};
  EXPECT_EQ(field_of(s), "rotation.rotationHz");
  s = {};
  s.distortion = distortion_settings{.tan_scale = INFINITY};
  EXPECT_EQ(field_of(s), "distortion");
  s = {};
  s.low_pass = low_pass_settings{NAN};
  EXPECT_EQ(field_of(s), "lowPass.smoothing");
}

}  // namespace
}  // namespace vb::audio
