#include "vectobeat/audio/icy_source.hpp"

#include <algorithm>

namespace vb::audio {

icy_source::icy_source(std::unique_ptr<byte_source> inner, std::size_t metaint)
    : inner_(std::move(inner)), metaint_(metaint), until_meta_(metaint) {}

expected<std::size_t, audio_error> icy_source::read(std::span<std::byte> buffer) {
  if (metaint_ == 0) return inner_->read(buffer);
  if (until_meta_ == 0) {
    auto got = read_metadata_block();
    if (!got) return unexpected(got.error());
    if (!*got) return std::size_t{0};  // the stream ended inside a metadata block
    until_meta_ = metaint_;
  }
  auto r = inner_->read(buffer.first(std::min(buffer.size(), until_meta_)));
  if (r) until_meta_ -= *r;
  return r;
}

expected<bool, audio_error> icy_source::read_metadata_block() {
  // Reads exactly `n` bytes into `dst`; false at end of stream.
  auto read_exact = [this](std::byte* dst, std::size_t n) -> expected<bool, audio_error> {
    while (n > 0) {
      auto r = inner_->read({dst, n});
      if (!r) return unexpected(r.error());
      if (*r == 0) return false;
      dst += *r;
      n -= *r;
    }
    return true;
  };
  std::byte len_byte{};
  auto ok = read_exact(&len_byte, 1);
  if (!ok || !*ok) return ok;
  const std::size_t len = static_cast<std::size_t>(len_byte) * 16;
  if (len == 0) return true;
  ok = read_exact(reinterpret_cast<std::byte*>(meta_.data()), len);
  if (!ok || !*ok) return ok;
  std::string_view block(meta_.data(), len);
  if (const auto nul = block.find('\0'); nul != std::string_view::npos) block = block.substr(0, nul);
  if (auto t = parse_stream_title(block); t && *t != title_) {
    title_ = std::move(*t);
    title_changed_ = true;
  }
  return true;
}

std::optional<std::string> icy_source::take_stream_title() {
  if (auto inner = inner_->take_stream_title()) return inner;
  if (!title_changed_) return std::nullopt;
  title_changed_ = false;
  return title_;
}

std::optional<std::string> icy_source::parse_stream_title(std::string_view block) {
  constexpr std::string_view key = "StreamTitle='";
  const auto start = block.find(key);
  if (start == std::string_view::npos) return std::nullopt;
  const auto value_start = start + key.size();
  // The value ends at "';" (titles may contain apostrophes); fall back to the last quote.
  auto end = block.find("';", value_start);
  if (end == std::string_view::npos) end = block.rfind('\'');
  if (end == std::string_view::npos || end < value_start) return std::nullopt;
  return std::string(block.substr(value_start, end - value_start));
}

}  // namespace vb::audio
