#pragma once
// The bot's persistence behind small interfaces, one per kind of data. Implementations:
// SQLite (the default, sqlite_storage.hpp) and Redis (several bot processes sharing state,
// redis_storage.hpp). Every call blocks on the backend: call them from the storage thread
// (async_storage.hpp), never from an I/O thread.
//
// Threading: an implementation is used by one thread at a time.
// Errors: invalid_argument for values outside the limits of models.hpp (nothing is
// written), unavailable/io for backend failures (nothing is half-written: every write is
// one transaction), corrupt for stored data that cannot be decoded.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/storage/models.hpp"
#include "vectobeat/storage/storage_error.hpp"

namespace vb {
struct settings;
}

namespace vb::storage {

template <class T>
using result = expected<T, storage_error>;

class guild_profile_store {
 public:
  virtual ~guild_profile_store() = default;
  // The stored profile, or the defaults (default_volume 100, rich, ...) when none.
  virtual result<guild_profile> get(std::uint64_t guild_id) = 0;
  virtual result<void> put(const guild_profile& p) = 0;
  virtual result<void> remove(std::uint64_t guild_id) = 0;
};

class dj_store {
 public:
  virtual ~dj_store() = default;
  virtual result<dj_config> get(std::uint64_t guild_id) = 0;
  // Return whether something changed.
  virtual result<bool> add_role(std::uint64_t guild_id, std::uint64_t role_id) = 0;
  virtual result<bool> remove_role(std::uint64_t guild_id, std::uint64_t role_id) = 0;
  virtual result<bool> clear_roles(std::uint64_t guild_id) = 0;
  // Appends and keeps the newest dj_audit_limit entries.
  virtual result<void> append_audit(std::uint64_t guild_id, dj_audit_entry entry) = 0;
};

class playlist_store {
 public:
  virtual ~playlist_store() = default;
  // Creates or replaces the playlist named (case-insensitively) p.name.
  virtual result<void> save(std::uint64_t guild_id, const playlist& p) = 0;
  virtual result<std::optional<playlist>> load(std::uint64_t guild_id, std::string_view name) = 0;
  // Names in the guild, sorted by their key.
  virtual result<std::vector<std::string>> list(std::uint64_t guild_id) = 0;
  virtual result<bool> remove(std::uint64_t guild_id, std::string_view name) = 0;
};

class autoplay_store {
 public:
  virtual ~autoplay_store() = default;
  // Records a played track at `played_at` (Unix seconds): guild history (newest 500 kept),
  // the artist's history in the guild (newest 200 kept) and the track itself.
  virtual result<void> record(std::uint64_t guild_id, const stored_track& t, double played_at) = 0;
  // Identifiers, newest first.
  virtual result<std::vector<std::string>> history(std::uint64_t guild_id, std::size_t limit) = 0;
  virtual result<std::vector<std::string>> by_artist(std::uint64_t guild_id, std::string_view artist,
                                                     std::size_t limit) = 0;
  virtual result<std::optional<stored_track>> track(std::string_view identifier) = 0;
};

class queue_store {
 public:
  virtual ~queue_store() = default;
  virtual result<std::optional<queue_state>> get(std::uint64_t guild_id) = 0;
  // Replaces the guild's queue atomically; sets updated_at.
  virtual result<void> put(const queue_state& q) = 0;
  virtual result<void> remove(std::uint64_t guild_id) = 0;
  // Guilds with a stored queue (to resume them at start-up).
  virtual result<std::vector<std::uint64_t>> guilds() = 0;
};

// One backend's five stores (they share its connection).
struct stores {
  std::shared_ptr<guild_profile_store> profiles;
  std::shared_ptr<dj_store> dj;
  std::shared_ptr<playlist_store> playlists;
  std::shared_ptr<autoplay_store> autoplay;
  std::shared_ptr<queue_store> queues;
  std::string backend;  // "sqlite:<path>" or "redis://host:port/db", for logs
};

// Redis when settings.redis is enabled, else SQLite at settings.storage.sqlite_path.
// Throws startup_error with a message naming the file or server when the backend cannot
// be opened, trusted or migrated.
stores open_stores(const settings& s);

}  // namespace vb::storage
