#include "certificate.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>

namespace vb::fake::detail {

namespace {

using key_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("fake discord certificate: ") + what);
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

cert_ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca, const std::string& san) {
  cert_ptr x(X509_new(), X509_free);
  check(x != nullptr, "X509_new");
  X509_set_version(x.get(), 2);
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "serial");
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 7L * 24 * 3600);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("VectoBeat fake Discord"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* signer = issuer ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(signer));
  if (ca) {
    add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(x.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(x.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x.get(), signer, NID_key_usage, "critical,digitalSignature");
    add_ext(x.get(), signer, NID_ext_key_usage, "serverAuth");
    add_ext(x.get(), signer, NID_subject_alt_name, san);
    add_ext(x.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  check(X509_sign(x.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "signing");
  return x;
}

void write_pem(const std::filesystem::path& p, X509* cert, X509* second, EVP_PKEY* key) {
  FILE* f = std::fopen(p.c_str(), "w");
  check(f != nullptr, "open for writing");
  bool ok = true;
  if (cert) ok = ok && PEM_write_X509(f, cert) == 1;
  if (second) ok = ok && PEM_write_X509(f, second) == 1;
  if (key) ok = ok && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(f);
  check(ok, "writing PEM");
}

bool is_ip(const std::string& host) {
  return !host.empty() && host.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos &&
         (host.find('.') != std::string::npos || host.find(':') != std::string::npos);
}

}  // namespace

test_pki::test_pki(const std::string& host) {
  std::random_device rd;
  for (int attempt = 0;; ++attempt) {
    dir_ = std::filesystem::temp_directory_path() /
           ("vectobeat-fake-discord-" + std::to_string(::getpid()) + "-" + std::to_string(rd() & 0xFFFFFF));
    std::error_code ec;
    if (std::filesystem::create_directory(dir_, ec)) break;
    check(attempt < 16, "creating a temporary directory");
  }
  ::chmod(dir_.c_str(), 0700);

  key_ptr ca_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  key_ptr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  check(ca_key && key, "key generation");
  std::string san = "IP:127.0.0.1,IP:::1,DNS:localhost";
  if (host != "127.0.0.1" && host != "localhost" && host != "::1" && !host.empty())
    san += is_ip(host) ? ",IP:" + host : ",DNS:" + host;
  auto ca = make_cert(ca_key.get(), "VectoBeat fake Discord test CA", nullptr, nullptr, true, {});
  auto leaf = make_cert(key.get(), host.empty() ? "127.0.0.1" : host.c_str(), ca.get(), ca_key.get(), false, san);
  write_pem(dir_ / "ca.pem", ca.get(), nullptr, nullptr);
  write_pem(dir_ / "server-chain.pem", leaf.get(), ca.get(), nullptr);
  write_pem(dir_ / "server-key.pem", nullptr, nullptr, key.get());
  ::chmod((dir_ / "server-key.pem").c_str(), 0600);
}

test_pki::~test_pki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace vb::fake::detail
