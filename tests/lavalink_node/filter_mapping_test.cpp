#include "vectobeat/node/filter_mapping.hpp"

#include <gtest/gtest.h>

namespace vb::node {
namespace {

TEST(FilterMapping, EveryFilterMapsAndEnablesLikeLavalink) {
  lavalink::filters f;
  EXPECT_FALSE(to_filter_settings(f).any_enabled());
  f.volume = 1.0;  // set but at its default: not applied (Lavalink's isEnabled)
  f.timescale = lavalink::timescale_filter{};
  EXPECT_FALSE(to_filter_settings(f).any_enabled());
  f.equalizer = std::vector<lavalink::equalizer_band>{{3, 0.25}, {14, -0.25}};
  auto s = to_filter_settings(f);
  ASSERT_TRUE(s.equalizer);
  EXPECT_FLOAT_EQ((*s.equalizer)[3], 0.25f);
  EXPECT_FLOAT_EQ((*s.equalizer)[14], -0.25f);
  EXPECT_FLOAT_EQ((*s.equalizer)[0], 0.0f);
  EXPECT_TRUE(s.any_enabled());
  f = {};
  f.karaoke = lavalink::karaoke_filter{0.5, 0.25, 200, 80};
  f.tremolo = lavalink::tremolo_filter{4, 0.7};
  f.vibrato = lavalink::vibrato_filter{6, 0.3};
  f.rotation = lavalink::rotation_filter{0.2};
  f.distortion = lavalink::distortion_filter{0.1, 1, 0, 1, 0, 1, 0, 2};
  f.channel_mix = lavalink::channel_mix_filter{0.5, 0.5, 0.5, 0.5};
  f.low_pass = lavalink::low_pass_filter{30};
  f.timescale = lavalink::timescale_filter{1.2, 0.9, 1.0};
  s = to_filter_settings(f);
  EXPECT_FLOAT_EQ(s.karaoke->mono_level, 0.25f);
  EXPECT_FLOAT_EQ(s.karaoke->filter_width, 80.0f);
  EXPECT_FLOAT_EQ(s.tremolo->frequency, 4.0f);
  EXPECT_FLOAT_EQ(s.vibrato->depth, 0.3f);
  EXPECT_DOUBLE_EQ(s.rotation->rotation_hz, 0.2);
  EXPECT_FLOAT_EQ(s.distortion->sin_offset, 0.1f);
  EXPECT_FLOAT_EQ(s.distortion->scale, 2.0f);
  EXPECT_FLOAT_EQ(s.channel_mix->right_to_left, 0.5f);
  EXPECT_FLOAT_EQ(s.low_pass->smoothing, 30.0f);
  EXPECT_DOUBLE_EQ(s.timescale->speed, 1.2);
  EXPECT_DOUBLE_EQ(s.timescale->pitch, 0.9);
  EXPECT_TRUE(s.any_enabled());
}

}  // namespace
}  // namespace vb::node
