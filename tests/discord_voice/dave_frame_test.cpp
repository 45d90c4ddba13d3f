#include "vectobeat/voice/dave_frame.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace vb::voice {
namespace {

using bytes = std::vector<std::uint8_t>;

std::span<const std::uint8_t> view(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(DaveFrame, ServerFramesCarryASequencePrefix) {
  const bytes payload{1, 2, 3};
  const std::string f = encode_server_dave_frame(0x1234, voice_opcode::dave_mls_external_sender, payload);
  EXPECT_EQ(bytes(f.begin(), f.end()), (bytes{0x12, 0x34, 25, 1, 2, 3}));
  auto d = decode_server_dave_frame(view(f));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->seq, 0x1234);
  EXPECT_EQ(d->opcode, voice_opcode::dave_mls_external_sender);
  EXPECT_EQ(bytes(d->payload.begin(), d->payload.end()), payload);
  for (auto op : {voice_opcode::dave_mls_proposals, voice_opcode::dave_mls_announce_commit_transition,
                  voice_opcode::dave_mls_welcome}) {
    auto r = decode_server_dave_frame(view(encode_server_dave_frame(65535, op, {})));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seq, 65535);
    EXPECT_EQ(r->opcode, op);
    EXPECT_TRUE(r->payload.empty());
  }
}

TEST(DaveFrame, ClientFramesHaveNoPrefix) {
  const bytes payload{9, 8};
  const std::string f = encode_client_dave_frame(voice_opcode::dave_mls_key_package, payload);
  EXPECT_EQ(bytes(f.begin(), f.end()), (bytes{26, 9, 8}));
  auto d = decode_client_dave_frame(view(f));
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->seq);
  EXPECT_EQ(d->opcode, voice_opcode::dave_mls_key_package);
  EXPECT_EQ(bytes(d->payload.begin(), d->payload.end()), payload);
  EXPECT_TRUE(decode_client_dave_frame(view(encode_client_dave_frame(voice_opcode::dave_mls_commit_welcome, {}))));
}

TEST(DaveFrame, RejectsShortAndMisdirectedFrames) {
  EXPECT_EQ(decode_server_dave_frame(bytes{0, 1}).error(), voice_error::truncated);
  EXPECT_EQ(decode_client_dave_frame(bytes{}).error(), voice_error::truncated);
  EXPECT_EQ(decode_server_dave_frame(bytes{0, 1, 26}).error(), voice_error::unknown_opcode);  // client op
  EXPECT_EQ(decode_server_dave_frame(bytes{0, 1, 31}).error(), voice_error::unknown_opcode);  // JSON op
  EXPECT_EQ(decode_server_dave_frame(bytes{0, 1, 0}).error(), voice_error::unknown_opcode);
  EXPECT_EQ(decode_client_dave_frame(bytes{25}).error(), voice_error::unknown_opcode);  // server op
  EXPECT_EQ(decode_client_dave_frame(bytes{24}).error(), voice_error::unknown_opcode);
  EXPECT_TRUE(is_dave_binary_opcode(25));
  EXPECT_TRUE(is_dave_binary_opcode(30));
  EXPECT_FALSE(is_dave_binary_opcode(31));
  EXPECT_FALSE(is_dave_binary_opcode(24));
}

}  // namespace
}  // namespace vb::voice
