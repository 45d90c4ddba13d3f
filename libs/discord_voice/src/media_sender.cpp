#include "media_sender.hpp"

#include <cstring>

namespace vb::voice::detail {

media_sender::media_sender(std::size_t depth) : depth_(depth == 0 ? 1 : depth) {}

std::error_code media_sender::enqueue(std::span<const std::uint8_t> frame) noexcept {
  if (!ready()) return voice_error::not_ready;
  if (frame.empty()) return voice_error::bad_length;
  if (frame.size() > max_opus_frame_bytes) return voice_error::frame_too_large;
  std::lock_guard lk(mu_);
  if (ring_.empty()) ring_.resize(depth_);  // first use: send_opus_now() callers never need it
  if (count_ == ring_.size()) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return voice_error::queue_full;
  }
  slot& s = ring_[(head_ + count_) % ring_.size()];
  std::memcpy(s.data.data(), frame.data(), frame.size());
  s.size = frame.size();
  ++count_;
  return {};
}

void media_sender::start(cipher c, std::uint32_t ssrc, std::shared_ptr<udp_endpoint> udp,
                         std::uint16_t first_sequence, std::uint32_t first_timestamp) {
  cipher_.emplace(std::move(c));
  udp_ = std::move(udp);
  ssrc_ = ssrc;
  sequence_ = first_sequence;
  timestamp_ = first_timestamp;
  ready_.store(true, std::memory_order_release);
}

void media_sender::stop() noexcept {
  ready_.store(false, std::memory_order_release);
  {
    std::lock_guard lk(mu_);
    head_ = 0;
    count_ = 0;
  }
  cipher_.reset();
  udp_.reset();
}

std::error_code media_sender::send(std::span<const std::uint8_t> opus) noexcept {
  if (!cipher_ || !udp_) return voice_error::not_ready;
  if (opus.size() > max_opus_frame_bytes) return voice_error::frame_too_large;
  rtp_header h;
  h.sequence = sequence_;
  h.timestamp = timestamp_;
  h.ssrc = ssrc_;
  auto header = std::span<std::uint8_t, rtp_header_size>(packet_.data(), rtp_header_size);
  write_rtp_header(h, header);
  auto n = cipher_->seal(header, opus, packet_);
  if (!n) {
    send_errors_.fetch_add(1, std::memory_order_relaxed);
    return n.error();
  }
  // The frame's slot in the stream is used even when the datagram is lost, so the
  // receiver sees the gap rather than a timestamp jump.
  ++sequence_;
  timestamp_ += opus_frame_samples;
  if (auto ec = udp_->send(std::span<const std::uint8_t>(packet_.data(), *n))) {
    send_errors_.fetch_add(1, std::memory_order_relaxed);
    return ec;
  }
  sent_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

voice_connection_stats media_sender::stats() const noexcept {
  voice_connection_stats s;
  s.packets_sent = sent_.load(std::memory_order_relaxed);
  s.frames_dropped = dropped_.load(std::memory_order_relaxed);
  s.send_errors = send_errors_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace vb::voice::detail
