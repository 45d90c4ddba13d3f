#pragma once
// decoder::impl, shared by decoder.cpp (open, decode, resample, seek) and
// decoder_passthrough.cpp (Opus packets: FFmpeg's demuxer or our Ogg reader). Internal.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ffmpeg_support.hpp"
#include "ogg_opus_reader.hpp"
#include "sample_fifo.hpp"
#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/resampler.hpp"

namespace vb::audio {
namespace detail {

constexpr AVRational output_time_base{1, sample_rate};
// Decoding starts this long before a seek target so codecs with state (MP3 bit reservoir, AAC
// overlap, Opus) have converged by the target; the pre-roll output is discarded.
constexpr std::int64_t seek_preroll_ms = 100;

inline std::int64_t ms_to_samples(std::int64_t ms) { return ms * (sample_rate / 1000); }
inline std::chrono::milliseconds samples_to_ms(std::int64_t samples) {
  return std::chrono::milliseconds(samples / (sample_rate / 1000));
}

}  // namespace detail

struct decoder::impl {
  std::unique_ptr<byte_source> source;
  decoder_options options;
  track_info info;
  std::string error_detail;

  AVIOContext* io = nullptr;
  AVFormatContext* fmt = nullptr;
  AVCodecContext* codec = nullptr;
  const AVCodec* codec_impl = nullptr;
  // An Opus stream that may be passed through opens its decoder only when something is decoded:
  // FFmpeg's Opus decoder state is ~240 KB, and a passthrough player never needs it.
  bool codec_open = false;
  SwrContext* swr = nullptr;
  // Float input with one or two channels at a common rate goes through our resampler (a few KB
  // of state instead of swresample's ~170 KB); everything else through swresample.
  std::optional<resampler> rs;
  AVPacket* pkt = nullptr;
  AVPacket* passthrough_pkt = nullptr;  // the packet last handed out by next_opus_packet()
  AVFrame* frame = nullptr;
  int stream_index = -1;
  AVStream* stream = nullptr;
  std::int64_t origin_pts = 0;  // stream pts that maps to position 0

  // Resampler input as configured; re-checked per frame (formats may change mid-stream).
  int swr_in_format = -1;
  int swr_in_rate = 0;
  AVChannelLayout swr_in_layout{};

  // Starts empty and grows to what the stream needs within its first frames (two resampled
  // frames, ~20 KB for MP3), then stays: a passthrough player never allocates it.
  detail::sample_fifo fifo;
  std::int64_t fifo_start = 0;    // 48 kHz sample index of the FIFO head
  std::int64_t seek_target = -1;  // discard output before this sample index
  bool anchor_pending = false;    // re-anchor fifo_start on the next decoded frame's pts
  bool sent_eof = false;          // the decoder was told the stream ended
  bool finished = false;          // decoder and resampler fully drained
  bool past_end = false;          // seeked beyond the duration: end of stream until the next seek
  bool passthrough_mode = false;
  std::int64_t passthrough_next = 0;  // sample index after the last packet handed out
  bool source_failed = false;
  bool metadata_dirty = false;
  // Our Ogg page reader for passthrough (seekable Ogg/Opus only), and who owns the byte position.
  std::unique_ptr<detail::ogg_opus_reader> ogg;
  bool reader_owns = false;
  bool ffmpeg_fresh = true;             // FFmpeg has returned no packet and not sought since open
  std::int64_t resume_from = -1;        // the reader skips packets that start before this sample
  std::int64_t origin_samples = 0;      // origin_pts at 48 kHz
  int bad_packets = 0;
  std::unique_ptr<std::array<float, frame_values>> scratch;  // 16-bit reads only (7.5 KB), made on first use

  ~impl() {
    ff::av_frame_free(&frame);
    ff::av_packet_free(&pkt);
    ff::av_packet_free(&passthrough_pkt);
    ff::swr_free(&swr);
    ff::av_channel_layout_uninit(&swr_in_layout);
    ff::avcodec_free_context(&codec);
    ff::avformat_close_input(&fmt);
    if (io != nullptr) ff::av_freep(&io->buffer);
    ff::avio_context_free(&io);
  }

  unexpected<audio_error> fail(audio_error e, int averror = 0) {
    if (averror != 0) error_detail = detail::ffmpeg_error_text(averror);
    else error_detail = std::string(to_string(e));
    return unexpected(e);
  }

  audio_error map_read_error(int r) const {
    if (source_failed) return audio_error::io_error;
    if (r == AVERROR(ENOMEM)) return audio_error::out_of_memory;
    return audio_error::invalid_data;
  }

  // --- AVIO callbacks over the byte_source ---
  static int read_cb(void* opaque, std::uint8_t* buf, int size) {
    auto* self = static_cast<impl*>(opaque);
    auto r = self->source->read({reinterpret_cast<std::byte*>(buf), static_cast<std::size_t>(size)});
    if (!r) {
      self->source_failed = true;
      return AVERROR(EIO);
    }
    return *r == 0 ? AVERROR_EOF : static_cast<int>(*r);
  }
  static std::int64_t seek_cb(void* opaque, std::int64_t offset, int whence) {
    auto* self = static_cast<impl*>(opaque);
    whence &= ~AVSEEK_FORCE;
    const auto size = self->source->size();
    if (whence == AVSEEK_SIZE) return size ? static_cast<std::int64_t>(*size) : AVERROR(ENOSYS);
    if (whence == SEEK_END) {
      if (!size) return AVERROR(ENOSYS);
      offset += static_cast<std::int64_t>(*size);
    } else if (whence != SEEK_SET) {
      return AVERROR(EINVAL);  // avio_seek only issues SEEK_SET / SEEK_END / AVSEEK_SIZE
    }
    if (offset < 0) return AVERROR(EINVAL);
    if (!self->source->seek(static_cast<std::uint64_t>(offset))) {
      self->source_failed = true;
      return AVERROR(EIO);
    }
    return offset;
  }

  expected<void, audio_error> open();
  void read_tags();
  expected<void, audio_error> configure_resampler(const AVFrame* f);
  void reset_resampler();
  expected<int, audio_error> read_audio_packet(AVPacket* p);
  expected<void, audio_error> ensure_codec_open();
  expected<void, audio_error> decode_step();
  expected<void, audio_error> append_frame(const AVFrame* f);
  expected<void, audio_error> count_bad_packet(int averror);
  void discard_before_target();
  void leave_passthrough();
  void setup_ogg_reader();
  expected<void, audio_error> give_source_to_ffmpeg();
  expected<void, audio_error> seek_to(std::int64_t target);
  expected<void, audio_error> seek_ffmpeg(std::int64_t target);
  expected<bool, audio_error> locate_reader();
  expected<void, audio_error> hand_back_to_ffmpeg();
  expected<read_status, audio_error> next_ffmpeg_packet(opus_packet& out);
  expected<read_status, audio_error> next_reader_packet(opus_packet& out, bool& handed_back);
  expected<read_status, audio_error> read_frame(pcm_frame_view out);
  expected<void, audio_error> seek(std::int64_t target_ms);
  expected<read_status, audio_error> next_opus_packet(opus_packet& out);
  std::int64_t packet_position(const AVPacket* p, std::int64_t fallback) const;
  bool passthrough_capable() const noexcept { return opus_passthrough; }
  bool compute_passthrough_capable() const noexcept {
    return codec->codec_id == AV_CODEC_ID_OPUS && codec->sample_rate == sample_rate && codec->ch_layout.nb_channels == 2;
  }
  // Fixed at open; asked once per frame, so kept here rather than behind three pointers.
  bool opus_passthrough = false;
};

}  // namespace vb::audio
