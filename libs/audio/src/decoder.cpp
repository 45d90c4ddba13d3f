#include "vectobeat/audio/decoder.hpp"

// Opus passthrough from Ogg files reads packets with our own page reader (ogg_opus_reader.hpp)
// instead of av_read_frame, which cost ~6 us per packet (issue #4). FFmpeg still opens and probes
// the track, decodes when PCM is wanted, and seeks.
//
// Who owns the byte position: in passthrough, the reader; otherwise FFmpeg. The reader is used
// only on seekable sources, because every hand-over is a seek: FFmpeg's I/O buffer and demuxer
// have read ahead, so the reader cannot simply continue where FFmpeg stopped, nor FFmpeg where the
// reader stopped.
// - FFmpeg -> reader (the first next_opus_packet() after open, a seek or read_frame()): straight
//   after open the reader starts at byte 0 and reads the headers itself; otherwise FFmpeg returns
//   its next packet, whose `pos` is the page it starts on, and the reader starts at that page
//   and skips what comes before that packet. So the packet sequence is exactly what FFmpeg would
//   have returned, and seeking stays FFmpeg's (granule bisection over the same bytes).
// - reader -> FFmpeg (read_frame() after packets, a seek, or a chained link that is not stereo
//   Opus): the source is put back where FFmpeg's I/O buffer expects it, then FFmpeg seeks to
//   where the packets stopped, as seek() does (the 100 ms pre-roll also primes the codec).
// Non-seekable sources (live streams) keep FFmpeg's demuxer in both modes, and so do sources
// whose seeks may wait on a network (HTTP: a reopen): hand-overs happen on the node's frame
// worker, which must never block (byte_source::seeks_locally()).

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "ffmpeg_support.hpp"
#include "ogg_opus_reader.hpp"
#include "sample_fifo.hpp"
#include "vectobeat/audio/resampler.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}
#include <opus.h>

namespace vb::audio {
namespace {

constexpr AVRational output_time_base{1, sample_rate};
// Decoding starts this long before a seek target so codecs with state (MP3 bit reservoir, AAC
// overlap, Opus) have converged by the target; the pre-roll output is discarded.
constexpr std::int64_t seek_preroll_ms = 100;

std::int64_t ms_to_samples(std::int64_t ms) { return ms * (sample_rate / 1000); }
std::chrono::milliseconds samples_to_ms(std::int64_t samples) {
  return std::chrono::milliseconds(samples / (sample_rate / 1000));
}

std::string tag(const AVDictionary* a, const AVDictionary* b, const char* key) {
  for (const AVDictionary* d : {a, b}) {
    if (const AVDictionaryEntry* e = ff::av_dict_get(d, key, nullptr, 0); e != nullptr && e->value[0] != '\0') {
      return e->value;
    }
  }
  return {};
}

int deny_io_open(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**) { return AVERROR(EPERM); }

}  // namespace

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
  std::array<float, frame_values> scratch{};

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

expected<void, audio_error> decoder::impl::open() {
  detail::install_ffmpeg_log_bridge();
  const auto buffer_bytes = std::clamp<std::size_t>(options.io_buffer_bytes, 4096, 1 << 20);
  auto* buffer = static_cast<std::uint8_t*>(ff::av_malloc(buffer_bytes));
  if (buffer == nullptr) return fail(audio_error::out_of_memory);
  io = ff::avio_alloc_context(buffer, static_cast<int>(buffer_bytes), 0, this, &read_cb, nullptr,
                          source->seekable() ? &seek_cb : nullptr);
  if (io == nullptr) {
    ff::av_free(buffer);
    return fail(audio_error::out_of_memory);
  }
  fmt = ff::avformat_alloc_context();
  if (fmt == nullptr) return fail(audio_error::out_of_memory);
  fmt->pb = io;
  fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
  const auto probe = static_cast<std::int64_t>(std::clamp<std::size_t>(options.probe_bytes, 2048, 16 << 20));
  fmt->probesize = probe;
  fmt->format_probesize = static_cast<int>(probe);
  fmt->max_analyze_duration = std::max<std::int64_t>(options.analyze_duration.count(), 100) * 1000;
  fmt->max_streams = 32;
  fmt->io_open = &deny_io_open;
  fmt->format_whitelist = ff::av_strdup(detail::allowed_demuxers);
  if (fmt->format_whitelist == nullptr) return fail(audio_error::out_of_memory);

  const AVInputFormat* hint = nullptr;
  if (!options.format_hint.empty()) hint = ff::av_find_input_format(options.format_hint.c_str());
  if (int r = ff::avformat_open_input(&fmt, nullptr, hint, nullptr); r < 0) {
    // fmt is freed by avformat_open_input on failure; the custom AVIO stays ours.
    if (source_failed) return fail(audio_error::io_error, r);
    if (r == AVERROR(ENOMEM)) return fail(audio_error::out_of_memory, r);
    // Empty input, unknown bytes, or a format outside the allow-list.
    return fail(audio_error::unsupported_format, r);
  }
  if (int r = ff::avformat_find_stream_info(fmt, nullptr); r < 0) return fail(map_read_error(r), r);

  const AVCodec* dec = nullptr;
  stream_index = ff::av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &dec, 0);
  if (stream_index == AVERROR_STREAM_NOT_FOUND) return fail(audio_error::no_audio_stream, stream_index);
  if (stream_index < 0 || dec == nullptr) return fail(audio_error::unsupported_codec, stream_index);
  stream = fmt->streams[stream_index];
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != stream_index) fmt->streams[i]->discard = AVDISCARD_ALL;
  }

  codec = ff::avcodec_alloc_context3(dec);
  if (codec == nullptr) return fail(audio_error::out_of_memory);
  if (int r = ff::avcodec_parameters_to_context(codec, stream->codecpar); r < 0) return fail(audio_error::codec_error, r);
  codec->pkt_timebase = stream->time_base;
  codec->thread_count = 1;  // no hidden threads: the node schedules decoding itself
  codec_impl = dec;
  opus_passthrough = compute_passthrough_capable();
  if (!passthrough_capable()) {
    if (auto ok = ensure_codec_open(); !ok) return ok;
  }
  if (codec->sample_rate <= 0 || codec->sample_rate > 768000 || codec->ch_layout.nb_channels <= 0 ||
      codec->ch_layout.nb_channels > 64) {
    return fail(audio_error::invalid_data);
  }

  pkt = ff::av_packet_alloc();
  passthrough_pkt = ff::av_packet_alloc();
  frame = ff::av_frame_alloc();
  if (pkt == nullptr || passthrough_pkt == nullptr || frame == nullptr) return fail(audio_error::out_of_memory);

  origin_pts = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
  origin_samples = ff::av_rescale_q(origin_pts, stream->time_base, output_time_base);

  const AVCodecParameters* par = stream->codecpar;
  info.container = detail::container_name(fmt->iformat->name, par->codec_id);
  info.codec = ff::avcodec_get_name(par->codec_id);
  info.source_sample_rate = codec->sample_rate;
  info.source_channels = codec->ch_layout.nb_channels;
  info.bitrate = par->bit_rate > 0 ? par->bit_rate : std::max<std::int64_t>(fmt->bit_rate, 0);
  // Like lavaplayer, a source without a known size that cannot seek is a live stream.
  const bool live = !source->seekable() && !source->size();
  if (!live) {
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
      info.duration = std::chrono::milliseconds(ff::av_rescale(fmt->duration, 1000, AV_TIME_BASE));
    } else if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
      info.duration = std::chrono::milliseconds(ff::av_rescale_q(stream->duration, stream->time_base, AVRational{1, 1000}));
    }
  }
  setup_ogg_reader();
  read_tags();
  metadata_dirty = false;
  fmt->event_flags &= ~AVFMT_EVENT_FLAG_METADATA_UPDATED;
  stream->event_flags &= ~AVSTREAM_EVENT_FLAG_METADATA_UPDATED;
  return {};
}

void decoder::impl::read_tags() {
  info.title = tag(fmt->metadata, stream->metadata, "title");
  info.artist = tag(fmt->metadata, stream->metadata, "artist");
  if (info.artist.empty()) info.artist = tag(fmt->metadata, stream->metadata, "album_artist");
}

expected<void, audio_error> decoder::impl::configure_resampler(const AVFrame* f) {
  AVChannelLayout in{};
  if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f->ch_layout.nb_channels <= 0) {
    ff::av_channel_layout_default(&in, f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels : 2);
  } else if (ff::av_channel_layout_copy(&in, &f->ch_layout) < 0) {
    return fail(audio_error::out_of_memory);
  }
  if ((swr != nullptr || rs) && f->format == swr_in_format && f->sample_rate == swr_in_rate &&
      ff::av_channel_layout_compare(&in, &swr_in_layout) == 0) {
    ff::av_channel_layout_uninit(&in);
    return {};
  }
  ff::swr_free(&swr);
  rs.reset();
  ff::av_channel_layout_uninit(&swr_in_layout);
  swr_in_layout = in;
  swr_in_format = f->format;
  swr_in_rate = f->sample_rate;
  if (f->sample_rate <= 0) return fail(audio_error::invalid_data);
  if (f->format == AV_SAMPLE_FMT_FLT || f->format == AV_SAMPLE_FMT_FLTP) {
    rs = resampler::create(f->sample_rate, swr_in_layout.nb_channels);
    if (rs) return {};
  }
  AVChannelLayout out = AV_CHANNEL_LAYOUT_STEREO;
  int r = ff::swr_alloc_set_opts2(&swr, &out, AV_SAMPLE_FMT_FLT, sample_rate, &swr_in_layout,
                              static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
  if (r < 0) return fail(audio_error::resampler_error, r);
  if (swr_in_layout.nb_channels == 1) {
    // Mono goes to both channels at unity gain (swr's default mixes at -3 dB).
    const double matrix[2] = {1.0, 1.0};
    if ((r = ff::swr_set_matrix(swr, matrix, 1)) < 0) return fail(audio_error::resampler_error, r);
  }
  if ((r = ff::swr_init(swr)) < 0) return fail(audio_error::resampler_error, r);
  return {};
}

void decoder::impl::reset_resampler() {
  if (rs) rs->reset();
  if (swr != nullptr) {
    ff::swr_close(swr);
    if (ff::swr_init(swr) < 0) ff::swr_free(&swr);  // rebuilt on the next frame
  }
}

expected<int, audio_error> decoder::impl::read_audio_packet(AVPacket* p) {
  for (;;) {
    ffmpeg_fresh = false;
    const int r = ff::av_read_frame(fmt, p);
    if (fmt->event_flags & AVFMT_EVENT_FLAG_METADATA_UPDATED) {
      fmt->event_flags &= ~AVFMT_EVENT_FLAG_METADATA_UPDATED;
      metadata_dirty = true;
    }
    if (stream->event_flags & AVSTREAM_EVENT_FLAG_METADATA_UPDATED) {
      stream->event_flags &= ~AVSTREAM_EVENT_FLAG_METADATA_UPDATED;
      metadata_dirty = true;
    }
    if (r == AVERROR_EOF) return AVERROR_EOF;
    if (r < 0) {
      // A truncated file ends like any other; a failing source or corrupt container is an error.
      if (!source_failed && io->eof_reached) return AVERROR_EOF;
      return fail(map_read_error(r), r);
    }
    if (p->stream_index == stream_index) return 0;
    ff::av_packet_unref(p);
  }
}

expected<void, audio_error> decoder::impl::count_bad_packet(int averror) {
  if (averror == AVERROR(ENOMEM)) return fail(audio_error::out_of_memory, averror);
  if (++bad_packets > options.max_consecutive_bad_packets) return fail(audio_error::invalid_data, averror);
  error_detail = detail::ffmpeg_error_text(averror);
  return {};
}

expected<void, audio_error> decoder::impl::ensure_codec_open() {
  if (codec_open) return {};
  if (int r = ff::avcodec_open2(codec, codec_impl, nullptr); r < 0) return fail(audio_error::codec_error, r);
  codec_open = true;
  return {};
}

expected<void, audio_error> decoder::impl::decode_step() {
  if (auto ok = ensure_codec_open(); !ok) return ok;
  int r = ff::avcodec_receive_frame(codec, frame);
  if (r == 0) {
    bad_packets = 0;
    auto appended = append_frame(frame);
    ff::av_frame_unref(frame);
    return appended;
  }
  if (r == AVERROR_EOF) {
    if (rs) {
      float* dst = fifo.prepare(rs->max_output(0));
      fifo.commit(rs->flush(dst));
      discard_before_target();
    } else if (swr != nullptr) {
      // Drain the resampler's delay line.
      for (;;) {
        const int room = std::max(ff::swr_get_out_samples(swr, 0), 0) + 32;
        float* dst = fifo.prepare(static_cast<std::size_t>(room));
        auto* dst8 = reinterpret_cast<std::uint8_t*>(dst);
        const int n = ff::swr_convert(swr, &dst8, room, nullptr, 0);
        if (n <= 0) break;
        fifo.commit(static_cast<std::size_t>(n));
      }
      discard_before_target();
    }
    finished = true;
    return {};
  }
  if (r != AVERROR(EAGAIN)) return count_bad_packet(r);
  if (sent_eof) {  // EAGAIN after EOF should not happen; do not spin
    finished = true;
    return {};
  }
  auto got = read_audio_packet(pkt);
  if (!got) return unexpected(got.error());
  if (*got == AVERROR_EOF) {
    sent_eof = true;
    ff::avcodec_send_packet(codec, nullptr);
    return {};
  }
  r = ff::avcodec_send_packet(codec, pkt);
  ff::av_packet_unref(pkt);
  if (r < 0 && r != AVERROR(EAGAIN)) return count_bad_packet(r);
  return {};
}

expected<void, audio_error> decoder::impl::append_frame(const AVFrame* f) {
  if (f->nb_samples <= 0) return {};
  if (auto ok = configure_resampler(f); !ok) return ok;
  if (anchor_pending) {
    const std::int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (ts != AV_NOPTS_VALUE && fifo.empty()) {
      fifo_start = std::max<std::int64_t>(0, ff::av_rescale_q(ts - origin_pts, stream->time_base, output_time_base));
    }
    anchor_pending = false;
  }
  if (rs) {
    const auto n_in = static_cast<std::size_t>(f->nb_samples);
    float* dst = fifo.prepare(rs->max_output(n_in));
    const auto planes = reinterpret_cast<const float* const*>(f->extended_data);
    fifo.commit(rs->process(planes, f->format == AV_SAMPLE_FMT_FLTP, n_in, dst));
    discard_before_target();
    return {};
  }
  const int room = ff::swr_get_out_samples(swr, f->nb_samples);
  if (room < 0) return fail(audio_error::resampler_error, room);
  float* dst = fifo.prepare(static_cast<std::size_t>(room));
  auto* dst8 = reinterpret_cast<std::uint8_t*>(dst);
  const int n = ff::swr_convert(swr, &dst8, room, const_cast<const std::uint8_t**>(f->extended_data), f->nb_samples);
  if (n < 0) return fail(audio_error::resampler_error, n);
  fifo.commit(static_cast<std::size_t>(n));
  discard_before_target();
  return {};
}

void decoder::impl::discard_before_target() {
  if (seek_target < 0) return;
  const std::int64_t behind = seek_target - fifo_start;
  if (behind > 0) {
    const auto n = std::min<std::int64_t>(behind, static_cast<std::int64_t>(fifo.size()));
    fifo.drop(static_cast<std::size_t>(n));
    fifo_start += n;
  }
  if (fifo_start >= seek_target) seek_target = -1;
}

void decoder::impl::setup_ogg_reader() {
  if (!opus_passthrough || !source->seekable() || !source->seeks_locally() ||
      std::string_view(fmt->iformat->name) != "ogg") {
    return;
  }
  const AVCodecParameters* par = stream->codecpar;
  // FFmpeg keeps the OpusHead packet as extradata. Its streams are numbered in the order of the
  // BOS pages, which is how the reader finds the Ogg serial to follow (no I/O until then).
  const auto head = detail::parse_opus_head({par->extradata, static_cast<std::size_t>(std::max(par->extradata_size, 0))});
  if (!head || !head->passthrough_capable()) return;
  ogg = std::make_unique<detail::ogg_opus_reader>(*source, static_cast<std::size_t>(stream_index));
}

expected<void, audio_error> decoder::impl::give_source_to_ffmpeg() {
  if (!reader_owns) return {};
  reader_owns = false;
  // Put the source where FFmpeg's I/O buffer ends, so its next read continues from there.
  if (!source->seek(static_cast<std::uint64_t>(std::max<std::int64_t>(io->pos, 0)))) {
    source_failed = true;
    return fail(audio_error::io_error);
  }
  return {};
}

// Drops the reader for good; FFmpeg continues the packets from where they stopped.
expected<void, audio_error> decoder::impl::hand_back_to_ffmpeg() {
  ogg.reset();
  if (auto ok = give_source_to_ffmpeg(); !ok) return ok;
  return seek_to(passthrough_next);
}

// True when the reader (or FFmpeg, after a hand-back) is ready; false at the end of the stream.
expected<bool, audio_error> decoder::impl::locate_reader() {
  std::uint64_t offset = 0;
  resume_from = -1;
  if (!ffmpeg_fresh) {
    auto got = read_audio_packet(pkt);
    if (!got) return unexpected(got.error());
    if (*got == AVERROR_EOF) return false;
    if (pkt->pos < 0) {  // never seen from FFmpeg's Ogg demuxer; if it happens, FFmpeg keeps going
      ff::av_packet_unref(pkt);
      if (auto ok = hand_back_to_ffmpeg(); !ok) return unexpected(ok.error());
      return true;
    }
    offset = static_cast<std::uint64_t>(pkt->pos);
    resume_from = packet_position(pkt, passthrough_next);
    ff::av_packet_unref(pkt);
    reader_owns = true;  // the source position is the reader's from here on
    if (!ogg->knows_stream()) {
      auto found = ogg->find_stream();
      if (!found) return fail(found.error());
      if (!*found) {
        if (auto ok = hand_back_to_ffmpeg(); !ok) return unexpected(ok.error());
        return true;
      }
    }
  }
  if (auto ok = ogg->restart(offset); !ok) return fail(ok.error());
  reader_owns = true;
  return true;
}

void decoder::impl::leave_passthrough() {
  passthrough_mode = false;
  ff::avcodec_flush_buffers(codec);
  reset_resampler();
  fifo.clear();
  sent_eof = false;
  finished = false;
  // Prime the decoder with the last passed-through packet and drop its output.
  if (passthrough_pkt->size > 0 && ff::avcodec_send_packet(codec, passthrough_pkt) >= 0) {
    while (ff::avcodec_receive_frame(codec, frame) == 0) ff::av_frame_unref(frame);
  }
  ff::av_packet_unref(passthrough_pkt);
  fifo_start = passthrough_next;
}

expected<read_status, audio_error> decoder::impl::read_frame(pcm_frame_view out) {
  if (past_end) return read_status::end_of_stream;
  if (auto ok = ensure_codec_open(); !ok) return unexpected(ok.error());
  if (passthrough_mode && reader_owns) {
    passthrough_mode = false;
    if (auto ok = give_source_to_ffmpeg(); !ok) return unexpected(ok.error());
    if (auto ok = seek_to(passthrough_next); !ok) return unexpected(ok.error());
    if (past_end) return read_status::end_of_stream;
  } else if (passthrough_mode) {
    leave_passthrough();
  }
  while (fifo.size() < frame_samples && !finished) {
    if (auto ok = decode_step(); !ok) return unexpected(ok.error());
  }
  if (fifo.empty()) return read_status::end_of_stream;
  const std::size_t n = std::min(fifo.size(), frame_samples);
  fifo.pop(out.data(), n);
  if (n < frame_samples) std::fill(out.begin() + static_cast<std::ptrdiff_t>(n * channel_count), out.end(), 0.0f);
  fifo_start += static_cast<std::int64_t>(n);
  return read_status::ok;
}

expected<void, audio_error> decoder::impl::seek(std::int64_t target_ms) {
  target_ms = std::max<std::int64_t>(target_ms, 0);
  const std::int64_t target = ms_to_samples(target_ms);
  const std::int64_t current = passthrough_mode ? passthrough_next : fifo_start;
  if (!source->seekable()) {
    if (target < current) return fail(audio_error::not_seekable);
    seek_target = target;  // decode (or skip packets) forward and discard
    if (!passthrough_mode) discard_before_target();
    return {};
  }
  if (auto ok = give_source_to_ffmpeg(); !ok) return ok;
  return seek_to(target);
}

expected<void, audio_error> decoder::impl::seek_to(std::int64_t target) {
  if (info.duration && samples_to_ms(target) >= *info.duration) {
    // Past the end: behave like a finished track.
    fifo.clear();
    past_end = true;
    seek_target = -1;
    fifo_start = passthrough_next = target;
    ff::av_packet_unref(passthrough_pkt);
    return {};
  }
  return seek_ffmpeg(target);
}

expected<void, audio_error> decoder::impl::seek_ffmpeg(std::int64_t target) {
  ffmpeg_fresh = false;
  const std::int64_t preroll = std::min(ms_to_samples(seek_preroll_ms), target);
  const std::int64_t ts = origin_pts + ff::av_rescale_q(target - preroll, output_time_base, stream->time_base);
  int r = ff::avformat_seek_file(fmt, stream_index, std::numeric_limits<std::int64_t>::min(), ts, ts, 0);
  if (r < 0) r = ff::av_seek_frame(fmt, stream_index, ts, AVSEEK_FLAG_BACKWARD);
  if (r < 0) return fail(source_failed ? audio_error::io_error : audio_error::seek_failed, r);
  if (codec_open) ff::avcodec_flush_buffers(codec);
  reset_resampler();
  fifo.clear();
  ff::av_packet_unref(passthrough_pkt);
  past_end = false;
  sent_eof = false;
  finished = false;
  bad_packets = 0;
  seek_target = target;
  anchor_pending = true;
  fifo_start = passthrough_next = target;  // provisional until a timestamp arrives
  return {};
}

std::int64_t decoder::impl::packet_position(const AVPacket* p, std::int64_t fallback) const {
  if (p->pts == AV_NOPTS_VALUE) return fallback;
  return std::max<std::int64_t>(0, ff::av_rescale_q(p->pts - origin_pts, stream->time_base, output_time_base));
}

expected<read_status, audio_error> decoder::impl::next_opus_packet(opus_packet& out) {
  if (!passthrough_capable()) return fail(audio_error::not_opus);
  if (past_end) return read_status::end_of_stream;
  if (!passthrough_mode) {
    passthrough_mode = true;
    passthrough_next = fifo_start;
    fifo.clear();
    anchor_pending = false;
  }
  if (ogg) {
    bool handed_back = false;
    auto r = next_reader_packet(out, handed_back);
    if (!handed_back) return r;
  }
  return next_ffmpeg_packet(out);
}

expected<read_status, audio_error> decoder::impl::next_reader_packet(opus_packet& out, bool& handed_back) {
  if (!reader_owns) {
    auto located = locate_reader();
    if (!located) return unexpected(located.error());
    if (!*located) return read_status::end_of_stream;
    if (!ogg) {
      handed_back = true;
      return read_status::ok;
    }
  }
  detail::ogg_opus_packet p;
  for (;;) {
    auto r = ogg->next(p);
    if (!r) return fail(r.error());
    if (*r == detail::ogg_read_status::end_of_stream) return read_status::end_of_stream;
    if (*r == detail::ogg_read_status::foreign_stream) {
      // A chained link that is not stereo Opus: FFmpeg takes over from here.
      handed_back = true;
      if (auto ok = hand_back_to_ffmpeg(); !ok) return unexpected(ok.error());
      return read_status::ok;
    }
    if (p.samples <= 0) {
      if (auto ok = count_bad_packet(AVERROR_INVALIDDATA); !ok) return unexpected(ok.error());
      continue;
    }
    bad_packets = 0;
    const std::int64_t pos = std::max<std::int64_t>(0, p.timestamp - origin_samples);
    if (pos < resume_from) continue;  // before the packet FFmpeg would have returned next
    resume_from = -1;
    if (seek_target >= 0) {
      if (pos + p.samples <= seek_target) {
        passthrough_next = pos + p.samples;
        continue;
      }
      seek_target = -1;
    }
    passthrough_next = pos + p.samples;
    out.data = p.data;
    out.samples = p.samples;
    out.position = samples_to_ms(pos);
    return read_status::ok;
  }
}

expected<read_status, audio_error> decoder::impl::next_ffmpeg_packet(opus_packet& out) {
  for (;;) {
    ff::av_packet_unref(passthrough_pkt);
    if (finished && sent_eof) return read_status::end_of_stream;
    auto got = read_audio_packet(passthrough_pkt);
    if (!got) return unexpected(got.error());
    if (*got == AVERROR_EOF) {
      finished = sent_eof = true;
      return read_status::end_of_stream;
    }
    const int n = opus_packet_get_nb_samples(passthrough_pkt->data, passthrough_pkt->size, sample_rate);
    if (n <= 0) {
      if (auto ok = count_bad_packet(AVERROR_INVALIDDATA); !ok) return unexpected(ok.error());
      continue;
    }
    bad_packets = 0;
    const std::int64_t pos = packet_position(passthrough_pkt, passthrough_next);
    if (seek_target >= 0) {
      if (pos + n <= seek_target) {
        passthrough_next = pos + n;
        continue;
      }
      seek_target = -1;
    }
    passthrough_next = pos + n;
    out.data = {passthrough_pkt->data, static_cast<std::size_t>(passthrough_pkt->size)};
    out.samples = n;
    out.position = samples_to_ms(pos);
    return read_status::ok;
  }
}

// --- decoder ---

decoder::decoder(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
decoder::decoder(decoder&&) noexcept = default;
decoder& decoder::operator=(decoder&&) noexcept = default;
decoder::~decoder() = default;

expected<decoder, audio_error> decoder::open(std::unique_ptr<byte_source> source, const decoder_options& options) {
  if (!source) return unexpected(audio_error::invalid_argument);
  // Before any impl exists: its destructor calls FFmpeg.
  if (!detail::load_ffmpeg()) return unexpected(audio_error::media_libraries_missing);
  auto p = std::make_unique<impl>();
  p->source = std::move(source);
  p->options = options;
  if (auto ok = p->open(); !ok) return unexpected(ok.error());
  return decoder(std::move(p));
}

const track_info& decoder::info() const noexcept { return impl_->info; }

expected<read_status, audio_error> decoder::read_frame(pcm_frame_view out) { return impl_->read_frame(out); }

expected<read_status, audio_error> decoder::read_frame(pcm16_frame_view out) {
  auto r = impl_->read_frame(impl_->scratch);
  if (r && *r == read_status::ok) float_to_int16(impl_->scratch, out);
  return r;
}

expected<void, audio_error> decoder::seek(std::chrono::milliseconds position) { return impl_->seek(position.count()); }

std::chrono::milliseconds decoder::position() const noexcept {
  return samples_to_ms(impl_->passthrough_mode ? impl_->passthrough_next : impl_->fifo_start);
}

bool decoder::opus_passthrough_available() const noexcept { return impl_->passthrough_capable(); }

expected<read_status, audio_error> decoder::next_opus_packet(opus_packet& out) {
  return impl_->next_opus_packet(out);
}

std::optional<decoder::metadata_update> decoder::take_metadata_update() {
  auto& d = *impl_;
  bool changed = false;
  if (auto title = d.source->take_stream_title()) {
    changed = *title != d.info.title;
    d.info.title = std::move(*title);
  }
  if (d.ogg) {
    if (auto t = d.ogg->take_tags()) {
      changed = changed || t->title != d.info.title || t->artist != d.info.artist;
      d.info.title = std::move(t->title);
      d.info.artist = std::move(t->artist);
    }
  }
  if (d.metadata_dirty) {
    d.metadata_dirty = false;
    const auto before_title = d.info.title;
    const auto before_artist = d.info.artist;
    d.read_tags();
    changed = changed || d.info.title != before_title || d.info.artist != before_artist;
  }
  if (!changed) return std::nullopt;
  return metadata_update{d.info.title, d.info.artist};
}

const std::string& decoder::last_error_detail() const noexcept { return impl_->error_detail; }

}  // namespace vb::audio
