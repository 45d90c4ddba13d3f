#include "vectobeat/voice/gateway_message.hpp"

#include <gtest/gtest.h>

#include <random>

namespace vb::voice {
namespace {

// decode -> check (by the caller) -> encode -> decode -> compare.
template <class T>
T golden(std::string_view text, std::optional<std::int64_t> seq = std::nullopt) {
  auto m = decode_gateway_message(text);
  EXPECT_TRUE(m) << text;
  if (!m) return T{};
  EXPECT_EQ(m->seq, seq) << text;
  auto again = decode_gateway_message(encode(*m));
  EXPECT_TRUE(again);
  if (again) {
    EXPECT_EQ(*again, *m) << encode(*m);
  }
  const T* p = std::get_if<T>(&m->payload);
  EXPECT_NE(p, nullptr) << text;
  return p ? *p : T{};
}

TEST(GatewayMessage, Identify) {
  auto p = golden<identify_payload>(
      R"({"op":0,"d":{"server_id":"41771983423143937","user_id":"104694319306248192","session_id":"my_session_id","token":"my_token","max_dave_protocol_version":1}})");
  EXPECT_EQ(p.server_id, 41771983423143937u);
  EXPECT_EQ(p.user_id, 104694319306248192u);
  EXPECT_EQ(p.session_id, "my_session_id");
  EXPECT_EQ(p.token, "my_token");
  EXPECT_EQ(p.max_dave_protocol_version, 1);
  // Absent means no DAVE; we always write it.
  auto q = golden<identify_payload>(R"({"op":0,"d":{"server_id":"1","user_id":"2","session_id":"s","token":"t"}})");
  EXPECT_EQ(q.max_dave_protocol_version, 0);
  EXPECT_EQ(encode(identify_payload{1, 2, "s", "t", 0}),
            R"({"op":0,"d":{"server_id":"1","user_id":"2","session_id":"s","token":"t","max_dave_protocol_version":0}})");
}

TEST(GatewayMessage, SelectProtocol) {
  auto p = golden<select_protocol_payload>(
      R"({"op":1,"d":{"protocol":"udp","data":{"address":"127.0.0.1","port":1337,"mode":"aead_aes256_gcm_rtpsize"}}})");
  EXPECT_EQ(p.protocol, "udp");
  EXPECT_EQ(p.address, "127.0.0.1");
  EXPECT_EQ(p.port, 1337);
  EXPECT_EQ(p.mode, "aead_aes256_gcm_rtpsize");
  EXPECT_EQ(encode(p),
            R"({"op":1,"d":{"protocol":"udp","data":{"address":"127.0.0.1","port":1337,"mode":"aead_aes256_gcm_rtpsize"}}})");
}

TEST(GatewayMessage, Ready) {
  auto p = golden<ready_payload>(
      R"({"op":2,"seq":1,"d":{"ssrc":4294967295,"ip":"127.0.0.1","port":1234,"modes":["aead_aes256_gcm_rtpsize","aead_xchacha20_poly1305_rtpsize","xsalsa20_poly1305"],"heartbeat_interval":1}})",
      1);
  EXPECT_EQ(p.ssrc, 4294967295u);
  EXPECT_EQ(p.ip, "127.0.0.1");
  EXPECT_EQ(p.port, 1234);
  ASSERT_EQ(p.modes.size(), 3u);
  EXPECT_EQ(p.modes[2], "xsalsa20_poly1305");
}

TEST(GatewayMessage, HeartbeatV8AndLegacy) {
  auto p = golden<heartbeat_payload>(R"({"op":3,"d":{"t":1501184119561,"seq_ack":10}})");
  EXPECT_EQ(p.t, 1501184119561);
  EXPECT_EQ(p.seq_ack, 10);
  EXPECT_EQ(encode(heartbeat_payload{1, -1}), R"({"op":3,"d":{"t":1,"seq_ack":-1}})");
  auto legacy = golden<heartbeat_payload>(R"({"op":3,"d":1501184119561})");
  EXPECT_EQ(legacy.t, 1501184119561);
  EXPECT_FALSE(legacy.seq_ack);
}

TEST(GatewayMessage, SessionDescription) {
  std::string key;
  for (int i = 0; i < 32; ++i) key += (i ? "," : "") + std::to_string(255 - i);
  auto p = golden<session_description_payload>(
      R"({"op":4,"seq":2,"d":{"mode":"aead_xchacha20_poly1305_rtpsize","secret_key":[)" + key +
          R"(],"dave_protocol_version":1}})",
      2);
  EXPECT_EQ(p.mode, "aead_xchacha20_poly1305_rtpsize");
  EXPECT_EQ(p.secret_key[0], 255);
  EXPECT_EQ(p.secret_key[31], 224);
  EXPECT_EQ(p.dave_protocol_version, 1);
}

TEST(GatewayMessage, Speaking) {
  auto c = golden<speaking_payload>(R"({"op":5,"d":{"speaking":5,"delay":0,"ssrc":1}})");
  EXPECT_EQ(c.speaking, speaking_microphone | speaking_priority);
  EXPECT_EQ(c.ssrc, 1u);
  EXPECT_FALSE(c.user_id);
  EXPECT_EQ(encode(speaking_payload{1, 0, 7, std::nullopt}), R"({"op":5,"d":{"speaking":1,"delay":0,"ssrc":7}})");
  auto s = golden<speaking_payload>(R"({"op":5,"seq":9,"d":{"user_id":"80351110224678912","ssrc":2,"speaking":1}})", 9);
  EXPECT_EQ(s.user_id, 80351110224678912u);
  auto legacy = golden<speaking_payload>(R"({"op":5,"d":{"speaking":true,"ssrc":3}})");
  EXPECT_EQ(legacy.speaking, speaking_microphone);
}

TEST(GatewayMessage, HeartbeatAck) {
  EXPECT_EQ(golden<heartbeat_ack_payload>(R"({"op":6,"d":{"t":1501184119561}})").t, 1501184119561);
  EXPECT_EQ(golden<heartbeat_ack_payload>(R"({"op":6,"d":42})").t, 42);
}

TEST(GatewayMessage, Resume) {
  auto p = golden<resume_payload>(
      R"({"op":7,"d":{"server_id":"41771983423143937","session_id":"my_session_id","token":"my_token","seq_ack":10}})");
  EXPECT_EQ(p.server_id, 41771983423143937u);
  EXPECT_EQ(p.session_id, "my_session_id");
  EXPECT_EQ(p.token, "my_token");
  EXPECT_EQ(p.seq_ack, 10);
}

TEST(GatewayMessage, HelloRoundsFractionalIntervals) {
  EXPECT_EQ(golden<hello_payload>(R"({"op":8,"d":{"heartbeat_interval":41250}})").heartbeat_interval_ms, 41250);
  EXPECT_EQ(golden<hello_payload>(R"({"op":8,"d":{"v":8,"heartbeat_interval":13750.5}})").heartbeat_interval_ms, 13750);
}

TEST(GatewayMessage, ResumedAndMembers) {
  golden<resumed_payload>(R"({"op":9,"d":null})");
  EXPECT_EQ(encode(resumed_payload{}), R"({"op":9,"d":null})");
  auto cc = golden<clients_connect_payload>(R"({"op":11,"seq":3,"d":{"user_ids":["1","80351110224678912"]}})", 3);
  EXPECT_EQ(cc.user_ids, (std::vector<snowflake>{1, 80351110224678912u}));
  EXPECT_EQ(golden<client_disconnect_payload>(R"({"op":13,"seq":4,"d":{"user_id":"5"}})", 4).user_id, 5u);
}

TEST(GatewayMessage, DaveJsonOps) {
  auto pt = golden<dave_prepare_transition_payload>(R"({"op":21,"seq":5,"d":{"protocol_version":0,"transition_id":7}})", 5);
  EXPECT_EQ(pt.protocol_version, 0);
  EXPECT_EQ(pt.transition_id, 7);
  EXPECT_EQ(golden<dave_execute_transition_payload>(R"({"op":22,"seq":6,"d":{"transition_id":7}})", 6).transition_id, 7);
  EXPECT_EQ(golden<dave_transition_ready_payload>(R"({"op":23,"d":{"transition_id":7}})").transition_id, 7);
  auto pe = golden<dave_prepare_epoch_payload>(R"({"op":24,"seq":7,"d":{"protocol_version":1,"epoch":1}})", 7);
  EXPECT_EQ(pe.protocol_version, 1);
  EXPECT_EQ(pe.epoch, 1u);
  EXPECT_EQ(golden<dave_invalid_commit_welcome_payload>(R"({"op":31,"d":{"transition_id":9}})").transition_id, 9);
  EXPECT_EQ(encode(dave_transition_ready_payload{3}), R"({"op":23,"d":{"transition_id":3}})");
}

TEST(GatewayMessage, UnknownOpcodesSurvive) {
  auto u = golden<unknown_payload>(R"({"op":18,"d":{"flags":2}})");
  EXPECT_EQ(u.op, 18);
  EXPECT_EQ(u.d, R"({"flags":2})");
  auto m = decode_gateway_message(R"({"op":20,"seq":11})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->opcode(), 20);
  EXPECT_EQ(std::get<unknown_payload>(m->payload).d, "null");
}

TEST(GatewayMessage, SeqIsTopLevel) {
  auto m = decode_gateway_message(R"({"op":5,"d":{"speaking":1,"ssrc":2,"delay":0},"seq":42})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->seq, 42);
  EXPECT_EQ(m->opcode(), 5);
  EXPECT_EQ(encode(*m), R"({"op":5,"d":{"speaking":1,"delay":0,"ssrc":2},"seq":42})");
  EXPECT_FALSE(decode_gateway_message(R"({"op":9,"d":null,"seq":null})")->seq);
  EXPECT_EQ(decode_gateway_message(R"({"op":9,"seq":"1"})").error(), voice_error::invalid_payload);
}

TEST(GatewayMessage, RejectsMalformedInput) {
  auto err = [](std::string_view t) {
    auto m = decode_gateway_message(t);
    return m ? std::optional<voice_error>() : m.error();
  };
  EXPECT_EQ(err("not json"), voice_error::invalid_json);
  EXPECT_EQ(err(""), voice_error::invalid_json);
  EXPECT_EQ(err("[1,2]"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"d":{}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":"2","d":{}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":300,"d":{}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":-1,"d":{}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":2,"d":{"ip":"1.1.1.1","port":1,"modes":[]}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":2,"d":{"ssrc":-1,"ip":"1.1.1.1","port":1,"modes":[]}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":2,"d":{"ssrc":4294967296,"ip":"1.1.1.1","port":1,"modes":[]}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":2,"d":{"ssrc":1,"ip":"1.1.1.1","port":65536,"modes":[]}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":2,"d":{"ssrc":1,"ip":"1.1.1.1","port":1,"modes":[1]}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":2,"d":"x"})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":4,"d":{"mode":"m","secret_key":[1,2,3]}})"), voice_error::invalid_payload);
  std::string k31, k_big;
  for (int i = 0; i < 31; ++i) k31 += std::to_string(i) + ",";
  EXPECT_EQ(err(R"({"op":4,"d":{"mode":"m","secret_key":[)" + k31 + "256]}}"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":4,"d":{"mode":"m","secret_key":[)" + k31 + "1.5]}}"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":0,"d":{"server_id":"abc","user_id":"2","session_id":"s","token":"t"}})"),
            voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":0,"d":{"server_id":"0","user_id":"2","session_id":"s","token":"t"}})"),
            voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":0,"d":{"server_id":"-1","user_id":"2","session_id":"s","token":"t"}})"),
            voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":3,"d":{"seq_ack":1}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":3,"d":{"t":1,"seq_ack":"x"}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":8,"d":{"heartbeat_interval":0}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":8,"d":{"heartbeat_interval":"41250"}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":11,"d":{"user_ids":["1",null]}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":21,"d":{"transition_id":70000,"protocol_version":1}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(R"({"op":21,"d":{"transition_id":1}})"), voice_error::invalid_payload);
  EXPECT_EQ(err(std::string(20, '[') + std::string(20, ']')), voice_error::invalid_json);  // too deep
  EXPECT_EQ(err(R"({"op":9,"d":")" + std::string(max_gateway_text_bytes, 'x') + "\"}"), voice_error::invalid_json);
}

TEST(GatewayMessage, ArbitraryTextNeverThrows) {
  std::mt19937 rng(5);
  const std::string alphabet = R"({}[]":,0123456789-.eE optdseqa_ckl)";
  for (int i = 0; i < 20000; ++i) {
    std::string t = R"({"op":)" + std::to_string(rng() % 33) + R"(,"d":)";
    for (std::size_t n = rng() % 60; n > 0; --n) t += alphabet[rng() % alphabet.size()];
    EXPECT_NO_THROW((void)decode_gateway_message(t));
  }
}

}  // namespace
}  // namespace vb::voice
