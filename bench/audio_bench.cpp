// Audio engine costs on one core: decode + resample real-time factor, Opus encode rate, filter
// chain cost per 20 ms frame. Run: build/bench/audio_bench (release build). The mp3 input is made
// with the ffmpeg CLI (30 s of 44.1 kHz stereo tones and noise); the decode benchmark is skipped
// without it.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <random>
#include <vector>

#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/audio/filter_chain.hpp"
#include "vectobeat/audio/memory_source.hpp"
#include "vectobeat/audio/opus_encoder.hpp"

namespace {

using namespace vb::audio;

constexpr double mp3_seconds = 30.0;

const std::vector<std::uint8_t>& mp3_bytes() {
  static const std::vector<std::uint8_t> bytes = [] {
    const auto path = std::filesystem::temp_directory_path() / ("vb_audio_bench_" + std::to_string(::getpid()) + ".mp3");
    const std::string cmd =
        "ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "
        "\"sine=f=220:d=30:sample_rate=44100,volume=0.3[a];sine=f=1330:d=30:sample_rate=44100,volume=0.2[b];"
        "anoisesrc=d=30:c=pink:r=44100:a=0.1[c];[a][b][c]amix=inputs=3\" "
        "-ac 2 -c:a libmp3lame -b:a 192k '" + path.string() + "'";
    std::vector<std::uint8_t> out;
    if (std::system(cmd.c_str()) == 0) {
      std::ifstream in(path, std::ios::binary);
      out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::filesystem::remove(path);
    return out;
  }();
  return bytes;
}

// Music-like test signal: two tones and noise, 10 s of 48 kHz stereo.
const std::vector<float>& music() {
  static const std::vector<float> pcm = [] {
    std::vector<float> v(static_cast<std::size_t>(10 * sample_rate) * 2);
    std::mt19937 rng(1);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    for (std::size_t i = 0; i < v.size() / 2; ++i) {
      const double t = static_cast<double>(i) / sample_rate;
      const auto a = static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * 220 * t));
      const auto b = static_cast<float>(0.2 * std::sin(2 * std::numbers::pi * 1330 * t));
      v[2 * i] = a + b + noise(rng);
      v[2 * i + 1] = a - b + noise(rng);
    }
    return v;
  }();
  return pcm;
}

void mp3_decode_resample(benchmark::State& state) {
  const auto& bytes = mp3_bytes();
  if (bytes.empty()) {
    state.SkipWithError("ffmpeg CLI not available");
    return;
  }
  std::array<float, frame_values> frame{};
  double audio_seconds = 0;
  for (auto _ : state) {
    auto d = decoder::open(std::make_unique<memory_source>(memory_source::borrow(bytes)));
    if (!d) {
      state.SkipWithError("open failed");
      return;
    }
    std::size_t frames = 0;
    while (true) {
      auto r = d->read_frame(frame);
      if (!r || *r == read_status::end_of_stream) break;
      ++frames;
    }
    benchmark::DoNotOptimize(frame);
    audio_seconds += static_cast<double>(frames) * 0.02;
  }
  // Seconds of audio decoded per second of CPU: the real-time factor.
  state.counters["realtime_x"] = benchmark::Counter(audio_seconds, benchmark::Counter::kIsRate);
}
BENCHMARK(mp3_decode_resample)->Unit(benchmark::kMillisecond);

void opus_encode(benchmark::State& state) {
  auto enc = opus_encoder::create({.bitrate = 64000, .complexity = static_cast<int>(state.range(0))});
  const auto& pcm = music();
  std::array<std::uint8_t, max_opus_packet_bytes> out{};
  std::size_t off = 0, bytes = 0;
  for (auto _ : state) {
    auto n = enc->encode(const_pcm_frame_view(pcm.data() + off, frame_values), out);
    bytes += n ? *n : 0;
    off = (off + frame_values) % (pcm.size() - frame_values);
  }
  state.SetItemsProcessed(state.iterations());  // items/s = frames/s
  state.counters["bytes_per_frame"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(opus_encode)->Arg(10)->Arg(5)->Arg(0)->Unit(benchmark::kMicrosecond);

filter_settings full_chain(bool with_timescale) {
  filter_settings s;
  s.volume = 0.8f;
  s.equalizer = std::array<float, equalizer_band_count>{0.1f, 0.1f, 0.05f, 0, -0.05f, 0, 0, 0.05f, 0.1f, 0, 0, -0.1f, 0, 0.05f, 0.1f};
  s.karaoke = karaoke_settings{};
  if (with_timescale) s.timescale = timescale_settings{.speed = 1.2, .pitch = 1.2, .rate = 1.0};
  s.tremolo = tremolo_settings{};
  s.vibrato = vibrato_settings{};
  s.rotation = rotation_settings{0.2};
  s.distortion = distortion_settings{.sin_offset = 0.1f, .scale = 0.9f};
  s.channel_mix = channel_mix_settings{0.8f, 0.2f, 0.2f, 0.8f};
  s.low_pass = low_pass_settings{};
  return s;
}

void run_chain(benchmark::State& state, const filter_settings& s, int player_volume) {
  filter_chain chain;
  chain.configure(s);
  chain.set_player_volume(player_volume);
  const auto& pcm = music();
  std::array<float, frame_values> out{};
  std::size_t off = 0, produced = 0;
  for (auto _ : state) {
    chain.process(const_pcm_frame_view(pcm.data() + off, frame_values));
    while (chain.pull(out)) ++produced;
    benchmark::DoNotOptimize(out);
    off = (off + frame_values) % (pcm.size() - frame_values);
  }
  state.SetItemsProcessed(state.iterations());  // input frames
  state.counters["out_frames_per_in"] = static_cast<double>(produced) / static_cast<double>(state.iterations());
}

void filter_chain_full(benchmark::State& state) { run_chain(state, full_chain(true), 150); }
void filter_chain_full_without_timescale(benchmark::State& state) { run_chain(state, full_chain(false), 150); }
// One filter at a time, in chain order; the label names it.
void filter_chain_single(benchmark::State& state) {
  const filter_settings all = full_chain(true);
  filter_settings s;
  switch (state.range(0)) {
    case 0: s.low_pass = all.low_pass, state.SetLabel("lowPass"); break;
    case 1: s.channel_mix = all.channel_mix, state.SetLabel("channelMix"); break;
    case 2: s.rotation = all.rotation, state.SetLabel("rotation"); break;
    case 3: s.distortion = all.distortion, state.SetLabel("distortion"); break;
    case 4: s.vibrato = all.vibrato, state.SetLabel("vibrato"); break;
    case 5: s.tremolo = all.tremolo, state.SetLabel("tremolo"); break;
    case 6: s.timescale = all.timescale, state.SetLabel("timescale"); break;
    case 7: s.karaoke = all.karaoke, state.SetLabel("karaoke"); break;
    case 8: s.equalizer = all.equalizer, state.SetLabel("equalizer"); break;
    default: s.volume = all.volume, state.SetLabel("volume"); break;
  }
  run_chain(state, s, 100);
}
void filter_chain_player_volume_only(benchmark::State& state) { run_chain(state, {}, 150); }
BENCHMARK(filter_chain_full)->Unit(benchmark::kMicrosecond);
BENCHMARK(filter_chain_full_without_timescale)->Unit(benchmark::kMicrosecond);
BENCHMARK(filter_chain_single)->DenseRange(0, 9)->Unit(benchmark::kMicrosecond);
BENCHMARK(filter_chain_player_volume_only)->Unit(benchmark::kMicrosecond);

// One-off cost of enabling timescale on a chain (SoundTouch creation and warm-up).
void filter_chain_enable_timescale(benchmark::State& state) {
  filter_settings s;
  s.timescale = timescale_settings{.speed = 1.2};
  for (auto _ : state) {
    filter_chain chain;
    chain.configure(s);
    benchmark::DoNotOptimize(chain);
  }
}
BENCHMARK(filter_chain_enable_timescale)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
