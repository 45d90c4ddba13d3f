#include "vectobeat/audio/filter_settings.hpp"

#include <algorithm>
#include <cmath>

namespace vb::audio {
namespace {

constexpr std::array<std::string_view, equalizer_band_count> band_fields{
    "equalizer[0].gain",  "equalizer[1].gain",  "equalizer[2].gain",  "equalizer[3].gain",
    "equalizer[4].gain",  "equalizer[5].gain",  "equalizer[6].gain",  "equalizer[7].gain",
    "equalizer[8].gain",  "equalizer[9].gain",  "equalizer[10].gain", "equalizer[11].gain",
    "equalizer[12].gain", "equalizer[13].gain", "equalizer[14].gain"};

template <class T>
bool finite(T v) {
  return std::isfinite(v);
}

}  // namespace

bool filter_settings::equalizer_enabled() const noexcept {
  return equalizer && std::any_of(equalizer->begin(), equalizer->end(), [](float g) { return g != 0.0f; });
}

bool filter_settings::any_enabled() const noexcept {
  return volume_enabled() || equalizer_enabled() || (karaoke && karaoke->enabled()) ||
         (timescale && timescale->enabled()) || (tremolo && tremolo->enabled()) ||
         (vibrato && vibrato->enabled()) || (rotation && rotation->enabled()) ||
         (distortion && distortion->enabled()) || (channel_mix && channel_mix->enabled()) ||
         (low_pass && low_pass->enabled());
}

std::optional<filter_range_error> validate(const filter_settings& s) noexcept {
  using e = filter_range_error;
  if (s.volume && !(finite(*s.volume) && *s.volume >= 0.0f && *s.volume <= 5.0f)) {
    return e{"volume", "must be between 0.0 and 5.0"};
  }
  if (s.equalizer) {
    for (std::size_t i = 0; i < equalizer_band_count; ++i) {
      const float g = (*s.equalizer)[i];
      if (!(finite(g) && g >= -0.25f && g <= 1.0f)) return e{band_fields[i], "must be between -0.25 and 1.0"};
    }
  }
  if (const auto& k = s.karaoke) {
    if (!(finite(k->level) && k->level >= 0.0f && k->level <= 1.0f)) return e{"karaoke.level", "must be between 0.0 and 1.0"};
    if (!(finite(k->mono_level) && k->mono_level >= 0.0f && k->mono_level <= 1.0f)) {
      return e{"karaoke.monoLevel", "must be between 0.0 and 1.0"};
    }
    if (!(finite(k->filter_band) && k->filter_band >= 0.0f)) return e{"karaoke.filterBand", "must be >= 0"};
    if (!(finite(k->filter_width) && k->filter_width >= 0.0f)) return e{"karaoke.filterWidth", "must be >= 0"};
  }
  if (const auto& t = s.timescale) {
    if (!(finite(t->speed) && t->speed > 0.0)) return e{"timescale.speed", "must be > 0"};
    if (!(finite(t->pitch) && t->pitch > 0.0)) return e{"timescale.pitch", "must be > 0"};
    if (!(finite(t->rate) && t->rate > 0.0)) return e{"timescale.rate", "must be > 0"};
  }
  if (const auto& t = s.tremolo) {
    if (!(finite(t->frequency) && t->frequency > 0.0f)) return e{"tremolo.frequency", "must be > 0"};
    if (!(finite(t->depth) && t->depth >= 0.0f && t->depth <= 1.0f)) return e{"tremolo.depth", "must be between 0.0 and 1.0"};
  }
  if (const auto& v = s.vibrato) {
    if (!(finite(v->frequency) && v->frequency > 0.0f && v->frequency <= 14.0f)) {
      return e{"vibrato.frequency", "must be > 0 and <= 14"};
    }
    if (!(finite(v->depth) && v->depth >= 0.0f && v->depth <= 1.0f)) return e{"vibrato.depth", "must be between 0.0 and 1.0"};
  }
  if (s.rotation && !finite(s.rotation->rotation_hz)) return e{"rotation.rotationHz", "must be a finite number"};
  if (const auto& d = s.distortion) {
    for (float v : {d->sin_offset, d->sin_scale, d->cos_offset, d->cos_scale, d->tan_offset, d->tan_scale, d->offset,
                    d->scale}) {
      if (!finite(v)) return e{"distortion", "values must be finite numbers"};
    }
  }
  if (const auto& c = s.channel_mix) {
    const std::array<std::pair<float, std::string_view>, 4> fields{{{c->left_to_left, "channelMix.leftToLeft"},
                                                                     {c->left_to_right, "channelMix.leftToRight"},
                                                                     {c->right_to_left, "channelMix.rightToLeft"},
                                                                     {c->right_to_right, "channelMix.rightToRight"}}};
    for (const auto& [v, name] : fields) {
      if (!(finite(v) && v >= 0.0f && v <= 1.0f)) return e{name, "must be between 0.0 and 1.0"};
    }
  }
  if (s.low_pass && !finite(s.low_pass->smoothing)) return e{"lowPass.smoothing", "must be a finite number"};
  return std::nullopt;
}

}  // namespace vb::audio
