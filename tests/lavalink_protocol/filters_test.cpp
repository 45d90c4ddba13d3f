#include "vectobeat/lavalink/filters.hpp"

#include <gtest/gtest.h>

#include "lavalink_protocol/golden.hpp"

namespace vb::lavalink {
namespace {

TEST(FiltersJson, DocumentedExample) {
  const auto f = test::golden<filters>(R"({"volume": 1.0, "equalizer": [{"band": 0, "gain": 0.2}],
    "timescale": {"speed": 1.2, "pitch": 1.2, "rate": 1.0}, "lowPass": {"smoothing": 20.0},
    "pluginFilters": {"myPlugin": {"myPluginKey": "myPluginValue"}}})");
  EXPECT_EQ(f.volume, 1.0);
  ASSERT_TRUE(f.equalizer);
  ASSERT_EQ(f.equalizer->size(), 1u);
  EXPECT_EQ((*f.equalizer)[0], (equalizer_band{0, 0.2}));
  EXPECT_EQ(f.timescale, (timescale_filter{1.2, 1.2, 1.0}));
  EXPECT_EQ(f.low_pass, low_pass_filter{20.0});
  EXPECT_FALSE(f.karaoke);
  EXPECT_EQ(f.plugin_filters.at("myPlugin").at("myPluginKey"), "myPluginValue");
  EXPECT_EQ(set_filter_names(f), (std::vector<std::string>{"volume", "equalizer", "timescale", "lowPass", "myPlugin"}));
}

TEST(FiltersJson, EveryFilterEchoedExactlyEvenAtDefaults) {
  const auto f = test::golden<filters>(R"({"volume":1.0,"equalizer":[{"band":14,"gain":-0.25},{"band":3,"gain":0.0}],
    "karaoke":{"level":1.0,"monoLevel":1.0,"filterBand":220.0,"filterWidth":100.0},
    "timescale":{"speed":1.0,"pitch":1.0,"rate":1.0},"tremolo":{"frequency":2.0,"depth":0.5},
    "vibrato":{"frequency":2.0,"depth":0.5},"rotation":{"rotationHz":0.0},
    "distortion":{"sinOffset":0.0,"sinScale":1.0,"cosOffset":0.0,"cosScale":1.0,"tanOffset":0.0,"tanScale":1.0,
      "offset":0.0,"scale":1.0},
    "channelMix":{"leftToLeft":1.0,"leftToRight":0.0,"rightToLeft":0.0,"rightToRight":1.0},
    "lowPass":{"smoothing":20.0}})");
  EXPECT_EQ(set_filter_names(f).size(), 10u);
  EXPECT_TRUE(affects_audio(f));  // karaoke counts whenever present, and the equalizer has a gain
}

TEST(FiltersJson, AbsentFieldsTakeTheDefaults) {
  auto f = from_json<filters>(test::must_parse(R"({"karaoke":{},"timescale":{"speed":1.5},"tremolo":{"depth":1},
    "vibrato":{},"rotation":{},"distortion":{"scale":2},"channelMix":{"leftToRight":0.5},"lowPass":{},
    "equalizer":[{"band":2}]})"));
  ASSERT_TRUE(f) << f.error();
  EXPECT_EQ(f->karaoke, karaoke_filter{});
  EXPECT_EQ(f->timescale, (timescale_filter{1.5, 1.0, 1.0}));
  EXPECT_EQ(f->tremolo, (tremolo_filter{2.0, 1.0}));
  EXPECT_EQ(f->vibrato, vibrato_filter{});
  EXPECT_EQ(f->rotation, rotation_filter{});
  EXPECT_EQ(f->distortion->scale, 2.0);
  EXPECT_EQ(f->distortion->sin_scale, 1.0);
  EXPECT_EQ(f->channel_mix->left_to_right, 0.5);
  EXPECT_EQ(f->channel_mix->right_to_right, 1.0);
  EXPECT_EQ(f->low_pass->smoothing, 20.0);
  EXPECT_EQ((*f->equalizer)[0].gain, 1.0);  // the reference model's quirk
  // Echoed with the defaults filled in.
  EXPECT_EQ(to_json(*f).at("vibrato"), test::must_parse(R"({"frequency":2.0,"depth":0.5})"));
}

TEST(FiltersJson, NullAndAbsentMeanNotSet) {
  const auto f = test::golden<filters>("{}");
  EXPECT_TRUE(f.empty());
  auto n = from_json<filters>(test::must_parse(R"({"volume":null,"equalizer":null,"karaoke":null,"timescale":null,
    "tremolo":null,"vibrato":null,"rotation":null,"distortion":null,"channelMix":null,"lowPass":null,
    "pluginFilters":null,"unknownFilter":{"x":1}})"));
  ASSERT_TRUE(n) << n.error();
  EXPECT_TRUE(n->empty());
  EXPECT_EQ(to_json(*n), boost::json::object());
  EXPECT_FALSE(affects_audio(*n));
}

TEST(FiltersJson, AffectsAudioFollowsTheSpecTable) {
  filters f;
  f.volume = 1.0;
  f.equalizer = std::vector<equalizer_band>{{0, 0.0}};
  f.timescale = timescale_filter{};
  f.tremolo = tremolo_filter{2.0, 0.0};
  f.vibrato = vibrato_filter{2.0, 0.0};
  f.rotation = rotation_filter{};
  f.distortion = distortion_filter{};
  f.channel_mix = channel_mix_filter{};
  f.low_pass = low_pass_filter{1.0};
  EXPECT_FALSE(affects_audio(f));  // set, but all neutral: passthrough stays possible
  f.low_pass = low_pass_filter{};
  EXPECT_TRUE(affects_audio(f));
  f.low_pass.reset();
  f.volume = 0.8;
  EXPECT_TRUE(affects_audio(f));
  f.volume.reset();
  f.plugin_filters["echo"] = boost::json::object();
  EXPECT_TRUE(affects_audio(f));
}

TEST(FiltersJson, DisabledFiltersMessage) {
  auto f = from_json<filters>(test::must_parse(R"({"volume":1.0,"karaoke":{},"lowPass":{},
    "pluginFilters":{"echo":{}}})")).value();
  EXPECT_EQ(disabled_filters_error(f, {}), std::nullopt);
  EXPECT_EQ(disabled_filters_error(f, {"timescale", "tremolo"}), std::nullopt);
  EXPECT_EQ(disabled_filters_error(f, {"lowPass", "volume", "echo"}),
            "Following filters are disabled in the config: volume, lowPass, echo");
}

TEST(FiltersJson, TypeAndBandErrors) {
  EXPECT_EQ(test::decode_error<filters>(R"({"volume":"1"})"), "volume must be a number");
  EXPECT_EQ(test::decode_error<filters>(R"({"equalizer":{}})"), "equalizer must be an array");
  EXPECT_EQ(test::decode_error<filters>(R"({"equalizer":[{"band":15,"gain":0}]})"),
            "equalizer[0].band must be an integer between 0 and 14");
  EXPECT_EQ(test::decode_error<filters>(R"({"equalizer":[{"band":0,"gain":0},{"band":-1,"gain":0}]})"),
            "equalizer[1].band must be an integer between 0 and 14");
  EXPECT_EQ(test::decode_error<filters>(R"({"equalizer":[{"gain":0}]})"),
            "equalizer[0].band must be an integer between 0 and 14");
  EXPECT_EQ(test::decode_error<filters>(R"({"equalizer":[1]})"), "equalizer[0] must be an object");
  EXPECT_EQ(test::decode_error<filters>(R"({"timescale":{"speed":"fast"}})"), "timescale.speed must be a number");
  EXPECT_EQ(test::decode_error<filters>(R"({"timescale":{"speed":null}})"), "timescale.speed must be a number");
  EXPECT_EQ(test::decode_error<filters>(R"({"karaoke":true})"), "karaoke must be an object or null");
  EXPECT_EQ(test::decode_error<filters>(R"({"pluginFilters":[]})"), "pluginFilters must be an object");
}

}  // namespace
}  // namespace vb::lavalink
