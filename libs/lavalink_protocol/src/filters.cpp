#include "vectobeat/lavalink/filters.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>

#include "readers.hpp"

namespace vb::lavalink {
namespace {

using detail::object_reader;

// Reads `key` as a filter object with defaults for absent fields; absent or null -> not set.
template <class Filter, class Fields>
void read_filter(object_reader& r, std::string_view key, std::optional<Filter>& out, Fields fields) {
  if (auto c = r.optional_child(key)) {
    Filter f;
    fields(*c, f);
    out = f;
  }
}

void read_equalizer(object_reader& r, std::optional<std::vector<equalizer_band>>& out) {
  const auto* v = r.find("equalizer");
  if (!v || v->is_null()) return;
  const auto* arr = v->if_array();
  if (!arr) {
    r.fail("equalizer", "must be an array");
    return;
  }
  std::vector<equalizer_band> bands;
  bands.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size() && r.ok(); ++i) {
    auto e = r.element("equalizer", i, (*arr)[i]);
    if (!e.is_object()) return;
    const auto* band = e.find("band");
    const auto index = band ? detail::as_int64(*band) : std::nullopt;
    if (!index || *index < 0 || *index >= equalizer_band_count) {
      e.fail("band", "must be an integer between 0 and 14");
      return;
    }
    bands.push_back({static_cast<std::int32_t>(*index), e.number_or("gain", 1.0)});
  }
  out = std::move(bands);
}

boost::json::object object_of(std::initializer_list<std::pair<std::string_view, double>> fields) {
  boost::json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return o;
}

}  // namespace

bool filters::empty() const noexcept {
  return !volume && !equalizer && !karaoke && !timescale && !tremolo && !vibrato && !rotation &&
         !distortion && !channel_mix && !low_pass && plugin_filters.empty();
}

std::vector<std::string> set_filter_names(const filters& f) {
  std::vector<std::string> names;
  if (f.volume) names.emplace_back("volume");
  if (f.equalizer) names.emplace_back("equalizer");
  if (f.karaoke) names.emplace_back("karaoke");
  if (f.timescale) names.emplace_back("timescale");
  if (f.tremolo) names.emplace_back("tremolo");
  if (f.vibrato) names.emplace_back("vibrato");
  if (f.distortion) names.emplace_back("distortion");
  if (f.rotation) names.emplace_back("rotation");
  if (f.channel_mix) names.emplace_back("channelMix");
  if (f.low_pass) names.emplace_back("lowPass");
  for (const auto& kv : f.plugin_filters) names.emplace_back(kv.key());
  return names;
}

std::optional<std::string> disabled_filters_error(const filters& f, const std::vector<std::string>& disabled) {
  std::string list;
  for (const auto& name : set_filter_names(f)) {
    if (std::find(disabled.begin(), disabled.end(), name) == disabled.end()) continue;
    if (!list.empty()) list += ", ";
    list += name;
  }
  if (list.empty()) return std::nullopt;
  return "Following filters are disabled in the config: " + list;
}

bool affects_audio(const filters& f) {
  if (f.volume && *f.volume != 1.0) return true;
  if (f.equalizer && std::any_of(f.equalizer->begin(), f.equalizer->end(),
                                 [](const equalizer_band& b) { return b.gain != 0.0; }))
    return true;
  if (f.karaoke) return true;
  if (f.timescale && *f.timescale != timescale_filter{}) return true;
  if (f.tremolo && f.tremolo->depth != 0.0) return true;
  if (f.vibrato && f.vibrato->depth != 0.0) return true;
  if (f.rotation && f.rotation->rotation_hz != 0.0) return true;
  if (f.distortion && *f.distortion != distortion_filter{}) return true;
  if (f.channel_mix && *f.channel_mix != channel_mix_filter{}) return true;
  if (f.low_pass && f.low_pass->smoothing > 1.0) return true;
  return !f.plugin_filters.empty();
}

namespace detail {

void read(object_reader& r, filters& out) {
  if (const auto* v = r.find("volume"); v && !v->is_null()) {
    if (auto d = as_number(*v)) out.volume = *d;
    else r.fail("volume", "must be a number");
  }
  read_equalizer(r, out.equalizer);
  read_filter(r, "karaoke", out.karaoke, [](object_reader& c, karaoke_filter& f) {
    f.level = c.number_or("level", f.level);
    f.mono_level = c.number_or("monoLevel", f.mono_level);
    f.filter_band = c.number_or("filterBand", f.filter_band);
    f.filter_width = c.number_or("filterWidth", f.filter_width);
  });
  read_filter(r, "timescale", out.timescale, [](object_reader& c, timescale_filter& f) {
    f.speed = c.number_or("speed", f.speed);
    f.pitch = c.number_or("pitch", f.pitch);
    f.rate = c.number_or("rate", f.rate);
  });
  read_filter(r, "tremolo", out.tremolo, [](object_reader& c, tremolo_filter& f) {
    f.frequency = c.number_or("frequency", f.frequency);
    f.depth = c.number_or("depth", f.depth);
  });
  read_filter(r, "vibrato", out.vibrato, [](object_reader& c, vibrato_filter& f) {
    f.frequency = c.number_or("frequency", f.frequency);
    f.depth = c.number_or("depth", f.depth);
  });
  read_filter(r, "rotation", out.rotation, [](object_reader& c, rotation_filter& f) {
    f.rotation_hz = c.number_or("rotationHz", f.rotation_hz);
  });
  read_filter(r, "distortion", out.distortion, [](object_reader& c, distortion_filter& f) {
    f.sin_offset = c.number_or("sinOffset", f.sin_offset);
    f.sin_scale = c.number_or("sinScale", f.sin_scale);
    f.cos_offset = c.number_or("cosOffset", f.cos_offset);
    f.cos_scale = c.number_or("cosScale", f.cos_scale);
    f.tan_offset = c.number_or("tanOffset", f.tan_offset);
    f.tan_scale = c.number_or("tanScale", f.tan_scale);
    f.offset = c.number_or("offset", f.offset);
    f.scale = c.number_or("scale", f.scale);
  });
  read_filter(r, "channelMix", out.channel_mix, [](object_reader& c, channel_mix_filter& f) {
    f.left_to_left = c.number_or("leftToLeft", f.left_to_left);
    f.left_to_right = c.number_or("leftToRight", f.left_to_right);
    f.right_to_left = c.number_or("rightToLeft", f.right_to_left);
    f.right_to_right = c.number_or("rightToRight", f.right_to_right);
  });
  read_filter(r, "lowPass", out.low_pass, [](object_reader& c, low_pass_filter& f) {
    f.smoothing = c.number_or("smoothing", f.smoothing);
  });
  out.plugin_filters = r.object_or_empty("pluginFilters");
}

}  // namespace detail

boost::json::value to_json(const filters& f) {
  boost::json::object o;
  if (f.volume) o["volume"] = *f.volume;
  if (f.equalizer) {
    boost::json::array bands;
    bands.reserve(f.equalizer->size());
    for (const auto& b : *f.equalizer) bands.push_back(boost::json::object{{"band", b.band}, {"gain", b.gain}});
    o["equalizer"] = std::move(bands);
  }
  if (const auto& k = f.karaoke) {
    o["karaoke"] = object_of({{"level", k->level}, {"monoLevel", k->mono_level},
                              {"filterBand", k->filter_band}, {"filterWidth", k->filter_width}});
  }
  if (const auto& t = f.timescale)
    o["timescale"] = object_of({{"speed", t->speed}, {"pitch", t->pitch}, {"rate", t->rate}});
  if (const auto& t = f.tremolo) o["tremolo"] = object_of({{"frequency", t->frequency}, {"depth", t->depth}});
  if (const auto& v = f.vibrato) o["vibrato"] = object_of({{"frequency", v->frequency}, {"depth", v->depth}});
  if (const auto& d = f.distortion) {
    o["distortion"] = object_of({{"sinOffset", d->sin_offset}, {"sinScale", d->sin_scale},
                                 {"cosOffset", d->cos_offset}, {"cosScale", d->cos_scale},
                                 {"tanOffset", d->tan_offset}, {"tanScale", d->tan_scale},
                                 {"offset", d->offset}, {"scale", d->scale}});
  }
  if (const auto& r = f.rotation) o["rotation"] = object_of({{"rotationHz", r->rotation_hz}});
  if (const auto& c = f.channel_mix) {
    o["channelMix"] = object_of({{"leftToLeft", c->left_to_left}, {"leftToRight", c->left_to_right},
                                 {"rightToLeft", c->right_to_left}, {"rightToRight", c->right_to_right}});
  }
  if (const auto& l = f.low_pass) o["lowPass"] = object_of({{"smoothing", l->smoothing}});
  if (!f.plugin_filters.empty()) o["pluginFilters"] = f.plugin_filters;
  return o;
}

template <>
expected<filters, std::string> from_json<filters>(const boost::json::value& v) {
  return detail::decode_root<filters>(v, [](auto& r, auto& out) { detail::read(r, out); });
}

}  // namespace vb::lavalink
