#include "audio/ogg_writer.hpp"

#include <algorithm>
#include <string>

namespace vb::audio::test {
namespace {

void put_le(std::vector<std::uint8_t>& v, std::uint64_t x, int bytes) {
  for (int i = 0; i < bytes; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

}  // namespace

std::uint32_t reference_ogg_crc(std::span<const std::uint8_t> bytes) {
  std::uint32_t crc = 0;
  for (std::uint8_t b : bytes) {
    crc ^= std::uint32_t{b} << 24;
    for (int i = 0; i < 8; ++i) crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
  }
  return crc;
}

std::vector<std::uint8_t> fake_opus_packet(std::size_t size, std::uint32_t seed, std::uint8_t toc) {
  std::vector<std::uint8_t> p(std::max<std::size_t>(size, 1));
  p[0] = toc;
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 1; i < p.size(); ++i) {
    x = x * 1103515245u + 12345u;
    p[i] = static_cast<std::uint8_t>(x >> 16);
  }
  return p;
}

void ogg_writer::headers(int channels, int pre_skip, std::string_view title, std::string_view artist,
                         std::size_t padding, std::size_t max_segments) {
  std::vector<std::uint8_t> head{'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, static_cast<std::uint8_t>(channels)};
  put_le(head, static_cast<std::uint64_t>(pre_skip), 2);
  put_le(head, 48000, 4);
  put_le(head, 0, 2);
  head.push_back(0);  // mapping family 0
  bos(head);

  std::vector<std::uint8_t> tags{'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  const std::string vendor = "vb test";
  put_le(tags, vendor.size(), 4);
  tags.insert(tags.end(), vendor.begin(), vendor.end());
  std::vector<std::string> comments;
  if (!title.empty()) comments.push_back("title=" + std::string(title));
  if (!artist.empty()) comments.push_back("ARTIST=" + std::string(artist));
  if (padding > 0) comments.push_back("PADDING=" + std::string(padding, 'x'));
  put_le(tags, comments.size(), 4);
  for (const auto& c : comments) {
    put_le(tags, c.size(), 4);
    tags.insert(tags.end(), c.begin(), c.end());
  }
  packet(tags, 0);
  flush(false, max_segments);
}

void ogg_writer::bos(std::span<const std::uint8_t> packet) {
  std::vector<segment> segs;
  for (std::size_t at = 0;; at += 255) {
    const std::size_t n = std::min<std::size_t>(255, packet.size() - at);
    segs.push_back({static_cast<std::uint8_t>(n), {packet.begin() + static_cast<std::ptrdiff_t>(at),
                                                    packet.begin() + static_cast<std::ptrdiff_t>(at + n)}, n < 255 ? 0 : -1});
    if (n < 255) break;
  }
  page(0x02, segs);
}

void ogg_writer::packet(std::span<const std::uint8_t> data, int samples) {
  granule_ += samples;
  std::size_t at = 0;
  for (;;) {
    const std::size_t n = std::min<std::size_t>(255, data.size() - at);
    queue_.push_back({static_cast<std::uint8_t>(n), {data.begin() + static_cast<std::ptrdiff_t>(at),
                                                     data.begin() + static_cast<std::ptrdiff_t>(at + n)},
                      n < 255 ? granule_ : -1});
    at += n;
    if (n < 255) break;
  }
}

void ogg_writer::flush(bool eos, std::size_t max_segments) {
  max_segments = std::clamp<std::size_t>(max_segments, 1, 255);
  while (!queue_.empty()) {
    const std::size_t n = std::min(max_segments, queue_.size());
    std::vector<segment> segs(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    page(eos && queue_.empty() ? 0x04 : 0x00, segs);
  }
}

void ogg_writer::page(std::uint8_t flags, std::span<const segment> segs) {
  std::int64_t granule = -1;
  for (const auto& s : segs) {
    if (s.granule_after >= 0) granule = s.granule_after;
  }
  if (flags & 0x02) granule = 0;
  std::vector<std::uint8_t> p{'O', 'g', 'g', 'S', 0, static_cast<std::uint8_t>(flags | (mid_packet_ ? 0x01 : 0x00))};
  put_le(p, static_cast<std::uint64_t>(granule), 8);
  put_le(p, serial_, 4);
  put_le(p, sequence_++, 4);
  put_le(p, 0, 4);  // CRC, filled below
  p.push_back(static_cast<std::uint8_t>(segs.size()));
  for (const auto& s : segs) p.push_back(s.lacing);
  for (const auto& s : segs) p.insert(p.end(), s.data.begin(), s.data.end());
  const std::uint32_t crc = reference_ogg_crc(p);
  for (int i = 0; i < 4; ++i) p[22 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (8 * i));
  mid_packet_ = !segs.empty() && segs.back().lacing == 255;
  page_offsets_.push_back(out_.size());
  out_.insert(out_.end(), p.begin(), p.end());
}

}  // namespace vb::audio::test
