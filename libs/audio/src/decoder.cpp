#include "vectobeat/audio/decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <new>

#include "decoder_impl.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}
#include <opus.h>

namespace vb::audio {
namespace {

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
  fmt->max_index_size = static_cast<unsigned>(std::clamp<std::size_t>(options.max_index_bytes, 1024, 1 << 20));
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
  origin_samples = ff::av_rescale_q(origin_pts, stream->time_base, detail::output_time_base);

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
      fifo_start = std::max<std::int64_t>(0, ff::av_rescale_q(ts - origin_pts, stream->time_base, detail::output_time_base));
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
  const std::int64_t target = detail::ms_to_samples(target_ms);
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
  if (info.duration && detail::samples_to_ms(target) >= *info.duration) {
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
  const std::int64_t preroll = std::min(detail::ms_to_samples(detail::seek_preroll_ms), target);
  const std::int64_t ts = origin_pts + ff::av_rescale_q(target - preroll, detail::output_time_base, stream->time_base);
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
  return detail::samples_to_ms(impl_->passthrough_mode ? impl_->passthrough_next : impl_->fifo_start);
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
