#include "vectobeat/discord/gateway_error.hpp"

#include <string>

namespace vb::discord {

namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vb.discord.gateway"; }
  std::string message(int ev) const override {
    switch (static_cast<gateway_error>(ev)) {
      case gateway_error::authentication_failed: return "authentication failed: the bot token is invalid (4004)";
      case gateway_error::invalid_shard: return "invalid shard (4010)";
      case gateway_error::sharding_required: return "sharding required: too many guilds for this shard count (4011)";
      case gateway_error::invalid_api_version: return "invalid gateway API version (4012)";
      case gateway_error::invalid_intents: return "invalid intents (4013)";
      case gateway_error::disallowed_intents: return "disallowed intents: enable the privileged intent in the developer portal (4014)";
      case gateway_error::connect_failed: return "cannot connect to the gateway";
      case gateway_error::hello_timeout: return "no HELLO from the gateway in time";
      case gateway_error::decompress_failed: return "gateway stream could not be decompressed";
      case gateway_error::message_too_large: return "gateway message above the size limit";
      case gateway_error::invalid_payload: return "gateway sent an invalid payload";
      case gateway_error::zombie_connection: return "heartbeat not acknowledged (zombie connection)";
      case gateway_error::send_queue_full: return "too many gateway sends queued";
      case gateway_error::not_connected: return "shard is not connected";
      case gateway_error::shard_not_owned: return "the guild's shard does not run in this process";
      case gateway_error::stopped: return "gateway stopped";
    }
    return "unknown gateway error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& gateway_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(gateway_error e) noexcept { return {static_cast<int>(e), gateway_category()}; }

std::string_view to_string(gateway_error e) noexcept {
  switch (e) {
    case gateway_error::authentication_failed: return "authentication_failed";
    case gateway_error::invalid_shard: return "invalid_shard";
    case gateway_error::sharding_required: return "sharding_required";
    case gateway_error::invalid_api_version: return "invalid_api_version";
    case gateway_error::invalid_intents: return "invalid_intents";
    case gateway_error::disallowed_intents: return "disallowed_intents";
    case gateway_error::connect_failed: return "connect_failed";
    case gateway_error::hello_timeout: return "hello_timeout";
    case gateway_error::decompress_failed: return "decompress_failed";
    case gateway_error::message_too_large: return "message_too_large";
    case gateway_error::invalid_payload: return "invalid_payload";
    case gateway_error::zombie_connection: return "zombie_connection";
    case gateway_error::send_queue_full: return "send_queue_full";
    case gateway_error::not_connected: return "not_connected";
    case gateway_error::shard_not_owned: return "shard_not_owned";
    case gateway_error::stopped: return "stopped";
  }
  return "unknown";
}

close_action action_for_close(std::uint16_t code) noexcept {
  switch (code) {
    case 4004: case 4010: case 4011: case 4012: case 4013: case 4014: return close_action::fatal;
    case 4007: case 4009: return close_action::reidentify;
    default: return close_action::resume;
  }
}

std::error_code fatal_error_for_close(std::uint16_t code) noexcept {
  switch (code) {
    case 4004: return gateway_error::authentication_failed;
    case 4010: return gateway_error::invalid_shard;
    case 4011: return gateway_error::sharding_required;
    case 4012: return gateway_error::invalid_api_version;
    case 4013: return gateway_error::invalid_intents;
    case 4014: return gateway_error::disallowed_intents;
    default: return {};
  }
}

std::string_view close_code_name(std::uint16_t code) noexcept {
  switch (code) {
    case 1000: return "normal";
    case 1001: return "going_away";
    case 1006: return "abnormal";
    case 4000: return "unknown_error";
    case 4001: return "unknown_opcode";
    case 4002: return "decode_error";
    case 4003: return "not_authenticated";
    case 4004: return "authentication_failed";
    case 4005: return "already_authenticated";
    case 4007: return "invalid_seq";
    case 4008: return "rate_limited";
    case 4009: return "session_timed_out";
    case 4010: return "invalid_shard";
    case 4011: return "sharding_required";
    case 4012: return "invalid_api_version";
    case 4013: return "invalid_intents";
    case 4014: return "disallowed_intents";
    default: return "unknown";
  }
}

}  // namespace vb::discord
