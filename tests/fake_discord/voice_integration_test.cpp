// The voice server over loopback: our own vb::voice::voice_connection (the bot's and the
// node's client) and raw WebSocket clients against the fake's voice gateway v8 + UDP.
#include "vectobeat/fake_discord/server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>

#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <numbers>

#include "fake_fixture.hpp"
#include "vectobeat/audio/opus_encoder.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/fake_discord/wav.hpp"
#include "vectobeat/voice/rtp.hpp"
#include "vectobeat/voice/voice_connection.hpp"

namespace vb::fake {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using test::FakeTest;
using test::ws_client;

using test::str;

// The audible part of channel 0 and its frequency from rising zero crossings.
struct tone {
  double seconds = 0;
  double frequency = 0;
};
tone analyse(const wav_audio& w, int threshold = 1000) {
  const std::size_t frames = w.frames();
  auto left = [&](std::size_t i) { return w.samples[i * static_cast<std::size_t>(w.channels)]; };
  std::ptrdiff_t first = -1, last = -1;
  for (std::size_t i = 0; i < frames; ++i)
    if (std::abs(left(i)) > threshold) {
      if (first < 0) first = static_cast<std::ptrdiff_t>(i);
      last = static_cast<std::ptrdiff_t>(i);
    }
  if (first < 0) return {};
  std::ptrdiff_t first_cross = -1, last_cross = -1, crossings = 0;
  for (auto i = first + 1; i <= last; ++i)
    if (left(static_cast<std::size_t>(i - 1)) < 0 && left(static_cast<std::size_t>(i)) >= 0) {
      if (first_cross < 0) first_cross = i;
      last_cross = i;
      ++crossings;
    }
  tone t;
  t.seconds = static_cast<double>(last - first + 1) / w.sample_rate;
  if (crossings > 1) t.frequency = static_cast<double>(crossings - 1) * w.sample_rate / static_cast<double>(last_cross - first_cross);
  return t;
}

std::vector<std::vector<std::uint8_t>> encode_tone(double hz, int frames) {
  auto enc = audio::opus_encoder::create();
  EXPECT_TRUE(enc);
  std::vector<std::vector<std::uint8_t>> out;
  std::array<float, audio::frame_values> pcm{};
  std::size_t n = 0;
  for (int f = 0; f < frames; ++f) {
    for (std::size_t i = 0; i < audio::frame_samples; ++i, ++n) {
      const float v = static_cast<float>(0.4 * std::sin(2 * std::numbers::pi * hz * static_cast<double>(n) / 48000.0));
      pcm[2 * i] = pcm[2 * i + 1] = v;
    }
    std::vector<std::uint8_t> packet(audio::max_opus_packet_bytes);
    auto size = enc->encode(audio::const_pcm_frame_view(pcm), packet);
    EXPECT_TRUE(size);
    packet.resize(*size);
    out.push_back(std::move(packet));
  }
  return out;
}

class VoiceTest : public FakeTest {
 protected:
  // Joins `channel` through gateway op 4 and returns what a bot learns from the two events.
  voice::voice_server_info join(ws_client& gw, snowflake channel) {
    gw.send(json::object{{"op", 4},
                         {"d", json::object{{"guild_id", std::to_string(demo().guild)}, {"channel_id", std::to_string(channel)},
                                            {"self_mute", false}, {"self_deaf", false}}}});
    voice::voice_server_info info;
    auto vsu = gw.next_dispatch("VOICE_STATE_UPDATE");
    auto srv = gw.next_dispatch("VOICE_SERVER_UPDATE");
    if (!vsu || !srv) throw std::runtime_error("no voice events");
    info.guild_id = demo().guild;
    info.user_id = fake->bot_user_id();
    info.channel_id = channel;
    info.session_id = str(vsu->at("d").as_object(), "session_id");
    info.token = str(srv->at("d").as_object(), "token");
    info.endpoint = str(srv->at("d").as_object(), "endpoint");
    return info;
  }

  struct client {
    std::unique_ptr<voice::voice_connection> conn;
    std::shared_ptr<std::promise<void>> ready = std::make_shared<std::promise<void>>();
    std::shared_ptr<std::vector<voice::voice_close_event>> closes = std::make_shared<std::vector<voice::voice_close_event>>();
    std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
    std::shared_ptr<std::condition_variable> closed = std::make_shared<std::condition_variable>();
    // The connection's close events once at least one arrived (bounded wait: the server may
    // record its side of a close before the client has read the close frame).
    std::vector<voice::voice_close_event> wait_closes(std::chrono::milliseconds limit) const {
      std::unique_lock lk(*mu);
      closed->wait_for(lk, limit, [&] { return !closes->empty(); });
      return *closes;
    }
  };

  client connect(const voice::voice_server_info& info, voice::voice_connection_options o) {
    client c;
    voice::voice_connection_callbacks cb;
    auto ready = c.ready;
    auto fired = std::make_shared<bool>(false);
    cb.on_state = [ready, fired](voice::voice_state s) {
      if (s == voice::voice_state::ready && !*fired) {
        *fired = true;
        ready->set_value();
      }
    };
    cb.on_close = [closes = c.closes, mu = c.mu, closed = c.closed](const voice::voice_close_event& e) {
      {
        std::lock_guard lk(*mu);
        closes->push_back(e);
      }
      closed->notify_all();
    };
    c.conn = std::make_unique<voice::voice_connection>(pool.executor(), clock::system(), info, std::move(o), std::move(cb));
    c.conn->connect();
    if (c.ready->get_future().wait_for(10s) != std::future_status::ready) throw std::runtime_error("voice not ready");
    return c;
  }

  voice::voice_connection_options tls_options() {
    voice::voice_connection_options o;
    o.tls = true;
    o.client.extra_ca_file = fake->ca_file();
    return o;
  }

  // Raw voice gateway client up to Session Description; returns the connection id.
  std::unique_ptr<ws_client> raw_voice(const voice::voice_server_info& info, int max_dave = 0) {
    auto c = ws_client::connect(pool.executor(), "ws://" + info.endpoint + "/?v=8");
    if (!c->next_op(8)) throw std::runtime_error("no voice Hello");
    c->send(json::object{{"op", 0},
                         {"d", json::object{{"server_id", std::to_string(info.guild_id)}, {"user_id", std::to_string(info.user_id)},
                                            {"session_id", info.session_id}, {"token", info.token},
                                            {"max_dave_protocol_version", max_dave}}}});
    return c;
  }
};

TEST_F(VoiceTest, RecorderTurnsAToneFromVoiceConnectionIntoTheExpectedWav) {
  auto opts = defaults();
  opts.voice_tls = true;  // wss with the generated CA, as Discord
  start(opts);
  ASSERT_FALSE(fake->ca_file().empty());
  auto gw = identify();
  auto info = join(*gw, demo().music);
  EXPECT_EQ(info.endpoint, fake->voice_endpoint());
  auto c = connect(info, tls_options());
  ASSERT_EQ(c.conn->mode(), voice::encryption_mode::aead_aes256_gcm_rtpsize);

  constexpr int frames = 100;  // 2 s
  const auto packets = encode_tone(440.0, frames);
  // Speaking travels on the WebSocket and audio on UDP, so their order on arrival is not
  // guaranteed; announce first and wait until the fake has seen it, as a careful bot would.
  c.conn->set_speaking(true);
  ASSERT_TRUE(fake->wait_for_voice_connection(demo().guild, 10s,
                                              [](const voice_connection_info& v) { return v.stats.speaking != 0; }));
  // Real-time pacing is the workload here (a bot sends one frame per 20 ms), not a wait.
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < frames; ++i) {
    ASSERT_FALSE(c.conn->send_opus(packets[static_cast<std::size_t>(i)]));
    std::this_thread::sleep_until(t0 + (i + 1) * 20ms);
  }
  c.conn->set_speaking(false);  // five silence frames follow
  auto v = fake->wait_for_voice_connection(demo().guild, 10s, [](const voice_connection_info& v) {
    return v.stats.packets >= frames + 5 && v.stats.speaking == 0;
  });
  ASSERT_TRUE(v);
  EXPECT_EQ(v->mode, "aead_aes256_gcm_rtpsize");
  EXPECT_EQ(v->stats.packets, static_cast<std::uint64_t>(frames + 5));
  EXPECT_EQ(v->stats.silence_frames, 5u);
  EXPECT_EQ(v->stats.lost, 0u);
  EXPECT_EQ(v->stats.duplicates, 0u);
  EXPECT_EQ(v->stats.decrypt_failures, 0u);
  EXPECT_EQ(v->stats.invalid_opus, 0u);
  EXPECT_EQ(v->stats.before_speaking, 0u);
  EXPECT_LT(v->stats.lateness_p50_ms, 20.0);
  std::printf("voice stats: jitter p50 %.2f ms p99 %.2f ms, lateness p50 %.2f ms p99 %.2f ms\n", v->stats.jitter_p50_ms,
              v->stats.jitter_p99_ms, v->stats.lateness_p50_ms, v->stats.lateness_p99_ms);

  auto wav_bytes = fake->recording_wav(v->id);
  ASSERT_TRUE(wav_bytes);
  auto wav = decode_wav(*wav_bytes);
  ASSERT_TRUE(wav) << wav.error();
  EXPECT_EQ(wav->sample_rate, 48000);
  EXPECT_EQ(wav->channels, 2);
  EXPECT_NEAR(wav->seconds(), (frames + 5) * 0.02, 0.06);
  auto t = analyse(*wav);
  std::printf("recorded tone: %.3f Hz for %.4f s\n", t.frequency, t.seconds);
  EXPECT_NEAR(t.frequency, 440.0, 4.4);       // within 1 %
  EXPECT_NEAR(t.seconds, frames * 0.02, 0.06);  // within 60 ms
}

TEST_F(VoiceTest, XChaChaModeCountsForgedPacketsAsDecryptFailures) {
  start();
  auto gw = identify();
  auto info = join(*gw, demo().music);
  auto o = tls_options();
  o.tls = false;
  o.mode_preference = {voice::encryption_mode::aead_xchacha20_poly1305_rtpsize};
  o.nonce_byte_order = voice::nonce_order::little_endian;
  auto c = connect(info, o);
  const auto packets = encode_tone(1000.0, 10);
  for (auto& p : packets) {
    // Queue-full means the strand is behind: retry (the frame ring holds 16).
    while (c.conn->send_opus(p) == make_error_code(voice::voice_error::queue_full)) std::this_thread::yield();
  }
  auto v = fake->wait_for_voice_connection(demo().guild, 10s, [](auto& v) { return v.stats.packets >= 10; });
  ASSERT_TRUE(v);
  EXPECT_EQ(v->mode, "aead_xchacha20_poly1305_rtpsize");

  // A datagram with the connection's SSRC that was not sealed with its key.
  asio::io_context io;
  asio::ip::udp::socket sock(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::array<std::uint8_t, 60> forged{};
  voice::write_rtp_header({7, 960 * 7, v->ssrc}, std::span<std::uint8_t, voice::rtp_header_size>(forged.data(), voice::rtp_header_size));
  sock.send_to(asio::buffer(forged), asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), fake->voice_udp_port()));
  v = fake->wait_for_voice_connection(demo().guild, 10s, [](auto& v) { return v.stats.decrypt_failures == 1; });
  ASSERT_TRUE(v);
  EXPECT_EQ(v->stats.packets, 10u);
}

TEST_F(VoiceTest, VoiceGatewayCloseCodes) {
  start();
  auto gw = identify();
  auto info = join(*gw, demo().music);
  auto after_identify = [&](json::object msg) {
    auto c = raw_voice(info);
    EXPECT_TRUE(c->next_op(2));  // Ready
    c->send(msg);
    return c->wait_close();
  };
  auto bad = info;
  bad.token = "wrong";
  EXPECT_EQ(raw_voice(bad)->wait_close(), 4004);
  auto select = [](std::string protocol, std::string mode) {
    return json::object{{"op", 1}, {"d", json::object{{"protocol", protocol}, {"data", json::object{{"address", "127.0.0.1"}, {"port", 1}, {"mode", mode}}}}}};
  };
  EXPECT_EQ(after_identify(select("udp", "xsalsa20_poly1305")), 4016);
  EXPECT_EQ(after_identify(select("webrtc", "aead_aes256_gcm_rtpsize")), 4012);
  EXPECT_EQ(after_identify(json::object{{"op", 0}, {"d", json::object{{"server_id", "1"}, {"user_id", "2"}, {"session_id", "s"}, {"token", "t"}}}}), 4005);
  EXPECT_EQ(after_identify(json::object{{"op", 42}, {"d", nullptr}}), 4001);
  auto c = ws_client::connect(pool.executor(), "ws://" + info.endpoint + "/?v=8");
  ASSERT_TRUE(c->next_op(8));
  c->send(select("udp", "aead_aes256_gcm_rtpsize"));
  EXPECT_EQ(c->wait_close(), 4003);
  c = ws_client::connect(pool.executor(), "ws://" + info.endpoint + "/?v=8");
  ASSERT_TRUE(c->next_op(8));
  c->send_raw("{not json");
  EXPECT_EQ(c->wait_close(), 4002);
  c = ws_client::connect(pool.executor(), "ws://" + info.endpoint + "/?v=8");
  ASSERT_TRUE(c->next_op(8));
  c->send_raw(std::string("\x1a\x00", 2), true);  // op 26 before Identify
  EXPECT_EQ(c->wait_close(), 4003);
  EXPECT_THROW(ws_client::connect(pool.executor(), "ws://" + info.endpoint + "/?v=3"), std::runtime_error);
}

TEST_F(VoiceTest, DaveRequiredClosesClientsWithoutDave) {
  auto opts = defaults();
  opts.require_dave = true;
  start(opts);
  auto gw = identify();
  auto info = join(*gw, demo().music);
  EXPECT_EQ(raw_voice(info, 0)->wait_close(), 4017);
  auto ok = raw_voice(info, 1);
  auto ready = ok->next_op(2);
  ASSERT_TRUE(ready);
}

TEST_F(VoiceTest, ClientsConnectHeartbeatAckAndBufferedResume) {
  start();
  auto gw = identify();
  auto info = join(*gw, demo().music);
  auto c = raw_voice(info);
  auto ready = c->next_op(2);
  ASSERT_TRUE(ready);
  EXPECT_EQ(vb::json::get_int(*ready, "seq"), 1);
  EXPECT_EQ(ready->at("d").at("modes").as_array().size(), 2u);
  c->send(json::object{{"op", 1}, {"d", json::object{{"protocol", "udp"}, {"data", json::object{{"address", "127.0.0.1"}, {"port", 5}, {"mode", "aead_aes256_gcm_rtpsize"}}}}}});
  auto sd = c->next_op(4);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->at("d").at("secret_key").as_array().size(), 32u);
  EXPECT_EQ(sd->at("d").at("dave_protocol_version"), 0);
  ASSERT_FALSE(fake->set_user_voice(demo().guild, demo().alice, demo().music));
  auto joined = c->next_op(11);
  ASSERT_TRUE(joined);
  EXPECT_EQ(vb::json::get_int(*joined, "seq"), 3);
  EXPECT_EQ(joined->at("d").at("user_ids").as_array()[0].as_string(), std::to_string(demo().alice));
  c->send(json::object{{"op", 3}, {"d", json::object{{"t", 1234}, {"seq_ack", 3}}}});
  auto ack = c->next_op(6);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->at("d").at("t"), 1234);

  c->abort();  // drop: the session stays resumable
  ASSERT_FALSE(fake->set_user_voice(demo().guild, demo().alice, 0));  // op 13 while away
  auto r = ws_client::connect(pool.executor(), "ws://" + info.endpoint + "/?v=8");
  ASSERT_TRUE(r->next_op(8));
  r->send(json::object{{"op", 7}, {"d", json::object{{"server_id", std::to_string(info.guild_id)}, {"session_id", info.session_id},
                                                     {"token", info.token}, {"seq_ack", 1}}}});
  auto resumed = r->next();
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->at("op"), 9);
  std::vector<std::int64_t> replayed_ops, replayed_seqs;
  for (int i = 0; i < 3; ++i) {
    auto m = r->next();
    ASSERT_TRUE(m);
    replayed_ops.push_back(m->at("op").as_int64());
    replayed_seqs.push_back(m->at("seq").as_int64());
  }
  EXPECT_EQ(replayed_ops, (std::vector<std::int64_t>{4, 11, 13}));
  EXPECT_EQ(replayed_seqs, (std::vector<std::int64_t>{2, 3, 4}));
  auto conns = fake->voice_connections();
  ASSERT_EQ(conns.size(), 1u);
  EXPECT_EQ(conns[0].resumes, 1);
  EXPECT_TRUE(conns[0].open);
}

TEST_F(VoiceTest, MovingTheVoiceServerClosesTheOldConnectionWith4014) {
  start();
  auto gw = identify();
  auto info = join(*gw, demo().music);
  auto o = tls_options();
  o.tls = false;
  auto c = connect(info, o);
  ASSERT_FALSE(fake->move_voice_server(demo().guild));
  auto gone = gw->next_dispatch("VOICE_SERVER_UPDATE");
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->at("d").at("endpoint").is_null());
  auto moved = gw->next_dispatch("VOICE_SERVER_UPDATE");
  ASSERT_TRUE(moved);
  const auto token = str(moved->at("d").as_object(), "token");
  EXPECT_NE(token, info.token);
  auto closed = fake->wait_for_voice_connection(demo().guild, 10s, [](auto& v) { return v.ended; });
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->close_code, 4014);
  auto next = info;
  next.token = token;
  auto c2 = connect(next, o);
  EXPECT_EQ(c2.conn->state(), voice::voice_state::ready);
  const auto closes = c.wait_closes(10s);
  ASSERT_FALSE(closes.empty());
  EXPECT_EQ(closes.back().code, 4014);
  EXPECT_FALSE(closes.back().will_reconnect);
}

TEST_F(VoiceTest, LeavingVoiceEndsTheConnectionAndWritesTheRecording) {
  auto dir = std::filesystem::temp_directory_path() / ("vb-fake-rec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto opts = defaults();
  opts.recording_dir = dir.string();
  start(opts);
  auto gw = identify();
  auto info = join(*gw, demo().music);
  auto o = tls_options();
  o.tls = false;
  auto c = connect(info, o);
  for (auto& p : encode_tone(300.0, 12))
    while (c.conn->send_opus(p) == make_error_code(voice::voice_error::queue_full)) std::this_thread::yield();
  ASSERT_TRUE(fake->wait_for_voice_connection(demo().guild, 10s, [](auto& v) { return v.stats.packets >= 12; }));
  gw->send(json::object{{"op", 4}, {"d", json::object{{"guild_id", std::to_string(demo().guild)}, {"channel_id", nullptr}}}});
  auto ended = fake->wait_for_voice_connection(demo().guild, 10s, [](auto& v) { return v.ended; });
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->close_code, 4014);
  auto path = dir / ("voice-" + std::to_string(demo().guild) + "-" + std::to_string(ended->id) + ".wav");
  ASSERT_TRUE(std::filesystem::exists(path));
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  auto wav = decode_wav(bytes);
  ASSERT_TRUE(wav);
  EXPECT_NEAR(wav->seconds(), 12 * 0.02, 0.001);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vb::fake
