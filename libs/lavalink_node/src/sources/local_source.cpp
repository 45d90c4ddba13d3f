#include "local_source.hpp"

#include "vectobeat/audio/file_source.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::node::detail {

namespace {

std::string strip_file_scheme(std::string_view id) {
  if (lower(id.substr(0, 7)) != "file://") return std::string(id);
  auto rest = id.substr(7);
  if (rest.starts_with("localhost/")) rest.remove_prefix(9);
  return net::url_decode(rest).value_or(std::string(rest));
}

bool inside(const std::filesystem::path& p, const std::filesystem::path& root) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (r->empty()) continue;  // trailing separator
    if (q == p.end() || *q != *r) return false;
  }
  return true;
}

expected<audio::decoder, source_error> open_file(const std::filesystem::path& path) {
  auto f = audio::file_source::open(path);
  if (!f) return unexpected(source_error{node_error::not_found, "The file could not be opened"});
  http_source_limits limits;  // bytes bound only; files need no time bound
  return open_decoder(std::move(*f), nullptr, limits, "");
}

}  // namespace

bool is_local_identifier(std::string_view identifier) {
  return identifier.starts_with("/") || lower(identifier.substr(0, 7)) == "file://";
}

expected<std::filesystem::path, source_error> local_path(std::string_view identifier,
                                                         const std::vector<std::filesystem::path>& roots) {
  const std::filesystem::path requested(strip_file_scheme(identifier));
  if (!requested.is_absolute()) return unexpected(source_error{node_error::not_found, "Local paths must be absolute"});
  std::error_code ec;
  auto canonical = std::filesystem::canonical(requested, ec);
  if (ec) return unexpected(source_error{node_error::not_found, "The file does not exist"});
  bool allowed = false;
  for (auto& root : roots) {
    auto croot = std::filesystem::weakly_canonical(root, ec);
    if (!ec && inside(canonical, croot)) allowed = true;
  }
  if (!allowed) return unexpected(source_error{node_error::outside_roots, "The file is outside the allowed directories"});
  if (!std::filesystem::is_regular_file(canonical, ec))
    return unexpected(source_error{node_error::not_found, "Not a regular file"});
  return canonical;
}

task<lavalink::load_result> load_local(std::shared_ptr<source_context> ctx, std::string identifier) {
  auto path = local_path(identifier, ctx->config.local_roots);
  if (!path) co_return error_result(path.error());
  auto probe = [p = *path]() { return open_file(p); };
  auto dec = co_await run_blocking(ctx->loader, std::move(probe));
  if (!dec) co_return error_result(dec.error());
  auto d = media_track(source_local, path->string(), dec->info(), dec->info().title, dec->info().artist);
  auto t = to_track(d, ctx->registry);
  if (!t) co_return error_result(source_error{node_error::decode_failed, "Cannot encode the track: " + t.error()});
  lavalink::load_result r;
  r.data = std::move(*t);
  co_return r;
}

task<expected<std::unique_ptr<track_media>, source_error>> open_local(std::shared_ptr<source_context> ctx,
                                                                       std::string identifier, std::int64_t start_ms,
                                                                       std::shared_ptr<open_cancel> cancel) {
  auto path = local_path(identifier, ctx->config.local_roots);
  if (!path) co_return unexpected(path.error());
  auto job = [p = *path, start_ms, cancel]() -> expected<std::unique_ptr<track_media>, source_error> {
    if (cancel->cancelled()) return unexpected(cancelled_error());
    auto dec = open_file(p);
    if (!dec) return unexpected(dec.error());
    if (start_ms > 0) (void)dec->seek(std::chrono::milliseconds(start_ms));
    return std::make_unique<track_media>(std::move(*dec));
  };
  co_return co_await run_blocking(ctx->loader, std::move(job));
}

}  // namespace vb::node::detail
