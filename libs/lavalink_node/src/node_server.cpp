#include "vectobeat/node/node_server.hpp"

#include "node_state.hpp"
#include "rest_api.hpp"
#include "session.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::node {

struct node_server::impl {
  std::shared_ptr<detail::node_state> st;
  std::unique_ptr<net::http_server> http;
  bool stopped = false;
};

node_server::node_server(asio::any_io_executor io, clock& clk, node_config config, scheduler_options sched)
    : impl_(std::make_unique<impl>()) {
  if (sched.workers <= 0) sched.workers = config.effective_workers();
  impl_->st = std::make_shared<detail::node_state>(io, clk, std::move(config), std::move(sched));
  impl_->st->scheduler->start();
  net::server_options so;
  so.name = "node";
  so.default_headers.set("Lavalink-Api-Version", "4");
  so.limits.max_body_bytes = 4u << 20;  // decodetracks with many tracks
  so.limits.ws_idle_timeout = std::chrono::seconds(90);  // clients ping every 30 s; stats every 60 s
  std::weak_ptr<detail::node_state> weak = impl_->st;
  auto on_request = [weak](net::http_request& req) -> task<net::http_response> {
    auto st = weak.lock();
    if (!st) co_return net::http_response::error(503, "Node stopped", std::string(req.path()));
    co_return co_await detail::handle_rest(std::move(st), req);
  };
  auto on_upgrade = [weak](net::http_request& req) -> task<net::upgrade_result> {
    auto st = weak.lock();
    if (!st) co_return net::http_response::error(503, "Node stopped", std::string(req.path()));
    co_return co_await detail::handle_upgrade(std::move(st), req);
  };
  impl_->http = std::make_unique<net::http_server>(io, so, std::move(on_request), std::move(on_upgrade));
  auto& cfg = impl_->st->config;
  for (auto s : {source_youtube, source_soundcloud})
    if (cfg.source_enabled(s) && cfg.resolver_command.empty())
      impl_->st->log.warn("source '{}' is enabled but no resolver_command is configured: loading it answers with an error",
                          s);
  if (cfg.source_enabled(source_spotify) && !cfg.spotify.has_credentials())
    impl_->st->log.warn("source 'spotify' is enabled but spotify.client_id/client_secret are not set");
}

node_server::~node_server() { stop(); }

std::uint16_t node_server::listen(const std::string& address, std::uint16_t port) {
  return impl_->http->listen(address, port);
}

std::uint16_t node_server::port() const { return impl_->http->port(); }

void node_server::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->st->stop();
  impl_->http->stop();
}

std::size_t node_server::session_count() const {
  std::lock_guard lk(impl_->st->sessions_mu);
  return impl_->st->sessions.size();
}

std::size_t node_server::player_count() const {
  std::vector<std::shared_ptr<detail::session>> all;
  {
    std::lock_guard lk(impl_->st->sessions_mu);
    for (auto& [id, s] : impl_->st->sessions) all.push_back(s);
  }
  std::size_t n = 0;
  for (auto& s : all) {
    std::lock_guard lk(s->mu);
    n += s->players().size();
  }
  return n;
}

scheduler_stats node_server::frame_stats() const { return impl_->st->scheduler->stats(); }
void node_server::reset_frame_stats() { impl_->st->scheduler->reset_stats(); }

node_server::frame_totals node_server::totals() const {
  std::vector<std::shared_ptr<detail::session>> all;
  {
    std::lock_guard lk(impl_->st->sessions_mu);
    for (auto& [id, s] : impl_->st->sessions) all.push_back(s);
  }
  frame_totals t;
  for (auto& s : all) {
    std::lock_guard lk(s->mu);
    for (auto& [g, p] : s->players()) {
      t.sent += p->data_plane().frames_sent();
      t.nulled += p->data_plane().frames_nulled();
      if (p->data_plane().passthrough_active()) ++t.passthrough_players;
    }
  }
  return t;
}

}  // namespace vb::node
