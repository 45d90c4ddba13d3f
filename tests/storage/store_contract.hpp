#pragma once
// The behaviour every backend owes the bot, written once (store_contract.cpp) and run
// against SQLite (storage_test) and Redis (storage_integration_test). A backend factory
// makes a fresh, empty backend; reopen() gives a second handle on the same data, as a
// restarted bot process would get.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "vectobeat/storage/stores.hpp"

namespace vb::storage::test {

class backend {
 public:
  virtual ~backend() = default;
  virtual stores open() = 0;    // the first handle (fresh data)
  virtual stores reopen() = 0;  // another handle on the same data
};

struct backend_param {
  std::string name;
  std::function<std::unique_ptr<backend>()> make;  // nullptr result: skip (with a message)
};
// gtest prints the parameter in test listings: the name keeps CTest names stable.
inline void PrintTo(const backend_param& p, std::ostream* os) { *os << p.name; }

class StoreContract : public ::testing::TestWithParam<backend_param> {
 protected:
  void SetUp() override;
  std::unique_ptr<backend> backend_;
  stores s_;
};

lavalink::track sample_track(const std::string& id, const std::string& author = "Artist");
stored_track sample_stored(const std::string& id, const std::string& author = "Artist");

}  // namespace vb::storage::test
