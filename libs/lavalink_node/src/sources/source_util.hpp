#pragma once
// Internal: what the source implementations share.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "vectobeat/audio/decoder.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/log.hpp"
#include "vectobeat/lavalink/load_result.hpp"
#include "vectobeat/lavalink/track_codec.hpp"
#include "vectobeat/node/http_media.hpp"
#include "vectobeat/node/node_config.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node::detail {

struct source_context {
  // Registers `c` so shutdown() cancels it; cancels it at once after shutdown(). Any thread.
  void track(const std::shared_ptr<open_cancel>& c);
  // Cancels every registered open_cancel and every later one. Idempotent, any thread.
  void shutdown();
  bool shut_down() const;

  node_config config;
  asio::any_io_executor io;
  asio::any_io_executor loader;
  std::shared_ptr<http_media> http;
  lavalink::source_registry registry;
  log::logger log{"node.source"};

 private:
  trip_latch<open_cancel> opens_;
};

inline source_error cancelled_error() { return source_error{node_error::cancelled, "Cancelled"}; }

lavalink::exception_info make_exception(std::string message, lavalink::exception_severity severity, std::string cause);
lavalink::exception_info to_exception(const source_error& e);
lavalink::load_result error_result(lavalink::exception_info e);
lavalink::load_result error_result(const source_error& e);

// Encodes a decoded track into the Track object clients get.
expected<lavalink::track, std::string> to_track(const lavalink::decoded_track& d, const lavalink::source_registry& r);

// Runs fn() on the loader and resumes on the caller's executor with its result.
template <class F>
task<std::invoke_result_t<F&>> run_blocking(asio::any_io_executor loader, F fn) {
  using R = std::invoke_result_t<F&>;
  // co_spawn needs a default-constructible result: wrap it.
  auto job = [fn = std::move(fn)]() mutable -> task<std::optional<R>> { co_return std::optional<R>(fn()); };
  auto op = asio::co_spawn(loader, std::move(job), asio::use_awaitable);
  auto r = co_await std::move(op);
  co_return std::move(*r);
}

// Blocking (loader): opens a decoder with the probe bounds of `limits`; when `feed` is given,
// every read is also bounded by the probe timeout.
expected<audio::decoder, source_error> open_decoder(std::unique_ptr<audio::byte_source> source, media_feed* feed,
                                                    const http_source_limits& limits, std::string format_hint);

// Title and author as lavaplayer reports them for files and streams without tags.
inline constexpr std::string_view unknown_title = "Unknown title";
inline constexpr std::string_view unknown_author = "Unknown artist";

// A decoded track for an http/local media whose probe gave `info`.
lavalink::decoded_track media_track(std::string_view source_name, const std::string& identifier,
                                    const audio::track_info& info, std::string title, std::string author);

std::string lower(std::string_view s);
// Valid UTF-8 (invalid bytes become U+FFFD), control characters removed, at most `max_bytes`
// (cut at a character boundary): metadata from files and servers is untrusted.
std::string sanitize_text(std::string_view s, std::size_t max_bytes = 1024);

}  // namespace vb::node::detail
