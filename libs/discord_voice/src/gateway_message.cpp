#include "vectobeat/voice/gateway_message.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cmath>
#include <limits>

#include "vectobeat/common/json.hpp"

namespace vb::voice {

std::string_view to_string(voice_opcode op) noexcept {
  switch (op) {
    case voice_opcode::identify: return "identify";
    case voice_opcode::select_protocol: return "select_protocol";
    case voice_opcode::ready: return "ready";
    case voice_opcode::heartbeat: return "heartbeat";
    case voice_opcode::session_description: return "session_description";
    case voice_opcode::speaking: return "speaking";
    case voice_opcode::heartbeat_ack: return "heartbeat_ack";
    case voice_opcode::resume: return "resume";
    case voice_opcode::hello: return "hello";
    case voice_opcode::resumed: return "resumed";
    case voice_opcode::clients_connect: return "clients_connect";
    case voice_opcode::client_disconnect: return "client_disconnect";
    case voice_opcode::dave_prepare_transition: return "dave_prepare_transition";
    case voice_opcode::dave_execute_transition: return "dave_execute_transition";
    case voice_opcode::dave_transition_ready: return "dave_transition_ready";
    case voice_opcode::dave_prepare_epoch: return "dave_prepare_epoch";
    case voice_opcode::dave_mls_external_sender: return "dave_mls_external_sender";
    case voice_opcode::dave_mls_key_package: return "dave_mls_key_package";
    case voice_opcode::dave_mls_proposals: return "dave_mls_proposals";
    case voice_opcode::dave_mls_commit_welcome: return "dave_mls_commit_welcome";
    case voice_opcode::dave_mls_announce_commit_transition: return "dave_mls_announce_commit_transition";
    case voice_opcode::dave_mls_welcome: return "dave_mls_welcome";
    case voice_opcode::dave_mls_invalid_commit_welcome: return "dave_mls_invalid_commit_welcome";
  }
  return "unknown";
}

namespace {

// Opcode of each gateway_payload alternative, in variant order.
constexpr int payload_opcodes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 21, 22, 23, 24, 31};
static_assert(std::size(payload_opcodes) + 1 == std::variant_size_v<gateway_payload>);

using json::object;
using json::value;

// ------------------------------------------------------------------ decode helpers

std::optional<std::int64_t> as_int(const value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {  // 13750.0 style integers
    double d = v.get_double();
    if (d >= -9.2e18 && d <= 9.2e18 && std::floor(d) == d) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

template <class T>
std::optional<T> as_ranged(const value& v) {
  auto i = as_int(v);
  if (!i || *i < 0 || static_cast<std::uint64_t>(*i) > std::numeric_limits<T>::max()) return std::nullopt;
  return static_cast<T>(*i);
}

template <class T>
std::optional<T> get_ranged(const object& o, std::string_view key) {
  const value* v = json::find(o, key);
  return v ? as_ranged<T>(*v) : std::nullopt;
}

// Snowflakes as strings (strictly decimal) or, leniently, as positive integers.
std::optional<snowflake> as_snowflake(const value& v) {
  if (v.is_string()) return parse_snowflake(v.get_string());
  auto i = as_int(v);
  if (!i || *i <= 0) return std::nullopt;
  return static_cast<snowflake>(*i);
}

std::optional<snowflake> get_snowflake(const object& o, std::string_view key) {
  const value* v = json::find(o, key);
  return v ? as_snowflake(*v) : std::nullopt;
}

std::optional<int> get_version(const object& o, std::string_view key) {
  if (!json::find(o, key) || o.at(key).is_null()) return 0;
  auto v = get_ranged<std::uint8_t>(o, key);
  if (!v) return std::nullopt;
  return int{*v};
}

// Optional integer field: absent or null -> nullopt (ok), present but mistyped -> error.
bool get_optional_int(const object& o, std::string_view key, std::optional<std::int64_t>& out) {
  const value* v = json::find(o, key);
  if (!v || v->is_null()) return true;
  auto i = as_int(*v);
  if (!i) return false;
  out = *i;
  return true;
}

using decoded = expected<gateway_payload, voice_error>;
const auto bad = [] { return unexpected(voice_error::invalid_payload); };

decoded decode_identify(const object& d) {
  identify_payload p;
  auto server = get_snowflake(d, "server_id");
  auto user = get_snowflake(d, "user_id");
  auto session = json::get_string(d, "session_id");
  auto token = json::get_string(d, "token");
  auto dave = get_version(d, "max_dave_protocol_version");
  if (!server || !user || !session || !token || !dave) return bad();
  p.server_id = *server;
  p.user_id = *user;
  p.session_id = *session;
  p.token = *token;
  p.max_dave_protocol_version = *dave;
  return p;
}

decoded decode_select_protocol(const object& d) {
  select_protocol_payload p;
  auto protocol = json::get_string(d, "protocol");
  const object* data = json::get_object(d, "data");
  if (!protocol || !data) return bad();
  auto address = json::get_string(*data, "address");
  auto port = get_ranged<std::uint16_t>(*data, "port");
  auto mode = json::get_string(*data, "mode");
  if (!address || !port || !mode) return bad();
  p.protocol = *protocol;
  p.address = *address;
  p.port = *port;
  p.mode = *mode;
  return p;
}

decoded decode_ready(const object& d) {
  ready_payload p;
  auto ssrc = get_ranged<std::uint32_t>(d, "ssrc");
  auto ip = json::get_string(d, "ip");
  auto port = get_ranged<std::uint16_t>(d, "port");
  const json::array* modes = json::get_array(d, "modes");
  if (!ssrc || !ip || !port || !modes) return bad();
  p.ssrc = *ssrc;
  p.ip = *ip;
  p.port = *port;
  p.modes.reserve(modes->size());
  for (const value& m : *modes) {
    if (!m.is_string()) return bad();
    p.modes.emplace_back(m.get_string());
  }
  return p;
}

// Heartbeat and its ACK: v8 {"t": n, ...}; before v8 a bare integer nonce.
bool decode_nonce(const value* d, std::int64_t& t) {
  if (!d) return false;
  const value* n = d;
  if (d->is_object()) n = json::find(d->get_object(), "t");
  auto v = n ? as_int(*n) : std::nullopt;
  if (!v) return false;
  t = *v;
  return true;
}

decoded decode_heartbeat(const value* d) {
  heartbeat_payload p;
  if (!decode_nonce(d, p.t)) return bad();
  if (d->is_object() && !get_optional_int(d->get_object(), "seq_ack", p.seq_ack)) return bad();
  return p;
}

decoded decode_heartbeat_ack(const value* d) {
  heartbeat_ack_payload p;
  if (!decode_nonce(d, p.t)) return bad();
  return p;
}

decoded decode_session_description(const object& d) {
  session_description_payload p;
  auto mode = json::get_string(d, "mode");
  const json::array* key = json::get_array(d, "secret_key");
  auto dave = get_version(d, "dave_protocol_version");
  if (!mode || !key || !dave || key->size() != p.secret_key.size()) return bad();
  for (std::size_t i = 0; i < key->size(); ++i) {
    auto b = as_ranged<std::uint8_t>((*key)[i]);
    if (!b) return bad();
    p.secret_key[i] = *b;
  }
  p.mode = *mode;
  p.dave_protocol_version = *dave;
  return p;
}

decoded decode_speaking(const object& d) {
  speaking_payload p;
  if (auto b = json::get_bool(d, "speaking")) {
    p.speaking = *b ? speaking_microphone : 0;  // voice gateway v3 sent a boolean
  } else if (auto s = get_ranged<std::uint32_t>(d, "speaking")) {
    p.speaking = *s;
  } else {
    return bad();
  }
  auto ssrc = get_ranged<std::uint32_t>(d, "ssrc");
  if (!ssrc) return bad();
  p.ssrc = *ssrc;
  if (json::find(d, "delay")) {
    auto delay = get_ranged<std::int32_t>(d, "delay");
    if (!delay) return bad();
    p.delay = *delay;
  }
  if (const value* u = json::find(d, "user_id"); u && !u->is_null()) {
    auto id = get_snowflake(d, "user_id");
    if (!id) return bad();
    p.user_id = *id;
  }
  return p;
}

decoded decode_resume(const object& d) {
  resume_payload p;
  auto server = get_snowflake(d, "server_id");
  auto session = json::get_string(d, "session_id");
  auto token = json::get_string(d, "token");
  if (!server || !session || !token || !get_optional_int(d, "seq_ack", p.seq_ack)) return bad();
  p.server_id = *server;
  p.session_id = *session;
  p.token = *token;
  return p;
}

decoded decode_hello(const object& d) {
  auto ms = json::get_number(d, "heartbeat_interval");
  if (!ms || !std::isfinite(*ms) || *ms < 1.0 || *ms > 1e9) return bad();
  return hello_payload{static_cast<std::int64_t>(*ms)};
}

decoded decode_clients_connect(const object& d) {
  const json::array* ids = json::get_array(d, "user_ids");
  if (!ids) return bad();
  clients_connect_payload p;
  p.user_ids.reserve(ids->size());
  for (const value& v : *ids) {
    auto id = as_snowflake(v);
    if (!id) return bad();
    p.user_ids.push_back(*id);
  }
  return p;
}

decoded decode_client_disconnect(const object& d) {
  auto id = get_snowflake(d, "user_id");
  if (!id) return bad();
  return client_disconnect_payload{*id};
}

decoded decode_transition_id(const object& d, int op) {
  auto id = get_ranged<std::uint16_t>(d, "transition_id");
  if (!id) return bad();
  switch (op) {
    case 21: {
      auto v = get_version(d, "protocol_version");
      if (!v || !json::find(d, "protocol_version")) return bad();
      return dave_prepare_transition_payload{*v, *id};
    }
    case 22: return dave_execute_transition_payload{*id};
    case 23: return dave_transition_ready_payload{*id};
    default: return dave_invalid_commit_welcome_payload{*id};
  }
}

decoded decode_prepare_epoch(const object& d) {
  auto v = get_version(d, "protocol_version");
  auto epoch = get_ranged<std::int64_t>(d, "epoch");
  if (!v || !json::find(d, "protocol_version") || !epoch) return bad();
  return dave_prepare_epoch_payload{*v, static_cast<std::uint64_t>(*epoch)};
}

decoded decode_payload(int op, const value* d) {
  const object* o = d && d->is_object() ? &d->get_object() : nullptr;
  auto need = [&](auto&& fn) -> decoded {
    if (!o) return bad();
    return fn(*o);
  };
  switch (op) {
    case 0: return need(decode_identify);
    case 1: return need(decode_select_protocol);
    case 2: return need(decode_ready);
    case 3: return decode_heartbeat(d);
    case 4: return need(decode_session_description);
    case 5: return need(decode_speaking);
    case 6: return decode_heartbeat_ack(d);
    case 7: return need(decode_resume);
    case 8: return need(decode_hello);
    case 9: return resumed_payload{};
    case 11: return need(decode_clients_connect);
    case 13: return need(decode_client_disconnect);
    case 21:
    case 22:
    case 23:
    case 31: return need([op](const object& x) { return decode_transition_id(x, op); });
    case 24: return need(decode_prepare_epoch);
    default: return unknown_payload{op, d ? json::serialize(*d) : std::string("null")};
  }
}

// ------------------------------------------------------------------ encode

std::string id_text(snowflake id) { return std::to_string(id); }

struct encoder {
  value operator()(const identify_payload& p) const {
    return object{{"server_id", id_text(p.server_id)},
                  {"user_id", id_text(p.user_id)},
                  {"session_id", p.session_id},
                  {"token", p.token},
                  {"max_dave_protocol_version", p.max_dave_protocol_version}};
  }
  value operator()(const select_protocol_payload& p) const {
    return object{{"protocol", p.protocol},
                  {"data", object{{"address", p.address}, {"port", p.port}, {"mode", p.mode}}}};
  }
  value operator()(const ready_payload& p) const {
    json::array modes;
    for (auto& m : p.modes) modes.emplace_back(m);
    return object{{"ssrc", p.ssrc}, {"ip", p.ip}, {"port", p.port}, {"modes", std::move(modes)}};
  }
  value operator()(const heartbeat_payload& p) const {
    object o{{"t", p.t}};
    if (p.seq_ack) o["seq_ack"] = *p.seq_ack;
    return o;
  }
  value operator()(const session_description_payload& p) const {
    json::array key;
    for (auto b : p.secret_key) key.emplace_back(b);
    return object{{"mode", p.mode}, {"secret_key", std::move(key)}, {"dave_protocol_version", p.dave_protocol_version}};
  }
  value operator()(const speaking_payload& p) const {
    object o{{"speaking", p.speaking}, {"delay", p.delay}, {"ssrc", p.ssrc}};
    if (p.user_id) o["user_id"] = id_text(*p.user_id);
    return o;
  }
  value operator()(const heartbeat_ack_payload& p) const { return object{{"t", p.t}}; }
  value operator()(const resume_payload& p) const {
    object o{{"server_id", id_text(p.server_id)}, {"session_id", p.session_id}, {"token", p.token}};
    if (p.seq_ack) o["seq_ack"] = *p.seq_ack;
    return o;
  }
  value operator()(const hello_payload& p) const { return object{{"heartbeat_interval", p.heartbeat_interval_ms}}; }
  value operator()(const resumed_payload&) const { return nullptr; }
  value operator()(const clients_connect_payload& p) const {
    json::array ids;
    for (auto id : p.user_ids) ids.emplace_back(id_text(id));
    return object{{"user_ids", std::move(ids)}};
  }
  value operator()(const client_disconnect_payload& p) const { return object{{"user_id", id_text(p.user_id)}}; }
  value operator()(const dave_prepare_transition_payload& p) const {
    return object{{"protocol_version", p.protocol_version}, {"transition_id", p.transition_id}};
  }
  value operator()(const dave_execute_transition_payload& p) const { return object{{"transition_id", p.transition_id}}; }
  value operator()(const dave_transition_ready_payload& p) const { return object{{"transition_id", p.transition_id}}; }
  value operator()(const dave_prepare_epoch_payload& p) const {
    return object{{"protocol_version", p.protocol_version}, {"epoch", p.epoch}};
  }
  value operator()(const dave_invalid_commit_welcome_payload& p) const {
    return object{{"transition_id", p.transition_id}};
  }
  value operator()(const unknown_payload& p) const {
    auto v = json::parse(p.d);
    return v ? std::move(*v) : value(nullptr);
  }
};

}  // namespace

int gateway_message::opcode() const noexcept {
  if (auto* u = std::get_if<unknown_payload>(&payload)) return u->op;
  return payload_opcodes[payload.index()];
}

std::string encode(const gateway_message& m) {
  object o{{"op", m.opcode()}, {"d", std::visit(encoder{}, m.payload)}};
  if (m.seq) o["seq"] = *m.seq;
  return json::serialize(o);
}

expected<gateway_message, voice_error> decode_gateway_message(std::string_view text) {
  auto v = json::parse(text, {max_gateway_text_bytes, 16});
  if (!v) return unexpected(voice_error::invalid_json);
  if (!v->is_object()) return unexpected(voice_error::invalid_payload);
  const object& o = v->get_object();
  auto op = get_ranged<std::uint8_t>(o, "op");
  if (!op) return unexpected(voice_error::invalid_payload);
  gateway_message m;
  if (!get_optional_int(o, "seq", m.seq)) return unexpected(voice_error::invalid_payload);
  auto p = decode_payload(*op, json::find(o, "d"));
  if (!p) return unexpected(p.error());
  m.payload = std::move(*p);
  return m;
}

}  // namespace vb::voice
