#pragma once
// Internal: the outgoing media path of one voice connection. Producers on any thread
// copy Opus frames into a ring allocated on first use (enqueue); the connection's strand pops them
// and turns each into one RTP packet (header, transport encryption, non-blocking UDP
// send) in a preallocated buffer. Nothing here allocates per packet.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "vectobeat/voice/cipher.hpp"
#include "vectobeat/voice/rtp.hpp"
#include "vectobeat/voice/udp_endpoint.hpp"
#include "vectobeat/voice/voice_connection.hpp"

namespace vb::voice::detail {

class media_sender {
 public:
  explicit media_sender(std::size_t depth);

  // Any thread. Copies `frame` into the ring: not_ready before start() or after stop(),
  // frame_too_large, queue_full (the frame is dropped and counted).
  std::error_code enqueue(std::span<const std::uint8_t> frame) noexcept;
  bool ready() const noexcept { return ready_.load(std::memory_order_acquire); }

  // --- strand only
  void start(cipher c, std::uint32_t ssrc, std::shared_ptr<udp_endpoint> udp, std::uint16_t first_sequence,
             std::uint32_t first_timestamp);
  // Stops sending and discards queued frames; the cipher (and its key) is destroyed.
  void stop() noexcept;
  // Calls fn(frame) for the oldest queued frame and removes it; false when empty.
  template <class F>
  bool pop(F&& fn) {
    std::size_t idx;
    {
      std::lock_guard lk(mu_);
      if (count_ == 0) return false;
      idx = head_;
    }
    // Producers never write to the head slot while count_ still includes it.
    fn(std::span<const std::uint8_t>(ring_[idx].data.data(), ring_[idx].size));
    std::lock_guard lk(mu_);
    if (count_ > 0) {  // stop() may have emptied the ring meanwhile
      head_ = (head_ + 1) % ring_.size();
      --count_;
    }
    return true;
  }
  // Sends one frame now: sequence +1, timestamp +960 per call.
  std::error_code send(std::span<const std::uint8_t> opus) noexcept;

  voice_connection_stats stats() const noexcept;

 private:
  struct slot {
    std::array<std::uint8_t, max_opus_frame_bytes> data;
    std::size_t size = 0;
  };

  std::size_t depth_;
  std::vector<slot> ring_;  // allocated by the first enqueue()
  std::mutex mu_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::atomic<bool> ready_{false};

  std::optional<cipher> cipher_;
  std::shared_ptr<udp_endpoint> udp_;
  std::uint32_t ssrc_ = 0;
  std::uint16_t sequence_ = 0;
  std::uint32_t timestamp_ = 0;
  std::array<std::uint8_t, rtp_header_size + max_opus_frame_bytes + transport_overhead> packet_{};

  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> send_errors_{0};
};

}  // namespace vb::voice::detail
