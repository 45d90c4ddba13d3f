#pragma once
// Errors of the audio node's own operations (loading, sources, playback). REST validation
// errors are plain 400 messages; these are what fails behind them.
#include <string_view>
#include <system_error>

namespace vb::node {

enum class node_error {
  source_disabled = 1,  // the identifier's source is not enabled
  blocked_address,      // the HTTP source may not reach this address
  http_status,          // the media server answered with a non-success status
  network,              // connecting or reading failed
  timeout,              // a bounded operation took too long
  too_large,            // a playlist, manifest or resolver output exceeded its limit
  not_found,            // file or track does not exist
  outside_roots,        // a local path outside the configured roots
  unsupported_format,   // the media could not be recognised
  decode_failed,        // the media could not be decoded
  resolver_missing,     // no resolver command is configured
  resolver_failed,      // the resolver exited with an error or printed garbage
  spotify_credentials,  // no (or refused) Spotify credentials
  spotify_api,          // the Spotify API failed
  no_mirror,            // a Spotify track has no playable mirror
  cancelled,            // superseded (the player moved on) or shutting down
};

const std::error_category& node_category() noexcept;
std::error_code make_error_code(node_error e) noexcept;
std::string_view to_string(node_error e) noexcept;

}  // namespace vb::node

template <>
struct std::is_error_code_enum<vb::node::node_error> : std::true_type {};
