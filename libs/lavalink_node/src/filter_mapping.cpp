#include "vectobeat/node/filter_mapping.hpp"

namespace vb::node {

audio::filter_settings to_filter_settings(const lavalink::filters& f) {
  audio::filter_settings s;
  if (f.volume) s.volume = static_cast<float>(*f.volume);
  if (f.equalizer) {
    std::array<float, audio::equalizer_band_count> gains{};
    for (const auto& b : *f.equalizer)
      if (b.band >= 0 && b.band < static_cast<int>(audio::equalizer_band_count)) gains[static_cast<std::size_t>(b.band)] = static_cast<float>(b.gain);
    s.equalizer = gains;
  }
  if (f.karaoke) {
    s.karaoke = audio::karaoke_settings{static_cast<float>(f.karaoke->level), static_cast<float>(f.karaoke->mono_level),
                                        static_cast<float>(f.karaoke->filter_band), static_cast<float>(f.karaoke->filter_width)};
  }
  if (f.timescale) s.timescale = audio::timescale_settings{f.timescale->speed, f.timescale->pitch, f.timescale->rate};
  if (f.tremolo)
    s.tremolo = audio::tremolo_settings{static_cast<float>(f.tremolo->frequency), static_cast<float>(f.tremolo->depth)};
  if (f.vibrato)
    s.vibrato = audio::vibrato_settings{static_cast<float>(f.vibrato->frequency), static_cast<float>(f.vibrato->depth)};
  if (f.rotation) s.rotation = audio::rotation_settings{f.rotation->rotation_hz};
  if (f.distortion) {
    const auto& d = *f.distortion;
    s.distortion = audio::distortion_settings{static_cast<float>(d.sin_offset), static_cast<float>(d.sin_scale),
                                              static_cast<float>(d.cos_offset), static_cast<float>(d.cos_scale),
                                              static_cast<float>(d.tan_offset), static_cast<float>(d.tan_scale),
                                              static_cast<float>(d.offset),     static_cast<float>(d.scale)};
  }
  if (f.channel_mix) {
    const auto& c = *f.channel_mix;
    s.channel_mix = audio::channel_mix_settings{static_cast<float>(c.left_to_left), static_cast<float>(c.left_to_right),
                                                static_cast<float>(c.right_to_left), static_cast<float>(c.right_to_right)};
  }
  if (f.low_pass) s.low_pass = audio::low_pass_settings{static_cast<float>(f.low_pass->smoothing)};
  return s;
}

}  // namespace vb::node
