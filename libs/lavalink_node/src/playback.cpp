#include "vectobeat/node/playback.hpp"

#include <algorithm>
#include <new>

namespace vb::node {

namespace {
constexpr std::size_t unknown_rate_frame_bytes = 512;  // ring budget per frame when the bitrate is unknown
constexpr std::size_t smallest_frame_budget = 128;     // ring budget per frame at low bitrates
constexpr std::size_t largest_frame_bytes = 1400;      // voice::max_opus_frame_bytes
constexpr auto counter_gap = std::chrono::milliseconds(100);  // a longer pause spoils the minute
constexpr std::int64_t samples_per_frame = 960;

lavalink::exception_info decode_exception(audio::audio_error e) {
  lavalink::exception_info x;
  switch (e) {
    case audio::audio_error::io_error:
      x.message = "The media stream failed while playing";
      x.severity = lavalink::exception_severity::suspicious;
      break;
    case audio::audio_error::invalid_data:
      x.message = "The media is corrupt or truncated";
      x.severity = lavalink::exception_severity::suspicious;
      break;
    default:
      x.message = "Something broke when playing the track";
      x.severity = lavalink::exception_severity::fault;
      break;
  }
  x.cause = "vb::audio::audio_error: " + std::string(audio::to_string(e));
  x.cause_stack_trace = x.cause;
  return x;
}
}  // namespace

std::size_t frame_ring_bytes(std::size_t frames, std::int64_t bitrate_bps) noexcept {
  // Twice the average frame: VBR frames vary around the average (transients, not whole
  // seconds), and a ring that is full by bytes first only runs ahead less, never overflows.
  const std::size_t per_frame =
      bitrate_bps > 0 ? std::clamp<std::size_t>(static_cast<std::size_t>(bitrate_bps) / 8 / 50 * 2, smallest_frame_budget,
                                                largest_frame_bytes)
                      : unknown_rate_frame_bytes;
  return std::max<std::size_t>(frames, 2) * per_frame + largest_frame_bytes;
}

std::size_t feed_gate_bytes(std::int64_t bitrate_bps) noexcept {
  constexpr std::size_t low = 4 * 1024, high = 48 * 1024;
  if (bitrate_bps <= 0) return high;
  return std::clamp<std::size_t>(static_cast<std::size_t>(bitrate_bps / 16), low, high);
}

void open_cancel::cancel() {
  feeds_.trip([](media_feed& f) { f.close(); });
}

bool open_cancel::cancelled() const { return feeds_.tripped(); }

void open_cancel::attach(std::shared_ptr<media_feed> feed) {
  feeds_.add(feed, [](media_feed& f) { f.close(); });
}

playback::playback(playback_options options, std::shared_ptr<playback_listener> listener)
    : options_(options),
      listener_(std::move(listener)),
      ring_(std::max<std::size_t>(options.max_frames, 2), frame_ring_bytes(options.max_frames, options.opus_bitrate)) {}

playback::~playback() = default;

void playback::set_sink(std::shared_ptr<frame_sink> sink) {
  if (speaking_ && sink_) sink_->set_speaking(false);
  speaking_ = false;
  sink_ = std::move(sink);
}

void playback::reset_track_state() noexcept {
  ring_.clear();
  media_.reset();
  decode_done_ = false;
  chain_flushed_ = false;
  produced_any_ = false;
  passthrough_disabled_ = false;
  stuck_reported_ = false;
  starved_ticks_ = 0;
  exception_.reset();
  queued_seek_.reset();
  end_ms_.reset();
  if (chain_) chain_->reset();
  if (encoder_) encoder_->reset();
  passthrough_active_.store(false, std::memory_order_relaxed);
}

void playback::begin(std::uint64_t generation, steady_time now) {
  reset_track_state();
  generation_ = generation;
  state_ = state::loading;
  last_progress_ = now;
  position_.store(0, std::memory_order_release);
  playing_.store(!paused_, std::memory_order_release);
}

std::optional<playback::seek_job> playback::load(std::uint64_t generation, std::unique_ptr<track_media> media,
                                                 steady_time now) {
  if (generation != generation_ || state_ != state::loading || !media) return std::nullopt;  // stale: media dies here
  media_ = std::move(media);
  state_ = state::playing;
  last_progress_ = now;
  size_ring();
  const auto start = media_->decoder.position().count();
  position_.store(start, std::memory_order_release);
  if (queued_seek_) {
    const auto target = *queued_seek_;
    queued_seek_.reset();
    state_ = state::seeking;
    return seek_job{std::move(media_), target, generation_};
  }
  pending_seek_ms_.store(-1, std::memory_order_release);
  return std::nullopt;
}

void playback::fail(std::uint64_t generation, lavalink::exception_info exception) {
  if (generation != generation_ || state_ != state::loading) return;
  end_track(lavalink::track_end_reason::load_failed, std::move(exception));
}

void playback::stop() {
  reset_track_state();
  state_ = state::idle;
  playing_.store(false, std::memory_order_release);
  pending_seek_ms_.store(-1, std::memory_order_release);
  set_speaking(false);
}

void playback::set_paused(bool paused) {
  paused_ = paused;
  playing_.store(state_ != state::idle && !paused_, std::memory_order_release);
  if (paused) set_speaking(false);
}

void playback::set_end_time(std::optional<std::int64_t> end_ms) { end_ms_ = end_ms; }

void playback::configure(const audio::filter_settings& settings, int volume) {
  filter_settings_ = settings;
  volume_ = std::clamp(volume, 0, 1000);
  if (!identity() && !chain_) {
    audio::filter_chain_options o;
    o.player_volume_curve = audio::volume_curve::lavaplayer;
    chain_.emplace(o);
  }
  if (chain_) {
    chain_->configure(filter_settings_);
    chain_->set_player_volume(volume_);
  }
}

std::optional<playback::seek_job> playback::request_seek(std::uint64_t generation, std::int64_t position_ms) {
  if (generation != generation_) return std::nullopt;
  if (state_ == state::seeking || state_ == state::loading) {
    queued_seek_ = position_ms;
    return std::nullopt;
  }
  if (state_ != state::playing || !media_) return std::nullopt;
  state_ = state::seeking;
  return seek_job{std::move(media_), position_ms, generation};
}

std::optional<playback::seek_job> playback::finish_seek(seek_job done, bool ok, steady_time now) {
  if (done.generation != generation_ || state_ != state::seeking) return std::nullopt;  // media dies here
  media_ = std::move(done.media);
  state_ = state::playing;
  if (queued_seek_) {
    auto next = *queued_seek_;
    queued_seek_.reset();
    state_ = state::seeking;
    return seek_job{std::move(media_), next, generation_};
  }
  if (ok) {
    ring_.clear();
    if (chain_) chain_->reset();
    decode_done_ = false;
    chain_flushed_ = false;
    position_.store(media_->decoder.position().count(), std::memory_order_release);
  }
  pending_seek_ms_.store(-1, std::memory_order_release);
  last_progress_ = now;
  stuck_reported_ = false;
  return std::nullopt;
}

std::int64_t playback::position_ms() const noexcept {
  const auto pending = pending_seek_ms_.load(std::memory_order_acquire);
  if (pending >= 0) return pending;
  return position_.load(std::memory_order_acquire);
}

frame_counts playback::last_minute() const noexcept {
  return {last_sent_.load(std::memory_order_relaxed), last_nulled_.load(std::memory_order_relaxed),
          last_usable_.load(std::memory_order_relaxed)};
}

void playback::set_speaking(bool on) noexcept {
  if (speaking_ == on || !sink_) return;
  speaking_ = on;
  try {
    sink_->set_speaking(on);
  } catch (...) {  // posting failed (allocation): the next frame announces speaking anyway
  }
}

void playback::count(bool sent, steady_time now) noexcept {
  const std::int64_t minute = std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
  const bool gap = last_count_ == steady_time{} || now - last_count_ > counter_gap;
  if (minute != minute_) {
    const bool consecutive = minute_ >= 0 && minute == minute_ + 1;
    last_sent_.store(consecutive ? cur_sent_ : 0, std::memory_order_relaxed);
    last_nulled_.store(consecutive ? cur_nulled_ : 0, std::memory_order_relaxed);
    last_usable_.store(consecutive && !cur_interrupted_ && !gap, std::memory_order_relaxed);
    minute_ = minute;
    cur_sent_ = 0;
    cur_nulled_ = 0;
    cur_interrupted_ = gap;
  } else if (gap) {
    cur_interrupted_ = true;
  }
  last_count_ = now;
  if (sent) {
    ++cur_sent_;
    total_sent_.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++cur_nulled_;
    total_nulled_.fetch_add(1, std::memory_order_relaxed);
  }
}

void playback::tick(steady_time now) noexcept {
  if (state_ == state::idle) return;
  if (paused_ || !sink_ || !sink_->ready()) {
    // Not polled (Lavalink counts nothing then): no nulled frames, no stuck timer.
    last_progress_ = now;
    return;
  }
  if (!ring_.empty()) {
    const auto f = ring_.front();
    (void)sink_->send_opus(f.data);  // a full or closed sink drops the frame; the clock goes on
    speaking_ = true;
    starved_ticks_ = 0;
    position_.store(f.position_ms, std::memory_order_release);
    ring_.pop();
    count(true, now);
    last_progress_ = now;
    stuck_reported_ = false;
    return;
  }
  if (state_ == state::playing && decode_done_) {
    end_track(produced_any_ ? lavalink::track_end_reason::finished : lavalink::track_end_reason::load_failed,
              std::move(exception_));
    return;
  }
  if (state_ == state::playing) count(false, now);
  if (++starved_ticks_ >= options_.speaking_grace_frames) set_speaking(false);
  if (!stuck_reported_ && now - last_progress_ >= options_.stuck_threshold) {
    stuck_reported_ = true;
    if (listener_) listener_->on_track_stuck(generation_, options_.stuck_threshold);
  }
}

void playback::end_track(lavalink::track_end_reason reason, std::optional<lavalink::exception_info> exception) noexcept {
  const auto gen = generation_;
  reset_track_state();
  state_ = state::idle;
  playing_.store(false, std::memory_order_release);
  set_speaking(false);
  if (listener_) {
    try {
      listener_->on_track_end(gen, reason, std::move(exception));
    } catch (...) {
    }
  }
}

void playback::size_ring() noexcept {
  // Encoded frames come at the configured bitrate; passed-through ones at the track's (a track
  // may switch between the two at any frame, so the ring fits both).
  auto want = frame_ring_bytes(options_.max_frames, options_.opus_bitrate);
  if (media_->decoder.opus_passthrough_available())
    want = std::max(want, frame_ring_bytes(options_.max_frames, media_->decoder.info().bitrate));
  if (want == ring_.capacity_bytes()) return;
  try {
    ring_.reset_capacity(want);
  } catch (const std::bad_alloc&) {  // the current ring still works, with less run-ahead
  }
}

bool playback::identity() const noexcept { return volume_ == 100 && !filter_settings_.any_enabled(); }

bool playback::wants_frame() const noexcept {
  return state_ == state::playing && !decode_done_ && media_ && !ring_.full() && ring_.fits(largest_frame_bytes) &&
         media_->readable();
}

void playback::decode_failed(audio::audio_error e) noexcept {
  try {
    exception_ = decode_exception(e);
  } catch (...) {
  }
  decode_done_ = true;
}

bool playback::ensure_encoder() noexcept {
  if (encoder_) return true;
  audio::opus_encoder_options o;
  o.complexity = options_.opus_complexity;
  o.bitrate = options_.opus_bitrate;
  auto e = audio::opus_encoder::create(o);
  if (!e) {
    decode_failed(e.error());
    return false;
  }
  encoder_.emplace(std::move(*e));
  return true;
}

void playback::produce(worker_scratch& scratch) noexcept {
  if (!wants_frame()) return;
  if (!passthrough_disabled_ && identity() && media_->decoder.opus_passthrough_available()) {
    if (produce_passthrough()) return;
  }
  passthrough_active_.store(false, std::memory_order_relaxed);
  produce_decoded(scratch);
}

bool playback::produce_passthrough() noexcept {
  audio::opus_packet pkt;
  auto r = media_->decoder.next_opus_packet(pkt);
  if (!r) {
    decode_failed(r.error());
    return true;
  }
  if (*r == audio::read_status::end_of_stream) {
    decode_done_ = true;
    return true;
  }
  if (pkt.samples != samples_per_frame || pkt.data.size() > largest_frame_bytes || pkt.data.empty()) {
    // Not a plain 20 ms frame: this track is transcoded from here on (the decoder re-primes).
    passthrough_disabled_ = true;
    return false;
  }
  const auto pos = pkt.position.count();
  if (end_ms_ && pos >= *end_ms_) {
    decode_done_ = true;
    return true;
  }
  passthrough_active_.store(true, std::memory_order_relaxed);
  ring_.push(pkt.data, pos);
  produced_any_ = true;
  return true;
}

void playback::produce_decoded(worker_scratch& scratch) noexcept {
  auto& dec = media_->decoder;
  audio::pcm_frame_view in(scratch.pcm_in);
  audio::pcm_frame_view out(scratch.pcm_out);
  std::int64_t pos = dec.position().count();
  const bool filtered = !identity();
  if (filtered && !chain_) configure(filter_settings_, volume_);  // creates the chain
  if (filtered || (chain_ && chain_->ready_frames() > 0)) {
    // Feed decoded frames until the chain has a whole output frame (timescale may need several).
    while (!chain_->pull(out)) {
      if (chain_flushed_) {
        decode_done_ = true;
        return;
      }
      pos = dec.position().count();
      if (end_ms_ && pos >= *end_ms_) {
        chain_->flush();
        chain_flushed_ = true;
        continue;
      }
      auto r = dec.read_frame(in);
      if (!r) {
        decode_failed(r.error());
        return;
      }
      if (*r == audio::read_status::end_of_stream) {
        chain_->flush();
        chain_flushed_ = true;
        continue;
      }
      chain_->process(in);
    }
  } else {
    if (end_ms_ && pos >= *end_ms_) {
      decode_done_ = true;
      return;
    }
    auto r = dec.read_frame(out);
    if (!r) {
      decode_failed(r.error());
      return;
    }
    if (*r == audio::read_status::end_of_stream) {
      decode_done_ = true;
      return;
    }
  }
  if (!ensure_encoder()) return;
  auto n = encoder_->encode(out, scratch.packet);
  if (!n) {
    decode_failed(n.error());
    return;
  }
  ring_.push(std::span<const std::uint8_t>(scratch.packet.data(), *n), pos);
  produced_any_ = true;
}

}  // namespace vb::node
