#include "vectobeat/lavalink_client/player.hpp"

#include <algorithm>
#include <cmath>

namespace vb::llc {

// ------------------------------------------------------------------ voice

std::optional<lavalink::voice_state> player::on_voice_state(std::string session_id,
                                                            std::optional<std::uint64_t> channel_id) {
  const bool changed = session_id != session_id_ || channel_id != channel_id_;
  session_id_ = std::move(session_id);
  channel_id_ = channel_id;
  if (!channel_id_) {
    connected_ = false;
    ping_ = -1;
  }
  // Joining or moving also brings a VOICE_SERVER_UPDATE with a fresh token; sending here
  // covers the order "server update first, state update second" and a changed session.
  if (!changed) return std::nullopt;
  return voice();
}

std::optional<lavalink::voice_state> player::on_voice_server(std::string token, std::optional<std::string> endpoint) {
  token_ = std::move(token);
  endpoint_ = std::move(endpoint);
  if (endpoint_ && endpoint_->empty()) endpoint_.reset();
  return voice();
}

std::optional<lavalink::voice_state> player::voice() const {
  if (session_id_.empty() || !channel_id_ || token_.empty() || !endpoint_) return std::nullopt;
  return lavalink::voice_state{token_, *endpoint_, session_id_, std::to_string(*channel_id_)};
}

// ------------------------------------------------------------------ desired state

void player::set_position(std::int64_t position) {
  position_ = std::max<std::int64_t>(0, position);
  position_at_ = clk_->now();
  stalled_ = false;
}

void player::set_track(lavalink::track t, std::int64_t start_position, bool paused, std::optional<std::int64_t> end_time) {
  track_ = std::move(t);
  last_ended_.reset();
  replay_of_.reset();
  paused_ = paused;
  end_time_ = end_time;
  set_position(start_position);
}

void player::clear_track() {
  track_.reset();
  replay_of_.reset();
  end_time_.reset();
  set_position(0);
}

void player::set_paused(bool paused) {
  set_position(position());
  paused_ = paused;
}

void player::set_filters(lavalink::filters f) {
  set_position(position());
  filters_ = std::move(f);
}

void player::seek(std::int64_t position) { set_position(position); }

// ------------------------------------------------------------------ reported state

void player::apply(const lavalink::player& p) {
  // The answer never changes which track the bot wants: a track that failed at once
  // still ends through TrackEndEvent, and that event decides the advance.
  if (p.track && track_ && p.track->encoded == track_->encoded) set_position(p.state.position);
  connected_ = p.state.connected;
  ping_ = p.state.ping;
}

void player::apply(const lavalink::player_state& s) {
  if (track_) set_position(s.position);
  connected_ = s.connected;
  ping_ = s.ping;
}

void player::on_track_start(const lavalink::track& t) {
  if (!track_ || track_->encoded != t.encoded) {
    // The node plays something we did not ask for in this process (resumed session):
    // adopt it so the bot sees what is playing.
    lavalink::track adopted = t;
    if (track_) adopted.user_data = track_->user_data;
    track_ = std::move(adopted);
    last_ended_.reset();
    set_position(t.info.position);
    return;
  }
  set_position(position_);  // the clock starts now, not when the PATCH was sent
}

end_decision player::on_track_end(const lavalink::track& t, lavalink::track_end_reason reason) {
  if (track_ && track_->encoded == t.encoded) {
    track_.reset();
    end_time_.reset();
    replay_of_.reset();
    last_ended_ = t.encoded;
    set_position(0);
    return {true, lavalink::may_start_next(reason)};
  }
  if (last_ended_ && *last_ended_ == t.encoded) return {false, false};  // duplicate (resume replay)
  // The end of a track the bot already replaced or stopped: informational only.
  return {true, false};
}

std::int64_t player::position() const {
  if (!track_) return 0;
  std::int64_t pos = position_;
  if (!paused_ && !stalled_) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clk_->now() - position_at_).count();
    double rate = 1.0;
    if (filters_.timescale) rate = filters_.timescale->speed * filters_.timescale->rate;
    if (!std::isfinite(rate) || rate < 0) rate = 1.0;
    pos += static_cast<std::int64_t>(static_cast<double>(std::max<std::int64_t>(0, elapsed)) * rate);
  }
  if (!track_->info.is_stream && track_->info.length > 0 && track_->info.length != lavalink::unknown_length)
    pos = std::min(pos, track_->info.length);
  return std::max<std::int64_t>(0, pos);
}

// ------------------------------------------------------------------ moving

void player::on_node_lost(std::chrono::milliseconds rewind) {
  if (!track_) return;
  const bool seekable = track_->info.is_seekable && !track_->info.is_stream;
  set_position(seekable ? position() - rewind.count() : 0);
  stalled_ = true;
}

lavalink::player_update player::restore_update(bool replay) {
  lavalink::player_update u;
  if (auto v = voice()) u.voice = *v;
  if (track_) {
    lavalink::track_update t;
    t.encoded = std::optional<std::string>(track_->encoded);
    t.user_data = track_->user_data;
    u.track = std::move(t);
    const bool seekable = track_->info.is_seekable && !track_->info.is_stream;
    const auto at = seekable ? position() : 0;
    if (at > 0) u.position = at;
    if (end_time_) u.end_time = std::optional<std::int64_t>(*end_time_);
    set_position(at);
    stalled_ = true;  // until the node reports (playerUpdate, PATCH answer, TrackStart)
    if (replay) replay_of_ = track_->encoded;
  }
  u.paused = paused_;
  u.volume = volume_;
  if (!filters_.empty()) u.filters = filters_;
  return u;
}

bool player::take_replay_flag(const lavalink::track& t) {
  if (!replay_of_ || *replay_of_ != t.encoded) return false;
  replay_of_.reset();
  return true;
}

player_snapshot player::snapshot(std::string node_name) const {
  player_snapshot s;
  s.guild_id = guild_id_;
  s.node = std::move(node_name);
  s.track = track_;
  s.position = position();
  s.paused = paused_;
  s.volume = volume_;
  s.filters = filters_;
  s.end_time = end_time_;
  s.connected = connected_;
  s.ping = ping_;
  s.channel_id = channel_id_;
  return s;
}

void player::load(const player_snapshot& s) {
  track_ = s.track;
  last_ended_.reset();
  replay_of_.reset();
  paused_ = s.paused;
  volume_ = std::clamp(s.volume, 0, max_volume);
  filters_ = s.filters;
  end_time_ = s.end_time;
  set_position(s.position);
}

}  // namespace vb::llc
