#pragma once
// The Lavalink v4 `filters` object as plain values (reference: lavalink-v4.md section 7). The
// protocol library maps JSON onto this struct; field names are the JSON keys in snake_case
// (monoLevel -> mono_level, rotationHz -> rotation_hz, channelMix -> channel_mix, ...).
// An absent optional means the filter is not set. Inside a set filter, defaults are Lavalink's.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace vb::audio {

inline constexpr std::size_t equalizer_band_count = 15;
// Centre frequency (Hz) of each equalizer band, index = Lavalink `band`.
inline constexpr std::array<float, equalizer_band_count> equalizer_band_hz{
    25, 40, 63, 100, 160, 250, 400, 630, 1000, 1600, 2500, 4000, 6300, 10000, 16000};

struct karaoke_settings {  // "karaoke": enabled whenever present
  float level = 1.0f;          // level, 0..1
  float mono_level = 1.0f;     // monoLevel, 0..1
  float filter_band = 220.0f;  // filterBand, Hz
  float filter_width = 100.0f; // filterWidth, Hz
  bool operator==(const karaoke_settings&) const = default;
  bool enabled() const noexcept { return true; }
};

struct timescale_settings {  // "timescale": enabled when any value != 1
  double speed = 1.0;  // tempo without pitch change
  double pitch = 1.0;  // pitch without tempo change
  double rate = 1.0;   // both (resampling)
  bool operator==(const timescale_settings&) const = default;
  bool enabled() const noexcept { return speed != 1.0 || pitch != 1.0 || rate != 1.0; }
};

struct tremolo_settings {  // "tremolo": amplitude modulation, enabled when depth != 0
  float frequency = 2.0f;  // Hz, > 0
  float depth = 0.5f;      // 0 < depth <= 1
  bool operator==(const tremolo_settings&) const = default;
  bool enabled() const noexcept { return depth != 0.0f; }
};

struct vibrato_settings {  // "vibrato": pitch modulation, enabled when depth != 0
  float frequency = 2.0f;  // 0 < frequency <= 14 Hz
  float depth = 0.5f;      // 0 < depth <= 1
  bool operator==(const vibrato_settings&) const = default;
  bool enabled() const noexcept { return depth != 0.0f; }
};

struct rotation_settings {  // "rotation": stereo panning around the listener
  double rotation_hz = 0.0;  // rotationHz; 0.2 is a slow "8D" pan
  bool operator==(const rotation_settings&) const = default;
  bool enabled() const noexcept { return rotation_hz != 0.0; }
};

struct distortion_settings {  // "distortion": enabled when any value differs from its default
  float sin_offset = 0.0f;
  float sin_scale = 1.0f;
  float cos_offset = 0.0f;
  float cos_scale = 1.0f;
  float tan_offset = 0.0f;
  float tan_scale = 1.0f;
  float offset = 0.0f;
  float scale = 1.0f;
  bool operator==(const distortion_settings&) const = default;
  bool enabled() const noexcept { return *this != distortion_settings{}; }
};

struct channel_mix_settings {  // "channelMix": each 0..1; all 0.5 = mono
  float left_to_left = 1.0f;
  float left_to_right = 0.0f;
  float right_to_left = 0.0f;
  float right_to_right = 1.0f;
  bool operator==(const channel_mix_settings&) const = default;
  bool enabled() const noexcept { return *this != channel_mix_settings{}; }
};

struct low_pass_settings {  // "lowPass": enabled when smoothing > 1
  float smoothing = 20.0f;
  bool operator==(const low_pass_settings&) const = default;
  bool enabled() const noexcept { return smoothing > 1.0f; }
};

struct filter_settings {
  std::optional<float> volume;  // "volume": 0..5, enabled when != 1; >1 may clip
  // "equalizer": gain per band (-0.25 = muted, 0 = unchanged, 0.25 = doubled, max 1);
  // bands absent from the JSON array are 0. Enabled when any gain != 0.
  std::optional<std::array<float, equalizer_band_count>> equalizer;
  std::optional<karaoke_settings> karaoke;
  std::optional<timescale_settings> timescale;
  std::optional<tremolo_settings> tremolo;
  std::optional<vibrato_settings> vibrato;
  std::optional<rotation_settings> rotation;
  std::optional<distortion_settings> distortion;
  std::optional<channel_mix_settings> channel_mix;
  std::optional<low_pass_settings> low_pass;

  bool operator==(const filter_settings&) const = default;

  bool volume_enabled() const noexcept { return volume && *volume != 1.0f; }
  bool equalizer_enabled() const noexcept;
  // True when at least one set filter is enabled by Lavalink's rules (it then forces
  // decode -> filters -> encode; no Opus passthrough).
  bool any_enabled() const noexcept;
};

// A value outside Lavalink's documented range. `field` is the JSON path ("timescale.speed",
// "equalizer[3].gain"), `reason` a short English explanation; both are static strings.
struct filter_range_error {
  std::string_view field;
  std::string_view reason;
};

// Checks the ranges of section 7 (and finiteness). The node answers a failing PATCH with 400.
// filter_chain never needs this: it sanitises any input into safe ranges itself.
std::optional<filter_range_error> validate(const filter_settings& settings) noexcept;

}  // namespace vb::audio
