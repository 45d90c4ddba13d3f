#include "vectobeat/voice/cipher.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

// Counts operator new calls made by this thread while counting is on, to prove the
// packet path does not allocate.
namespace {
thread_local bool counting_allocations = false;
thread_local long allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (counting_allocations) ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace vb::voice {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes from_hex(std::string_view h) {
  bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

secret_key test_key() {
  secret_key k;
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i);
  return k;
}

const bytes header = from_hex("80780001000003c001020304");  // seq 1, ts 960, ssrc 0x01020304
const bytes payload = [] {
  bytes p{0xF8, 0xFF, 0xFE};
  for (char c : std::string("vectobeat")) p.push_back(static_cast<std::uint8_t>(c));
  return p;
}();

bytes seal(cipher& c, const bytes& h, const bytes& p) {
  bytes out(cipher::sealed_size(h.size(), p.size()));
  auto n = c.seal(h, p, out);
  EXPECT_TRUE(n);
  if (n) {
    EXPECT_EQ(*n, out.size());
  }
  return out;
}

// The same AEAD computed directly with OpenSSL / libsodium, independent of cipher.
bytes reference_seal(encryption_mode mode, const secret_key& key, const bytes& nonce4, const bytes& h, const bytes& p) {
  bytes ct(p.size() + 16);
  if (mode == encryption_mode::aead_aes256_gcm_rtpsize) {
    unsigned char iv[12] = {};
    std::copy(nonce4.begin(), nonce4.end(), iv);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), iv), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &len, h.data(), static_cast<int>(h.size())), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, ct.data(), &len, p.data(), static_cast<int>(p.size())), 1);
    EXPECT_EQ(EVP_EncryptFinal_ex(ctx, ct.data() + len, &len), 1);
    EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, ct.data() + p.size()), 1);
    EVP_CIPHER_CTX_free(ctx);
  } else {
    unsigned char nonce[24] = {};
    std::copy(nonce4.begin(), nonce4.end(), nonce);
    unsigned long long clen = 0;
    EXPECT_EQ(crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data(), &clen, p.data(), p.size(), h.data(), h.size(),
                                                         nullptr, nonce, key.data()),
              0);
  }
  bytes out = h;
  out.insert(out.end(), ct.begin(), ct.end());
  out.insert(out.end(), nonce4.begin(), nonce4.end());
  return out;
}

constexpr encryption_mode both_modes[] = {encryption_mode::aead_aes256_gcm_rtpsize,
                                          encryption_mode::aead_xchacha20_poly1305_rtpsize};

TEST(Cipher, ModeNames) {
  for (auto m : both_modes) EXPECT_EQ(parse_encryption_mode(to_string(m)), m);
  EXPECT_EQ(to_string(encryption_mode::aead_aes256_gcm_rtpsize), "aead_aes256_gcm_rtpsize");
  EXPECT_EQ(to_string(encryption_mode::aead_xchacha20_poly1305_rtpsize), "aead_xchacha20_poly1305_rtpsize");
  EXPECT_FALSE(parse_encryption_mode("xsalsa20_poly1305"));
  EXPECT_FALSE(parse_encryption_mode("aead_aes256_gcm"));
}

// Packets computed by an independent implementation (Python `cryptography` AESGCM, and
// XChaCha20-Poly1305 as HChaCha20 + ChaCha20-Poly1305, itself checked against the
// draft-irtf-cfrg-xchacha vectors): key 00..1f, nonce counter 7, header/payload above.
TEST(Cipher, KnownAnswerPackets) {
  struct kat {
    encryption_mode mode;
    nonce_order order;
    const char* packet;
  };
  const kat kats[] = {
      {encryption_mode::aead_aes256_gcm_rtpsize, nonce_order::big_endian,
       "80780001000003c001020304a7182af71f4b57e48db7f5b15b1b1a993a47a8efe64bad02d9cfd80400000007"},
      {encryption_mode::aead_xchacha20_poly1305_rtpsize, nonce_order::big_endian,
       "80780001000003c0010203044e48a3411da1dd24b526242bfe4f3ce9b149ba7b6cad021054949f0e00000007"},
      {encryption_mode::aead_aes256_gcm_rtpsize, nonce_order::little_endian,
       "80780001000003c0010203041624319ce00aaf09b916aa7ff3c840d25c8327a7cbe23919a36b9a8207000000"},
      {encryption_mode::aead_xchacha20_poly1305_rtpsize, nonce_order::little_endian,
       "80780001000003c0010203043012a0622ace6ecdfab22d2d4cac3ec177e73ef8d4ccc364c7479e0307000000"},
  };
  const auto key = test_key();
  for (const auto& k : kats) {
    SCOPED_TRACE(std::string(to_string(k.mode)) + (k.order == nonce_order::big_endian ? " BE" : " LE"));
    cipher c(k.mode, key, k.order, 7);
    EXPECT_EQ(seal(c, header, payload), from_hex(k.packet));
    EXPECT_EQ(c.next_nonce(), 8u);
    cipher receiver(k.mode, key);  // receivers copy the 4 trailing bytes, whatever the order
    bytes plain(64);
    auto n = receiver.open(from_hex(k.packet), header.size(), plain);
    ASSERT_TRUE(n);
    EXPECT_EQ(bytes(plain.begin(), plain.begin() + static_cast<long>(*n)), payload);
  }
}

TEST(Cipher, MatchesTheLibrariesCalledDirectly) {
  std::mt19937 rng(7);
  for (auto mode : both_modes) {
    for (auto order : {nonce_order::big_endian, nonce_order::little_endian}) {
      secret_key key;
      for (auto& b : key) b = static_cast<std::uint8_t>(rng());
      const std::uint32_t first = rng();
      cipher c(mode, key, order, first);
      for (std::uint32_t i = 0; i < 20; ++i) {
        bytes h(12 + 4 * (i % 3));
        bytes p(i * 37 % 300);
        for (auto& b : h) b = static_cast<std::uint8_t>(rng());
        for (auto& b : p) b = static_cast<std::uint8_t>(rng());
        const std::uint32_t counter = first + i;
        bytes nonce4 = order == nonce_order::big_endian
                           ? bytes{std::uint8_t(counter >> 24), std::uint8_t(counter >> 16), std::uint8_t(counter >> 8),
                                   std::uint8_t(counter)}
                           : bytes{std::uint8_t(counter), std::uint8_t(counter >> 8), std::uint8_t(counter >> 16),
                                   std::uint8_t(counter >> 24)};
        EXPECT_EQ(seal(c, h, p), reference_seal(mode, key, nonce4, h, p));
      }
    }
  }
}

// The AES path runs on libsodium (AES-NI) where the CPU allows and on OpenSSL elsewhere: both
// give the independent known answer, and each opens what the other sealed.
TEST(Cipher, OpenSslAndSodiumAesAgree) {
  const auto key = test_key();
  const auto* kat_be =
      "80780001000003c001020304a7182af71f4b57e48db7f5b15b1b1a993a47a8efe64bad02d9cfd80400000007";
  detail::force_openssl_aes(true);
  cipher openssl_sender(encryption_mode::aead_aes256_gcm_rtpsize, key, nonce_order::big_endian, 7);
  cipher openssl_receiver(encryption_mode::aead_aes256_gcm_rtpsize, key);
  detail::force_openssl_aes(false);
  cipher default_sender(encryption_mode::aead_aes256_gcm_rtpsize, key, nonce_order::big_endian, 7);
  cipher default_receiver(encryption_mode::aead_aes256_gcm_rtpsize, key);
  const auto a = seal(openssl_sender, header, payload);
  const auto b = seal(default_sender, header, payload);
  EXPECT_EQ(a, from_hex(kat_be));
  EXPECT_EQ(b, from_hex(kat_be));
  std::mt19937 rng(11);
  for (int i = 0; i < 50; ++i) {
    bytes p(static_cast<std::size_t>(i * 29 % 400));
    for (auto& x : p) x = static_cast<std::uint8_t>(rng());
    for (auto* pair : {&openssl_sender, &default_sender}) {
      auto* receiver = pair == &openssl_sender ? &default_receiver : &openssl_receiver;
      auto packet = seal(*pair, header, p);
      bytes plain(packet.size());
      auto n = receiver->open(packet, header.size(), plain);
      ASSERT_TRUE(n);
      EXPECT_EQ(bytes(plain.begin(), plain.begin() + static_cast<long>(*n)), p);
      packet[header.size()] ^= 1;  // tampered: refused by both
      EXPECT_FALSE(receiver->open(packet, header.size(), plain));
    }
  }
}

TEST(Cipher, NonceCounterWraps) {
  cipher c(encryption_mode::aead_aes256_gcm_rtpsize, test_key(), nonce_order::big_endian, 0xFFFFFFFF);
  auto a = seal(c, header, payload);
  auto b = seal(c, header, payload);
  EXPECT_EQ(bytes(a.end() - 4, a.end()), (bytes{0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(bytes(b.end() - 4, b.end()), (bytes{0, 0, 0, 0}));
}

TEST(Cipher, SealsInPlaceWhenTheHeaderIsAlreadyInTheOutput) {
  for (auto mode : both_modes) {
    cipher a(mode, test_key(), nonce_order::big_endian, 3);
    cipher b(mode, test_key(), nonce_order::big_endian, 3);
    bytes out(cipher::sealed_size(header.size(), payload.size()));
    std::copy(header.begin(), header.end(), out.begin());
    auto n = a.seal(std::span<const std::uint8_t>(out.data(), header.size()), payload, out);
    ASSERT_TRUE(n);
    EXPECT_EQ(out, seal(b, header, payload));
  }
}

TEST(Cipher, RejectsTamperedPackets) {
  for (auto mode : both_modes) {
    SCOPED_TRACE(to_string(mode));
    cipher c(mode, test_key());
    const bytes pkt = seal(c, header, payload);
    bytes plain(64, 0xAA);
    for (std::size_t i = 0; i < pkt.size(); ++i) {
      for (std::uint8_t bit : {0x01, 0x80}) {
        bytes t = pkt;
        t[i] ^= bit;
        auto r = c.open(t, header.size(), plain);
        ASSERT_FALSE(r) << "byte " << i;
        EXPECT_EQ(r.error(), voice_error::decrypt_failed);
      }
    }
    // A failed open leaves no unauthenticated plaintext behind.
    EXPECT_EQ(bytes(plain.begin(), plain.begin() + static_cast<long>(payload.size())), bytes(payload.size(), 0));
    cipher other(mode, [] {
      auto k = test_key();
      k[31] ^= 1;
      return k;
    }());
    EXPECT_EQ(other.open(pkt, header.size(), plain).error(), voice_error::decrypt_failed);
    // The right bytes but the wrong split between AAD and ciphertext.
    EXPECT_EQ(c.open(pkt, header.size() + 1, plain).error(), voice_error::decrypt_failed);
    EXPECT_EQ(c.open(pkt, header.size() - 1, plain).error(), voice_error::decrypt_failed);
  }
}

TEST(Cipher, RejectsShortAndGarbagePackets) {
  std::mt19937 rng(99);
  for (auto mode : both_modes) {
    cipher c(mode, test_key());
    bytes plain(2048);
    for (std::size_t n = 0; n < 12 + transport_overhead; ++n)
      EXPECT_EQ(c.open(bytes(n, 0x80), 12, plain).error(), voice_error::truncated) << n;
    EXPECT_EQ(c.open(bytes(40), 41, plain).error(), voice_error::truncated);
    EXPECT_EQ(c.open(bytes(max_packet_size + 1), 12, plain).error(), voice_error::bad_length);
    for (int i = 0; i < 3000; ++i) {
      bytes g(rng() % 300);
      for (auto& b : g) b = static_cast<std::uint8_t>(rng());
      EXPECT_FALSE(c.open(g, std::min<std::size_t>(12, g.size()), plain));
      EXPECT_FALSE(c.open_rtp(g, plain));
    }
  }
}

TEST(Cipher, ReportsSmallBuffers) {
  cipher c(encryption_mode::aead_aes256_gcm_rtpsize, test_key());
  bytes small(cipher::sealed_size(header.size(), payload.size()) - 1);
  EXPECT_EQ(c.seal(header, payload, small).error(), voice_error::buffer_too_small);
  EXPECT_EQ(c.next_nonce(), 0u);  // a failed seal does not burn a nonce
  const bytes pkt = seal(c, header, payload);
  bytes plain(payload.size() - 1);
  EXPECT_EQ(c.open(pkt, header.size(), plain).error(), voice_error::buffer_too_small);
}

TEST(Cipher, EmptyPayloadRoundTrips) {
  for (auto mode : both_modes) {
    cipher c(mode, test_key());
    const bytes pkt = seal(c, header, {});
    EXPECT_EQ(pkt.size(), header.size() + transport_overhead);
    auto n = c.open(pkt, header.size(), {});
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);
  }
}

TEST(Cipher, OpenRtpStripsTheEncryptedExtensionBody) {
  // Header with X=1 and a one-word extension (as other Discord clients send): the
  // preamble is AAD, the extension body is encrypted ahead of the Opus frame.
  const bytes ext_header{0x90, 0x78, 0, 9, 0, 0, 0x12, 0x34, 0, 0, 0, 42, 0xBE, 0xDE, 0x00, 0x01};
  bytes plaintext{0x10, 0x20, 0x30, 0x40};
  plaintext.insert(plaintext.end(), payload.begin(), payload.end());
  for (auto mode : both_modes) {
    cipher c(mode, test_key(), nonce_order::little_endian);
    const bytes pkt = seal(c, ext_header, plaintext);
    bytes out(256);
    auto r = c.open_rtp(pkt, out);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->info.aad_size, 16u);
    EXPECT_EQ(r->info.header.sequence, 9);
    EXPECT_EQ(r->info.header.ssrc, 42u);
    EXPECT_EQ(bytes(r->payload.begin(), r->payload.end()), payload);
  }
  // An extension longer than the plaintext is refused.
  bytes lying = ext_header;
  lying[15] = 0x40;
  cipher c(encryption_mode::aead_aes256_gcm_rtpsize, test_key());
  const bytes pkt = seal(c, lying, payload);
  bytes out(256);
  EXPECT_EQ(c.open_rtp(pkt, out).error(), voice_error::bad_length);
}

TEST(Cipher, PacketPathDoesNotAllocate) {
  for (auto mode : both_modes) {
    cipher tx(mode, test_key());
    cipher rx(mode, test_key());
    std::array<std::uint8_t, 1500> packet{};
    std::array<std::uint8_t, 1500> plain{};
    std::array<std::uint8_t, 200> opus{};
    auto one = [&](std::uint16_t seq) {
      write_rtp_header({seq, seq * 960u, 77}, std::span<std::uint8_t, rtp_header_size>(packet.data(), rtp_header_size));
      auto n = tx.seal(std::span<const std::uint8_t>(packet.data(), rtp_header_size), opus, packet);
      auto r = rx.open_rtp(std::span<const std::uint8_t>(packet.data(), n.value_or(0)), plain);
      return n && r && r->payload.size() == opus.size();
    };
    ASSERT_TRUE(one(0));  // warm-up (OpenSSL fetches lazily)
    counting_allocations = true;
    allocations = 0;
    bool ok = true;
    for (std::uint16_t i = 1; i < 200; ++i) ok = ok && one(i);
    counting_allocations = false;
    EXPECT_TRUE(ok);
    EXPECT_EQ(allocations, 0) << to_string(mode);
  }
}

TEST(Cipher, SecureZero) {
  secret_key k = test_key();
  secure_zero(k);
  EXPECT_EQ(k, secret_key{});
}

}  // namespace
}  // namespace vb::voice
