#pragma once
// Golden-JSON helpers (STYLE §2): decode -> check -> encode -> decode -> compare.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

#include "vectobeat/common/json.hpp"
#include "vectobeat/lavalink/json_codec.hpp"

namespace vb::lavalink::test {

// The documented sample track (lavalink-v4.md §4.1 / §8.3).
inline constexpr std::string_view sample_encoded =
    "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0"
    "dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==";

inline const std::string sample_track_json = R"({
  "encoded": ")" + std::string(sample_encoded) + R"(",
  "info": {
    "identifier": "dQw4w9WgXcQ",
    "isSeekable": true,
    "author": "RickAstleyVEVO",
    "length": 212000,
    "isStream": false,
    "position": 0,
    "title": "Rick Astley - Never Gonna Give You Up",
    "uri": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "artworkUrl": null,
    "isrc": null,
    "sourceName": "youtube"
  },
  "pluginInfo": {},
  "userData": {}
})";

inline boost::json::value must_parse(std::string_view text) {
  auto v = vb::json::parse(text);
  EXPECT_TRUE(v.has_value()) << (v ? "" : v.error()) << " in " << text;
  return v ? *v : boost::json::value();
}

// Decodes `text` as T, re-encodes it, decodes again and compares. With `identical`, the
// re-encoded JSON must also equal the input (as a JSON value: key order and spacing aside).
template <class T>
T golden(std::string_view text, bool identical = true) {
  const auto original = must_parse(text);
  auto first = from_json<T>(original);
  if (!first) {
    ADD_FAILURE() << "decode failed: " << first.error();
    return T{};
  }
  const auto encoded = to_json(*first);
  if (identical) {
    EXPECT_EQ(encoded, original) << "re-encoded: " << boost::json::serialize(encoded);
  }
  auto second = from_json<T>(encoded);
  if (!second) {
    ADD_FAILURE() << "second decode failed: " << second.error() << " of " << boost::json::serialize(encoded);
    return *first;
  }
  EXPECT_TRUE(*second == *first) << "round trip changed the value: " << boost::json::serialize(encoded);
  return *first;
}

// The decode error for `text` ("" and a test failure when it decodes).
template <class T>
std::string decode_error(std::string_view text) {
  auto r = from_json<T>(must_parse(text));
  if (r) {
    ADD_FAILURE() << "expected a decode error for " << text;
    return "";
  }
  return r.error();
}

}  // namespace vb::lavalink::test
