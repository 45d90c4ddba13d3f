#pragma once
#include <array>
#include <memory>
#include <string>

#include "vectobeat/audio/byte_source.hpp"

namespace vb::audio {

// Strips SHOUTcast/Icecast ICY metadata from a stream whose HTTP response carried
// `icy-metaint: N` (the node's HTTP source sends `Icy-MetaData: 1` and wraps the body in this).
// Every N audio bytes the stream carries one length byte L and L*16 bytes of text such as
// "StreamTitle='Artist - Title';StreamUrl='';". Audio bytes pass through; each new StreamTitle
// is reported once by take_stream_title(). Not seekable (ICY is for live streams).
class icy_source final : public byte_source {
 public:
  // `metaint` 0 disables stripping (the source is then a plain pass-through).
  icy_source(std::unique_ptr<byte_source> inner, std::size_t metaint);

  // byte_source
  expected<std::size_t, audio_error> read(std::span<std::byte> buffer) override;
  std::optional<std::string> take_stream_title() override;

  // Parses a metadata block; exposed for tests. Returns the StreamTitle value if present.
  static std::optional<std::string> parse_stream_title(std::string_view block);

 private:
  expected<bool, audio_error> read_metadata_block();

  std::unique_ptr<byte_source> inner_;
  std::size_t metaint_;
  std::size_t until_meta_;
  std::array<char, 255 * 16> meta_{};
  std::string title_;
  bool title_changed_ = false;
};

}  // namespace vb::audio
