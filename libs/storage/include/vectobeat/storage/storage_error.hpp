#pragma once
// Errors of the bot's persistence (SQLite and Redis adapters).
#include <string>
#include <string_view>
#include <system_error>

namespace vb::storage {

enum class storage_errc {
  invalid_argument = 1,  // a value the store refuses (volume out of range, playlist name too long, ...)
  unavailable,           // the backend cannot be reached (Redis down, connection lost, timeout)
  io,                    // the backend failed the operation (disk full, SQLite error, Redis error reply)
  corrupt,               // stored data could not be read back (damaged file, foreign value in a key)
  incompatible,          // the database belongs to another program or a newer schema
};

const std::error_category& storage_category() noexcept;
std::error_code make_error_code(storage_errc e) noexcept;
std::string_view to_string(storage_errc e) noexcept;

struct storage_error {
  storage_errc code = storage_errc::io;
  std::string message;
};

// Start-up failures (a database that cannot be opened, migrated or trusted). Thrown by the
// open_* functions so the process stops with a clear message instead of running without
// its data.
class startup_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace vb::storage

template <>
struct std::is_error_code_enum<vb::storage::storage_errc> : std::true_type {};
