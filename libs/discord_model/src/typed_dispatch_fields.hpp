#pragma once
// Internal to typed_dispatch_parser.cpp: the token values, key tables and per-object state of
// the typed dispatch handler.
#include <boost/json/error.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_read.hpp"
#include "vectobeat/discord/interaction.hpp"

namespace vb::discord::detail::typed_fields {

using json_ec = boost::json::error_code;

// One token value as the typed parsers see it; `other` is an object or array in a place
// where a scalar is read (it reads as "not there", like the document path's accessors).
struct jv {
  enum kind_t : std::uint8_t { null, boolean, i64, u64, dbl, str, other } kind = null;
  bool b = false;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  std::string_view s;
};

// The same rules as json_read.hpp's value accessors.
inline snowflake snow_jv(const jv& v) {
  if (v.kind == jv::str) return parse_snowflake(v.s).value_or(snowflake());
  if (v.kind == jv::u64) return snowflake(v.u);
  if (v.kind == jv::i64 && v.i > 0) return snowflake(static_cast<std::uint64_t>(v.i));
  return snowflake();
}
inline std::optional<std::int64_t> int_jv(const jv& v) {
  if (v.kind == jv::i64) return v.i;
  if (v.kind == jv::u64 && v.u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.u);
  if (v.kind == jv::dbl && v.d >= -9.0e18 && v.d <= 9.0e18 && static_cast<double>(static_cast<std::int64_t>(v.d)) == v.d)
    return static_cast<std::int64_t>(v.d);
  return std::nullopt;
}
inline std::optional<double> number_jv(const jv& v) {
  if (v.kind == jv::dbl) return v.d;
  if (v.kind == jv::i64) return static_cast<double>(v.i);
  if (v.kind == jv::u64) return static_cast<double>(v.u);
  return std::nullopt;
}
inline bool bool_jv(const jv& v) { return v.kind == jv::boolean && v.b; }
inline std::string_view str_jv(const jv& v) { return v.kind == jv::str ? v.s : std::string_view(); }
inline std::optional<std::string> opt_str_jv(const jv& v) {
  if (v.kind == jv::str) return std::string(v.s);
  return std::nullopt;
}
inline std::optional<permissions> perms_jv(const jv& v) {
  if (v.kind == jv::str) return parse_permissions(v.s);
  if (v.kind == jv::u64) return permissions(v.u);
  if (v.kind == jv::i64 && v.i >= 0) return permissions(static_cast<std::uint64_t>(v.i));
  return std::nullopt;
}

enum class kind : std::uint8_t {
  frame, voice_state, member, user, snowflake_list, interaction, id_holder, command_data, option_list, option,
  string_list, guild, role_list, role, channel_list, channel, overwrite_list, overwrite, voice_state_list, member_list,
};

// Key ids per object kind; -1: a field the typed parsers never read (skipped). A key is
// first matched on (length, first and last byte), so the many ignored keys cost a few
// integer compares and no string comparison.
constexpr std::uint32_t key_sig(std::string_view s) noexcept {
  if (s.empty() || s.size() > 255) return 0;
  return static_cast<std::uint32_t>(s.size()) | static_cast<std::uint32_t>(static_cast<unsigned char>(s.front())) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s.back())) << 16;
}

// Fixed-size comparisons compile to a few word compares (no call).
template <std::size_t N>
inline bool same_n(const char* a, const char* b) noexcept {
  return std::memcmp(a, b, N) == 0;
}
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  switch (n) {
    case 1: return same_n<1>(a, b);
    case 2: return same_n<2>(a, b);
    case 3: return same_n<3>(a, b);
    case 4: return same_n<4>(a, b);
    case 5: return same_n<5>(a, b);
    case 6: return same_n<6>(a, b);
    case 7: return same_n<7>(a, b);
    case 8: return same_n<8>(a, b);
    case 9: return same_n<9>(a, b);
    case 10: return same_n<10>(a, b);
    case 11: return same_n<11>(a, b);
    case 12: return same_n<12>(a, b);
    case 13: return same_n<13>(a, b);
    case 14: return same_n<14>(a, b);
    case 15: return same_n<15>(a, b);
    case 16: return same_n<16>(a, b);
    default: return std::memcmp(a, b, n) == 0;
  }
}

struct key_table {
  static constexpr int slot_bits = 6;
  static constexpr std::size_t max_keys = 16;
  std::string_view names[max_keys];
  std::uint32_t sigs[max_keys] = {};
  std::uint32_t mult = 0;                  // spreads these signatures without a collision
  std::int8_t slots[1 << slot_bits] = {};  // signature slot -> key id, -1: no key of this kind
  static constexpr std::size_t slot_of(std::uint32_t sig, std::uint32_t m) noexcept {
    return static_cast<std::uint32_t>(sig * m) >> (32 - slot_bits);
  }
  template <std::size_t N>
  constexpr explicit key_table(const std::string_view (&n)[N]) {
    static_assert(N <= max_keys);
    for (std::size_t i = 0; i < N; ++i) {
      names[i] = n[i];
      sigs[i] = key_sig(n[i]);
    }
    for (std::uint32_t m = 0x9E3779B1u;; m += 2) {  // searched at compile time
      for (auto& s : slots) s = -1;
      bool clash = false;
      for (std::size_t i = 0; i < N && !clash; ++i) {
        auto& s = slots[slot_of(sigs[i], m)];
        clash = s != -1;
        s = static_cast<std::int8_t>(i);
      }
      if (!clash) {
        mult = m;
        break;
      }
    }
  }
  int find(std::string_view key) const noexcept {
    const std::uint32_t sig = key_sig(key);
    const int i = slots[slot_of(sig, mult)];
    if (i < 0 || sigs[i] != sig) return -1;
    return same_bytes(names[i].data(), key.data(), key.size()) ? i : -1;
  }
};

inline constexpr std::string_view frame_keys[] = {"t", "s", "op", "d"};
inline constexpr std::string_view voice_keys[] = {"guild_id",  "channel_id", "user_id",     "session_id", "deaf",     "mute",
                                           "self_deaf", "self_mute",  "self_stream", "self_video", "suppress", "member"};
inline constexpr std::string_view member_keys[] = {"user", "nick", "roles", "permissions", "deaf", "mute"};
inline constexpr std::string_view user_keys[] = {"id", "username", "global_name", "avatar", "bot"};
inline constexpr std::string_view interaction_keys[] = {"id",      "application_id", "type",   "token",           "version",
                                                 "guild_id", "channel_id",     "channel", "member",         "user",
                                                 "app_permissions", "locale",  "guild_locale", "message",   "data"};
inline constexpr std::string_view id_keys[] = {"id"};
inline constexpr std::string_view data_keys[] = {"id",       "name",      "type",      "options",        "resolved",
                                          "guild_id", "target_id", "custom_id", "component_type", "values"};
inline constexpr std::string_view option_keys[] = {"name", "type", "focused", "value", "options"};
inline constexpr std::string_view guild_keys[] = {"id",     "unavailable", "name",     "owner_id",     "large",
                                           "member_count", "approximate_member_count", "icon", "preferred_locale",
                                           "roles",  "channels",    "voice_states", "members"};
inline constexpr std::string_view role_keys[] = {"id", "name", "color", "managed", "position", "permissions"};
inline constexpr std::string_view channel_keys[] = {"id",       "type",      "name",       "bitrate",              "guild_id",
                                             "position", "parent_id", "user_limit", "permission_overwrites"};
inline constexpr std::string_view overwrite_keys[] = {"id", "type", "allow", "deny"};

// The key ids each object kind reads (the indexes used by handler::scalar/open); null for arrays.
inline const key_table* keys_of(kind k) {
  static constexpr key_table frame_t(frame_keys), voice_t(voice_keys), member_t(member_keys), user_t(user_keys),
      interaction_t(interaction_keys), id_t(id_keys), data_t(data_keys), option_t(option_keys), guild_t(guild_keys),
      role_t(role_keys), channel_t(channel_keys), overwrite_t(overwrite_keys);
  switch (k) {
    case kind::frame: return &frame_t;
    case kind::voice_state: return &voice_t;
    case kind::member: return &member_t;
    case kind::user: return &user_t;
    case kind::interaction: return &interaction_t;
    case kind::id_holder: return &id_t;
    case kind::command_data: return &data_t;
    case kind::option: return &option_t;
    case kind::guild: return &guild_t;
    case kind::role: return &role_t;
    case kind::channel: return &channel_t;
    case kind::overwrite: return &overwrite_t;
    default: return nullptr;
  }
}

// What an interaction's `data` may hold before its `type` says which it is.
struct data_fields {
  bool present = false;
  snowflake id, guild_id, target_id;
  std::string name, custom_id;
  int type = 1;
  int component_type = 0;
  std::vector<interaction_option> options;
  std::vector<std::string> values;
};

// Interaction fields that are combined after the object ends.
struct interaction_fields {
  std::optional<std::int64_t> type;
  snowflake channel_object_id;
  std::optional<user> top_user;
};

struct guild_fields {
  std::optional<std::int64_t> member_count, approximate_member_count;
};

enum class overwrite_state : std::uint8_t { invalid, role, member };

struct entry {
  kind k;
  void* target = nullptr;
  const key_table* keys = nullptr;  // null for arrays
  std::uint64_t seen = 0;  // key ids met in this object (a duplicate is not decoded here)
  int depth = 0;           // option nesting level
  std::optional<std::int64_t> type;  // channel / option type
  std::optional<permissions> perms;  // role permissions
  overwrite_state ow = overwrite_state::invalid;
};

inline constexpr int max_option_depth = 3;
inline constexpr std::size_t max_options_per_level = 25;
inline constexpr std::size_t max_component_values = 25;

}  // namespace vb::discord::detail::typed_fields
