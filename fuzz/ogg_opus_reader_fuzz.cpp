// Feeds arbitrary bytes to the Ogg/Opus page reader: every packet until the end, then a restart
// in the middle with a known stream (the decoder's way after a seek). Any crash, hang, leak or UB
// is a bug; errors and foreign streams are expected.
#include <cstddef>
#include <cstdint>

#include "ogg_opus_reader.hpp"
#include "vectobeat/audio/memory_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vb::audio;
  auto src = memory_source::borrow({data, size});
  detail::ogg_opus_reader r(src);
  detail::ogg_opus_packet p;
  std::size_t total = 0;
  for (int i = 0; i < 100000; ++i) {
    auto got = r.next(p);
    if (!got || *got != detail::ogg_read_status::packet) break;
    total += p.data.size();
  }
  (void)r.take_tags();
  detail::opus_head head;
  head.channels = 2;
  head.pre_skip = 312;
  detail::ogg_opus_reader mid(src, 0, head);
  if (mid.restart(size / 2)) {
    for (int i = 0; i < 100000; ++i) {
      auto got = mid.next(p);
      if (!got || *got != detail::ogg_read_status::packet) break;
      total += p.data.size();
    }
  }
  return total == 42 ? 0 : 0;
}
