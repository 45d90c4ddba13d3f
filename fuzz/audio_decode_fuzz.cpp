// Feeds arbitrary bytes to the decoder: open (probe), decode up to 200 frames, pass Opus packets
// through when offered, seek back and decode again. Any crash, leak or UB is a bug; errors are
// expected and ignored.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/memory_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vb::audio;
  decoder_options options;
  options.probe_bytes = 64 * 1024;
  options.analyze_duration = std::chrono::milliseconds(500);
  auto d = decoder::open(std::make_unique<memory_source>(memory_source::borrow({data, size})), options);
  if (!d) return 0;
  std::array<float, frame_values> frame{};
  for (int i = 0; i < 200; ++i) {
    auto r = d->read_frame(frame);
    if (!r || *r == read_status::end_of_stream) break;
  }
  if (d->opus_passthrough_available()) {
    opus_packet p;
    for (int i = 0; i < 50; ++i) {
      auto r = d->next_opus_packet(p);
      if (!r || *r == read_status::end_of_stream) break;
    }
  }
  (void)d->take_metadata_update();
  if (d->seek(std::chrono::milliseconds(20))) {
    for (int i = 0; i < 5; ++i) {
      auto r = d->read_frame(frame);
      if (!r || *r == read_status::end_of_stream) break;
    }
  }
  return 0;
}
