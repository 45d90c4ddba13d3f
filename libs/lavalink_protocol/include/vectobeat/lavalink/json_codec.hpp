#pragma once
// The JSON entry points shared by every Lavalink v4 type.
//
// Every type T of this library has
//   boost::json::value to_json(const T&);                           (never fails)
//   template <> expected<T, std::string> from_json<T>(const value&); (declared next to T)
// Decoders never throw on untrusted input (only std::bad_alloc can escape). They ignore
// unknown fields, are strict on the types of known fields, and the error string names the
// offending field ("track.info.length must be an integer") so it can be sent back to a peer.
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/json.hpp"

namespace vb::lavalink {

template <class T>
expected<T, std::string> from_json(const boost::json::value& v);

// Parses text (bounded by vb::json::parse's limits) and decodes it as T.
template <class T>
expected<T, std::string> parse_json(std::string_view text) {
  auto v = vb::json::parse(text);
  if (!v) return unexpected(std::move(v).error());
  return from_json<T>(*v);
}

// Decodes a JSON array of T (GET .../players, POST /v4/decodetracks). Errors name the index.
template <class T>
expected<std::vector<T>, std::string> from_json_array(const boost::json::value& v) {
  const auto* arr = v.if_array();
  if (!arr) return unexpected(std::string("JSON value must be an array"));
  std::vector<T> out;
  out.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto item = from_json<T>((*arr)[i]);
    if (!item) return unexpected("[" + std::to_string(i) + "]: " + std::move(item).error());
    out.push_back(std::move(*item));
  }
  return out;
}

template <class T>
boost::json::value to_json_array(const std::vector<T>& items) {
  boost::json::array arr;
  arr.reserve(items.size());
  for (const auto& item : items) arr.push_back(to_json(item));
  return arr;
}

// to_json(x) serialised to compact text.
template <class T>
std::string to_json_text(const T& x) {
  return vb::json::serialize(to_json(x));
}

}  // namespace vb::lavalink
