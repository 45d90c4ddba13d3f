#include "test_track.hpp"

#include "vectobeat/lavalink/track_codec.hpp"

namespace vb::llc::test {

lavalink::track make_test_track(std::string identifier, std::string title, std::int64_t length_ms, bool stream) {
  lavalink::decoded_track d;
  d.version = 3;
  d.info.identifier = identifier;
  d.info.title = std::move(title);
  d.info.author = "Test Artist";
  d.info.length = stream ? lavalink::unknown_length : length_ms;
  d.info.is_stream = stream;
  d.info.uri = "https://www.youtube.com/watch?v=" + identifier;
  d.info.source_name = "youtube";
  auto encoded = lavalink::encode_track(d);
  auto t = lavalink::make_track(d, encoded ? *encoded : std::string());
  t.info.is_seekable = !stream;
  return t;
}

}  // namespace vb::llc::test
