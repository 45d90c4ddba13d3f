#include "vectobeat/voice/voice_connection.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "scripted_voice_server.hpp"
#include "test_certificate.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/voice/dave_frame.hpp"

namespace vb::voice {
namespace {

using namespace std::chrono_literals;
using bytes = std::vector<std::uint8_t>;
using test::scripted_server_options;
using test::scripted_voice_server;

constexpr snowflake guild = 41771983423143937;
constexpr snowflake bot_user = 104694319306248192;
constexpr snowflake channel = 127121515262115840;
const std::string aes = "aead_aes256_gcm_rtpsize";
const std::string xchacha = "aead_xchacha20_poly1305_rtpsize";

bytes opus_frame(int i) { return {0xFC, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i * 7), 0x42}; }

class VoiceConnectionTest : public ::testing::Test {
 protected:
  void TearDown() override {
    conn_.reset();
    if (server_) server_->stop();
    ctx_.poll();
  }

  void start_server(scripted_server_options o = {}) {
    server_ = std::make_unique<scripted_voice_server>(ctx_.get_executor(), std::move(o));
  }

  voice_connection_options options() {
    voice_connection_options o;
    o.tls = false;
    // RTP sequence starts at 0xFFE0 and the timestamp just below 2^32: both wrap in a test.
    o.random = [n = 0]() mutable -> std::uint32_t { return n++ == 0 ? 0xFFE0u : 0xFFFFF000u; };
    return o;
  }

  void connect(voice_connection_options o) {
    voice_server_info info{guild, bot_user, channel, server_->options().session_id, server_->options().token,
                           server_->endpoint()};
    voice_connection_callbacks cb;
    cb.on_close = [this](const voice_close_event& e) { closes_.push_back(e); };
    cb.on_state = [this](voice_state s) { states_.push_back(s); };
    conn_ = std::make_unique<voice_connection>(ctx_.get_executor(), clock_, info, std::move(o), std::move(cb));
    conn_->connect();
  }

  // Runs the loop until `done` holds. The wall-clock cap only turns a hang into a
  // failure; nothing waits on it (all protocol time comes from the manual clock).
  bool run_until(const std::function<bool()>& done) {
    const auto cap = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > cap) return false;
      ctx_.run_one_for(50ms);
    }
    return true;
  }

  void connect_ready(voice_connection_options o) {
    connect(std::move(o));
    ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::ready; }));
  }

  // Advances to the next heartbeat and waits until the server has it.
  const heartbeat_payload& next_heartbeat(std::chrono::milliseconds step = 1000ms) {
    const auto before = server_->count(voice_opcode::heartbeat);
    clock_.advance(step);
    EXPECT_TRUE(run_until([&] { return server_->count(voice_opcode::heartbeat) > before; }));
    return std::get<heartbeat_payload>(server_->last(voice_opcode::heartbeat)->message.payload);
  }

  void send_frames(int from, int to) {
    for (int i = from; i < to; ++i) {
      auto f = opus_frame(i);
      ASSERT_FALSE(conn_->send_opus(f)) << i;
      // Drain as we go: the ring holds 16 frames, a 20 ms producer never gets ahead.
      ctx_.poll();
    }
  }

  void expect_contiguous(std::size_t from, std::size_t to) {
    const auto& p = server_->packets();
    for (std::size_t i = from + 1; i < to; ++i) {
      EXPECT_EQ(static_cast<std::uint16_t>(p[i].header.sequence - p[i - 1].header.sequence), 1) << i;
      EXPECT_EQ(static_cast<std::uint32_t>(p[i].header.timestamp - p[i - 1].header.timestamp), 960u) << i;
      EXPECT_EQ(p[i].header.ssrc, server_->options().ssrc);
      EXPECT_EQ(p[i].header.payload_type, 120);
    }
  }

  asio::io_context ctx_;
  manual_clock clock_;
  std::unique_ptr<scripted_voice_server> server_;
  std::unique_ptr<voice_connection> conn_;
  std::vector<voice_close_event> closes_;
  std::vector<voice_state> states_;
};

TEST_F(VoiceConnectionTest, HandshakeSpeakingFiftyPacketsSilenceAndClose) {
  start_server();
  connect(options());
  EXPECT_EQ(conn_->ping_ms(), -1);
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::ready; }));

  // Identify, then Select Protocol with the address IP discovery returned.
  const auto& msgs = server_->messages();
  ASSERT_GE(msgs.size(), 2u);
  const auto& id = std::get<identify_payload>(msgs[0].message.payload);
  EXPECT_EQ(id.server_id, guild);
  EXPECT_EQ(id.user_id, bot_user);
  EXPECT_EQ(id.session_id, "session-1");
  EXPECT_EQ(id.token, "voice-token-1");
  EXPECT_EQ(id.max_dave_protocol_version, 0);
  const auto& sp = std::get<select_protocol_payload>(msgs[1].message.payload);
  EXPECT_EQ(sp.protocol, "udp");
  EXPECT_EQ(sp.address, "127.0.0.1");
  EXPECT_NE(sp.port, 0);
  EXPECT_EQ(sp.mode, aes);  // preferred when offered
  EXPECT_EQ(server_->discovery_requests(), 1u);
  EXPECT_EQ(conn_->ssrc(), 0x01020304u);
  EXPECT_EQ(conn_->mode(), encryption_mode::aead_aes256_gcm_rtpsize);
  EXPECT_EQ(states_, (std::vector<voice_state>{voice_state::connecting, voice_state::handshaking, voice_state::ready}));

  conn_->set_speaking(true);
  ASSERT_TRUE(run_until([&] { return server_->count(voice_opcode::speaking) == 1; }));
  const auto& on = std::get<speaking_payload>(server_->last(voice_opcode::speaking)->message.payload);
  EXPECT_EQ(on.speaking, speaking_microphone);
  EXPECT_EQ(on.delay, 0);
  EXPECT_EQ(on.ssrc, 0x01020304u);

  send_frames(0, 50);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 50; }));
  const auto& p = server_->packets();
  EXPECT_EQ(p[0].header.sequence, 0xFFE0);
  EXPECT_EQ(p[0].header.timestamp, 0xFFFFF000u);
  expect_contiguous(0, 50);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(p[static_cast<std::size_t>(i)].payload, opus_frame(i)) << i;
    EXPECT_TRUE(p[static_cast<std::size_t>(i)].speaking) << "audio before speaking, packet " << i;
  }

  // Stopping: five silence frames 20 ms apart, then speaking 0.
  conn_->set_speaking(false);
  ASSERT_TRUE(run_until([&] { return p.size() == 51; }));
  for (std::size_t n = 52; n <= 55; ++n) {
    EXPECT_EQ(server_->count(voice_opcode::speaking), 1u);
    clock_.advance(20ms);
    ASSERT_TRUE(run_until([&] { return p.size() == n; }));
  }
  ASSERT_TRUE(run_until([&] { return server_->count(voice_opcode::speaking) == 2; }));
  EXPECT_EQ(std::get<speaking_payload>(server_->last(voice_opcode::speaking)->message.payload).speaking, 0u);
  for (std::size_t i = 50; i < 55; ++i) EXPECT_EQ(p[i].payload, bytes(opus_silence_frame.begin(), opus_silence_frame.end()));
  expect_contiguous(0, 55);
  EXPECT_EQ(server_->undecryptable(), 0u);
  EXPECT_EQ(conn_->stats().packets_sent, 55u);

  conn_->close();
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::closed && server_->live_connections() == 0; }));
  ASSERT_EQ(closes_.size(), 1u);
  EXPECT_EQ(closes_[0].code, 1000);
  EXPECT_FALSE(closes_[0].by_remote);
  EXPECT_FALSE(closes_[0].will_reconnect);
  EXPECT_EQ(conn_->ping_ms(), -1);
  EXPECT_EQ(conn_->send_opus(opus_frame(0)), voice_error::not_ready);
  conn_->close();  // idempotent: nothing more is reported
  ctx_.poll();
  EXPECT_EQ(closes_.size(), 1u);
}

TEST_F(VoiceConnectionTest, AudioDuringTheSilenceTailCancelsIt) {
  start_server();
  connect_ready(options());
  send_frames(0, 3);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 3; }));
  conn_->set_speaking(false);  // the first silence frame goes out at once
  auto f = opus_frame(3);
  ASSERT_FALSE(conn_->send_opus(f));  // audio again before the second one is due
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 5; }));
  for (int i = 0; i < 5; ++i) clock_.advance(20ms);  // the rest of the tail is cancelled
  send_frames(4, 6);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 7; }));
  const auto& p = server_->packets();
  const bytes silence(opus_silence_frame.begin(), opus_silence_frame.end());
  const std::vector<bytes> expected{opus_frame(0), opus_frame(1), opus_frame(2), silence,
                                    opus_frame(3), opus_frame(4), opus_frame(5)};
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_EQ(p[i].payload, expected[i]) << i;
  EXPECT_EQ(server_->count(voice_opcode::speaking), 1u);  // never "speaking 0"
  expect_contiguous(0, 7);
}

TEST_F(VoiceConnectionTest, SendOpusFromAnotherThread) {
  start_server();
  connect_ready(options());
  std::thread producer([&] {
    for (int i = 0; i < 50; ++i) {
      auto f = opus_frame(i);
      while (conn_->send_opus(f) == voice_error::queue_full) std::this_thread::yield();
    }
    conn_->set_speaking(false);
  });
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 51; }));  // + the first silence frame
  producer.join();
  const auto& p = server_->packets();
  for (int i = 0; i < 50; ++i) EXPECT_EQ(p[static_cast<std::size_t>(i)].payload, opus_frame(i)) << i;
  expect_contiguous(0, 51);
  EXPECT_EQ(server_->undecryptable(), 0u);
}

TEST_F(VoiceConnectionTest, SendOpusNowSendsInlineOnTheExecutorThreadAfterQueuedFrames) {
  start_server();
  connect_ready(options());  // this thread runs the connection's only executor
  for (int i = 0; i < 2; ++i) {
    auto f = opus_frame(i);
    ASSERT_FALSE(conn_->send_opus(f));  // queued: nothing runs the loop yet
  }
  EXPECT_EQ(conn_->stats().packets_sent, 0u);
  auto f2 = opus_frame(2);
  ASSERT_FALSE(conn_->send_opus_now(f2));
  EXPECT_EQ(conn_->stats().packets_sent, 3u);  // sent before the loop ran: queued frames first
  EXPECT_EQ(conn_->send_opus_now({}), voice_error::bad_length);
  EXPECT_EQ(conn_->send_opus_now(bytes(max_opus_frame_bytes + 1, 0xFC)), voice_error::frame_too_large);
  std::thread other([&] {  // another thread: it falls back to the queue
    auto f3 = opus_frame(3);
    EXPECT_FALSE(conn_->send_opus_now(f3));
  });
  other.join();
  EXPECT_EQ(conn_->stats().packets_sent, 3u);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 4; }));
  const auto& p = server_->packets();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(p[static_cast<std::size_t>(i)].payload, opus_frame(i)) << i;
  expect_contiguous(0, 4);
  EXPECT_EQ(server_->count(voice_opcode::speaking), 1u);
  EXPECT_EQ(server_->undecryptable(), 0u);
}

struct mode_case {
  std::vector<std::string> offered;
  std::vector<encryption_mode> preference;
  nonce_order order;
  encryption_mode expected;
};

class VoiceConnectionModeTest : public VoiceConnectionTest, public ::testing::WithParamInterface<mode_case> {};

TEST_P(VoiceConnectionModeTest, SelectsTheModeAndTheServerDecryptsEveryPacket) {
  const auto& c = GetParam();
  scripted_server_options so;
  so.modes = c.offered;
  start_server(so);
  auto o = options();
  if (!c.preference.empty()) o.mode_preference = c.preference;
  o.nonce_byte_order = c.order;
  connect_ready(o);
  EXPECT_EQ(conn_->mode(), c.expected);
  EXPECT_EQ(server_->selected_mode(), c.expected);
  // No explicit set_speaking: the first frame announces speaking itself.
  send_frames(0, 50);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 50; }));
  expect_contiguous(0, 50);
  EXPECT_EQ(server_->undecryptable(), 0u);
  EXPECT_EQ(server_->count(voice_opcode::speaking), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, VoiceConnectionModeTest,
    ::testing::Values(
        mode_case{{xchacha, aes}, {}, nonce_order::big_endian, encryption_mode::aead_aes256_gcm_rtpsize},
        mode_case{{xchacha, "xsalsa20_poly1305"}, {}, nonce_order::big_endian,
                  encryption_mode::aead_xchacha20_poly1305_rtpsize},
        mode_case{{xchacha}, {}, nonce_order::little_endian, encryption_mode::aead_xchacha20_poly1305_rtpsize},
        mode_case{{aes, xchacha}, {encryption_mode::aead_xchacha20_poly1305_rtpsize}, nonce_order::little_endian,
                  encryption_mode::aead_xchacha20_poly1305_rtpsize},
        mode_case{{aes}, {}, nonce_order::little_endian, encryption_mode::aead_aes256_gcm_rtpsize}));

TEST_F(VoiceConnectionTest, FailsClearlyWhenNoSupportedModeIsOffered) {
  scripted_server_options so;
  so.modes = {"xsalsa20_poly1305", "aead_aes256_gcm", "xsalsa20_poly1305_lite_rtpsize"};
  start_server(so);
  connect(options());
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::closed; }));
  ASSERT_EQ(closes_.size(), 1u);
  EXPECT_EQ(closes_[0].code, 1000);
  EXPECT_NE(closes_[0].reason.find("no supported encryption mode"), std::string::npos) << closes_[0].reason;
  EXPECT_NE(closes_[0].reason.find("xsalsa20_poly1305_lite_rtpsize"), std::string::npos);
  EXPECT_FALSE(closes_[0].by_remote);
  EXPECT_FALSE(closes_[0].will_reconnect);
  EXPECT_EQ(conn_->last_error(), voice_error::no_supported_mode);
  EXPECT_EQ(server_->count(voice_opcode::select_protocol), 0u);
  ASSERT_TRUE(run_until([&] { return server_->live_connections() == 0; }));
  EXPECT_EQ(server_->connections(), 1);
}

TEST_F(VoiceConnectionTest, HeartbeatsCarrySeqAckAndMeasurePing) {
  start_server();
  connect_ready(options());
  EXPECT_EQ(server_->last_seq(), 1);  // Ready (0) and Session Description (1)
  const auto& hb = next_heartbeat();
  EXPECT_EQ(hb.seq_ack, 1);
  EXPECT_EQ(hb.t, clock_.unix_ms());
  ASSERT_TRUE(run_until([&] { return conn_->ping_ms() == 0; }));

  // A JSON message with seq 2, then a binary DAVE frame with seq 77. The server stops
  // answering so the test decides when the ACK (sent after both) arrives: once the
  // client has the ACK it has read everything before it.
  server_->options().ack_heartbeats = false;
  server_->send_json(clients_connect_payload{{80351110224678912u}}, true);
  const std::int64_t t2 = next_heartbeat().t;
  clock_.advance(7ms);
  server_->send_binary(encode_server_dave_frame(77, voice_opcode::dave_mls_external_sender, bytes{1, 2}));
  server_->send_json(heartbeat_ack_payload{t2}, false);
  ASSERT_TRUE(run_until([&] { return conn_->ping_ms() == 7; }));
  EXPECT_EQ(next_heartbeat(993ms).seq_ack, 77);
  EXPECT_EQ(conn_->state(), voice_state::ready);
}

TEST_F(VoiceConnectionTest, AbruptDropResumesWithSeqAck) {
  start_server();
  connect_ready(options());
  send_frames(0, 5);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 5; }));
  const auto seq_at_drop = server_->last_seq();

  server_->abort_current();
  ASSERT_TRUE(run_until([&] { return server_->count(voice_opcode::resume) == 1; }));
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::ready; }));
  ASSERT_EQ(closes_.size(), 1u);
  EXPECT_EQ(closes_[0].code, 1006);
  EXPECT_TRUE(closes_[0].by_remote);
  EXPECT_TRUE(closes_[0].will_reconnect);
  const auto* r = server_->last(voice_opcode::resume);
  EXPECT_EQ(r->connection, 2);
  const auto& resume = std::get<resume_payload>(r->message.payload);
  EXPECT_EQ(resume.server_id, guild);
  EXPECT_EQ(resume.session_id, "session-1");
  EXPECT_EQ(resume.token, "voice-token-1");
  EXPECT_EQ(resume.seq_ack, seq_at_drop);
  EXPECT_EQ(server_->count(voice_opcode::identify), 1u);
  EXPECT_NE(std::find(states_.begin(), states_.end(), voice_state::resuming), states_.end());

  // The UDP session survived: audio continues on the same SSRC and sequence.
  send_frames(5, 10);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 10; }));
  expect_contiguous(0, 10);
  EXPECT_EQ(server_->discovery_requests(), 1u);
}

TEST_F(VoiceConnectionTest, MissingHeartbeatAcksCauseAReconnect) {
  start_server();
  connect_ready(options());
  server_->options().ack_heartbeats = false;
  next_heartbeat();  // unanswered
  next_heartbeat();  // one missed; sent again
  EXPECT_EQ(server_->connections(), 1);
  clock_.advance(1000ms);  // two missed: the connection is a zombie
  ASSERT_TRUE(run_until([&] { return server_->count(voice_opcode::resume) == 1; }));
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::ready; }));
  ASSERT_EQ(closes_.size(), 1u);
  EXPECT_EQ(closes_[0].code, 1006);
  EXPECT_FALSE(closes_[0].by_remote);
  EXPECT_TRUE(closes_[0].will_reconnect);
  EXPECT_NE(closes_[0].reason.find("heartbeat ACK"), std::string::npos);
  EXPECT_EQ(server_->connections(), 2);
  // Heartbeats restart on the new socket after its Hello.
  server_->options().ack_heartbeats = true;
  EXPECT_EQ(next_heartbeat().seq_ack, server_->last_seq());
}

struct close_case {
  std::uint16_t code;
  enum { none, resume, identify } then;
};

class VoiceConnectionCloseTest : public VoiceConnectionTest, public ::testing::WithParamInterface<close_case> {};

TEST_P(VoiceConnectionCloseTest, ServerCloseIsReportedAndHandledPerCode) {
  const auto c = GetParam();
  start_server();
  connect_ready(options());
  server_->close_current(c.code, "closed by the test");
  ASSERT_TRUE(run_until([&] { return closes_.size() == 1; }));
  EXPECT_EQ(closes_[0].code, c.code);
  EXPECT_EQ(closes_[0].reason, "closed by the test");
  EXPECT_TRUE(closes_[0].by_remote);
  EXPECT_EQ(closes_[0].will_reconnect, c.then != close_case::none);
  if (c.then == close_case::none) {
    EXPECT_EQ(conn_->state(), voice_state::closed);
    ASSERT_TRUE(run_until([&] { return server_->live_connections() == 0; }));
    ctx_.poll();
    EXPECT_EQ(server_->connections(), 1);
    EXPECT_EQ(server_->count(voice_opcode::resume), 0u);
    EXPECT_EQ(server_->count(voice_opcode::identify), 1u);
  } else if (c.then == close_case::resume) {
    ASSERT_TRUE(run_until([&] { return server_->count(voice_opcode::resume) == 1 && conn_->state() == voice_state::ready; }));
    EXPECT_EQ(server_->count(voice_opcode::identify), 1u);
  } else {
    ASSERT_TRUE(run_until([&] { return server_->count(voice_opcode::identify) == 2 && conn_->state() == voice_state::ready; }));
    EXPECT_EQ(server_->count(voice_opcode::resume), 0u);
    EXPECT_EQ(server_->discovery_requests(), 2u);  // a new UDP session
    send_frames(0, 3);
    ASSERT_TRUE(run_until([&] { return server_->packets().size() == 3; }));
  }
}

INSTANTIATE_TEST_SUITE_P(Codes, VoiceConnectionCloseTest,
                         ::testing::Values(close_case{4006, close_case::none}, close_case{4014, close_case::none},
                                           close_case{4017, close_case::none}, close_case{4021, close_case::none},
                                           close_case{4022, close_case::none}, close_case{4015, close_case::resume},
                                           close_case{1001, close_case::resume},
                                           close_case{4009, close_case::identify},
                                           close_case{4011, close_case::identify}),
                         [](const auto& info) { return std::to_string(info.param.code); });

TEST_F(VoiceConnectionTest, RefusedResumeIsReportedAndNotRetried) {
  start_server();
  connect_ready(options());
  server_->options().session_id = "a-different-session";  // the server forgot us
  server_->abort_current();
  ASSERT_TRUE(run_until([&] { return closes_.size() == 2; }));
  EXPECT_EQ(closes_[0].code, 1006);
  EXPECT_TRUE(closes_[0].will_reconnect);
  EXPECT_EQ(closes_[1].code, 4006);
  EXPECT_TRUE(closes_[1].by_remote);
  EXPECT_FALSE(closes_[1].will_reconnect);
  EXPECT_EQ(conn_->state(), voice_state::closed);
}

TEST_F(VoiceConnectionTest, LostIpDiscoveryLeadsToAFreshIdentifyAfterBackoff) {
  scripted_server_options so;
  so.answer_ip_discovery = false;
  start_server(so);
  connect(options());
  for (std::size_t attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_TRUE(run_until([&] { return server_->discovery_requests() == attempt; }));
    clock_.advance(1000ms);
  }
  ASSERT_TRUE(run_until([&] { return closes_.size() == 1; }));
  EXPECT_NE(closes_[0].reason.find("IP discovery"), std::string::npos);
  EXPECT_TRUE(closes_[0].will_reconnect);
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::reconnecting; }));
  server_->options().answer_ip_discovery = true;
  clock_.advance(1000ms);  // first backoff step
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::ready; }));
  EXPECT_EQ(server_->count(voice_opcode::identify), 2u);
  EXPECT_EQ(server_->connections(), 2);
}

TEST_F(VoiceConnectionTest, KeepAlivesAreSentAndIgnored) {
  start_server();
  connect_ready(options());
  for (int i = 0; i < 5; ++i) next_heartbeat();
  ASSERT_TRUE(run_until([&] { return server_->keep_alives() == 1; }));
  EXPECT_EQ(server_->undecryptable(), 0u);
  EXPECT_TRUE(server_->packets().empty());
}

TEST_F(VoiceConnectionTest, RefusesFramesItCannotSend) {
  start_server();
  connect(options());
  EXPECT_EQ(conn_->send_opus(opus_frame(1)), voice_error::not_ready);
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::ready; }));
  EXPECT_EQ(conn_->send_opus(bytes(max_opus_frame_bytes + 1, 0xFC)), voice_error::frame_too_large);
  EXPECT_EQ(conn_->send_opus({}), voice_error::bad_length);
  EXPECT_FALSE(conn_->send_opus(bytes(max_opus_frame_bytes, 0xFC)));
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 1; }));
  EXPECT_EQ(server_->packets()[0].payload.size(), max_opus_frame_bytes);
}

TEST_F(VoiceConnectionTest, DestructionClosesWithoutCallbacks) {
  start_server();
  connect_ready(options());
  conn_.reset();
  ASSERT_TRUE(run_until([&] { return server_->live_connections() == 0; }));
  EXPECT_TRUE(closes_.empty());
}

TEST_F(VoiceConnectionTest, ConnectsOverTlsWithAnExtraCa) {
  test::test_certificate cert;
  scripted_server_options so;
  so.tls = net::tls_files{cert.cert_file(), cert.key_file()};
  start_server(so);
  auto o = options();
  o.tls = true;
  o.client.extra_ca_file = cert.cert_file();
  connect_ready(o);
  send_frames(0, 3);
  ASSERT_TRUE(run_until([&] { return server_->packets().size() == 3; }));
}

TEST_F(VoiceConnectionTest, UntrustedCertificateFailsAfterTheAttemptLimit) {
  test::test_certificate cert;
  scripted_server_options so;
  so.tls = net::tls_files{cert.cert_file(), cert.key_file()};
  start_server(so);
  auto o = options();
  o.tls = true;  // no extra CA: the handshake fails
  o.max_reconnect_attempts = 1;
  connect(o);
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::reconnecting; }));
  clock_.advance(1000ms);
  ASSERT_TRUE(run_until([&] { return conn_->state() == voice_state::closed; }));
  ASSERT_EQ(closes_.size(), 1u);
  EXPECT_FALSE(closes_[0].will_reconnect);
  EXPECT_EQ(conn_->last_error(), voice_error::connect_failed);
  EXPECT_EQ(server_->connections(), 0);
}

}  // namespace
}  // namespace vb::voice
