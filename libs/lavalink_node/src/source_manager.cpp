#include "vectobeat/node/source_manager.hpp"

#include "sources/http_source.hpp"
#include "sources/local_source.hpp"
#include "sources/resolver_source.hpp"
#include "sources/source_util.hpp"
#include "sources/spotify_source.hpp"

namespace vb::node {

lavalink::source_layout spotify_layout() {
  using lavalink::detail_kind;
  return {std::string(source_spotify),
          {detail_kind::nullable_utf, detail_kind::nullable_utf, detail_kind::nullable_utf, detail_kind::nullable_utf,
           detail_kind::nullable_utf, detail_kind::boolean}};
}

struct source_manager::impl {
  std::shared_ptr<detail::source_context> ctx;
  std::shared_ptr<detail::spotify_client> spotify;
};

source_manager::source_manager(asio::any_io_executor io, asio::any_io_executor loader, node_config config)
    : impl_(std::make_shared<impl>()) {
  auto ctx = std::make_shared<detail::source_context>();
  ctx->io = io;
  ctx->loader = std::move(loader);
  ctx->http = std::make_shared<http_media>(io, config);
  ctx->registry = lavalink::source_registry::with_builtin_sources();
  ctx->registry.add(spotify_layout());
  ctx->config = std::move(config);
  if (ctx->config.spotify.has_credentials()) log::add_secret(ctx->config.spotify.client_secret);
  impl_->spotify = detail::make_spotify_client(ctx);
  impl_->ctx = std::move(ctx);
}

source_manager::~source_manager() = default;

std::vector<std::string> source_manager::enabled_sources() const {
  std::vector<std::string> out;
  for (auto name : {source_youtube, source_soundcloud, source_spotify, source_http, source_local})
    if (impl_->ctx->config.source_enabled(name)) out.emplace_back(name);
  return out;
}

const lavalink::source_registry& source_manager::registry() const { return impl_->ctx->registry; }

task<lavalink::load_result> source_manager::load(std::string identifier) {
  auto self = impl_;  // keeps the context alive across suspensions
  auto& ctx = self->ctx;
  const auto& cfg = ctx->config;
  // Trim like Lavalink does with the query parameter.
  while (!identifier.empty() && (identifier.front() == ' ' || identifier.front() == '\t')) identifier.erase(0, 1);
  while (!identifier.empty() && (identifier.back() == ' ' || identifier.back() == '\t')) identifier.pop_back();
  if (identifier.empty()) co_return lavalink::load_result{};
  if (ctx->shut_down())
    co_return detail::error_result(source_error{node_error::cancelled, "The node is shutting down"});
  try {
    if (auto rs = detail::resolver_source_of(identifier)) {
      if (cfg.source_enabled(*rs)) co_return co_await detail::load_resolver(ctx, std::string(*rs), identifier);
      if (!detail::is_http_url(identifier)) co_return lavalink::load_result{};
    }
    if (detail::is_spotify_identifier(identifier)) {
      if (cfg.source_enabled(source_spotify)) co_return co_await detail::load_spotify(ctx, self->spotify, identifier);
      if (!detail::is_http_url(identifier)) co_return lavalink::load_result{};
    }
    if (detail::is_http_url(identifier)) {
      if (cfg.source_enabled(source_http)) {
        auto cancel = std::make_shared<open_cancel>();  // shutdown() ends the probe early
        ctx->track(cancel);
        co_return co_await detail::load_http(ctx, identifier, cancel);
      }
      co_return lavalink::load_result{};
    }
    if (detail::is_local_identifier(identifier) && cfg.source_enabled(source_local))
      co_return co_await detail::load_local(ctx, identifier);
  } catch (const std::exception& e) {
    ctx->log.error("loading failed unexpectedly: {}", e.what());
    co_return detail::error_result(detail::make_exception("Something went wrong while loading the track",
                                                          lavalink::exception_severity::fault, e.what()));
  }
  co_return lavalink::load_result{};
}

task<expected<std::unique_ptr<track_media>, lavalink::exception_info>> source_manager::open(
    lavalink::decoded_track track, std::int64_t start_ms, std::shared_ptr<open_cancel> cancel) {
  auto self = impl_;
  auto& ctx = self->ctx;
  if (!cancel) cancel = std::make_shared<open_cancel>();
  ctx->track(cancel);
  const auto& name = track.info.source_name;
  expected<std::unique_ptr<track_media>, source_error> r =
      unexpected(source_error{node_error::source_disabled, "The track's source (" + name + ") is not enabled"});
  try {
    if (!ctx->config.source_enabled(name)) {
      // fall through with source_disabled
    } else if (cancel->cancelled()) {
      r = unexpected(detail::cancelled_error());  // replaced already, or the node is stopping
    } else if (name == source_http) {
      r = co_await detail::open_http(ctx, track.info.uri.value_or(track.info.identifier), net::header_map{}, start_ms,
                                     cancel);
    } else if (name == source_local) {
      r = co_await detail::open_local(ctx, track.info.identifier, start_ms, cancel);
    } else if (name == source_youtube || name == source_soundcloud) {
      r = co_await detail::open_resolver(ctx, std::move(track), start_ms, cancel);
    } else if (name == source_spotify) {
      r = co_await detail::open_spotify(ctx, std::move(track), start_ms, cancel);
    }
  } catch (const std::exception& e) {
    ctx->log.error("opening a track failed unexpectedly: {}", e.what());
    r = unexpected(source_error{node_error::decode_failed, "Something went wrong while opening the track"});
  }
  // Cancelled: whatever came out (media, or the read error of a closed feed) is superseded.
  if (cancel->cancelled()) r = unexpected(detail::cancelled_error());
  if (!r) co_return unexpected(detail::to_exception(r.error()));
  co_return std::move(*r);
}

void source_manager::shutdown() { impl_->ctx->shutdown(); }

}  // namespace vb::node
