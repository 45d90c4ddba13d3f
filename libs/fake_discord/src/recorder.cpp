#include "recorder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "vectobeat/audio/opus_decoder.hpp"
#include "vectobeat/audio/pcm.hpp"

namespace vb::fake::detail {

namespace {

constexpr std::int64_t samples_per_ms = 48;
constexpr std::array<std::uint8_t, 3> silence{0xF8, 0xFF, 0xFE};

double percentile(std::vector<float> v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

double ms_since_epoch(steady_time t) {
  return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count();
}

}  // namespace

void voice_recorder::on_packet(std::uint16_t sequence, std::uint32_t timestamp, steady_time arrival,
                               std::span<const std::uint8_t> opus) {
  // Extend the 16-bit sequence around the highest seen so far.
  std::int64_t ext;
  if (!have_seq_) {
    ext = sequence;
    highest_seq_ = ext;
    have_seq_ = true;
  } else {
    ext = highest_seq_ + static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(highest_seq_)));
  }
  auto& slot = seen_[static_cast<std::size_t>(ext) % window];
  if (slot == ext + 1) {
    ++stats_.duplicates;
    return;
  }
  if (ext > highest_seq_) {
    stats_.lost += static_cast<std::uint64_t>(ext - highest_seq_ - 1);
    highest_seq_ = ext;
  } else if (ext < highest_seq_) {
    if (highest_seq_ - ext >= static_cast<std::int64_t>(window)) {
      ++stats_.duplicates;  // too old to tell: not recorded
      return;
    }
    ++stats_.out_of_order;
    if (stats_.lost > 0) --stats_.lost;
  }
  slot = ext + 1;

  std::int64_t ts;
  if (!have_ts_) {
    ts = timestamp;
    have_ts_ = true;
    first_ts_ = ts;
    end_ts_ = ts;
  } else {
    ts = last_ts_ + static_cast<std::int32_t>(timestamp - static_cast<std::uint32_t>(last_ts_));
  }
  last_ts_ = std::max(last_ts_, ts);

  ++stats_.packets;
  stats_.bytes += opus.size();
  if (stats_.speaking == 0) ++stats_.before_speaking;
  const bool is_silence = opus.size() == silence.size() && std::equal(opus.begin(), opus.end(), silence.begin());
  if (is_silence) ++stats_.silence_frames;
  auto samples = audio::opus_decoder::packet_samples(opus);
  if (!samples) {
    ++stats_.invalid_opus;
    return;
  }

  // Timing (arrival order): jitter against the previous frame, lateness against the
  // earliest frame of the talk spurt.
  const double now_ms = ms_since_epoch(arrival);
  const double sched_ms = now_ms - static_cast<double>(ts) / samples_per_ms;
  if (have_prev_ && jitter_ms_.size() < max_frames_) {
    const double d = (now_ms - ms_since_epoch(prev_arrival_)) - static_cast<double>(ts - prev_ts_) / samples_per_ms;
    jitter_ms_.push_back(static_cast<float>(std::fabs(d)));
  }
  if (!have_anchor_ || sched_ms < anchor_ms_ || sched_ms - anchor_ms_ > new_spurt_after_ms) {
    anchor_ms_ = sched_ms;
    have_anchor_ = true;
  }
  if (lateness_ms_.size() < max_frames_) lateness_ms_.push_back(static_cast<float>(sched_ms - anchor_ms_));
  have_prev_ = true;
  prev_arrival_ = arrival;
  prev_ts_ = ts;
  end_ts_ = std::max(end_ts_, ts + *samples);
  first_ts_ = std::min(first_ts_, ts);

  if (frames_.size() >= max_frames_) {
    ++stats_.truncated;
    return;
  }
  frames_.push_back({ext, ts, static_cast<std::uint32_t>(bytes_.size()), static_cast<std::uint32_t>(opus.size())});
  bytes_.append(reinterpret_cast<const char*>(opus.data()), opus.size());
}

voice_stats voice_recorder::stats() const {
  voice_stats s = stats_;
  s.jitter_p50_ms = percentile(jitter_ms_, 0.50);
  s.jitter_p99_ms = percentile(jitter_ms_, 0.99);
  s.lateness_p50_ms = percentile(lateness_ms_, 0.50);
  s.lateness_p99_ms = percentile(lateness_ms_, 0.99);
  s.recorded = std::chrono::milliseconds(frames_.empty() ? 0 : (end_ts_ - first_ts_) / samples_per_ms);
  return s;
}

std::vector<std::int16_t> voice_recorder::render() const {
  std::vector<std::int16_t> pcm;
  if (frames_.empty()) return pcm;
  auto decoder = audio::opus_decoder::create(audio::channel_count);
  if (!decoder) return pcm;
  std::vector<std::size_t> order(frames_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return frames_[a].ts < frames_[b].ts; });

  constexpr std::size_t chunk = audio::frame_samples;
  std::vector<std::int16_t> buf(audio::max_opus_packet_samples * audio::channel_count);
  std::vector<float> fbuf(chunk * audio::channel_count);
  std::int64_t pos = frames_[order.front()].ts;  // next expected timestamp
  for (auto i : order) {
    const auto& f = frames_[i];
    std::int64_t gap = f.ts - pos;
    if (gap > 0) {
      if (gap <= static_cast<std::int64_t>(chunk) * 50) {
        // Packet loss: let the decoder continue the signal.
        while (gap > 0) {
          const auto n = static_cast<std::size_t>(std::min<std::int64_t>(gap, chunk)) / 120 * 120;
          if (n == 0) break;
          auto got = decoder->conceal(fbuf, n);
          if (!got) break;
          const std::size_t old = pcm.size();
          pcm.resize(old + *got * audio::channel_count);
          audio::float_to_int16(std::span<const float>(fbuf.data(), *got * audio::channel_count),
                                std::span<std::int16_t>(pcm.data() + old, *got * audio::channel_count));
          gap -= static_cast<std::int64_t>(*got);
        }
      } else {
        const auto n = std::min<std::int64_t>(gap, std::int64_t{audio::sample_rate} * max_gap_seconds);
        pcm.resize(pcm.size() + static_cast<std::size_t>(n) * audio::channel_count, 0);
      }
    } else if (gap < 0) {
      continue;  // overlaps audio already rendered (a duplicate timestamp)
    }
    std::span<const std::uint8_t> packet(reinterpret_cast<const std::uint8_t*>(bytes_.data()) + f.offset, f.size);
    auto got = decoder->decode(packet, std::span<std::int16_t>(buf));
    if (!got) continue;
    pcm.insert(pcm.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*got * audio::channel_count));
    pos = f.ts + static_cast<std::int64_t>(*got);
  }
  return pcm;
}

}  // namespace vb::fake::detail
