#pragma once
// Internal: a throwaway CA and a server certificate it signs (P-256, SAN 127.0.0.1,
// ::1 and localhost, valid for 7 days), written as PEM into a fresh private temporary
// directory that is removed on destruction. Clients trust ca_file() (NODE_EXTRA_CA_CERTS,
// client_options::extra_ca_file).
#include <filesystem>
#include <string>

namespace vb::fake::detail {

class test_pki {
 public:
  // Throws std::runtime_error when OpenSSL or the file system fails.
  explicit test_pki(const std::string& host);
  ~test_pki();
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;

  std::string ca_file() const { return (dir_ / "ca.pem").string(); }
  std::string chain_file() const { return (dir_ / "server-chain.pem").string(); }
  std::string key_file() const { return (dir_ / "server-key.pem").string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace vb::fake::detail
