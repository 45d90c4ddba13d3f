#include "vectobeat/audio/opus_encoder.hpp"

#include <opus.h>

namespace vb::audio {

struct opus_encoder::impl {
  OpusEncoder* enc = nullptr;
  ~impl() { opus_encoder_destroy(enc); }
};

namespace {

bool valid_bitrate(int b) { return b >= 6000 && b <= 510000; }
bool valid_complexity(int c) { return c >= 0 && c <= 10; }

expected<std::size_t, audio_error> packet_size(opus_int32 r) {
  if (r < 0) {
    return unexpected(r == OPUS_BUFFER_TOO_SMALL || r == OPUS_BAD_ARG ? audio_error::invalid_argument
                                                                      : audio_error::codec_error);
  }
  return static_cast<std::size_t>(r);
}

}  // namespace

opus_encoder::opus_encoder(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
opus_encoder::opus_encoder(opus_encoder&&) noexcept = default;
opus_encoder& opus_encoder::operator=(opus_encoder&&) noexcept = default;
opus_encoder::~opus_encoder() = default;

expected<opus_encoder, audio_error> opus_encoder::create(const opus_encoder_options& options) {
  if (!valid_bitrate(options.bitrate) || !valid_complexity(options.complexity)) {
    return unexpected(audio_error::invalid_argument);
  }
  auto p = std::make_unique<impl>();
  int err = OPUS_OK;
  p->enc = opus_encoder_create(sample_rate, channel_count, OPUS_APPLICATION_AUDIO, &err);
  if (err != OPUS_OK || p->enc == nullptr) {
    return unexpected(err == OPUS_ALLOC_FAIL ? audio_error::out_of_memory : audio_error::codec_error);
  }
  if (opus_encoder_ctl(p->enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_MUSIC)) != OPUS_OK ||
      opus_encoder_ctl(p->enc, OPUS_SET_BITRATE(options.bitrate)) != OPUS_OK ||
      opus_encoder_ctl(p->enc, OPUS_SET_COMPLEXITY(options.complexity)) != OPUS_OK ||
      opus_encoder_ctl(p->enc, OPUS_SET_INBAND_FEC(0)) != OPUS_OK ||
      opus_encoder_ctl(p->enc, OPUS_SET_DTX(0)) != OPUS_OK) {
    return unexpected(audio_error::codec_error);
  }
  return opus_encoder(std::move(p));
}

expected<std::size_t, audio_error> opus_encoder::encode(const_pcm_frame_view pcm, std::span<std::uint8_t> out) noexcept {
  if (out.empty()) return unexpected(audio_error::invalid_argument);  // libopus requires a buffer
  return packet_size(opus_encode_float(impl_->enc, pcm.data(), static_cast<int>(frame_samples), out.data(),
                                       static_cast<opus_int32>(out.size())));
}

expected<std::size_t, audio_error> opus_encoder::encode(const_pcm16_frame_view pcm, std::span<std::uint8_t> out) noexcept {
  if (out.empty()) return unexpected(audio_error::invalid_argument);
  return packet_size(opus_encode(impl_->enc, pcm.data(), static_cast<int>(frame_samples), out.data(),
                                 static_cast<opus_int32>(out.size())));
}

expected<void, audio_error> opus_encoder::set_bitrate(int bits_per_second) noexcept {
  if (!valid_bitrate(bits_per_second)) return unexpected(audio_error::invalid_argument);
  if (opus_encoder_ctl(impl_->enc, OPUS_SET_BITRATE(bits_per_second)) != OPUS_OK) return unexpected(audio_error::codec_error);
  return {};
}

expected<void, audio_error> opus_encoder::set_complexity(int complexity) noexcept {
  if (!valid_complexity(complexity)) return unexpected(audio_error::invalid_argument);
  if (opus_encoder_ctl(impl_->enc, OPUS_SET_COMPLEXITY(complexity)) != OPUS_OK) return unexpected(audio_error::codec_error);
  return {};
}

int opus_encoder::bitrate() const noexcept {
  opus_int32 v = 0;
  opus_encoder_ctl(impl_->enc, OPUS_GET_BITRATE(&v));
  return v;
}

int opus_encoder::complexity() const noexcept {
  opus_int32 v = 0;
  opus_encoder_ctl(impl_->enc, OPUS_GET_COMPLEXITY(&v));
  return v;
}

void opus_encoder::reset() noexcept { opus_encoder_ctl(impl_->enc, OPUS_RESET_STATE); }

}  // namespace vb::audio
