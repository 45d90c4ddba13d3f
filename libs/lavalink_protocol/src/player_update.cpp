#include "vectobeat/lavalink/player_update.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <utility>

#include "readers.hpp"

namespace vb::lavalink {
namespace {

using detail::object_reader;

// Kotlin's isBlank(): empty or whitespace only.
bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

void read_track_update(object_reader& r, track_update& out) {
  out.encoded = r.patch_nullable_string("encoded");
  out.identifier = r.patch_string("identifier");
  out.user_data = r.patch_object("userData");
}

// Missing or null voice fields count as blank for the §5.1 check; other types are type errors.
void read_voice(object_reader& r, voice_state& out) {
  out.token = r.nullable_string("token").value_or("");
  out.endpoint = r.nullable_string("endpoint").value_or("");
  out.session_id = r.nullable_string("sessionId").value_or("");
  out.channel_id = r.nullable_string("channelId");
}

// A present object-valued field: null and other types are rejected.
template <class T, class Read>
void read_patch_object(object_reader& r, std::string_view key, patch_field<T>& out, Read read) {
  if (!r.has(key)) return;
  if (auto c = r.child(key)) {
    T value{};
    read(*c, value);
    out = std::move(value);
  }
}

void read_fields(object_reader& r, player_update& out) {
  read_patch_object(r, "track", out.track, read_track_update);
  out.encoded_track = r.patch_nullable_string("encodedTrack");
  out.identifier = r.patch_string("identifier");
  out.position = r.patch_int64("position");
  out.end_time = r.patch_nullable_int64("endTime");
  if (const auto* v = r.find("volume")) {
    const auto volume = detail::as_int64(*v);
    if (!volume) r.fail("volume", "must be an integer");
    // Lavalink clamps to 0..1000 (PlayerRestHandler: volume.coerceIn(0, 1000)) instead of refusing.
    else out.volume = static_cast<std::int32_t>(std::clamp<std::int64_t>(*volume, 0, 1000));
  }
  out.paused = r.patch_bool("paused");
  read_patch_object(r, "filters", out.filters, [](object_reader& c, filters& f) { detail::read(c, f); });
  read_patch_object(r, "voice", out.voice, read_voice);
}

// §5.1 rules, in the reference handler's order.
void validate(object_reader& r, player_update& out) {
  if (out.track && (out.encoded_track || out.identifier)) {
    r.fail_message(std::string(player_update_errors::track_and_deprecated));
    return;
  }
  const auto t = out.effective_track();
  if (t.encoded && t.identifier) {
    r.fail_message(std::string(player_update_errors::encoded_and_identifier));
    return;
  }
  if (const auto* v = out.voice.get()) {
    if (is_blank(v->token) || is_blank(v->endpoint) || is_blank(v->session_id) || !v->channel_id ||
        is_blank(*v->channel_id)) {
      r.fail_message(std::string(player_update_errors::incomplete_voice));
      return;
    }
  }
  if (const auto* e = out.end_time.get(); e && *e && **e <= 0) {
    r.fail_message(std::string(player_update_errors::end_time_not_positive));
    return;
  }
  // lavaplayer treats a negative start or seek position as 0.
  if (out.position && *out.position < 0) out.position = std::int64_t{0};
}

void read_player_update(object_reader& r, player_update& out) {
  read_fields(r, out);
  if (r.ok()) validate(r, out);
}

}  // namespace

track_update player_update::effective_track() const {
  if (const auto* t = track.get()) return *t;
  track_update t;
  t.encoded = encoded_track;
  t.identifier = identifier;
  return t;
}

bool player_update::starts_track() const {
  const auto t = effective_track();
  return t.encoded.present() || t.identifier.present();
}

expected<player_update, std::string> decode_player_update(const boost::json::value& v) {
  std::string error;
  object_reader r(v, "", error);
  if (!r.is_object()) return unexpected(std::string("Request body must be a JSON object"));
  player_update out;
  read_player_update(r, out);
  if (!error.empty()) return unexpected(std::move(error));
  return out;
}

expected<player_update, std::string> parse_player_update(std::string_view text) {
  auto v = vb::json::parse(text);
  if (!v) return unexpected(std::move(v).error());
  return decode_player_update(*v);
}

template <>
expected<player_update, std::string> from_json<player_update>(const boost::json::value& v) {
  return decode_player_update(v);
}

boost::json::value to_json(const player_update& u) {
  boost::json::object o;
  auto nullable_string = [](const std::optional<std::string>& s) { return detail::nullable(s); };
  if (const auto* t = u.track.get()) {
    boost::json::object track;
    if (t->encoded) track["encoded"] = nullable_string(*t->encoded);
    if (t->identifier) track["identifier"] = *t->identifier;
    if (t->user_data) track["userData"] = *t->user_data;
    o["track"] = std::move(track);
  }
  if (u.encoded_track) o["encodedTrack"] = nullable_string(*u.encoded_track);
  if (u.identifier) o["identifier"] = *u.identifier;
  if (u.position) o["position"] = *u.position;
  if (const auto* e = u.end_time.get()) o["endTime"] = *e ? boost::json::value(**e) : boost::json::value(nullptr);
  if (u.volume) o["volume"] = *u.volume;
  if (u.paused) o["paused"] = *u.paused;
  if (u.filters) o["filters"] = to_json(*u.filters);
  if (u.voice) o["voice"] = to_json(*u.voice);
  return o;
}

}  // namespace vb::lavalink
