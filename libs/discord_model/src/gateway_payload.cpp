#include "vectobeat/discord/gateway_payload.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "json_read.hpp"

namespace vb::discord {

using namespace detail;

struct gateway_frame_parser::impl {
  explicit impl(frame_limits l)
      : limits(l),
        arena(arena_buffer, sizeof(arena_buffer)),
        parser(bj::storage_ptr(), options(l), parser_stack, sizeof(parser_stack)) {}

  static bj::parse_options options(frame_limits l) {
    bj::parse_options o;
    o.max_depth = l.max_depth;
    return o;
  }

  frame_limits limits;
  // The first 64 KiB of every document come from here (no malloc for most frames); larger
  // documents grow the arena, which release() trims back after each frame.
  alignas(std::max_align_t) unsigned char arena_buffer[64 * 1024];
  // The parser's own working stack (no heap for ordinary nesting depths).
  alignas(std::max_align_t) unsigned char parser_stack[4 * 1024];
  bj::monotonic_resource arena;
  bj::parser parser;
  // Move-constructed from the parser so it keeps the arena's storage (a move assignment
  // between different storages would deep-copy onto the heap).
  std::optional<bj::value> doc;
};

gateway_frame_parser::gateway_frame_parser(frame_limits limits) : impl_(std::make_unique<impl>(limits)) {}
gateway_frame_parser::~gateway_frame_parser() = default;

parsed<gateway_frame> gateway_frame_parser::parse(std::string_view text) {
  auto& p = *impl_;
  p.doc.reset();  // drop the previous document before its memory is reused
  p.arena.release();
  if (text.size() > p.limits.max_bytes) return unexpected(model_failure{model_error::invalid_json, "frame", "too large"});
  p.parser.reset(bj::storage_ptr(&p.arena));
  boost::system::error_code ec;
  p.parser.write(text.data(), text.size(), ec);
  if (ec) {
    p.parser.reset();
    return unexpected(model_failure{model_error::invalid_json, "frame", ec.message()});
  }
  p.doc.emplace(p.parser.release());
  if (!p.doc->is_object()) return unexpected(model_failure{model_error::not_an_object, "frame", {}});
  const auto& o = p.doc->get_object();
  gateway_frame f;
  auto op = opt_int(o, "op");
  if (!op || *op < 0 || *op > 255) return unexpected(invalid("op"));
  f.op = static_cast<int>(*op);
  f.s = opt_int(o, "s");
  f.t = str(o, "t");
  static const bj::value null_value;
  const bj::value* d = o.if_contains("d");
  f.d = d ? d : &null_value;
  return f;
}

namespace {

bj::object presence_json(const presence& p) {
  bj::object o;
  if (p.since_ms) o["since"] = *p.since_ms;
  else o["since"] = nullptr;
  bj::array acts;
  if (p.act) {
    bj::object a;
    a["name"] = p.act->name;
    a["type"] = p.act->type;
    if (p.act->state) a["state"] = *p.act->state;
    if (p.act->url) a["url"] = *p.act->url;
    acts.push_back(std::move(a));
  }
  o["activities"] = std::move(acts);
  o["status"] = p.status;
  o["afk"] = p.afk;
  return o;
}

std::string frame(gateway_opcode op, bj::value d) {
  bj::object f;
  f["op"] = static_cast<int>(op);
  f["d"] = std::move(d);
  return bj::serialize(f);
}

}  // namespace

std::string encode_identify(const identify_params& p) {
  bj::object d;
  d["token"] = p.token;
  d["properties"] = bj::object{{"os", p.os}, {"browser", p.browser}, {"device", p.device}};
  d["intents"] = p.intents;
  d["shard"] = bj::array{p.shard_id, p.shard_count};
  d["large_threshold"] = std::clamp(p.large_threshold, 50, 250);
  d["compress"] = false;
  if (p.initial_presence) d["presence"] = presence_json(*p.initial_presence);
  return frame(gateway_opcode::identify, std::move(d));
}

std::string encode_resume(std::string_view token, std::string_view session_id, std::int64_t seq) {
  bj::object d;
  d["token"] = token;
  d["session_id"] = session_id;
  d["seq"] = seq;
  return frame(gateway_opcode::resume, std::move(d));
}

std::string encode_heartbeat(std::optional<std::int64_t> seq) {
  if (seq) return frame(gateway_opcode::heartbeat, *seq);
  return frame(gateway_opcode::heartbeat, nullptr);
}

std::string encode_presence_update(const presence& p) { return frame(gateway_opcode::presence_update, presence_json(p)); }

std::string encode_voice_state_update(snowflake guild_id, snowflake channel_id, bool self_mute, bool self_deaf) {
  bj::object d;
  d["guild_id"] = guild_id.str();
  if (channel_id) d["channel_id"] = channel_id.str();
  else d["channel_id"] = nullptr;
  d["self_mute"] = self_mute;
  d["self_deaf"] = self_deaf;
  return frame(gateway_opcode::voice_state_update, std::move(d));
}

std::string encode_request_guild_members(snowflake guild_id, std::string_view query, int limit, bool presences,
                                         std::string_view nonce) {
  bj::object d;
  d["guild_id"] = guild_id.str();
  d["query"] = query;
  d["limit"] = limit;
  d["presences"] = presences;
  if (!nonce.empty()) d["nonce"] = nonce;
  return frame(gateway_opcode::request_guild_members, std::move(d));
}

bool valid_presence_status(std::string_view s) noexcept {
  return s == "online" || s == "dnd" || s == "idle" || s == "invisible" || s == "offline";
}

std::optional<int> activity_type_from_name(std::string_view n) noexcept {
  if (n == "playing") return 0;
  if (n == "streaming") return 1;
  if (n == "listening") return 2;
  if (n == "watching") return 3;
  if (n == "custom") return 4;
  if (n == "competing") return 5;
  return std::nullopt;
}

}  // namespace vb::discord
