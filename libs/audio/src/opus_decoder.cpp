#include "vectobeat/audio/opus_decoder.hpp"

#include <opus.h>

#include <algorithm>

#include "vectobeat/audio/pcm.hpp"

namespace vb::audio {

struct opus_decoder::impl {
  OpusDecoder* dec = nullptr;
  int channels = 2;
  ~impl() { opus_decoder_destroy(dec); }
};

namespace {

expected<std::size_t, audio_error> decoded(int r) {
  if (r >= 0) return static_cast<std::size_t>(r);
  switch (r) {
    case OPUS_BUFFER_TOO_SMALL:
    case OPUS_BAD_ARG: return unexpected(audio_error::invalid_argument);
    case OPUS_INVALID_PACKET: return unexpected(audio_error::invalid_data);
    default: return unexpected(audio_error::codec_error);
  }
}

int frames_capacity(std::size_t values, int channels) {
  return static_cast<int>(std::min<std::size_t>(values / static_cast<std::size_t>(channels), max_opus_packet_samples));
}

}  // namespace

opus_decoder::opus_decoder(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
opus_decoder::opus_decoder(opus_decoder&&) noexcept = default;
opus_decoder& opus_decoder::operator=(opus_decoder&&) noexcept = default;
opus_decoder::~opus_decoder() = default;

expected<opus_decoder, audio_error> opus_decoder::create(int channels) {
  if (channels != 1 && channels != 2) return unexpected(audio_error::invalid_argument);
  auto p = std::make_unique<impl>();
  int err = OPUS_OK;
  p->dec = opus_decoder_create(sample_rate, channels, &err);
  if (err != OPUS_OK || p->dec == nullptr) {
    return unexpected(err == OPUS_ALLOC_FAIL ? audio_error::out_of_memory : audio_error::codec_error);
  }
  p->channels = channels;
  return opus_decoder(std::move(p));
}

int opus_decoder::channels() const noexcept { return impl_->channels; }

expected<std::size_t, audio_error> opus_decoder::decode(std::span<const std::uint8_t> packet,
                                                        std::span<float> out) noexcept {
  if (packet.empty()) return unexpected(audio_error::invalid_data);  // an empty packet would mean PLC
  if (out.empty()) return unexpected(audio_error::invalid_argument);
  return decoded(opus_decode_float(impl_->dec, packet.data(), static_cast<opus_int32>(packet.size()), out.data(),
                                   frames_capacity(out.size(), impl_->channels), 0));
}

expected<std::size_t, audio_error> opus_decoder::decode(std::span<const std::uint8_t> packet,
                                                        std::span<std::int16_t> out) noexcept {
  if (packet.empty()) return unexpected(audio_error::invalid_data);
  if (out.empty()) return unexpected(audio_error::invalid_argument);
  return decoded(opus_decode(impl_->dec, packet.data(), static_cast<opus_int32>(packet.size()), out.data(),
                             frames_capacity(out.size(), impl_->channels), 0));
}

expected<std::size_t, audio_error> opus_decoder::conceal(std::span<float> out, std::size_t samples) noexcept {
  if (samples == 0 || samples % 120 != 0 || samples > max_opus_packet_samples ||
      out.size() < samples * static_cast<std::size_t>(impl_->channels)) {
    return unexpected(audio_error::invalid_argument);
  }
  return decoded(opus_decode_float(impl_->dec, nullptr, 0, out.data(), static_cast<int>(samples), 0));
}

expected<std::size_t, audio_error> opus_decoder::recover_from_next(std::span<const std::uint8_t> next_packet,
                                                                   std::span<float> out, std::size_t samples) noexcept {
  if (next_packet.empty()) return conceal(out, samples);
  if (samples == 0 || samples % 120 != 0 || samples > max_opus_packet_samples ||
      out.size() < samples * static_cast<std::size_t>(impl_->channels)) {
    return unexpected(audio_error::invalid_argument);
  }
  return decoded(opus_decode_float(impl_->dec, next_packet.data(), static_cast<opus_int32>(next_packet.size()),
                                   out.data(), static_cast<int>(samples), 1));
}

void opus_decoder::reset() noexcept { opus_decoder_ctl(impl_->dec, OPUS_RESET_STATE); }

expected<int, audio_error> opus_decoder::packet_samples(std::span<const std::uint8_t> packet) noexcept {
  if (packet.empty()) return unexpected(audio_error::invalid_data);
  const int n = opus_packet_get_nb_samples(packet.data(), static_cast<opus_int32>(packet.size()), sample_rate);
  if (n <= 0) return unexpected(audio_error::invalid_data);
  return n;
}

}  // namespace vb::audio
