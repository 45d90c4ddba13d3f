#include "session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>

#include "vectobeat/common/json.hpp"
#include "vectobeat/lavalink/message.hpp"

namespace vb::node::detail {

namespace {
constexpr std::int32_t frames_per_minute = 3000;
}

session::session(std::shared_ptr<node_state> st, std::string id, std::uint64_t user_id, std::string client_name)
    : st_(std::move(st)),
      id_(std::move(id)),
      user_id_(user_id),
      client_name_(std::move(client_name)),
      strand_(asio::make_strand(st_->io)) {}

session::~session() = default;

void session::send(std::string text, bool queue_while_paused) {
  if (ws_ && ws_->is_open()) {
    ws_->send_text(std::move(text));
    return;
  }
  if ((paused_ || claimed_) && queue_while_paused && st_->config.resume_buffer_messages > 0) {
    if (queued_.size() >= st_->config.resume_buffer_messages) queued_.pop_front();
    queued_.push_back(std::move(text));
  }
}

void session::update(const lavalink::session_update& u) {
  if (u.resuming) resuming_ = *u.resuming;
  if (u.timeout) timeout_s_ = *u.timeout;
}

std::shared_ptr<player> session::find_player(std::uint64_t guild) {
  auto it = players_.find(guild);
  return it == players_.end() ? nullptr : it->second;
}

std::shared_ptr<player> session::get_or_create_player(std::uint64_t guild) {
  if (auto p = find_player(guild)) return p;
  if (players_.size() >= st_->config.max_players_per_session) return nullptr;
  auto p = std::make_shared<player>(st_, weak_from_this(), guild);
  p->start();
  players_.emplace(guild, p);
  return p;
}

void session::destroy_player(std::uint64_t guild) {
  auto it = players_.find(guild);
  if (it == players_.end()) return;
  auto p = it->second;
  players_.erase(it);
  p->destroy(this);
}

std::optional<lavalink::frame_stats> session::frame_stats() const {
  std::int64_t sent = 0, nulled = 0, usable = 0;
  for (auto& [g, p] : players_) {
    if (!p->playing()) continue;
    const auto c = p->data_plane().last_minute();
    if (!c.usable) continue;
    sent += c.sent;
    nulled += c.nulled;
    ++usable;
  }
  if (usable == 0) return std::nullopt;
  lavalink::frame_stats fs;
  fs.sent = static_cast<std::int32_t>(sent / usable);
  fs.nulled = static_cast<std::int32_t>(nulled / usable);
  fs.deficit = frames_per_minute - (fs.sent + fs.nulled);
  return fs;
}

bool session::try_claim_for_resume() {
  std::shared_ptr<net::websocket> stale;
  {
    std::lock_guard lk(mu);
    if (closed_ || claimed_ || !resuming_) return false;
    // A client presenting its Session-Id knows its old socket is gone, even when we have not
    // noticed yet (the reconnect can overtake the close): that socket is dropped.
    if (!paused_) {
      if (!ws_) return false;
      stale = ws_;
    }
    claimed_ = true;
  }
  if (stale) stale->abort();
  return true;
}

void session::send_stats() {
  auto stats = st_->node_stats();  // takes every session's lock in turn: not while holding ours
  std::lock_guard lk(mu);
  if (closed_) return;
  stats.frame_stats = frame_stats();
  lavalink::stats_message m;
  m.stats = stats;
  send(json::serialize(lavalink::to_json(lavalink::message{m})));
}

task<void> session::run(std::shared_ptr<net::websocket> ws, bool resumed) {
  auto self = shared_from_this();
  std::uint64_t conn = 0;
  {
    std::lock_guard lk(mu);
    if (closed_) {
      ws->close(4000, "Session expired");
      co_return;
    }
    ws_ = ws;
    conn = ++conn_gen_;
    paused_ = false;
    claimed_ = false;
    ++pause_gen_;
    if (resume_timer_) resume_timer_->cancel();
    lavalink::ready_message ready;
    ready.resumed = resumed;
    ready.session_id = id_;
    ws->send_text(json::serialize(lavalink::to_json(lavalink::message{ready})));
    if (resumed) {
      for (auto& q : queued_) ws->send_text(std::move(q));
      for (auto& [g, p] : players_) p->send_update(*this);
    }
    queued_.clear();
  }
  st_->log.info("session {} {} (client '{}', user {})", id_, resumed ? "resumed" : "connected", client_name_, user_id_);
  send_stats();
  auto stats_loop = run_stats(self, conn);
  asio::co_spawn(strand_, std::move(stats_loop), asio::detached);
  for (;;) {
    auto m = co_await ws->read();
    if (!m) break;
    st_->log.debug("session {}: ignoring a client message (Lavalink v4 does not support websocket messages)", id_);
  }
  on_disconnect(ws);
}

task<void> session::run_stats(std::shared_ptr<session> self, std::uint64_t conn) {
  auto timer = std::shared_ptr<vb::timer>(self->st_->clock.make_timer(self->strand_));
  {
    std::lock_guard lk(self->mu);
    if (self->conn_gen_ != conn || !self->ws_) co_return;
    self->stats_timer_ = timer;
  }
  while (co_await timer->wait_for(self->st_->config.stats_interval)) {
    {
      std::lock_guard lk(self->mu);
      if (self->conn_gen_ != conn || !self->ws_ || self->closed_) co_return;
    }
    self->send_stats();
  }
}

void session::on_disconnect(const std::shared_ptr<net::websocket>& ws) {
  std::vector<std::shared_ptr<player>> doomed;
  {
    std::lock_guard lk(mu);
    if (ws_ != ws) return;  // a resumed connection took over
    ws_.reset();
    if (stats_timer_) stats_timer_->cancel();
    if (closed_) return;
    if (resuming_ && !st_->stopping.load()) {
      paused_ = true;
      const auto gen = ++pause_gen_;
      st_->log.info("session {} disconnected; resumable for {} s", id_, timeout_s_);
      auto t = run_resume_timeout(shared_from_this(), gen);
      asio::co_spawn(strand_, std::move(t), asio::detached);
      return;
    }
    closed_ = true;
    for (auto& [g, p] : players_) doomed.push_back(p);
    players_.clear();
    for (auto& p : doomed) p->destroy(nullptr);
  }
  st_->log.info("session {} closed; {} player(s) destroyed", id_, doomed.size());
  st_->remove_session(id_);
}

task<void> session::run_resume_timeout(std::shared_ptr<session> self, std::uint64_t pause_gen) {
  auto timer = std::shared_ptr<vb::timer>(self->st_->clock.make_timer(self->strand_));
  std::chrono::seconds timeout{0};
  {
    std::lock_guard lk(self->mu);
    self->resume_timer_ = timer;
    timeout = std::chrono::seconds(self->timeout_s_);
  }
  const bool expired = co_await timer->wait_for(timeout);
  if (!expired) co_return;
  {
    std::lock_guard lk(self->mu);
    if (!self->paused_ || self->pause_gen_ != pause_gen || self->closed_) co_return;
    self->closed_ = true;
    self->queued_.clear();
    for (auto& [g, p] : self->players_) p->destroy(nullptr);
    self->players_.clear();
  }
  self->st_->log.info("session {} was not resumed within {} s; its players are destroyed", self->id_, timeout.count());
  self->st_->remove_session(self->id_);
}

void session::shutdown() {
  std::lock_guard lk(mu);
  closed_ = true;
  if (ws_) ws_->close(1001, "Node shutting down");
  if (stats_timer_) stats_timer_->cancel();
  if (resume_timer_) resume_timer_->cancel();
  for (auto& [g, p] : players_) p->destroy(nullptr);
  players_.clear();
  queued_.clear();
}

}  // namespace vb::node::detail
