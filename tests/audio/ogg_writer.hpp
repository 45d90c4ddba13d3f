#pragma once
// A small Ogg/Opus muxer for the reader's tests: the test decides where every page ends, so
// packets can straddle pages, fill lacing with 255s, or be cut anywhere. Independent of the
// reader's code (its own byte-wise CRC), so a shared mistake cannot hide.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "vectobeat/audio/byte_source.hpp"
#include "vectobeat/audio/memory_source.hpp"

namespace vb::audio::test {

// Ogg CRC-32, one bit at a time (RFC 3533 section 6, polynomial 0x04C11DB7).
std::uint32_t reference_ogg_crc(std::span<const std::uint8_t> bytes);

// A fake Opus packet of `size` bytes (>= 1): a TOC byte and filler derived from `seed`. The
// default TOC (CELT config 31, stereo, one frame) reads as 20 ms; 0xF4 (config 30) as 10 ms;
// 0xFD (config 31, two frames) as 40 ms.
std::vector<std::uint8_t> fake_opus_packet(std::size_t size, std::uint32_t seed, std::uint8_t toc = 0xFC);

class ogg_writer {
 public:
  explicit ogg_writer(std::uint32_t serial) : serial_(serial) {}

  // The BOS page with OpusHead, then OpusTags (title/artist when not empty, plus `padding` bytes
  // of an extra comment to make it span pages) flushed as pages of at most `max_segments`.
  void headers(int channels = 2, int pre_skip = 312, std::string_view title = {}, std::string_view artist = {},
               std::size_t padding = 0, std::size_t max_segments = 255);
  // A BOS page holding `packet` alone (another codec's identification header).
  void bos(std::span<const std::uint8_t> packet);
  // Queues a packet of `samples` samples (used for granule positions).
  void packet(std::span<const std::uint8_t> data, int samples);
  // Writes the queued segments as pages of at most `max_segments` lacing values (255 is the Ogg
  // maximum); a packet whose lacing does not fit continues on the next page. `eos` marks the last.
  void flush(bool eos = false, std::size_t max_segments = 255);
  // Appends raw bytes (garbage between pages).
  void raw(std::span<const std::uint8_t> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }

  std::vector<std::uint8_t>& bytes() noexcept { return out_; }
  // Byte offset where each page began, in order.
  const std::vector<std::size_t>& page_offsets() const noexcept { return page_offsets_; }
  std::int64_t granule() const noexcept { return granule_; }

 private:
  struct segment {
    std::uint8_t lacing;
    std::vector<std::uint8_t> data;
    std::int64_t granule_after;  // >= 0 when the segment ends a packet
  };
  void page(std::uint8_t flags, std::span<const segment> segs);

  std::uint32_t serial_;
  std::uint32_t sequence_ = 0;
  std::int64_t granule_ = 0;
  bool mid_packet_ = false;
  std::vector<segment> queue_;
  std::vector<std::uint8_t> out_;
  std::vector<std::size_t> page_offsets_;
};

// Hides seeking and size, like a live HTTP stream.
class unseekable_source final : public byte_source {
 public:
  explicit unseekable_source(std::vector<std::uint8_t> b) : inner_(std::move(b)) {}
  expected<std::size_t, audio_error> read(std::span<std::byte> buf) override { return inner_.read(buf); }

 private:
  memory_source inner_;
};

}  // namespace vb::audio::test
