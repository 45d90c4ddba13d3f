#pragma once
// Voice gateway v8 JSON messages (discord.md §8.2, §11.3), both directions, so the
// client and the fake voice server share one codec. Decoding is the edge: text from the
// network becomes typed values here or an error, never an exception.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vectobeat/common/expected.hpp"
#include "vectobeat/voice/snowflake.hpp"
#include "vectobeat/voice/voice_error.hpp"

namespace vb::voice {

enum class voice_opcode : std::uint8_t {
  identify = 0,
  select_protocol = 1,
  ready = 2,
  heartbeat = 3,
  session_description = 4,
  speaking = 5,
  heartbeat_ack = 6,
  resume = 7,
  hello = 8,
  resumed = 9,
  clients_connect = 11,
  client_disconnect = 13,
  dave_prepare_transition = 21,
  dave_execute_transition = 22,
  dave_transition_ready = 23,
  dave_prepare_epoch = 24,
  dave_mls_external_sender = 25,
  dave_mls_key_package = 26,
  dave_mls_proposals = 27,
  dave_mls_commit_welcome = 28,
  dave_mls_announce_commit_transition = 29,
  dave_mls_welcome = 30,
  dave_mls_invalid_commit_welcome = 31,
};

std::string_view to_string(voice_opcode op) noexcept;

// Speaking flags (discord.md §8.5).
inline constexpr std::uint32_t speaking_microphone = 1;
inline constexpr std::uint32_t speaking_soundshare = 2;
inline constexpr std::uint32_t speaking_priority = 4;

struct identify_payload {  // op 0, client
  snowflake server_id = 0;  // the guild
  snowflake user_id = 0;
  std::string session_id;
  std::string token;  // secret: never log
  int max_dave_protocol_version = 0;
  bool operator==(const identify_payload&) const = default;
};

struct select_protocol_payload {  // op 1, client
  std::string protocol = "udp";
  std::string address;
  std::uint16_t port = 0;
  std::string mode;  // kept as text so an unknown mode survives a round trip
  bool operator==(const select_protocol_payload&) const = default;
};

struct ready_payload {  // op 2, server
  std::uint32_t ssrc = 0;
  std::string ip;
  std::uint16_t port = 0;
  std::vector<std::string> modes;
  bool operator==(const ready_payload&) const = default;
  // Ready's heartbeat_interval is documented as erroneous; it is not decoded.
};

struct heartbeat_payload {  // op 3, client; v8 {t, seq_ack}, older versions send a bare nonce
  std::int64_t t = 0;
  std::optional<std::int64_t> seq_ack;
  bool operator==(const heartbeat_payload&) const = default;
};

struct session_description_payload {  // op 4, server
  std::string mode;
  std::array<std::uint8_t, 32> secret_key{};  // secret: never log
  int dave_protocol_version = 0;
  bool operator==(const session_description_payload&) const = default;
};

struct speaking_payload {  // op 5, both; user_id only from the server
  std::uint32_t speaking = 0;
  int delay = 0;
  std::uint32_t ssrc = 0;
  std::optional<snowflake> user_id;
  bool operator==(const speaking_payload&) const = default;
};

struct heartbeat_ack_payload {  // op 6, server
  std::int64_t t = 0;
  bool operator==(const heartbeat_ack_payload&) const = default;
};

struct resume_payload {  // op 7, client
  snowflake server_id = 0;
  std::string session_id;
  std::string token;  // secret: never log
  std::optional<std::int64_t> seq_ack;
  bool operator==(const resume_payload&) const = default;
};

struct hello_payload {  // op 8, server
  std::int64_t heartbeat_interval_ms = 0;  // fractional values are rounded down
  bool operator==(const hello_payload&) const = default;
};

struct resumed_payload {  // op 9, server (d: null)
  bool operator==(const resumed_payload&) const = default;
};

struct clients_connect_payload {  // op 11, server
  std::vector<snowflake> user_ids;
  bool operator==(const clients_connect_payload&) const = default;
};

struct client_disconnect_payload {  // op 13, server
  snowflake user_id = 0;
  bool operator==(const client_disconnect_payload&) const = default;
};

struct dave_prepare_transition_payload {  // op 21, server
  int protocol_version = 0;
  std::uint16_t transition_id = 0;
  bool operator==(const dave_prepare_transition_payload&) const = default;
};

struct dave_execute_transition_payload {  // op 22, server
  std::uint16_t transition_id = 0;
  bool operator==(const dave_execute_transition_payload&) const = default;
};

struct dave_transition_ready_payload {  // op 23, client
  std::uint16_t transition_id = 0;
  bool operator==(const dave_transition_ready_payload&) const = default;
};

struct dave_prepare_epoch_payload {  // op 24, server
  int protocol_version = 0;
  std::uint64_t epoch = 0;
  bool operator==(const dave_prepare_epoch_payload&) const = default;
};

struct dave_invalid_commit_welcome_payload {  // op 31, client
  std::uint16_t transition_id = 0;
  bool operator==(const dave_invalid_commit_welcome_payload&) const = default;
};

// Any other opcode (Discord sends undocumented ones, e.g. 18 and 20): kept raw so it can
// be logged at debug and ignored.
struct unknown_payload {
  int op = 0;
  std::string d;  // the serialised "d" value ("null" when absent)
  bool operator==(const unknown_payload&) const = default;
};

using gateway_payload =
    std::variant<identify_payload, select_protocol_payload, ready_payload, heartbeat_payload,
                 session_description_payload, speaking_payload, heartbeat_ack_payload, resume_payload, hello_payload,
                 resumed_payload, clients_connect_payload, client_disconnect_payload,
                 dave_prepare_transition_payload, dave_execute_transition_payload, dave_transition_ready_payload,
                 dave_prepare_epoch_payload, dave_invalid_commit_welcome_payload, unknown_payload>;

struct gateway_message {
  gateway_payload payload;
  std::optional<std::int64_t> seq;  // v8: top-level "seq" on server messages that may be re-sent

  int opcode() const noexcept;
  bool operator==(const gateway_message&) const = default;
};

// {"op":N,"d":{...}} plus "seq" when set. Snowflakes are written as strings.
std::string encode(const gateway_message& m);
inline std::string encode(gateway_payload p, std::optional<std::int64_t> seq = std::nullopt) {
  return encode(gateway_message{std::move(p), seq});
}

// Bounded (64 KiB, depth 16) and strict about the fields each op needs; extra fields
// are ignored. Unknown opcodes decode to unknown_payload.
inline constexpr std::size_t max_gateway_text_bytes = 64 * 1024;
expected<gateway_message, voice_error> decode_gateway_message(std::string_view text);

}  // namespace vb::voice
