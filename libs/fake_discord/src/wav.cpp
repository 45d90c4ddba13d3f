#include "vectobeat/fake_discord/wav.hpp"

#include <cstring>
#include <limits>

namespace vb::fake {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}
std::uint32_t get_u32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[at + static_cast<std::size_t>(i)]);
  return v;
}
std::uint16_t get_u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(b[at]) | (static_cast<std::uint8_t>(b[at + 1]) << 8));
}

}  // namespace

std::string encode_wav(std::span<const std::int16_t> interleaved, int sample_rate, int channels) {
  // A WAV data chunk is limited to 4 GiB; the recorder's bound keeps us far below it.
  const auto data_bytes = static_cast<std::uint32_t>(
      std::min<std::size_t>(interleaved.size() * 2, std::numeric_limits<std::uint32_t>::max() - 36));
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_u32(out, 36 + data_bytes);
  out += "WAVEfmt ";
  put_u32(out, 16);
  put_u16(out, 1);  // PCM
  put_u16(out, static_cast<std::uint16_t>(channels));
  put_u32(out, static_cast<std::uint32_t>(sample_rate));
  put_u32(out, static_cast<std::uint32_t>(sample_rate * channels * 2));
  put_u16(out, static_cast<std::uint16_t>(channels * 2));
  put_u16(out, 16);
  out += "data";
  put_u32(out, data_bytes);
  for (std::size_t i = 0; i < data_bytes / 2; ++i) put_u16(out, static_cast<std::uint16_t>(interleaved[i]));
  return out;
}

expected<wav_audio, std::string> decode_wav(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") return unexpected(std::string("not a RIFF/WAVE file"));
  wav_audio out;
  bool have_fmt = false;
  std::size_t at = 12;
  while (at + 8 <= b.size()) {
    const std::string_view id = b.substr(at, 4);
    const std::size_t size = get_u32(b, at + 4);
    const std::size_t body = at + 8;
    if (size > b.size() - body) return unexpected(std::string("chunk '") + std::string(id) + "' runs past the end");
    if (id == "fmt ") {
      if (size < 16) return unexpected(std::string("fmt chunk too short"));
      if (get_u16(b, body) != 1) return unexpected(std::string("not PCM"));
      out.channels = get_u16(b, body + 2);
      out.sample_rate = static_cast<int>(get_u32(b, body + 4));
      if (get_u16(b, body + 14) != 16) return unexpected(std::string("not 16-bit"));
      if (out.channels < 1 || out.channels > 8) return unexpected(std::string("bad channel count"));
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return unexpected(std::string("data before fmt"));
      out.samples.resize(size / 2);
      for (std::size_t i = 0; i < out.samples.size(); ++i)
        out.samples[i] = static_cast<std::int16_t>(get_u16(b, body + 2 * i));
      return out;
    }
    at = body + size + (size & 1);
  }
  return unexpected(std::string("no data chunk"));
}

}  // namespace vb::fake
