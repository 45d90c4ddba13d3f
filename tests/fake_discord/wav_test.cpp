#include "vectobeat/fake_discord/wav.hpp"

#include <gtest/gtest.h>

namespace vb::fake {
namespace {

TEST(Wav, RoundTripKeepsSamplesRateAndChannels) {
  std::vector<std::int16_t> pcm{0, 1, -1, 32767, -32768, 1234};
  auto bytes = encode_wav(pcm, 48000, 2);
  EXPECT_EQ(bytes.size(), 44u + pcm.size() * 2);
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  auto back = decode_wav(bytes);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->sample_rate, 48000);
  EXPECT_EQ(back->channels, 2);
  EXPECT_EQ(back->samples, pcm);
  EXPECT_EQ(back->frames(), 3u);
}

TEST(Wav, RejectsWhatIsNotA16BitPcmFile) {
  EXPECT_FALSE(decode_wav(""));
  EXPECT_FALSE(decode_wav("RIFF\x00\x00\x00\x00WAVX"));
  auto ok = encode_wav(std::vector<std::int16_t>{1, 2}, 48000, 2);
  auto truncated = ok.substr(0, 42);
  EXPECT_FALSE(decode_wav(truncated)) << "data chunk runs past the end";
  auto eight_bit = ok;
  eight_bit[34] = 8;
  EXPECT_FALSE(decode_wav(eight_bit));
  auto no_data = ok.substr(0, 36);
  EXPECT_FALSE(decode_wav(no_data));
}

}  // namespace
}  // namespace vb::fake
