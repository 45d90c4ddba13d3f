#pragma once
// Where a player's Opus frames go: the Discord voice connection in production, a recorder in
// tests. Called from the owning worker's thread.
#include <cstdint>
#include <span>
#include <system_error>

namespace vb::node {

class frame_sink {
 public:
  virtual ~frame_sink() = default;
  // True when a frame sent now would go out (the voice connection is ready).
  virtual bool ready() const noexcept = 0;
  // One 20 ms Opus frame. Must not block; errors are counted by the caller, not fatal.
  virtual std::error_code send_opus(std::span<const std::uint8_t> frame) noexcept = 0;
  // Starts or ends speaking (ending lets the sink send its trailing silence frames).
  virtual void set_speaking(bool speaking) = 0;
};

}  // namespace vb::node
