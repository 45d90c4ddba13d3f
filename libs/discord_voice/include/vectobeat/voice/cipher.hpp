#pragma once
// Transport encryption of voice packets, the AEAD "rtpsize" modes (discord.md §10):
//   packet = RTP header (AAD) | ciphertext | 16-byte tag | 4-byte nonce counter
// AES-256-GCM runs on OpenSSL EVP with contexts allocated once per cipher; XChaCha20-
// Poly1305 on libsodium. seal/open write into caller buffers and never allocate or throw.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/voice/rtp.hpp"
#include "vectobeat/voice/voice_error.hpp"

namespace vb::voice {

enum class encryption_mode { aead_aes256_gcm_rtpsize, aead_xchacha20_poly1305_rtpsize };

// The wire names ("aead_aes256_gcm_rtpsize", ...).
std::string_view to_string(encryption_mode m) noexcept;
std::optional<encryption_mode> parse_encryption_mode(std::string_view name) noexcept;

// How the sender writes the 32-bit counter into the nonce and after the tag. Receivers
// copy the trailing 4 bytes verbatim, so either order decrypts.
enum class nonce_order { big_endian, little_endian };

inline constexpr std::size_t secret_key_size = 32;
inline constexpr std::size_t aead_tag_size = 16;
inline constexpr std::size_t nonce_suffix_size = 4;
inline constexpr std::size_t transport_overhead = aead_tag_size + nonce_suffix_size;
// Datagrams above this are not voice packets (UDP payload over an Ethernet MTU is
// already suspicious; this bound keeps the int casts for the crypto APIs trivially safe).
inline constexpr std::size_t max_packet_size = 65'535;

using secret_key = std::array<std::uint8_t, secret_key_size>;

// Overwrites key material in a way the optimiser cannot drop.
void secure_zero(std::span<std::uint8_t> bytes) noexcept;

// A decrypted RTP packet: the parsed header and the payload (extension body stripped),
// which points into the caller's output buffer.
struct opened_rtp {
  rtp_packet_info info;
  std::span<const std::uint8_t> payload;
};

// One connection's transport cipher. Not thread-safe: use it from one strand. Holds the
// key (wiped on destruction) and the sender's nonce counter.
class cipher {
 public:
  cipher(encryption_mode mode, std::span<const std::uint8_t, secret_key_size> key,
         nonce_order order = nonce_order::big_endian, std::uint32_t first_nonce = 0);
  ~cipher();
  cipher(cipher&&) noexcept;
  cipher& operator=(cipher&&) noexcept;
  cipher(const cipher&) = delete;
  cipher& operator=(const cipher&) = delete;

  encryption_mode mode() const noexcept;
  nonce_order order() const noexcept;
  // The counter the next seal() uses (wraps after 2^32 packets, ~2.7 years at 50/s).
  std::uint32_t next_nonce() const noexcept;

  static constexpr std::size_t sealed_size(std::size_t header_size, std::size_t payload_size) noexcept {
    return header_size + payload_size + transport_overhead;
  }

  // Writes header | ciphertext | tag | nonce into `out` and advances the counter.
  // `header` may already sit at the start of `out` (it is then not copied); `payload`
  // must not overlap `out`. Returns the packet size.
  expected<std::size_t, voice_error> seal(std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload,
                                          std::span<std::uint8_t> out) noexcept;

  // Authenticates and decrypts `packet` whose first `aad_size` bytes are the clear
  // header. Writes packet.size() - aad_size - 20 plaintext bytes to `out` (no overlap).
  // Fails with truncated, buffer_too_small or decrypt_failed (then `out` is zeroed).
  expected<std::size_t, voice_error> open(std::span<const std::uint8_t> packet, std::size_t aad_size,
                                          std::span<std::uint8_t> out) noexcept;

  // parse_rtp + open + strip the encrypted extension body.
  expected<opened_rtp, voice_error> open_rtp(std::span<const std::uint8_t> packet, std::span<std::uint8_t> out) noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

namespace detail {
// AES-256-GCM runs on libsodium's AES-NI code when the CPU has AES-NI and PCLMUL, else on
// OpenSSL. Ciphers created while this is on use OpenSSL regardless (tests cover the fallback).
void force_openssl_aes(bool on) noexcept;
}  // namespace detail

}  // namespace vb::voice
