#pragma once
// Media over HTTP(S) for the node's sources: bounded document fetches (playlists, manifests,
// APIs) and media bodies streamed into a stream_buffer by an I/O coroutine, exposed to the
// decoder as a byte_source that seeks with Range requests. Every connection goes through the
// address filter (private, loopback and link-local addresses refused unless configured) and
// the redirect bound.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vectobeat/audio/byte_source.hpp"
#include "vectobeat/common/async.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/net/http_client.hpp"
#include "vectobeat/node/node_config.hpp"
#include "vectobeat/node/node_error.hpp"
#include "vectobeat/node/track_media.hpp"

namespace vb::node {

// A failure with a message fit for a Lavalink exception (no secrets, no internals).
struct source_error {
  node_error code = node_error::network;
  std::string message;
};

struct http_media_body {
  int status = 0;
  net::header_map headers;
  std::string url;  // after redirects
  std::unique_ptr<audio::byte_source> source;  // ICY metadata stripped when the server interleaves it
  std::shared_ptr<media_feed> feed;
  std::optional<std::uint64_t> size;  // whole resource, when known
  bool seekable = false;              // Range requests work and the size is known
  std::optional<std::string> icy_name;
};

// Buffer between the network and the decoder, per playing HTTP track.
inline constexpr std::size_t http_stream_buffer_bytes = 128 * 1024;

class http_media : public std::enable_shared_from_this<http_media> {
 public:
  http_media(asio::any_io_executor io, const node_config& config);

  const net::client_options& client_options() const noexcept { return client_opts_; }
  asio::any_io_executor io() const { return io_; }

  // GET for a small document; the body is bounded by max_playlist_bytes. Non-2xx is an error.
  // (Coroutines: pass every argument.)
  task<expected<net::http_response, source_error>> fetch(std::string url, net::header_map headers);
  // Any method, for APIs (Spotify); returns whatever status the server sent.
  task<expected<net::http_response, source_error>> request(std::string method, std::string url,
                                                          net::header_map headers, std::string body);
  // A raw streaming GET (HLS segments). Non-2xx is an error.
  task<expected<std::unique_ptr<net::http_stream>, source_error>> open_stream(std::string url, net::header_map headers);
  // Opens a media body at byte `offset` (Range) and starts streaming it. Non-2xx is an error.
  task<expected<http_media_body, source_error>> open(std::string url, net::header_map headers, std::uint64_t offset);

  // Blocking form of open() for decoder threads (never an I/O thread): waits at most `timeout`.
  expected<http_media_body, source_error> open_blocking(const std::string& url, const net::header_map& headers,
                                                        std::uint64_t offset, std::chrono::milliseconds timeout);

  std::chrono::milliseconds read_timeout() const noexcept { return limits_.read_timeout; }
  const http_source_limits& limits() const noexcept { return limits_; }

 private:
  asio::any_io_executor io_;
  http_source_limits limits_;
  net::client_options client_opts_;
  std::shared_ptr<net::http_client> client_;
  std::shared_ptr<net::http_client> api_client_;
};

source_error to_source_error(const net::client_error& e);

// Sets a deadline for every read through an HTTP body's feed (probing is bounded in time);
// nullopt clears it. No effect on other feeds.
void set_read_deadline(media_feed& feed, std::optional<steady_time> deadline);

}  // namespace vb::node
