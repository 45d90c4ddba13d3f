#pragma once
// The one JSON error shape of every HTTP API we serve (Lavalink's, so node clients
// understand it): {timestamp, status, error, trace?, message, path}.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vb {

struct api_error {
  int status = 500;
  std::string message;
  std::string path;
  std::optional<std::string> trace;
  std::int64_t timestamp_ms = 0;  // 0 = now
};

std::string_view http_reason(int status);
std::string to_json(const api_error& e);

}  // namespace vb
