#pragma once
// Tracks with a real encoded form for the client's tests.
#include <cstdint>
#include <string>

#include "vectobeat/lavalink/track.hpp"

namespace vb::llc::test {

// A youtube track (version 3 blob); streams have Long.MAX_VALUE length and are not seekable.
lavalink::track make_test_track(std::string identifier, std::string title, std::int64_t length_ms = 180000,
                                bool stream = false);

}  // namespace vb::llc::test
