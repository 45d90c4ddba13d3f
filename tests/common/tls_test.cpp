#include "vectobeat/common/net/http_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

#include "common/net_fixture.hpp"
#include "common/test_util.hpp"
#include "vectobeat/common/net/http_client.hpp"

namespace vb::net {
namespace {

using ::testing::HasSubstr;

// ------------------------------------------------------------ test certificates

struct pkey_deleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct x509_deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using x509_ptr = std::unique_ptr<X509, x509_deleter>;

pkey_ptr make_key() {
  pkey_ptr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!k) throw std::runtime_error("EC key generation failed");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  if (!ext || !X509_add_ext(cert, ext, -1)) throw std::runtime_error(std::string("cannot add extension ") + value);
  X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by `signer` (itself when issuer is null).
x509_ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* signer, bool ca, long serial) {
  x509_ptr x(X509_new());
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 24 * 3600);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* iss = issuer ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(iss));
  add_ext(x.get(), iss, NID_subject_key_identifier, "hash");
  if (ca) {
    add_ext(x.get(), iss, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(x.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(x.get(), iss, NID_authority_key_identifier, "keyid:always");
    add_ext(x.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x.get(), iss, NID_key_usage, "critical,digitalSignature");
    add_ext(x.get(), iss, NID_ext_key_usage, "serverAuth");
    add_ext(x.get(), iss, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  }
  if (!X509_sign(x.get(), signer, EVP_sha256())) throw std::runtime_error("signing failed");
  return x;
}

template <class F>
void write_pem(const std::filesystem::path& p, F&& write) {
  std::FILE* f = std::fopen(p.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + p.string());
  bool ok = write(f);
  std::fclose(f);
  if (!ok) throw std::runtime_error("PEM write failed for " + p.string());
}

// A throw-away CA and a server certificate for localhost / 127.0.0.1 it signed.
struct test_pki {
  test::temp_dir dir;
  std::string ca_file, cert_file, key_file;

  test_pki() {
    auto ca_key = make_key();
    auto ca = make_cert(ca_key.get(), "VectoBeat Test CA", nullptr, ca_key.get(), true, 1);
    auto key = make_key();
    auto cert = make_cert(key.get(), "localhost", ca.get(), ca_key.get(), false, 2);
    ca_file = (dir.path() / "ca.pem").string();
    cert_file = (dir.path() / "server.pem").string();
    key_file = (dir.path() / "server.key").string();
    write_pem(ca_file, [&](std::FILE* f) { return PEM_write_X509(f, ca.get()) == 1; });
    write_pem(cert_file, [&](std::FILE* f) { return PEM_write_X509(f, cert.get()) == 1; });
    write_pem(key_file, [&](std::FILE* f) {
      return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
  }
};

// ------------------------------------------------------------------- tests

class Tls : public test::io_fixture {
 protected:
  static void SetUpTestSuite() { pki_ = new test_pki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  std::unique_ptr<http_server> make_server() {
    server_options o;
    o.tls = tls_files{pki_->cert_file, pki_->key_file};
    auto srv = std::make_unique<http_server>(
        ex(), o,
        [](http_request& req) -> task<http_response> {
          co_return http_response::text(200, "secure " + std::string(req.path()));
        },
        [](http_request&) -> task<upgrade_result> {
          ws_accept a;
          a.run = [](std::shared_ptr<websocket> ws) -> task<void> {
            while (auto m = co_await ws->read()) ws->send(m->kind, std::move(m->data));
          };
          co_return a;
        });
    srv->listen("127.0.0.1", 0);
    return srv;
  }

  static client_options trusting() {
    client_options o;
    o.extra_ca_file = pki_->ca_file;
    return o;
  }

  expected<http_response, client_error> get(client_options o, std::string url) {
    http_client c(ex(), std::move(o));
    return run(c.get(std::move(url)));
  }

  expected<std::string, client_error> ws_echo(client_options o, std::string url) {
    ws_connect_options wo;
    wo.client = std::move(o);
    auto ws = run(ws_connect(ex(), std::move(url), wo));
    if (!ws) return unexpected(ws.error());
    (*ws)->send_text("over tls");
    auto m = run((*ws)->read());
    (*ws)->close(1000, "done");
    run((*ws)->read());
    return m ? m->data : std::string("<closed>");
  }

  static inline test_pki* pki_ = nullptr;
};

TEST_F(Tls, HttpsGetSucceedsWithTheExtraCa) {
  auto srv = make_server();
  auto port = std::to_string(srv->port());
  auto r = get(trusting(), "https://127.0.0.1:" + port + "/v4/info");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "secure /v4/info");
  auto named = get(trusting(), "https://localhost:" + port + "/by-name");
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->body, "secure /by-name");
}

TEST_F(Tls, HttpsKeepsConnectionsAlive) {
  auto srv = make_server();
  http_client c(ex(), trusting());
  for (int i = 0; i < 3; ++i) {
    auto r = run(c.get("https://127.0.0.1:" + std::to_string(srv->port()) + "/k"));
    ASSERT_TRUE(r) << r.error().message;
  }
  EXPECT_EQ(srv->connection_count(), 1u);
}

TEST_F(Tls, HttpsFailsWithoutTheCa) {
  auto srv = make_server();
  auto r = get({}, "https://127.0.0.1:" + std::to_string(srv->port()) + "/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::tls) << r.error().message;
  EXPECT_THAT(r.error().message, HasSubstr("certificate verify failed"));
}

TEST_F(Tls, HttpsWithoutVerificationSucceeds) {
  auto srv = make_server();
  client_options o;
  o.verify_tls = false;
  auto r = get(o, "https://127.0.0.1:" + std::to_string(srv->port()) + "/insecure");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->body, "secure /insecure");
}

TEST_F(Tls, MissingOrInvalidCaFilesAreTlsErrors) {
  auto srv = make_server();
  auto url = "https://127.0.0.1:" + std::to_string(srv->port()) + "/";
  client_options missing;
  missing.extra_ca_file = "/nonexistent/ca.pem";
  auto r = get(missing, url);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::tls);
  EXPECT_THAT(r.error().message, HasSubstr("/nonexistent/ca.pem"));
  test::temp_dir dir;
  client_options junk;
  junk.extra_ca_file = dir.write("junk.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").string();
  auto j = get(junk, url);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, client_errc::tls);
  EXPECT_THAT(j.error().message, HasSubstr("cannot load CA file"));
}

TEST_F(Tls, PlainHttpToATlsPortFailsCleanly) {
  auto srv = make_server();
  client_options o;
  o.limits.request_timeout = std::chrono::seconds(5);
  auto r = get(o, "http://127.0.0.1:" + std::to_string(srv->port()) + "/");
  ASSERT_FALSE(r);
  auto ok = get(trusting(), "https://127.0.0.1:" + std::to_string(srv->port()) + "/after");
  ASSERT_TRUE(ok) << ok.error().message;
}

TEST_F(Tls, WssEchoSucceedsWithTheExtraCa) {
  auto srv = make_server();
  auto r = ws_echo(trusting(), "wss://127.0.0.1:" + std::to_string(srv->port()) + "/ws");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "over tls");
}

TEST_F(Tls, WssFailsWithoutTheCa) {
  auto srv = make_server();
  auto r = ws_echo({}, "wss://127.0.0.1:" + std::to_string(srv->port()) + "/ws");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client_errc::tls) << r.error().message;
}

TEST_F(Tls, WssWithoutVerificationSucceeds) {
  auto srv = make_server();
  client_options o;
  o.verify_tls = false;
  auto r = ws_echo(o, "wss://localhost:" + std::to_string(srv->port()) + "/ws");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "over tls");
}

TEST_F(Tls, ServerRejectsMissingCertificateFiles) {
  server_options o;
  o.tls = tls_files{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  try {
    http_server srv(ex(), o, [](http_request&) -> task<http_response> { co_return http_response::empty(200); });
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/cert.pem"));
  }
}

}  // namespace
}  // namespace vb::net
