#include "vectobeat/audio/decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <new>

#include "ffmpeg_support.hpp"
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
    if (const AVDictionaryEntry* e = av_dict_get(d, key, nullptr, 0); e != nullptr && e->value[0] != '\0') {
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
  int bad_packets = 0;
  std::unique_ptr<std::array<float, frame_values>> scratch;  // 16-bit reads only (7.5 KB)

  ~impl() {
    av_frame_free(&frame);
    av_packet_free(&pkt);
    av_packet_free(&passthrough_pkt);
    swr_free(&swr);
    av_channel_layout_uninit(&swr_in_layout);
    avcodec_free_context(&codec);
    avformat_close_input(&fmt);
    if (io != nullptr) av_freep(&io->buffer);
    avio_context_free(&io);
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
  auto* buffer = static_cast<std::uint8_t*>(av_malloc(buffer_bytes));
  if (buffer == nullptr) return fail(audio_error::out_of_memory);
  io = avio_alloc_context(buffer, static_cast<int>(buffer_bytes), 0, this, &read_cb, nullptr,
                          source->seekable() ? &seek_cb : nullptr);
  if (io == nullptr) {
    av_free(buffer);
    return fail(audio_error::out_of_memory);
  }
  fmt = avformat_alloc_context();
  if (fmt == nullptr) return fail(audio_error::out_of_memory);
  fmt->pb = io;
  fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
  const auto probe = static_cast<std::int64_t>(std::clamp<std::size_t>(options.probe_bytes, 2048, 16 << 20));
  fmt->probesize = probe;
  fmt->format_probesize = static_cast<int>(probe);
  fmt->max_analyze_duration = std::max<std::int64_t>(options.analyze_duration.count(), 100) * 1000;
  fmt->max_streams = 32;
  fmt->max_index_size = static_cast<unsigned>(std::clamp<std::size_t>(options.max_index_bytes, 1024, 1 << 20));
  fmt->io_open = &deny_io_open;
  fmt->format_whitelist = av_strdup(detail::allowed_demuxers);
  if (fmt->format_whitelist == nullptr) return fail(audio_error::out_of_memory);

  const AVInputFormat* hint = nullptr;
  if (!options.format_hint.empty()) hint = av_find_input_format(options.format_hint.c_str());
  if (int r = avformat_open_input(&fmt, nullptr, hint, nullptr); r < 0) {
    // fmt is freed by avformat_open_input on failure; the custom AVIO stays ours.
    if (source_failed) return fail(audio_error::io_error, r);
    if (r == AVERROR(ENOMEM)) return fail(audio_error::out_of_memory, r);
    // Empty input, unknown bytes, or a format outside the allow-list.
    return fail(audio_error::unsupported_format, r);
  }
  if (int r = avformat_find_stream_info(fmt, nullptr); r < 0) return fail(map_read_error(r), r);

  const AVCodec* dec = nullptr;
  stream_index = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &dec, 0);
  if (stream_index == AVERROR_STREAM_NOT_FOUND) return fail(audio_error::no_audio_stream, stream_index);
  if (stream_index < 0 || dec == nullptr) return fail(audio_error::unsupported_codec, stream_index);
  stream = fmt->streams[stream_index];
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != stream_index) fmt->streams[i]->discard = AVDISCARD_ALL;
  }

  codec = avcodec_alloc_context3(dec);
  if (codec == nullptr) return fail(audio_error::out_of_memory);
  if (int r = avcodec_parameters_to_context(codec, stream->codecpar); r < 0) return fail(audio_error::codec_error, r);
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

  pkt = av_packet_alloc();
  passthrough_pkt = av_packet_alloc();
  frame = av_frame_alloc();
  if (pkt == nullptr || passthrough_pkt == nullptr || frame == nullptr) return fail(audio_error::out_of_memory);

  origin_pts = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;

  const AVCodecParameters* par = stream->codecpar;
  info.container = detail::container_name(fmt->iformat->name, par->codec_id);
  info.codec = avcodec_get_name(par->codec_id);
  info.source_sample_rate = codec->sample_rate;
  info.source_channels = codec->ch_layout.nb_channels;
  info.bitrate = par->bit_rate > 0 ? par->bit_rate : std::max<std::int64_t>(fmt->bit_rate, 0);
  // Like lavaplayer, a source without a known size that cannot seek is a live stream.
  const bool live = !source->seekable() && !source->size();
  if (!live) {
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
      info.duration = std::chrono::milliseconds(av_rescale(fmt->duration, 1000, AV_TIME_BASE));
    } else if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
      info.duration = std::chrono::milliseconds(av_rescale_q(stream->duration, stream->time_base, {1, 1000}));
    }
  }
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
    av_channel_layout_default(&in, f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels : 2);
  } else if (av_channel_layout_copy(&in, &f->ch_layout) < 0) {
    return fail(audio_error::out_of_memory);
  }
  if ((swr != nullptr || rs) && f->format == swr_in_format && f->sample_rate == swr_in_rate &&
      av_channel_layout_compare(&in, &swr_in_layout) == 0) {
    av_channel_layout_uninit(&in);
    return {};
  }
  swr_free(&swr);
  rs.reset();
  av_channel_layout_uninit(&swr_in_layout);
  swr_in_layout = in;
  swr_in_format = f->format;
  swr_in_rate = f->sample_rate;
  if (f->sample_rate <= 0) return fail(audio_error::invalid_data);
  if (f->format == AV_SAMPLE_FMT_FLT || f->format == AV_SAMPLE_FMT_FLTP) {
    rs = resampler::create(f->sample_rate, swr_in_layout.nb_channels);
    if (rs) return {};
  }
  AVChannelLayout out = AV_CHANNEL_LAYOUT_STEREO;
  int r = swr_alloc_set_opts2(&swr, &out, AV_SAMPLE_FMT_FLT, sample_rate, &swr_in_layout,
                              static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
  if (r < 0) return fail(audio_error::resampler_error, r);
  if (swr_in_layout.nb_channels == 1) {
    // Mono goes to both channels at unity gain (swr's default mixes at -3 dB).
    const double matrix[2] = {1.0, 1.0};
    if ((r = swr_set_matrix(swr, matrix, 1)) < 0) return fail(audio_error::resampler_error, r);
  }
  if ((r = swr_init(swr)) < 0) return fail(audio_error::resampler_error, r);
  return {};
}

void decoder::impl::reset_resampler() {
  if (rs) rs->reset();
  if (swr != nullptr) {
    swr_close(swr);
    if (swr_init(swr) < 0) swr_free(&swr);  // rebuilt on the next frame
  }
}

expected<int, audio_error> decoder::impl::read_audio_packet(AVPacket* p) {
  for (;;) {
    const int r = av_read_frame(fmt, p);
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
    av_packet_unref(p);
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
  if (int r = avcodec_open2(codec, codec_impl, nullptr); r < 0) return fail(audio_error::codec_error, r);
  codec_open = true;
  return {};
}

expected<void, audio_error> decoder::impl::decode_step() {
  if (auto ok = ensure_codec_open(); !ok) return ok;
  int r = avcodec_receive_frame(codec, frame);
  if (r == 0) {
    bad_packets = 0;
    auto appended = append_frame(frame);
    av_frame_unref(frame);
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
        const int room = std::max(swr_get_out_samples(swr, 0), 0) + 32;
        float* dst = fifo.prepare(static_cast<std::size_t>(room));
        auto* dst8 = reinterpret_cast<std::uint8_t*>(dst);
        const int n = swr_convert(swr, &dst8, room, nullptr, 0);
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
    avcodec_send_packet(codec, nullptr);
    return {};
  }
  r = avcodec_send_packet(codec, pkt);
  av_packet_unref(pkt);
  if (r < 0 && r != AVERROR(EAGAIN)) return count_bad_packet(r);
  return {};
}

expected<void, audio_error> decoder::impl::append_frame(const AVFrame* f) {
  if (f->nb_samples <= 0) return {};
  if (auto ok = configure_resampler(f); !ok) return ok;
  if (anchor_pending) {
    const std::int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    if (ts != AV_NOPTS_VALUE && fifo.empty()) {
      fifo_start = std::max<std::int64_t>(0, av_rescale_q(ts - origin_pts, stream->time_base, output_time_base));
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
  const int room = swr_get_out_samples(swr, f->nb_samples);
  if (room < 0) return fail(audio_error::resampler_error, room);
  float* dst = fifo.prepare(static_cast<std::size_t>(room));
  auto* dst8 = reinterpret_cast<std::uint8_t*>(dst);
  const int n = swr_convert(swr, &dst8, room, const_cast<const std::uint8_t**>(f->extended_data), f->nb_samples);
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

void decoder::impl::leave_passthrough() {
  passthrough_mode = false;
  avcodec_flush_buffers(codec);
  reset_resampler();
  fifo.clear();
  sent_eof = false;
  finished = false;
  // Prime the decoder with the last passed-through packet and drop its output.
  if (passthrough_pkt->size > 0 && avcodec_send_packet(codec, passthrough_pkt) >= 0) {
    while (avcodec_receive_frame(codec, frame) == 0) av_frame_unref(frame);
  }
  av_packet_unref(passthrough_pkt);
  fifo_start = passthrough_next;
}

expected<read_status, audio_error> decoder::impl::read_frame(pcm_frame_view out) {
  if (past_end) return read_status::end_of_stream;
  if (auto ok = ensure_codec_open(); !ok) return unexpected(ok.error());
  if (passthrough_mode) leave_passthrough();
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
  if (info.duration && target_ms >= info.duration->count()) {
    // Past the end: behave like a finished track.
    fifo.clear();
    past_end = true;
    seek_target = -1;
    fifo_start = passthrough_next = target;
    av_packet_unref(passthrough_pkt);
    return {};
  }
  const std::int64_t preroll_ms = std::min(seek_preroll_ms, target_ms);
  const std::int64_t ts = origin_pts + av_rescale_q(target_ms - preroll_ms, {1, 1000}, stream->time_base);
  int r = avformat_seek_file(fmt, stream_index, std::numeric_limits<std::int64_t>::min(), ts, ts, 0);
  if (r < 0) r = av_seek_frame(fmt, stream_index, ts, AVSEEK_FLAG_BACKWARD);
  if (r < 0) return fail(source_failed ? audio_error::io_error : audio_error::seek_failed, r);
  if (codec_open) avcodec_flush_buffers(codec);
  reset_resampler();
  fifo.clear();
  av_packet_unref(passthrough_pkt);
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
  return std::max<std::int64_t>(0, av_rescale_q(p->pts - origin_pts, stream->time_base, output_time_base));
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
  for (;;) {
    av_packet_unref(passthrough_pkt);
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
  auto p = std::make_unique<impl>();
  p->source = std::move(source);
  p->options = options;
  if (auto ok = p->open(); !ok) return unexpected(ok.error());
  return decoder(std::move(p));
}

const track_info& decoder::info() const noexcept { return impl_->info; }

expected<read_status, audio_error> decoder::read_frame(pcm_frame_view out) { return impl_->read_frame(out); }

expected<read_status, audio_error> decoder::read_frame(pcm16_frame_view out) {
  if (!impl_->scratch) {
    impl_->scratch.reset(new (std::nothrow) std::array<float, frame_values>());
    if (!impl_->scratch) return unexpected(audio_error::out_of_memory);
  }
  auto r = impl_->read_frame(*impl_->scratch);
  if (r && *r == read_status::ok) float_to_int16(*impl_->scratch, out);
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
