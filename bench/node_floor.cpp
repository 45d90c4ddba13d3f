#include "node_floor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <vector>

#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/file_source.hpp"
#include "vectobeat/audio/opus_encoder.hpp"

namespace vb::bench {
namespace {

double thread_cpu_s() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::string num(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

constexpr int frames_to_measure = 1500;  // 30 s of audio
constexpr int udp_senders = 200;         // one connected socket per player, as the node has
constexpr int udp_rounds = 50;

// Mean CPU of one loopback send per packet. The receiving socket is drained between rounds,
// outside the timed part; the kernel's receive path up to that socket runs inside send() on
// loopback, as it does for the node's packets to the benchmark's voice server.
double measure_udp(int bytes, std::string& error) {
  const int rx = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (rx < 0 || ::bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(rx, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    error = "udp socket";
    if (rx >= 0) ::close(rx);
    return 0;
  }
  int big = 16 << 20;
  ::setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  std::vector<int> tx;
  for (int i = 0; i < udp_senders; ++i) {
    const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0 || ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      if (s >= 0) ::close(s);
      break;
    }
    tx.push_back(s);
  }
  std::vector<std::uint8_t> packet(static_cast<std::size_t>(bytes), 0x5a);
  std::array<std::uint8_t, 2048> sink{};
  double spent = 0;
  long sent = 0;
  for (int round = 0; round < udp_rounds && !tx.empty(); ++round) {
    const double t0 = thread_cpu_s();
    for (int s : tx) sent += ::send(s, packet.data(), packet.size(), 0) > 0 ? 1 : 0;
    spent += thread_cpu_s() - t0;
    while (::recv(rx, sink.data(), sink.size(), MSG_DONTWAIT) > 0) {
    }
  }
  for (int s : tx) ::close(s);
  ::close(rx);
  if (sent == 0) {
    error = "no UDP packet could be sent";
    return 0;
  }
  return spent / static_cast<double>(sent) * 1e6;
}

}  // namespace

double floor_figures::transcode_codec_streams_per_core() const {
  const double per_frame = decode_resample_us + opus_encode_us;
  return per_frame > 0 ? 1e6 / (50.0 * per_frame) : 0;
}

double floor_figures::udp_streams_per_core() const { return udp_send_us > 0 ? 1e6 / (50.0 * udp_send_us) : 0; }

floor_figures measure_floors(const std::filesystem::path& mp3) {
  floor_figures f;
  auto src = audio::file_source::open(mp3);
  if (!src) {
    f.error = "cannot open " + mp3.string();
    return f;
  }
  auto dec = audio::decoder::open(std::move(*src));
  if (!dec) {
    f.error = "cannot decode " + mp3.string();
    return f;
  }
  std::vector<float> pcm(static_cast<std::size_t>(frames_to_measure) * audio::frame_values);
  int frames = 0;
  const double d0 = thread_cpu_s();
  for (; frames < frames_to_measure; ++frames) {
    auto r = dec->read_frame(audio::pcm_frame_view(pcm.data() + static_cast<std::size_t>(frames) * audio::frame_values,
                                                   audio::frame_values));
    if (!r || *r != audio::read_status::ok) break;
  }
  const double d1 = thread_cpu_s();
  if (frames < 100) {
    f.error = "the media is too short";
    return f;
  }
  f.decode_resample_us = (d1 - d0) / frames * 1e6;

  auto enc = audio::opus_encoder::create({.bitrate = 64000, .complexity = 10});
  if (!enc) {
    f.error = "cannot create the Opus encoder";
    return f;
  }
  std::array<std::uint8_t, audio::max_opus_packet_bytes> out{};
  double bytes = 0;
  const double e0 = thread_cpu_s();
  for (int i = 0; i < frames; ++i) {
    auto n = enc->encode(audio::const_pcm_frame_view(pcm.data() + static_cast<std::size_t>(i) * audio::frame_values,
                                                     audio::frame_values),
                         out);
    bytes += n ? static_cast<double>(*n) : 0;
  }
  const double e1 = thread_cpu_s();
  f.opus_encode_us = (e1 - e0) / frames * 1e6;
  f.opus_packet_bytes = bytes / frames;

  // RTP header (12) + Opus + rtpsize AES-GCM: 16-byte tag and 4-byte nonce suffix.
  f.udp_packet_bytes = 12 + static_cast<int>(f.opus_packet_bytes) + 16 + 4;
  f.udp_send_us = measure_udp(f.udp_packet_bytes, f.error);
  f.ok = f.error.empty();
  return f;
}

std::string floor_markdown(const floor_figures& f) {
  if (!f.ok) return "Ceilings could not be measured: " + f.error + "\n";
  std::string s =
      "| ceiling on the worker's core (measured in this run, before the node does anything) | per 20 ms frame | "
      "streams one core could carry doing only this |\n|---|---|---|\n";
  s += "| mp3 decode + resample to 48 kHz (`vb::audio::decoder`) | " + num("%.1f us", f.decode_resample_us) + " | " +
       num("%.0f", f.decode_resample_us > 0 ? 1e6 / (50.0 * f.decode_resample_us) : 0) + " |\n";
  s += "| Opus encode, complexity 10, 64 kb/s (libopus, " + num("%.0f", f.opus_packet_bytes) + " B packets) | " +
       num("%.1f us", f.opus_encode_us) + " | " + num("%.0f", f.opus_encode_us > 0 ? 1e6 / (50.0 * f.opus_encode_us) : 0) +
       " |\n";
  s += "| both codecs: the transcoding ceiling | " + num("%.1f us", f.decode_resample_us + f.opus_encode_us) + " | **" +
       num("%.0f", f.transcode_codec_streams_per_core()) + "** (target 110) |\n";
  s += "| one loopback UDP send of a " + std::to_string(f.udp_packet_bytes) +
       " B voice packet (kernel, including loopback's receive path): the passthrough ceiling | " +
       num("%.1f us", f.udp_send_us) + " | **" + num("%.0f", f.udp_streams_per_core()) + "** (target 3,000) |\n";
  return s;
}

}  // namespace vb::bench
