// Arbitrary bytes through everything the voice library parses from the network: RTP
// headers, both transport ciphers (key 00..1f, so seeds sealed with it decrypt), IP
// discovery, DAVE binary frames and voice gateway JSON. Properties checked besides
// "no crash": parsed sizes stay inside the input, and every JSON message that decodes
// re-encodes to one that decodes to the same value.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <variant>

#include "vectobeat/voice/cipher.hpp"
#include "vectobeat/voice/dave_frame.hpp"
#include "vectobeat/voice/gateway_message.hpp"
#include "vectobeat/voice/ip_discovery.hpp"
#include "vectobeat/voice/rtp.hpp"

namespace {

using namespace vb::voice;

void require(bool ok) {
  if (!ok) std::abort();
}

secret_key fuzz_key() {
  secret_key k;
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i);
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static cipher aes(encryption_mode::aead_aes256_gcm_rtpsize, fuzz_key());
  static cipher xchacha(encryption_mode::aead_xchacha20_poly1305_rtpsize, fuzz_key());
  static std::array<std::uint8_t, 70'000> out;
  const std::span<const std::uint8_t> in(data, size);

  if (auto info = parse_rtp(in)) require(info->aad_size <= size && info->aad_size >= rtp_header_size);
  (void)is_rtcp(in);
  (void)is_keep_alive(in);

  for (cipher* c : {&aes, &xchacha}) {
    if (auto opened = c->open_rtp(in, out)) {
      require(opened->payload.size() + opened->info.aad_size + transport_overhead <= size);
    }
    if (size > 0) {
      if (auto n = c->open(in, data[0] % (size + 1), out)) require(*n + transport_overhead <= size);
    }
  }

  if (auto d = parse_ip_discovery(in)) require(d->address().size() < ip_discovery_address_size);

  if (auto f = decode_server_dave_frame(in)) require(f->payload.size() + 3 == size);
  if (auto f = decode_client_dave_frame(in)) require(f->payload.size() + 1 == size);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = decode_gateway_message(text)) {
    auto again = decode_gateway_message(encode(*m));
    require(again.has_value() && again->opcode() == m->opcode());
    // Unknown payloads are kept as serialized JSON we never interpret; Boost.JSON 1.81
    // does not parse every double back to the same bits, so only known ones compare equal.
    if (!std::holds_alternative<unknown_payload>(m->payload)) require(*again == *m);
  }
  return 0;
}
