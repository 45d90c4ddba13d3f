#pragma once
// Ogg (RFC 3533) page parser that yields the Opus packets (RFC 7845) of one logical stream, for
// Opus passthrough without FFmpeg's demuxer (issue #4: av_read_frame and its per-packet
// allocations were ~6 us of the ~17 us a passthrough frame cost).
//
// Reads straight from a byte_source into one buffer that grows to the largest page seen (at most
// ogg_max_page_bytes plus one read) and a second one, used only for packets that span pages, that
// grows to the largest such packet (at most ogg_max_packet_bytes): no allocation in steady state.
// Packets that complete on the current page are handed out as views into the page buffer.
//
// Untrusted input: a page with a bad CRC, an impossible header or a truncated body is skipped and
// the reader resyncs on the next "OggS"; garbage between pages is skipped (at most
// ogg_max_sync_search_bytes in a row, then invalid_data); a packet larger than
// ogg_max_packet_bytes is dropped; pages of other logical streams are ignored; a lost page (gap in
// the page sequence) drops the packet it interrupted. The end of the bytes is end_of_stream,
// wherever it falls.
//
// Timestamps are 48 kHz samples on FFmpeg's timeline for the same file, so the decoder can mix
// both: start sample of the packet (from granule positions) minus the OpusHead pre-skip. On a page
// that follows the previous page of the stream without a gap, the packets start where the previous
// page's granule position ended (so end trimming on the last page does not move them); after a
// restart or a gap, they are counted back from the page's own granule position. Chained streams
// (a new BOS page after the followed stream's EOS) continue the timeline where the previous link
// ended; a link that is not 48 kHz stereo Opus stops the reader with foreign_stream.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vectobeat/audio/audio_error.hpp"
#include "vectobeat/audio/byte_source.hpp"
#include "vectobeat/common/expected.hpp"

namespace vb::audio::detail {

// 27-byte header + 255 lacing values + 255 segments of 255 bytes (RFC 3533 section 6).
inline constexpr std::size_t ogg_max_page_bytes = 27 + 255 + 255 * 255;
// An Opus packet is at most 120 ms; even at 510 kb/s that is < 8 KB. Padding can make it larger;
// anything beyond this is dropped rather than buffered.
inline constexpr std::size_t ogg_max_packet_bytes = 255 * 255;
// Garbage skipped in a row while looking for "OggS" before the stream is declared corrupt.
inline constexpr std::size_t ogg_max_sync_search_bytes = 1 << 20;
// OpusTags of a chained link are parsed from at most this many bytes (cover art is skipped).
inline constexpr std::size_t ogg_max_tags_bytes = 64 * 1024;

// The Ogg CRC-32 (polynomial 0x04C11DB7, MSB first, initial value 0, no final xor).
std::uint32_t ogg_crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0) noexcept;

// The identification header (RFC 7845 section 5.1).
struct opus_head {
  int channels = 0;
  int pre_skip = 0;
  std::uint32_t input_rate = 0;
  int mapping_family = 0;
  int streams = 1;
  int coupled = 1;
  // Stereo that one Opus decoder/Discord can take as is: family 0, or family 1 with one coupled
  // stream.
  bool passthrough_capable() const noexcept {
    return channels == 2 && (mapping_family == 0 || (mapping_family == 1 && streams == 1 && coupled == 1));
  }
};
std::optional<opus_head> parse_opus_head(std::span<const std::uint8_t> packet) noexcept;

struct ogg_opus_packet {
  std::span<const std::uint8_t> data;  // valid until the next call on the reader
  int samples = 0;                     // per channel at 48 kHz; <= 0: not a valid Opus packet
  std::int64_t timestamp = 0;          // start sample, pre-skip subtracted (may be negative)
};

enum class ogg_read_status {
  packet,          // `out` holds the next packet
  end_of_stream,   // no more bytes (or the followed stream ended and nothing follows)
  foreign_stream,  // a chained link that is not 48 kHz stereo Opus: the caller must take over
};

struct ogg_reader_stats {
  std::uint64_t pages = 0;          // valid pages of any stream
  std::uint64_t crc_failures = 0;   // "OggS" candidates rejected for their CRC
  std::uint64_t bad_pages = 0;      // rejected for their header or cut short by the end of bytes
  std::uint64_t skipped_bytes = 0;  // bytes skipped while looking for a page
  std::uint64_t dropped_packets = 0;  // interrupted by a lost page, or over ogg_max_packet_bytes
};

// One reader per track. Not thread-safe; used by the decoder's worker like the decoder itself.
class ogg_opus_reader {
 public:
  // Follows the first logical stream whose BOS page carries OpusHead, or, with `bos_index`, the
  // stream of the bos_index-th BOS page (FFmpeg numbers its streams in that order), which must
  // then be stereo Opus (else foreign_stream).
  explicit ogg_opus_reader(byte_source& source, std::optional<std::size_t> bos_index = std::nullopt);
  // Follows stream `serial`, whose OpusHead is already known (FFmpeg's extradata): the reader can
  // then start at any page of the file.
  ogg_opus_reader(byte_source& source, std::uint32_t serial, const opus_head& head);

  ogg_opus_reader(const ogg_opus_reader&) = delete;
  ogg_opus_reader& operator=(const ogg_opus_reader&) = delete;

  // Learns the stream to follow from the BOS pages at the start of the file (seeks the source to
  // 0; it is left wherever the scan stopped): needed before a restart() in the middle of the file
  // when the reader has not read the file's start yet. False when the stream is not found or is
  // not stereo Opus.
  expected<bool, audio_error> find_stream();
  bool knows_stream() const noexcept { return serial_.has_value(); }

  // Drops all buffered state and continues at byte `offset` of the source (which must then be
  // seekable). Bytes up to the next page are skipped. Timestamps after a restart are counted back
  // from granule positions, in the timeline of the stream's first link.
  expected<void, audio_error> restart(std::uint64_t offset);

  // The next audio packet of the followed stream. Errors: io_error (the source failed),
  // invalid_data (no page found within ogg_max_sync_search_bytes).
  expected<ogg_read_status, audio_error> next(ogg_opus_packet& out);

  // The followed stream's header, once known.
  const std::optional<opus_head>& head() const noexcept { return head_; }

  // Title/artist from the OpusTags of a chained link (not the first one, whose tags the caller
  // already has), once, after they were read.
  struct tags {
    std::string title;
    std::string artist;
  };
  std::optional<tags> take_tags();

  const ogg_reader_stats& stats() const noexcept { return stats_; }

 private:
  struct page {
    std::uint8_t flags = 0;
    std::int64_t granule = -1;
    std::uint32_t serial = 0;
    std::uint32_t sequence = 0;
    std::size_t segments = 0;
    const std::uint8_t* lacing = nullptr;
    const std::uint8_t* body = nullptr;
    std::size_t body_size = 0;
  };
  struct entry {
    std::uint32_t offset = 0;  // into the page body, unless `assembled`
    std::uint32_t size = 0;
    int samples = 0;
    bool assembled = false;    // the packet lives in assembly_ (it began on an earlier page)
  };
  enum class stage { want_head, want_tags, audio, ended };

  expected<bool, audio_error> fill(std::size_t n);
  expected<bool, audio_error> read_page(page& p);
  expected<ogg_read_status, audio_error> load_page();
  void on_bos_page(const page& p);
  expected<ogg_read_status, audio_error> load_stream_page(const page& p);
  void finish_current_page();
  void on_header_packet(std::span<const std::uint8_t> packet);
  void parse_tags(std::span<const std::uint8_t> packet);
  void append_assembly(const std::uint8_t* data, std::size_t n);
  void reset_stream_state();
  void begin_link(const page& p, const opus_head& head, bool chained);

  byte_source& source_;
  std::optional<std::size_t> bos_index_;
  std::size_t bos_seen_ = 0;      // BOS pages seen since the start of the file
  std::optional<std::uint32_t> serial_;
  std::optional<opus_head> head_;
  stage stage_ = stage::want_head;
  int link_ = 0;                  // chained link index of the followed stream
  std::int64_t link_base_ = 0;    // timeline start of the current link
  std::int64_t next_ts_ = 0;      // timestamp after the last packet handed out
  std::int64_t running_ts_ = 0;   // timestamp of the next packet of the current page
  bool have_last_page_ = false;   // last_sequence_/last_granule_ describe the stream's last page
  bool have_audio_page_ = false;  // an audio page of the stream was loaded since the (re)start
  std::uint32_t last_sequence_ = 0;
  std::int64_t last_granule_ = -1;  // granule of the last audio page that had one
  bool foreign_ = false;          // a link we cannot pass through began: sticky until restart()

  std::vector<std::uint8_t> buf_;  // [begin_, end_) holds unread bytes
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool source_eof_ = false;

  page page_;                       // the current page (its bytes stay in buf_ until the next load)
  std::size_t page_bytes_ = 0;      // size of the current page in buf_, consumed on the next load
  std::array<entry, 255> entries_{};
  std::size_t entry_count_ = 0;
  std::size_t next_entry_ = 0;
  std::size_t tail_offset_ = 0;     // start in the body of a packet continued on the next page
  bool tail_open_ = false;
  bool tail_is_new_ = false;        // the open tail starts a packet (else it continues one)
  bool page_eos_ = false;

  std::vector<std::uint8_t> assembly_;  // a packet spanning pages
  std::size_t assembly_size_ = 0;
  bool assembling_ = false;
  bool assembly_overflow_ = false;
  bool assembly_discard_ = false;   // a header packet we do not need: count, do not keep

  std::optional<tags> pending_tags_;
  ogg_reader_stats stats_;
};

}  // namespace vb::audio::detail
