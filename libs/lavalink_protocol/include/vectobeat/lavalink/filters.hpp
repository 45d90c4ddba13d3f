#pragma once
// Player filters (lavalink-v4.md §7). A filter is "set" when its optional is engaged; the
// echoed Player.filters contains exactly the set filters, values echoed even when they equal
// the defaults. Values are not range-checked here (the DSP clamps them), except equalizer band
// indices, which address a fixed 15-band array.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink {

inline constexpr int equalizer_band_count = 15;

struct equalizer_band {
  std::int32_t band = 0;  // 0..14
  double gain = 0.0;      // -0.25 (muted) .. 1.0; an omitted gain decodes as 1.0 (LL quirk)
  friend bool operator==(const equalizer_band&, const equalizer_band&) = default;
};

struct karaoke_filter {
  double level = 1.0;
  double mono_level = 1.0;
  double filter_band = 220.0;
  double filter_width = 100.0;
  friend bool operator==(const karaoke_filter&, const karaoke_filter&) = default;
};

struct timescale_filter {
  double speed = 1.0;
  double pitch = 1.0;
  double rate = 1.0;
  friend bool operator==(const timescale_filter&, const timescale_filter&) = default;
};

struct tremolo_filter {
  double frequency = 2.0;
  double depth = 0.5;
  friend bool operator==(const tremolo_filter&, const tremolo_filter&) = default;
};

struct vibrato_filter {
  double frequency = 2.0;
  double depth = 0.5;
  friend bool operator==(const vibrato_filter&, const vibrato_filter&) = default;
};

struct rotation_filter {
  double rotation_hz = 0.0;
  friend bool operator==(const rotation_filter&, const rotation_filter&) = default;
};

struct distortion_filter {
  double sin_offset = 0.0;
  double sin_scale = 1.0;
  double cos_offset = 0.0;
  double cos_scale = 1.0;
  double tan_offset = 0.0;
  double tan_scale = 1.0;
  double offset = 0.0;
  double scale = 1.0;
  friend bool operator==(const distortion_filter&, const distortion_filter&) = default;
};

struct channel_mix_filter {
  double left_to_left = 1.0;
  double left_to_right = 0.0;
  double right_to_left = 0.0;
  double right_to_right = 1.0;
  friend bool operator==(const channel_mix_filter&, const channel_mix_filter&) = default;
};

struct low_pass_filter {
  double smoothing = 20.0;
  friend bool operator==(const low_pass_filter&, const low_pass_filter&) = default;
};

struct filters {
  std::optional<double> volume;  // multiplies with the player volume; 1.0 = unchanged
  std::optional<std::vector<equalizer_band>> equalizer;
  std::optional<karaoke_filter> karaoke;
  std::optional<timescale_filter> timescale;
  std::optional<tremolo_filter> tremolo;
  std::optional<vibrato_filter> vibrato;
  std::optional<rotation_filter> rotation;
  std::optional<distortion_filter> distortion;
  std::optional<channel_mix_filter> channel_mix;
  std::optional<low_pass_filter> low_pass;
  boost::json::object plugin_filters;  // name -> plugin-defined JSON, kept raw

  // No filter set at all (the Player echo is then {}).
  bool empty() const noexcept;

  friend bool operator==(const filters&, const filters&) = default;
};

// JSON names of the set filters, built-ins first in §7 order, then plugin filter names. The node
// checks them against its disabled filters ("Following filters are disabled in the config: ").
std::vector<std::string> set_filter_names(const filters& f);

// Lavalink's 400 message ("Following filters are disabled in the config: a, b") when `f` sets
// any filter named in `disabled`; nullopt when none is.
std::optional<std::string> disabled_filters_error(const filters& f, const std::vector<std::string>& disabled);

// True when a set filter changes the audio by §7's "considered enabled when" column (plugin
// filters count when present). False means Opus passthrough stays possible.
bool affects_audio(const filters& f);

// A key that is absent or null means "not set". Unknown keys are ignored.
boost::json::value to_json(const filters& f);
template <>
expected<filters, std::string> from_json<filters>(const boost::json::value& v);

}  // namespace vb::lavalink
