#include "ogg_opus_reader.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include <opus.h>

namespace vb::audio::detail {
namespace {

constexpr std::size_t page_header_bytes = 27;
constexpr std::size_t initial_buffer_bytes = 8 * 1024;
constexpr std::uint8_t flag_continued = 0x01;
constexpr std::uint8_t flag_bos = 0x02;
constexpr std::uint8_t flag_eos = 0x04;
// Granule positions beyond this are treated as absent: keeps timestamp arithmetic far from
// overflow (2^62 samples at 48 kHz is three million years).
constexpr std::uint64_t max_granule = std::uint64_t{1} << 62;

// Slicing-by-8 tables for the MSB-first CRC: table[0] is the classic byte table, table[k][i] is
// the CRC of byte i followed by k zero bytes.
struct crc_tables {
  std::uint32_t t[8][256];
};
constexpr crc_tables make_crc_tables() {
  crc_tables c{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t r = i << 24;
    for (int b = 0; b < 8; ++b) r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : (r << 1);
    c.t[0][i] = r;
  }
  for (int k = 1; k < 8; ++k) {
    for (std::uint32_t i = 0; i < 256; ++i) {
      const std::uint32_t prev = c.t[k - 1][i];
      c.t[k][i] = (prev << 8) ^ c.t[0][prev >> 24];
    }
  }
  return c;
}
constexpr crc_tables crc_table = make_crc_tables();

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}
std::uint64_t le64(const std::uint8_t* p) { return std::uint64_t{le32(p)} | std::uint64_t{le32(p + 4)} << 32; }

bool starts_with(std::span<const std::uint8_t> data, std::string_view magic) {
  return data.size() >= magic.size() && std::memcmp(data.data(), magic.data(), magic.size()) == 0;
}

bool key_is(std::string_view comment, std::string_view key) {
  if (comment.size() <= key.size() || comment[key.size()] != '=') return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = comment[i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c) != key[i]) return false;
  }
  return true;
}

}  // namespace

std::uint32_t ogg_crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc) noexcept {
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  const auto& t = crc_table.t;
  while (n >= 8) {
    crc ^= std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
    crc = t[7][crc >> 24] ^ t[6][(crc >> 16) & 0xff] ^ t[5][(crc >> 8) & 0xff] ^ t[4][crc & 0xff] ^ t[3][p[4]] ^
          t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc << 8) ^ t[0][(crc >> 24) ^ *p++];
  return crc;
}

std::optional<opus_head> parse_opus_head(std::span<const std::uint8_t> packet) noexcept {
  // "OpusHead", version, channels, pre-skip (LE16), input rate (LE32), gain (LE16), family.
  if (packet.size() < 19 || !starts_with(packet, "OpusHead")) return std::nullopt;
  const std::uint8_t* p = packet.data();
  if ((p[8] & 0xf0) != 0) return std::nullopt;  // major version other than 0 is incompatible
  opus_head h;
  h.channels = p[9];
  h.pre_skip = p[10] | p[11] << 8;
  h.input_rate = le32(p + 12);
  h.mapping_family = p[18];
  if (h.channels == 0) return std::nullopt;
  if (h.mapping_family == 0) {
    if (h.channels > 2) return std::nullopt;
    h.streams = 1;
    h.coupled = h.channels - 1;
  } else {
    if (packet.size() < 21u + static_cast<std::size_t>(h.channels)) return std::nullopt;
    h.streams = p[19];
    h.coupled = p[20];
    if (h.streams == 0 || h.coupled > h.streams) return std::nullopt;
  }
  return h;
}

ogg_opus_reader::ogg_opus_reader(byte_source& source, std::optional<std::size_t> bos_index)
    : source_(source), bos_index_(bos_index) {}

ogg_opus_reader::ogg_opus_reader(byte_source& source, std::uint32_t serial, const opus_head& head)
    : source_(source), serial_(serial), head_(head) {}

void ogg_opus_reader::reset_stream_state() {
  page_bytes_ = 0;
  entry_count_ = next_entry_ = 0;
  tail_open_ = false;
  assembling_ = false;
  assembly_size_ = 0;
  have_last_page_ = false;
  have_audio_page_ = false;
  last_granule_ = -1;
}

expected<void, audio_error> ogg_opus_reader::restart(std::uint64_t offset) {
  if (auto ok = source_.seek(offset); !ok) return unexpected(ok.error());
  begin_ = end_ = 0;
  source_eof_ = false;
  foreign_ = false;
  reset_stream_state();
  if (offset == 0) bos_seen_ = 0;
  if (offset == 0 || !head_) {
    stage_ = stage::want_head;
    link_ = 0;
    link_base_ = 0;
  } else {
    stage_ = stage::audio;
  }
  return {};
}

expected<bool, audio_error> ogg_opus_reader::find_stream() {
  if (auto ok = restart(0); !ok) return unexpected(ok.error());
  while (!serial_ && !foreign_) {
    page p;
    auto got = read_page(p);
    if (!got) return unexpected(got.error());
    // BOS pages come first (RFC 3533 section 4): the stream is not there.
    if (!*got || (p.flags & flag_bos) == 0) break;
    begin_ += page_bytes_;
    page_bytes_ = 0;
    on_bos_page(p);
  }
  page_bytes_ = 0;
  return serial_.has_value();
}

std::optional<ogg_opus_reader::tags> ogg_opus_reader::take_tags() {
  auto t = std::move(pending_tags_);
  pending_tags_.reset();
  return t;
}

expected<bool, audio_error> ogg_opus_reader::fill(std::size_t n) {
  if (end_ - begin_ >= n) return true;
  if (buf_.size() - begin_ < n && begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() < n) {
    const std::size_t grown = std::max({n, buf_.size() + buf_.size() / 2, initial_buffer_bytes});
    buf_.resize(std::min(grown, ogg_max_page_bytes));
  }
  while (end_ - begin_ < n) {
    if (source_eof_) return false;
    auto r = source_.read({reinterpret_cast<std::byte*>(buf_.data() + end_), buf_.size() - end_});
    if (!r) return unexpected(r.error());
    if (*r == 0) {
      source_eof_ = true;
      return false;
    }
    end_ += *r;
  }
  return true;
}

expected<bool, audio_error> ogg_opus_reader::read_page(page& p) {
  std::size_t searched = 0;
  auto skip = [&](std::size_t n) {
    begin_ += n;
    searched += n;
    stats_.skipped_bytes += n;
  };
  for (;;) {
    if (searched > ogg_max_sync_search_bytes) return unexpected(audio_error::invalid_data);
    auto got = fill(page_header_bytes);
    if (!got) return unexpected(got.error());
    if (!*got) {  // fewer bytes left than a page header: the end (a truncated page is dropped)
      if (end_ > begin_) skip(end_ - begin_);
      return false;
    }
    const std::uint8_t* b = buf_.data() + begin_;
    const std::size_t avail = end_ - begin_;
    if (std::memcmp(b, "OggS", 4) != 0) {
      const std::uint8_t* hit = nullptr;
      for (const std::uint8_t* s = b + 1; s + 4 <= b + avail; ++s) {
        s = static_cast<const std::uint8_t*>(std::memchr(s, 'O', static_cast<std::size_t>(b + avail - s)));
        if (s == nullptr || s + 4 > b + avail) break;
        if (std::memcmp(s, "OggS", 4) == 0) {
          hit = s;
          break;
        }
      }
      // Keep the last three bytes when nothing was found: they may begin a capture pattern.
      skip(hit != nullptr ? static_cast<std::size_t>(hit - b) : avail - 3);
      continue;
    }
    if (b[4] != 0 || (b[5] & ~0x07) != 0) {  // version 0; flags use three bits
      ++stats_.bad_pages;
      skip(1);
      continue;
    }
    const std::size_t segments = b[26];
    got = fill(page_header_bytes + segments);
    if (!got) return unexpected(got.error());
    if (!*got) {
      ++stats_.bad_pages;
      skip(1);
      continue;
    }
    b = buf_.data() + begin_;
    std::size_t body = 0;
    for (std::size_t i = 0; i < segments; ++i) body += b[page_header_bytes + i];
    const std::size_t total = page_header_bytes + segments + body;
    got = fill(total);
    if (!got) return unexpected(got.error());
    if (!*got) {
      ++stats_.bad_pages;
      skip(1);
      continue;
    }
    b = buf_.data() + begin_;
    static constexpr std::uint8_t zero_crc[4] = {0, 0, 0, 0};
    std::uint32_t crc = ogg_crc32({b, 22});
    crc = ogg_crc32(zero_crc, crc);
    crc = ogg_crc32({b + 26, total - 26}, crc);
    if (crc != le32(b + 22)) {
      ++stats_.crc_failures;
      skip(1);
      continue;
    }
    const std::uint64_t granule = le64(b + 6);
    p.flags = b[5];
    p.granule = granule < max_granule ? static_cast<std::int64_t>(granule) : -1;
    p.serial = le32(b + 14);
    p.sequence = le32(b + 18);
    p.segments = segments;
    p.lacing = b + page_header_bytes;
    p.body = b + page_header_bytes + segments;
    p.body_size = body;
    page_bytes_ = total;
    ++stats_.pages;
    return true;
  }
}

void ogg_opus_reader::append_assembly(const std::uint8_t* data, std::size_t n) {
  if (assembly_discard_) return;
  const std::size_t room = ogg_max_packet_bytes - assembly_size_;
  if (n > room) {
    assembly_overflow_ = true;
    n = room;
  }
  if (n == 0) return;
  if (assembly_.size() < assembly_size_ + n) {
    assembly_.resize(std::min(ogg_max_packet_bytes, std::max(assembly_size_ + n, assembly_.size() * 2)));
  }
  std::memcpy(assembly_.data() + assembly_size_, data, n);
  assembly_size_ += n;
}

void ogg_opus_reader::finish_current_page() {
  if (page_bytes_ == 0) return;
  if (tail_open_) {
    if (tail_is_new_) {
      assembly_size_ = 0;
      assembly_overflow_ = false;
      // The first link's tags are already known to the caller: skip them without buffering
      // (cover art can make them hundreds of KB).
      assembly_discard_ = stage_ == stage::want_tags && link_ == 0;
    }
    assembling_ = true;
    append_assembly(page_.body + tail_offset_, page_.body_size - tail_offset_);
  }
  tail_open_ = false;
  if (page_eos_) stage_ = stage::ended;
  page_eos_ = false;
  begin_ += page_bytes_;
  page_bytes_ = 0;
  entry_count_ = next_entry_ = 0;
}

void ogg_opus_reader::begin_link(const page& p, const opus_head& head, bool chained) {
  if (chained) {
    ++link_;
    link_base_ = next_ts_;
  }
  serial_ = p.serial;
  head_ = head;
  stage_ = stage::want_tags;
  have_last_page_ = false;
  have_audio_page_ = false;
  last_granule_ = -1;
  assembling_ = false;
  tail_open_ = false;
}

void ogg_opus_reader::parse_tags(std::span<const std::uint8_t> packet) {
  // "OpusTags", vendor (LE32 length + bytes), count (LE32), count x (LE32 length + "KEY=value").
  // A comment cut off by ogg_max_packet_bytes ends the list.
  if (!starts_with(packet, "OpusTags")) return;
  std::size_t at = 8;
  auto read_len = [&](std::uint32_t& v) {
    if (packet.size() - at < 4) return false;
    v = le32(packet.data() + at);
    at += 4;
    return true;
  };
  std::uint32_t n = 0;
  if (!read_len(n) || packet.size() - at < n) return;
  at += n;
  std::uint32_t count = 0;
  if (!read_len(count)) return;
  tags t;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (!read_len(n) || packet.size() - at < n) break;
    const std::string_view c(reinterpret_cast<const char*>(packet.data() + at), n);
    at += n;
    if (key_is(c, "TITLE") && t.title.empty()) t.title = c.substr(6);
    else if (key_is(c, "ARTIST") && t.artist.empty()) t.artist = c.substr(7);
  }
  pending_tags_ = std::move(t);
}

expected<ogg_read_status, audio_error> ogg_opus_reader::load_page() {
  for (;;) {
    finish_current_page();
    if (foreign_) return ogg_read_status::foreign_stream;
    page p;
    auto got = read_page(p);
    if (!got) return unexpected(got.error());
    if (!*got) return ogg_read_status::end_of_stream;
    page_ = p;

    if (p.flags & flag_bos) {
      on_bos_page(p);
      continue;
    }
    if (!serial_ || p.serial != *serial_ || stage_ == stage::want_head || stage_ == stage::ended) continue;
    return load_stream_page(p);
  }
}

void ogg_opus_reader::on_bos_page(const page& p) {
  // OpusHead is alone on the BOS page (RFC 7845 section 3).
  std::optional<opus_head> head;
  if (p.segments > 0 && p.lacing[p.segments - 1] < 255) head = parse_opus_head({p.body, p.body_size});
  const std::size_t index = bos_seen_++;
  if (!serial_) {
    if (bos_index_ && index != *bos_index_) return;
    if (!head && !bos_index_) return;  // another codec's stream in the group: follow the first Opus one
    if (!head || !head->passthrough_capable()) {
      foreign_ = true;
      return;
    }
    begin_link(p, *head, false);
  } else if ((stage_ == stage::want_head || !have_audio_page_) && p.serial == *serial_) {
    // The stream's own start (a restart may land before its headers).
    if (head) head_ = head;
    stage_ = stage::want_tags;
  } else if (stage_ == stage::ended || p.serial == *serial_) {
    // A chained link: the followed stream ended (or restarted with the same serial).
    if (!head || !head->passthrough_capable()) {
      foreign_ = true;
      return;
    }
    begin_link(p, *head, true);
  }
}

expected<ogg_read_status, audio_error> ogg_opus_reader::load_stream_page(const page& p) {
  const bool in_order = have_last_page_ && p.sequence == last_sequence_ + 1;
  const bool continued = (p.flags & flag_continued) != 0;
  if (assembling_ && (!continued || !in_order)) {
    // The packet that was being assembled lost its continuation.
    assembling_ = false;
    ++stats_.dropped_packets;
  }
  // A continuation we do not have the start of is skipped up to its end.
  bool cur_assembled = continued && assembling_;
  bool skipping = continued && !assembling_;
  const bool audio = stage_ == stage::audio;
  std::size_t pos = 0;
  std::size_t start = 0;
  std::int64_t sum = 0;
  entry_count_ = next_entry_ = 0;
  for (std::size_t s = 0; s < p.segments; ++s) {
    const std::size_t len = p.lacing[s];
    pos += len;
    if (len == 255) continue;
    if (skipping) {
      skipping = false;
    } else if (cur_assembled) {
      append_assembly(p.body + start, pos - start);
      assembling_ = false;
      if (assembly_overflow_ && !assembly_discard_ && audio) {
        ++stats_.dropped_packets;
      } else {
        entries_[entry_count_++] = {0, static_cast<std::uint32_t>(assembly_size_), 0, true};
      }
    } else {
      entries_[entry_count_++] = {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos - start), 0, false};
    }
    cur_assembled = false;
    start = pos;
  }
  tail_open_ = p.segments > 0 && p.lacing[p.segments - 1] == 255 && !skipping;
  tail_is_new_ = !cur_assembled;
  tail_offset_ = start;
  page_eos_ = (p.flags & flag_eos) != 0;

  if (audio) {
    for (std::size_t i = 0; i < entry_count_; ++i) {
      auto& e = entries_[i];
      const std::uint8_t* d = e.assembled ? assembly_.data() : p.body + e.offset;
      e.samples = e.size == 0 ? 0 : opus_packet_get_nb_samples(d, static_cast<opus_int32>(e.size), 48000);
      sum += std::max(e.samples, 0);
    }
    std::int64_t start_granule = -1;
    if (in_order && last_granule_ >= 0) start_granule = last_granule_;
    else if (p.granule >= 0) start_granule = p.granule - sum;
    if (start_granule >= 0 || p.granule >= 0) {
      running_ts_ = link_base_ + start_granule - (link_ == 0 && head_ ? head_->pre_skip : 0);
    } else {
      running_ts_ = next_ts_;
    }
    if (p.granule >= 0) last_granule_ = p.granule;
    have_last_page_ = true;
    have_audio_page_ = true;
    last_sequence_ = p.sequence;
  }
  if (!audio) {
    // Header pages do not anchor the timeline: the first audio page counts back from its own
    // granule position (files cut from a live stream do not start at zero).
    have_last_page_ = true;
    last_sequence_ = p.sequence;
    last_granule_ = -1;
  }
  return ogg_read_status::packet;
}

expected<ogg_read_status, audio_error> ogg_opus_reader::next(ogg_opus_packet& out) {
  for (;;) {
    while (next_entry_ < entry_count_) {
      const entry& e = entries_[next_entry_++];
      const std::uint8_t* d = e.assembled ? assembly_.data() : page_.body + e.offset;
      const std::span<const std::uint8_t> data{d, e.size};
      if (stage_ == stage::want_tags) {
        if (link_ > 0) parse_tags(data);
        stage_ = stage::audio;
        continue;
      }
      if (stage_ != stage::audio) continue;
      out.data = data;
      out.samples = e.samples;
      out.timestamp = running_ts_;
      running_ts_ += std::max(e.samples, 0);
      next_ts_ = running_ts_;
      return ogg_read_status::packet;
    }
    auto r = load_page();
    if (!r) return unexpected(r.error());
    if (*r != ogg_read_status::packet) return *r;
  }
}

}  // namespace vb::audio::detail
