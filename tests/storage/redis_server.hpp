#pragma once
// Starts a private redis-server for a test: a free loopback port (found by binding a
// socket first), its own temporary directory, no persistence. The binary is looked up in
// PATH; available() is false when it is missing (the tests then skip, saying so).
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/test_util.hpp"

namespace vb::storage::test {

class redis_server {
 public:
  // Starts it with `extra_args` (e.g. {"--requirepass", "pw"}); check started().
  explicit redis_server(std::vector<std::string> extra_args = {});
  ~redis_server();  // stops it
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  static bool available();
  bool started() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  // A second free port, for --tls-port.
  static std::uint16_t pick_free_port();
  void stop();
  bool start();  // again, on the same port

 private:
  vb::test::temp_dir dir_;
  std::vector<std::string> extra_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace vb::storage::test
