#pragma once
// What this machine allows before the node does any work of its own, measured on the worker's
// core in the same run as the node benchmark: the codecs alone (mp3 decode + resample, Opus
// encode at complexity 10 and 64 kb/s) and the kernel's loopback UDP send of one voice packet.
// They put the node's figures next to hard ceilings (node_bench.cpp prints them beside the
// targets).
#include <filesystem>
#include <string>

namespace vb::bench {

struct floor_figures {
  double decode_resample_us = 0;  // thread CPU per 20 ms frame: mp3 decode + resample to 48 kHz
  double opus_encode_us = 0;      // thread CPU per 20 ms frame: libopus, complexity 10, 64 kb/s
  double opus_packet_bytes = 0;   // mean encoded packet size
  double udp_send_us = 0;         // thread CPU (user + system) per loopback send of one packet
  int udp_packet_bytes = 0;       // what was sent: an RTP rtpsize AES-GCM packet of that Opus size
  bool ok = false;
  std::string error;

  // Streams one core could carry if it did nothing but this work.
  double transcode_codec_streams_per_core() const;
  double udp_streams_per_core() const;
};

// Decodes `mp3` (a music file) for the codec figures; runs on the calling thread, pinned by the
// caller to the core under test.
floor_figures measure_floors(const std::filesystem::path& mp3);

// A markdown table of the figures.
std::string floor_markdown(const floor_figures& f);

}  // namespace vb::bench
