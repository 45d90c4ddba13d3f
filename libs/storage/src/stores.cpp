#include "vectobeat/storage/stores.hpp"

#include "vectobeat/common/log.hpp"
#include "vectobeat/common/settings.hpp"
#include "vectobeat/storage/redis_storage.hpp"
#include "vectobeat/storage/sqlite_storage.hpp"

namespace vb::storage {

stores open_stores(const settings& s) {
  log::logger log("storage");
  if (s.redis.enabled) {
    auto opts = redis_options::from_settings(s.redis);
    auto st = open_redis(opts);
    log.info("bot state in Redis at {}", st.backend);
    return st;
  }
  auto st = open_sqlite(s.storage.sqlite_path);
  log.info("bot state in SQLite at {}", s.storage.sqlite_path);
  return st;
}

}  // namespace vb::storage
