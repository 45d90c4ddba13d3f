#pragma once
// Internal: a player's frames into its Discord voice connection.
#include <memory>

#include "vectobeat/node/frame_sink.hpp"
#include "vectobeat/voice/voice_connection.hpp"

namespace vb::node::detail {

class voice_sink final : public frame_sink {
 public:
  explicit voice_sink(std::shared_ptr<voice::voice_connection> vc) : vc_(std::move(vc)) {}
  bool ready() const noexcept override { return vc_->state() == voice::voice_state::ready; }
  // The worker thread runs the connection's executor alone (one thread per io_context): the
  // frame is sealed and sent at once, without a queue and a hand-over per frame.
  std::error_code send_opus(std::span<const std::uint8_t> frame) noexcept override { return vc_->send_opus_now(frame); }
  void set_speaking(bool speaking) override { vc_->set_speaking(speaking); }

 private:
  std::shared_ptr<voice::voice_connection> vc_;
};

}  // namespace vb::node::detail
