#pragma once
// A small blocking Redis client (RESP2) for the storage thread: plain TCP, or TLS when a
// CA file is configured (hiredis 0.14 has no TLS, hence our own). Every call is bounded by
// a timeout; a connection that failed is reopened by the next call. Replies are bounded
// (size, nesting, element count) because the server's answers are input like any other.
//
// Threading: one thread at a time.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/storage/storage_error.hpp"

namespace vb {
struct redis_settings;
}

namespace vb::storage {

struct redis_reply {
  enum class kind { simple, error, integer, bulk, nil, array };
  kind type = kind::nil;
  std::string str;  // simple, error, bulk
  std::int64_t integer = 0;
  std::vector<redis_reply> elements;

  bool is_error() const noexcept { return type == kind::error; }
  bool is_nil() const noexcept { return type == kind::nil; }
};

struct resp_limits {
  std::size_t max_reply_bytes = 64u << 20;
  std::size_t max_elements = 1u << 20;
  int max_depth = 8;
};

struct redis_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::optional<std::string> password;  // secret
  int db = 0;
  std::optional<std::string> ca_path;   // TLS (verifying the server against this CA) when set
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds command_timeout{5000};
  resp_limits limits;

  static redis_options from_settings(const redis_settings& s);
  std::string describe() const;  // "redis://127.0.0.1:6379/0" (never the password)
};

class redis_connection {
 public:
  explicit redis_connection(redis_options opts);
  ~redis_connection();
  redis_connection(const redis_connection&) = delete;
  redis_connection& operator=(const redis_connection&) = delete;

  // One command. An error reply is a value (kind::error), not a failure; failures are
  // unavailable (connect, timeout, connection lost) or corrupt (protocol violation).
  expected<redis_reply, storage_error> command(const std::vector<std::string>& argv);
  // All commands in one round trip; one reply per command, in order.
  expected<std::vector<redis_reply>, storage_error> pipeline(const std::vector<std::vector<std::string>>& commands);
  // MULTI, the commands, EXEC in one round trip: all or nothing. Returns EXEC's replies;
  // an error reply from any of them fails the call with io.
  expected<std::vector<redis_reply>, storage_error> transaction(const std::vector<std::vector<std::string>>& commands);

  const redis_options& options() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

// RESP encoding and incremental decoding, exposed for tests and the fuzzer.
std::string encode_command(const std::vector<std::string>& argv);
enum class parse_status { complete, incomplete, invalid };
struct parse_outcome {
  parse_status status = parse_status::incomplete;
  std::size_t consumed = 0;  // bytes of `buf` the reply used (complete only)
  std::string error;         // invalid only
};
parse_outcome parse_reply(std::string_view buf, redis_reply& out, const resp_limits& limits = {});

}  // namespace vb::storage
