#pragma once
// Demux + decode + resample any supported container into 48 kHz stereo 20 ms frames, with
// Opus passthrough for 48 kHz stereo Opus tracks. FFmpeg stays behind the pimpl.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "vectobeat/audio/audio_error.hpp"
#include "vectobeat/audio/byte_source.hpp"
#include "vectobeat/audio/pcm.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::audio {

struct decoder_options {
  // Bytes the demuxer may inspect to recognise the format and find stream parameters.
  std::size_t probe_bytes = 512 * 1024;
  // Media time FFmpeg may read while analysing streams.
  std::chrono::milliseconds analyze_duration{1500};
  // Size of the I/O buffer between the byte_source and FFmpeg (one per open track: 16 KiB is
  // ~0.7 s of 192 kb/s MP3 per read; probing uses its own buffer).
  std::size_t io_buffer_bytes = 16 * 1024;
  // Most memory the demuxer's seek index may take (per stream). Demuxers that index what they
  // read (MP3, Ogg, ADTS, FLAC, Matroska) add a 24-byte entry per packet, ~1 KB per second of
  // MP3: with FFmpeg's default (1 MiB) a player grew by ~280 KB over a 5-minute track. Past the
  // limit FFmpeg keeps every other entry, so a backward seek into audio already played may start
  // from an earlier entry and decode up to the target (8 KiB: ~1-2 s apart after 5 minutes,
  // ~10-20 s after an hour). Indexes a container carries (MP4 sample tables) are not bounded.
  std::size_t max_index_bytes = 8 * 1024;
  // Optional format hint ("mp3", "ogg", ... FFmpeg demuxer names), e.g. from a Content-Type.
  std::string format_hint;
  // A run of this many undecodable packets in a row fails the track with invalid_data.
  int max_consecutive_bad_packets = 64;
};

struct track_info {
  // Container, named like lavaplayer's probes where one exists: "mp3", "flac", "wav", "ogg",
  // "matroska/webm", "mp4", "adts", "mpegts-adts"; otherwise FFmpeg's demuxer name.
  std::string container;
  std::string codec;  // FFmpeg codec name: "mp3", "aac", "opus", "vorbis", "flac", "pcm_s16le", ...
  std::string title;  // from tags, empty when absent
  std::string artist;
  std::optional<std::chrono::milliseconds> duration;  // nullopt: a live stream / unknown length
  int source_sample_rate = 0;
  int source_channels = 0;
  std::int64_t bitrate = 0;  // bits per second when known, else 0
  bool is_stream() const noexcept { return !duration.has_value(); }
};

enum class read_status { ok, end_of_stream };

// One Opus packet exactly as stored in the container (no decode, no re-encode).
struct opus_packet {
  std::span<const std::uint8_t> data;  // valid until the next call on the decoder
  int samples = 0;                     // duration in samples per channel at 48 kHz (960 = 20 ms)
  std::chrono::milliseconds position{0};  // start time of the packet in the track
};

// A track being decoded. Movable, not copyable.
//
// Threading: one thread at a time (a worker that runs ahead of the frame clock); calls block on
// the byte_source. Never throws; allocation happens inside FFmpeg (pooled frame/packet buffers),
// while the sample FIFO grows to what the stream needs (its first frames), and once at the first
// 16-bit read_frame().
class decoder {
 public:
  // Probes and opens the track. Errors: io_error, unsupported_format, invalid_data,
  // no_audio_stream, unsupported_codec, codec_error, resampler_error, out_of_memory.
  static expected<decoder, audio_error> open(std::unique_ptr<byte_source> source,
                                             const decoder_options& options = {});

  decoder(decoder&&) noexcept;
  decoder& operator=(decoder&&) noexcept;
  ~decoder();

  const track_info& info() const noexcept;

  // Fills `out` with the next 20 ms of 48 kHz stereo audio. The last frame of a track is padded
  // with silence to a whole frame. Returns end_of_stream once nothing is left (out untouched).
  expected<read_status, audio_error> read_frame(pcm_frame_view out);
  expected<read_status, audio_error> read_frame(pcm16_frame_view out);

  // Moves so the next frame starts at `position` (within one frame; past the end gives
  // end_of_stream). Backward seeks need a seekable source (else not_seekable); forward seeks on
  // non-seekable sources decode and discard. Also applies to the passthrough packet stream.
  expected<void, audio_error> seek(std::chrono::milliseconds position);

  // Start time of the next frame (or packet) that will be returned.
  std::chrono::milliseconds position() const noexcept;

  // True when the track is Opus, 48 kHz, stereo: next_opus_packet() may then be used instead of
  // read_frame() while the player's volume is 100 and no filter is active.
  bool opus_passthrough_available() const noexcept;

  // Returns the next Opus packet without decoding it (not_opus when unavailable). Packets keep
  // their own duration (`samples`): usually 960 (20 ms), but 10/40/60 ms and multi-frame packets
  // are passed on as they are, and the caller decides (send as is and advance its clock by
  // `samples`, or fall back to read_frame()). Packets that libopus cannot parse are skipped.
  // The Ogg Opus pre-skip and end trimming are not applied in this mode (as in lavaplayer).
  //
  // Switching between the two modes is allowed at any time: switching to read_frame() re-primes
  // the codec with the previous packet; switching to packets drops PCM already decoded but not
  // yet returned (less than one packet).
  expected<read_status, audio_error> next_opus_packet(opus_packet& out);

  // Metadata hook: returns new title/artist once after they changed mid-stream (chained Ogg
  // streams, or the byte_source's take_stream_title(), e.g. ICY). nullopt when unchanged.
  struct metadata_update {
    std::string title;
    std::string artist;
  };
  std::optional<metadata_update> take_metadata_update();

  // FFmpeg's text for the last failure, for logs. Empty when none.
  const std::string& last_error_detail() const noexcept;

  struct impl;

 private:
  explicit decoder(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace vb::audio
