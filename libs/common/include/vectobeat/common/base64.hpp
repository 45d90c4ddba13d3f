#pragma once
// RFC 4648 base64 with '=' padding (java.util.Base64 compatible). Decoding rejects
// characters outside the alphabet, bad padding and non-canonical trailing bits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vb {

std::string base64_encode(std::string_view bytes);
std::string base64_encode(const std::vector<std::uint8_t>& bytes);
// Returns nullopt for any malformed input; `max_decoded` bounds the output size.
std::optional<std::string> base64_decode(std::string_view text, std::size_t max_decoded = 1u << 20);

}  // namespace vb
