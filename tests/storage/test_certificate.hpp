#pragma once
// A throwaway self-signed certificate for 127.0.0.1 (P-256, SAN IP:127.0.0.1), written
// as PEM files into a fresh temporary directory that is removed on destruction.
#include <filesystem>
#include <string>

namespace vb::storage::test {

class test_certificate {
 public:
  test_certificate();
  ~test_certificate();
  test_certificate(const test_certificate&) = delete;
  test_certificate& operator=(const test_certificate&) = delete;

  std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  std::string key_file() const { return (dir_ / "key.pem").string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace vb::storage::test
