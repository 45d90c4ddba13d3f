#pragma once
// The Lavalink `filters` object (wire form) as the audio engine's filter_settings.
#include "vectobeat/audio/filter_settings.hpp"
#include "vectobeat/lavalink/filters.hpp"

namespace vb::node {

// Set filters map one to one; equalizer bands outside 0..14 are ignored (the protocol decoder
// already refuses them); plugin filters have no engine and are dropped.
audio::filter_settings to_filter_settings(const lavalink::filters& f);

}  // namespace vb::node
