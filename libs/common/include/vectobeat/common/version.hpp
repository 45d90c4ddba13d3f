#pragma once
#include <string_view>

namespace vb {
inline constexpr std::string_view version = "0.1.0";
// The Lavalink release whose protocol the node and client follow.
inline constexpr std::string_view lavalink_compat_version = "4.2.2";
}  // namespace vb
