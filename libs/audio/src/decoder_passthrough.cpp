#include "vectobeat/audio/decoder.hpp"

// Opus packets without decoding (decoder::next_opus_packet), from FFmpeg's demuxer or our Ogg
// page reader, and the hand-overs between the two.
//
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

#include <opus.h>

#include "decoder_impl.hpp"

namespace vb::audio {

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

std::int64_t decoder::impl::packet_position(const AVPacket* p, std::int64_t fallback) const {
  if (p->pts == AV_NOPTS_VALUE) return fallback;
  return std::max<std::int64_t>(0, ff::av_rescale_q(p->pts - origin_pts, stream->time_base, detail::output_time_base));
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
    out.position = detail::samples_to_ms(pos);
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
    out.position = detail::samples_to_ms(pos);
    return read_status::ok;
  }
}

// --- decoder ---

decoder::decoder(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
decoder::decoder(decoder&&) noexcept = default;
decoder& decoder::operator=(decoder&&) noexcept = default;
decoder::~decoder() = default;

}  // namespace vb::audio
