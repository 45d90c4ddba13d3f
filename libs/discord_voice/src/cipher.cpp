#include "vectobeat/voice/cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "byte_order.hpp"

namespace vb::voice {

std::string_view to_string(encryption_mode m) noexcept {
  switch (m) {
    case encryption_mode::aead_aes256_gcm_rtpsize: return "aead_aes256_gcm_rtpsize";
    case encryption_mode::aead_xchacha20_poly1305_rtpsize: return "aead_xchacha20_poly1305_rtpsize";
  }
  return "unknown";
}

std::optional<encryption_mode> parse_encryption_mode(std::string_view name) noexcept {
  if (name == "aead_aes256_gcm_rtpsize") return encryption_mode::aead_aes256_gcm_rtpsize;
  if (name == "aead_xchacha20_poly1305_rtpsize") return encryption_mode::aead_xchacha20_poly1305_rtpsize;
  return std::nullopt;
}

void secure_zero(std::span<std::uint8_t> bytes) noexcept {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

namespace {

constexpr std::size_t gcm_nonce_size = 12;
constexpr std::size_t xchacha_nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
static_assert(xchacha_nonce_size == 24);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == aead_tag_size);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == secret_key_size);

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
  });
}

std::atomic<bool> openssl_aes_forced{false};

struct evp_ctx {
  EVP_CIPHER_CTX* p = EVP_CIPHER_CTX_new();
  evp_ctx() {
    if (!p) throw std::bad_alloc();
  }
  ~evp_ctx() { EVP_CIPHER_CTX_free(p); }
  evp_ctx(const evp_ctx&) = delete;
  evp_ctx& operator=(const evp_ctx&) = delete;
};

}  // namespace

// AES-256-GCM goes through libsodium's precomputed AES-NI state when the CPU has AES-NI and
// PCLMUL (0.3 us per 160-byte voice packet here, against 0.65 us through OpenSSL 3's EVP, whose
// per-call parameter lookups dominate at this size); OpenSSL's EVP otherwise.
struct cipher::impl {
  encryption_mode mode;
  nonce_order order;
  std::uint32_t counter;
  secret_key key{};  // kept only for XChaCha20 (libsodium); the AES paths hold their own schedule
  crypto_aead_aes256gcm_state aes{};
  bool sodium_aes = false;
  std::optional<evp_ctx> enc;
  std::optional<evp_ctx> dec;

  impl(encryption_mode m, std::span<const std::uint8_t, secret_key_size> k, nonce_order o, std::uint32_t first)
      : mode(m), order(o), counter(first) {
    ensure_sodium();
    if (mode == encryption_mode::aead_aes256_gcm_rtpsize) {
      if (!openssl_aes_forced.load(std::memory_order_relaxed) && crypto_aead_aes256gcm_is_available() == 1) {
        sodium_aes = crypto_aead_aes256gcm_beforenm(&aes, k.data()) == 0;
        if (!sodium_aes) throw std::runtime_error("AES-256-GCM initialisation failed");
        return;
      }
      enc.emplace();
      dec.emplace();
      if (EVP_EncryptInit_ex(enc->p, EVP_aes_256_gcm(), nullptr, k.data(), nullptr) != 1 ||
          EVP_DecryptInit_ex(dec->p, EVP_aes_256_gcm(), nullptr, k.data(), nullptr) != 1)
        throw std::runtime_error("AES-256-GCM initialisation failed");
    } else {
      std::memcpy(key.data(), k.data(), key.size());
    }
  }
  ~impl() {
    sodium_memzero(key.data(), key.size());
    sodium_memzero(&aes, sizeof aes);
  }

  // Encrypts payload to `ct` (ciphertext then tag) with AAD `aad` under the 4 nonce bytes.
  bool seal(const std::uint8_t* suffix, std::span<const std::uint8_t> aad, std::span<const std::uint8_t> payload,
            std::uint8_t* ct) noexcept {
    if (mode == encryption_mode::aead_aes256_gcm_rtpsize) {
      std::uint8_t iv[gcm_nonce_size] = {};
      std::memcpy(iv, suffix, nonce_suffix_size);
      if (sodium_aes) {
        unsigned long long tag_len = 0;
        return crypto_aead_aes256gcm_encrypt_detached_afternm(ct, ct + payload.size(), &tag_len, payload.data(),
                                                              payload.size(), aad.data(), aad.size(), nullptr, iv,
                                                              &aes) == 0;
      }
      int len = 0, fin = 0;
      if (EVP_EncryptInit_ex(enc->p, nullptr, nullptr, nullptr, iv) != 1) return false;
      if (EVP_EncryptUpdate(enc->p, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
      if (!payload.empty() &&
          EVP_EncryptUpdate(enc->p, ct, &len, payload.data(), static_cast<int>(payload.size())) != 1)
        return false;
      if (EVP_EncryptFinal_ex(enc->p, ct + payload.size(), &fin) != 1) return false;
      return EVP_CIPHER_CTX_ctrl(enc->p, EVP_CTRL_AEAD_GET_TAG, aead_tag_size, ct + payload.size()) == 1;
    }
    std::uint8_t nonce[xchacha_nonce_size] = {};
    std::memcpy(nonce, suffix, nonce_suffix_size);
    unsigned long long clen = 0;
    return crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, payload.data(), payload.size(), aad.data(),
                                                      aad.size(), nullptr, nonce, key.data()) == 0;
  }

  // `ct` holds ciphertext then tag; writes ct.size() - 16 bytes to `out`.
  bool open(const std::uint8_t* suffix, std::span<const std::uint8_t> aad, std::span<const std::uint8_t> ct,
            std::uint8_t* out) noexcept {
    const std::size_t n = ct.size() - aead_tag_size;
    if (mode == encryption_mode::aead_aes256_gcm_rtpsize) {
      std::uint8_t iv[gcm_nonce_size] = {};
      std::memcpy(iv, suffix, nonce_suffix_size);
      std::uint8_t tag[aead_tag_size];
      std::memcpy(tag, ct.data() + n, aead_tag_size);
      if (sodium_aes) {
        return crypto_aead_aes256gcm_decrypt_detached_afternm(out, nullptr, ct.data(), n, tag, aad.data(), aad.size(),
                                                              iv, &aes) == 0;
      }
      int len = 0, fin = 0;
      if (EVP_DecryptInit_ex(dec->p, nullptr, nullptr, nullptr, iv) != 1) return false;
      if (EVP_DecryptUpdate(dec->p, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
      if (n > 0 && EVP_DecryptUpdate(dec->p, out, &len, ct.data(), static_cast<int>(n)) != 1) return false;
      if (EVP_CIPHER_CTX_ctrl(dec->p, EVP_CTRL_AEAD_SET_TAG, aead_tag_size, tag) != 1) return false;
      return EVP_DecryptFinal_ex(dec->p, out + n, &fin) == 1;
    }
    std::uint8_t nonce[xchacha_nonce_size] = {};
    std::memcpy(nonce, suffix, nonce_suffix_size);
    unsigned long long mlen = 0;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, nullptr, ct.data(), ct.size(), aad.data(),
                                                      aad.size(), nonce, key.data()) == 0;
  }
};

void detail::force_openssl_aes(bool on) noexcept { openssl_aes_forced.store(on, std::memory_order_relaxed); }

cipher::cipher(encryption_mode mode, std::span<const std::uint8_t, secret_key_size> key, nonce_order order,
               std::uint32_t first_nonce)
    : impl_(std::make_unique<impl>(mode, key, order, first_nonce)) {}
cipher::~cipher() = default;
cipher::cipher(cipher&&) noexcept = default;
cipher& cipher::operator=(cipher&&) noexcept = default;

encryption_mode cipher::mode() const noexcept { return impl_->mode; }
nonce_order cipher::order() const noexcept { return impl_->order; }
std::uint32_t cipher::next_nonce() const noexcept { return impl_->counter; }

expected<std::size_t, voice_error> cipher::seal(std::span<const std::uint8_t> header,
                                                std::span<const std::uint8_t> payload,
                                                std::span<std::uint8_t> out) noexcept {
  const std::size_t total = sealed_size(header.size(), payload.size());
  if (total > max_packet_size) return unexpected(voice_error::bad_length);
  if (out.size() < total) return unexpected(voice_error::buffer_too_small);
  if (header.data() != out.data() && !header.empty()) std::memmove(out.data(), header.data(), header.size());
  std::uint8_t* suffix = out.data() + header.size() + payload.size() + aead_tag_size;
  if (impl_->order == nonce_order::big_endian) detail::store_be32(suffix, impl_->counter);
  else detail::store_le32(suffix, impl_->counter);
  if (!impl_->seal(suffix, out.first(header.size()), payload, out.data() + header.size()))
    return unexpected(voice_error::crypto_failure);
  ++impl_->counter;
  return total;
}

expected<std::size_t, voice_error> cipher::open(std::span<const std::uint8_t> packet, std::size_t aad_size,
                                                std::span<std::uint8_t> out) noexcept {
  if (packet.size() > max_packet_size) return unexpected(voice_error::bad_length);
  if (aad_size > packet.size() || packet.size() - aad_size < transport_overhead)
    return unexpected(voice_error::truncated);
  const std::size_t n = packet.size() - aad_size - transport_overhead;
  if (out.size() < n) return unexpected(voice_error::buffer_too_small);
  const std::uint8_t* suffix = packet.data() + packet.size() - nonce_suffix_size;
  std::uint8_t empty[1];  // a valid pointer for the crypto APIs when there is no plaintext
  std::uint8_t* dst = n > 0 ? out.data() : empty;
  if (!impl_->open(suffix, packet.first(aad_size), packet.subspan(aad_size, n + aead_tag_size), dst)) {
    if (n > 0) OPENSSL_cleanse(out.data(), n);
    return unexpected(voice_error::decrypt_failed);
  }
  return n;
}

expected<opened_rtp, voice_error> cipher::open_rtp(std::span<const std::uint8_t> packet,
                                                   std::span<std::uint8_t> out) noexcept {
  auto info = parse_rtp(packet);
  if (!info) return unexpected(info.error());
  auto n = open(packet, info->aad_size, out);
  if (!n) return unexpected(n.error());
  if (info->extension_body_size > *n) return unexpected(voice_error::bad_length);
  return opened_rtp{*info, std::span<const std::uint8_t>(out.data() + info->extension_body_size,
                                                         *n - info->extension_body_size)};
}

}  // namespace vb::voice
