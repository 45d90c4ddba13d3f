#include "vectobeat/audio/filter_chain.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "dsp/channel_mix.hpp"
#include "dsp/distortion.hpp"
#include "dsp/equalizer.hpp"
#include "dsp/gain.hpp"
#include "dsp/karaoke.hpp"
#include "dsp/low_pass.hpp"
#include "dsp/ramp.hpp"
#include "dsp/rotation.hpp"
#include "dsp/timescale.hpp"
#include "dsp/tremolo.hpp"
#include "dsp/vibrato.hpp"
#include "sample_fifo.hpp"

namespace vb::audio {
namespace {

// Output FIFO room: one frame in flight plus slack for a caller that feeds twice before pulling.
constexpr std::size_t fifo_frames = 4;

// A filter's share of the output: glides 0 -> 1 when it is enabled and 1 -> 0 when disabled,
// crossfading against the dry signal, so switching a filter never steps the waveform.
struct stage_mix {
  dsp::ramp wet{0.0f};
  bool running() const noexcept { return wet.moving() || wet.value() != 0.0f; }
  bool fading() const noexcept { return wet.moving() || wet.value() != 1.0f; }
};

float finite_or(float v, float fallback) { return std::isfinite(v) ? v : fallback; }
double finite_or(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

float player_gain(int percent, volume_curve curve) {
  if (percent == 100) return 1.0f;
  if (curve == volume_curve::linear) return static_cast<float>(percent) / 100.0f;
  // lavaplayer PcmVolumeProcessor.setupMultipliers: an integer multiplier over 10000.
  const int multiplier = percent <= 150 ? static_cast<int>(std::tan(static_cast<float>(percent) * 0.0079f) * 10000)
                                        : 24621 * percent / 150;
  return static_cast<float>(multiplier) / 10000.0f;
}

}  // namespace

struct filter_chain::impl {
  filter_chain_options options;
  filter_settings settings;
  int player_percent = 100;

  dsp::low_pass low_pass;
  dsp::channel_mix channel_mix;
  dsp::rotation rotation;
  dsp::distortion distortion;
  dsp::vibrato vibrato;
  dsp::tremolo tremolo;
  dsp::karaoke karaoke;
  dsp::equalizer equalizer;
  dsp::gain volume;
  dsp::gain player;
  stage_mix low_pass_mix, channel_mix_mix, rotation_mix, distortion_mix, vibrato_mix, tremolo_mix, karaoke_mix;

  std::unique_ptr<dsp::timescale> timescale;
  bool timescale_active = false;
  std::optional<timescale_settings> timescale_applied;
  bool draining = false;

  detail::sample_fifo fifo{fifo_frames * frame_samples};
  std::array<float, frame_values> work{};
  std::array<float, frame_values> dry{};

  template <class F>
  void run(stage_mix& m, float* x, F&& apply) noexcept {
    if (!m.running()) return;
    if (!m.fading()) {
      apply(x);
      return;
    }
    std::memcpy(dry.data(), x, sizeof(float) * frame_values);
    apply(x);
    for (std::size_t i = 0; i < frame_samples; ++i) {
      const float w = m.wet.next();
      x[2 * i] = dry[2 * i] + w * (x[2 * i] - dry[2 * i]);
      x[2 * i + 1] = dry[2 * i + 1] + w * (x[2 * i + 1] - dry[2 * i + 1]);
    }
  }

  // Switches a stage on or off; `start` resets its state when it (re)joins the chain. Returns
  // whether parameter changes should glide (the stage is already audible).
  template <class Start>
  static bool toggle(stage_mix& m, bool want, Start&& start) {
    const bool audible = m.running();
    if (want && !audible) start();
    m.wet.glide(want ? 1.0f : 0.0f);
    return audible;
  }

  void run_pre(float* x) noexcept {
    run(low_pass_mix, x, [this](float* p) { low_pass.process(p, frame_samples); });
    run(channel_mix_mix, x, [this](float* p) { channel_mix.process(p, frame_samples); });
    run(rotation_mix, x, [this](float* p) { rotation.process(p, frame_samples); });
    run(distortion_mix, x, [this](float* p) { distortion.process(p, frame_samples); });
    run(vibrato_mix, x, [this](float* p) { vibrato.process(p, frame_samples); });
    run(tremolo_mix, x, [this](float* p) { tremolo.process(p, frame_samples); });
  }

  void run_post(float* x) noexcept {
    run(karaoke_mix, x, [this](float* p) { karaoke.process(p, frame_samples); });
    if (!equalizer.is_flat()) equalizer.process(x, frame_samples);
    volume.process(x, frame_samples);
    player.process(x, frame_samples);
  }

  void configure(const filter_settings& s);
  void configure_timescale(const filter_settings& s);
  void drain_timescale();
  void reset() noexcept;
};

void filter_chain::impl::configure(const filter_settings& s) {
  settings = s;

  const auto& lp = s.low_pass;
  const float smoothing = lp ? finite_or(lp->smoothing, 20.0f) : 0.0f;
  toggle(low_pass_mix, lp && smoothing > 1.0f, [&] { low_pass.reset(); });
  if (lp && smoothing > 1.0f) low_pass.set(std::min(smoothing, 1e6f));

  const auto& cm = s.channel_mix;
  const channel_mix_settings cmd{};
  const bool cm_on = cm && cm->enabled();
  const bool cm_glide = toggle(channel_mix_mix, cm_on, [&] { channel_mix.reset(); });
  if (cm_on) {
    auto c = [](float v, float d) { return std::clamp(finite_or(v, d), 0.0f, 1.0f); };
    channel_mix.set(c(cm->left_to_left, cmd.left_to_left), c(cm->left_to_right, cmd.left_to_right),
                    c(cm->right_to_left, cmd.right_to_left), c(cm->right_to_right, cmd.right_to_right), cm_glide);
  }

  const auto& ro = s.rotation;
  const bool ro_on = ro && ro->enabled() && std::isfinite(ro->rotation_hz);
  toggle(rotation_mix, ro_on, [&] { rotation.reset(); });
  if (ro_on) rotation.set(ro->rotation_hz);

  const auto& di = s.distortion;
  const bool di_on = di && di->enabled();
  const bool di_glide = toggle(distortion_mix, di_on, [&] { distortion.reset(); });
  if (di_on) {
    const distortion_settings d{};
    distortion.set({finite_or(di->sin_offset, d.sin_offset), finite_or(di->sin_scale, d.sin_scale),
                    finite_or(di->cos_offset, d.cos_offset), finite_or(di->cos_scale, d.cos_scale),
                    finite_or(di->tan_offset, d.tan_offset), finite_or(di->tan_scale, d.tan_scale),
                    finite_or(di->offset, d.offset), finite_or(di->scale, d.scale)},
                   di_glide);
  }

  const auto& vi = s.vibrato;
  const bool vi_on = vi && vi->enabled();
  const bool vi_glide = toggle(vibrato_mix, vi_on, [&] { vibrato.reset(); });
  if (vi_on) {
    vibrato.set(std::clamp(finite_or(vi->frequency, 2.0f), 0.01f, 14.0f),
                std::clamp(finite_or(vi->depth, 0.5f), 0.0f, 1.0f), vi_glide);
  }

  const auto& tr = s.tremolo;
  const bool tr_on = tr && tr->enabled();
  const bool tr_glide = toggle(tremolo_mix, tr_on, [&] { tremolo.reset(); });
  if (tr_on) {
    tremolo.set(std::clamp(finite_or(tr->frequency, 2.0f), 0.01f, 1000.0f),
                std::clamp(finite_or(tr->depth, 0.5f), 0.0f, 1.0f), tr_glide);
  }

  configure_timescale(s);

  const auto& ka = s.karaoke;
  const bool ka_glide = toggle(karaoke_mix, ka.has_value(), [&] { karaoke.reset(); });
  if (ka) {
    karaoke.set(std::clamp(finite_or(ka->level, 1.0f), 0.0f, 1.0f), std::clamp(finite_or(ka->mono_level, 1.0f), 0.0f, 1.0f),
                std::clamp(finite_or(ka->filter_band, 220.0f), 0.0f, 24000.0f),
                std::clamp(finite_or(ka->filter_width, 100.0f), 0.0f, 24000.0f), ka_glide);
  }

  dsp::equalizer::gains gains{};
  if (s.equalizer) {
    for (std::size_t b = 0; b < equalizer_band_count; ++b) {
      gains[b] = std::clamp(finite_or((*s.equalizer)[b], 0.0f), -0.25f, 1.0f);
    }
  }
  equalizer.set(gains, true);

  volume.set(s.volume ? std::clamp(finite_or(*s.volume, 1.0f), 0.0f, 5.0f) : 1.0f, true);
}

void filter_chain::impl::configure_timescale(const filter_settings& s) {
  const bool want = s.timescale && s.timescale->enabled();
  if (want) {
    const auto& t = *s.timescale;
    const double speed = finite_or(t.speed, 1.0), pitch = finite_or(t.pitch, 1.0), rate = finite_or(t.rate, 1.0);
    const double envelope = dsp::timescale::envelope_for(speed, pitch, rate);
    if (timescale && timescale->envelope() < envelope) {
      // Settings beyond what this instance was sized for: move to a larger one (its latency
      // restarts, like enabling) rather than let SoundTouch grow on the frame path.
      if (timescale_active) drain_timescale();
      timescale.reset();
    }
    if (!timescale) timescale = std::make_unique<dsp::timescale>(envelope);
    if (!timescale_active) {
      timescale->clear();
      timescale_active = true;
      timescale_applied.reset();
    }
    if (timescale_applied != s.timescale) {
      timescale->set(speed, pitch, rate);
      timescale_applied = s.timescale;
    }
  } else if (timescale_active) {
    drain_timescale();
  }
}

void filter_chain::impl::drain_timescale() {
  // Keep the audio SoundTouch still holds: flush it into the output FIFO.
  timescale->flush();
  const std::size_t n = timescale->available();
  fifo.commit(timescale->receive(fifo.prepare(n), n));
  timescale->clear();
  timescale_active = false;
  timescale_applied.reset();
}

void filter_chain::impl::reset() noexcept {
  fifo.clear();
  if (timescale) timescale->clear();
  draining = false;
  low_pass.reset();
  channel_mix.reset();
  rotation.reset();
  distortion.reset();
  vibrato.reset();
  tremolo.reset();
  karaoke.reset();
  equalizer.reset();
  volume.reset();
  player.reset();
  for (stage_mix* m : {&low_pass_mix, &channel_mix_mix, &rotation_mix, &distortion_mix, &vibrato_mix, &tremolo_mix,
                       &karaoke_mix}) {
    m->wet.finish();
  }
}

filter_chain::filter_chain(const filter_chain_options& options) : impl_(std::make_unique<impl>()) {
  impl_->options = options;
}
filter_chain::~filter_chain() = default;
filter_chain::filter_chain(filter_chain&&) noexcept = default;
filter_chain& filter_chain::operator=(filter_chain&&) noexcept = default;

void filter_chain::configure(const filter_settings& settings) { impl_->configure(settings); }
const filter_settings& filter_chain::settings() const noexcept { return impl_->settings; }

void filter_chain::set_player_volume(int percent) noexcept {
  impl_->player_percent = std::clamp(percent, 0, 1000);
  impl_->player.set(player_gain(impl_->player_percent, impl_->options.player_volume_curve), true);
}
int filter_chain::player_volume() const noexcept { return impl_->player_percent; }

bool filter_chain::is_identity() const noexcept {
  return impl_->player_percent == 100 && !impl_->settings.any_enabled();
}

std::size_t filter_chain::process(const_pcm_frame_view in) noexcept {
  auto& d = *impl_;
  if (d.draining) {  // a new stream after flush(): forget what was not pulled
    d.draining = false;
    d.fifo.clear();
    if (d.timescale) d.timescale->clear();
  }
  std::memcpy(d.work.data(), in.data(), sizeof(float) * frame_values);
  d.run_pre(d.work.data());
  if (d.timescale_active) {
    d.timescale->put(d.work.data(), frame_samples);
  } else {
    d.fifo.push(d.work.data(), frame_samples);
  }
  return ready_frames();
}

bool filter_chain::pull(pcm_frame_view out) noexcept {
  auto& d = *impl_;
  if (d.timescale_active && d.fifo.size() < frame_samples) {
    const std::size_t need = frame_samples - d.fifo.size();
    d.fifo.commit(d.timescale->receive(d.fifo.prepare(need), need));
  }
  if (d.fifo.size() < frame_samples) {
    if (!d.draining || d.fifo.empty()) return false;
    const std::size_t pad = frame_samples - d.fifo.size();  // the tail of a flushed stream
    std::memset(d.fifo.prepare(pad), 0, sizeof(float) * pad * channel_count);
    d.fifo.commit(pad);
  }
  d.fifo.pop(out.data(), frame_samples);
  d.run_post(out.data());
  return true;
}

std::size_t filter_chain::ready_frames() const noexcept {
  const auto& d = *impl_;
  const std::size_t samples = d.fifo.size() + (d.timescale_active ? d.timescale->available() : 0);
  return samples / frame_samples + (d.draining && samples % frame_samples != 0 ? 1 : 0);
}

void filter_chain::flush() noexcept {
  auto& d = *impl_;
  if (d.timescale_active) d.timescale->flush();
  d.draining = true;
}

void filter_chain::reset() noexcept { impl_->reset(); }

}  // namespace vb::audio
