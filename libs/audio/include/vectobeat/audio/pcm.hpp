#pragma once
// The one PCM format of the engine: 48 kHz, stereo, interleaved (L R L R ...), 20 ms frames.
// Float samples are nominally in [-1, 1]; int16 is the same signal scaled by 32767.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace vb::audio {

inline constexpr int sample_rate = 48000;
inline constexpr int channel_count = 2;
inline constexpr std::size_t frame_samples = 960;  // per channel, 20 ms at 48 kHz
inline constexpr std::size_t frame_values = frame_samples * channel_count;  // interleaved values
inline constexpr std::chrono::milliseconds frame_duration{20};

using pcm_frame_view = std::span<float, frame_values>;
using const_pcm_frame_view = std::span<const float, frame_values>;
using pcm16_frame_view = std::span<std::int16_t, frame_values>;
using const_pcm16_frame_view = std::span<const std::int16_t, frame_values>;

// Converts with saturation (values outside [-1, 1] clip) and rounding. `out` must be at
// least as long as `in`. Never allocates.
void float_to_int16(std::span<const float> in, std::span<std::int16_t> out) noexcept;
void int16_to_float(std::span<const std::int16_t> in, std::span<float> out) noexcept;

}  // namespace vb::audio
