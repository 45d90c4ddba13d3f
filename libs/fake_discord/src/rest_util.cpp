#include "rest_util.hpp"

#include <boost/json/serialize.hpp>

#include "vectobeat/common/json.hpp"

namespace vb::fake::detail {

namespace json = boost::json;

net::http_response discord_error(int status, int code, std::string_view message, const json::value* errors) {
  json::object o;
  o["message"] = message;
  o["code"] = code;
  if (errors) o["errors"] = *errors;
  return net::http_response::json(status, json::serialize(o));
}

net::http_response form_error(std::string_view path, std::string_view code, std::string_view message) {
  // {"a": {"b": {"_errors": [...]}}} for path "a.b".
  json::value leaf = json::object{
      {"_errors", json::array{json::object{{"code", code}, {"message", message}}}}};
  std::string p(path);
  while (!p.empty()) {
    auto dot = p.rfind('.');
    std::string key = dot == std::string::npos ? p : p.substr(dot + 1);
    leaf = json::object{{key, std::move(leaf)}};
    p = dot == std::string::npos ? std::string() : p.substr(0, dot);
  }
  return discord_error(400, discord_code::invalid_form_body, "Invalid Form Body", &leaf);
}

net::http_response json_response(int status, const json::value& v) {
  return net::http_response::json(status, json::serialize(v));
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

namespace {

std::size_t string_len(const json::object& o, std::string_view key) {
  if (auto s = vb::json::get_string(o, key)) return utf8_length(*s);
  return 0;
}

// Checks one embed; returns the error path suffix and message, or empty on success.
std::optional<std::pair<std::string, std::string>> check_embed(const json::object& e, std::size_t& total) {
  struct limit {
    const char* key;
    std::size_t max;
  };
  for (auto l : {limit{"title", 256}, limit{"description", 4096}}) {
    auto n = string_len(e, l.key);
    if (n > l.max) return std::make_pair(std::string(l.key), "Must be " + std::to_string(l.max) + " or fewer in length.");
    total += n;
  }
  if (auto* f = vb::json::get_object(e, "footer")) {
    auto n = string_len(*f, "text");
    if (n > 2048) return std::make_pair(std::string("footer.text"), std::string("Must be 2048 or fewer in length."));
    total += n;
  }
  if (auto* a = vb::json::get_object(e, "author")) {
    auto n = string_len(*a, "name");
    if (n > 256) return std::make_pair(std::string("author.name"), std::string("Must be 256 or fewer in length."));
    total += n;
  }
  if (auto* fields = vb::json::get_array(e, "fields")) {
    if (fields->size() > 25) return std::make_pair(std::string("fields"), std::string("Must be 25 or fewer in length."));
    for (std::size_t i = 0; i < fields->size(); ++i) {
      if (!(*fields)[i].is_object()) return std::make_pair("fields." + std::to_string(i), std::string("Must be an object."));
      auto& f = (*fields)[i].get_object();
      auto name = vb::json::get_string(f, "name");
      auto value = vb::json::get_string(f, "value");
      if (!name || !value)
        return std::make_pair("fields." + std::to_string(i), std::string("This field is required"));
      if (utf8_length(*name) > 256 || utf8_length(*value) > 1024)
        return std::make_pair("fields." + std::to_string(i), std::string("Field is too long."));
      total += utf8_length(*name) + utf8_length(*value);
    }
  }
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> check_components(const json::array& rows, bool v2) {
  if (!v2 && rows.size() > max_action_rows)
    return std::make_pair(std::string(), std::string("Must be 5 or fewer in length."));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string at = std::to_string(i);
    if (!rows[i].is_object()) return std::make_pair(at, std::string("Must be an object."));
    auto& row = rows[i].get_object();
    auto type = vb::json::get_int(row, "type");
    if (!type) return std::make_pair(at + ".type", std::string("This field is required"));
    if (v2) continue;  // Components V2 layouts are accepted as sent
    if (*type != 1) return std::make_pair(at + ".type", std::string("Top-level components must be action rows."));
    auto* children = vb::json::get_array(row, "components");
    if (!children || children->empty() || children->size() > 5)
      return std::make_pair(at + ".components", std::string("Must be between 1 and 5 in length."));
    for (std::size_t j = 0; j < children->size(); ++j) {
      const std::string cat = at + ".components." + std::to_string(j);
      if (!(*children)[j].is_object()) return std::make_pair(cat, std::string("Must be an object."));
      auto& c = (*children)[j].get_object();
      auto ctype = vb::json::get_int(c, "type").value_or(0);
      if (ctype < 2 || ctype > 8) return std::make_pair(cat + ".type", std::string("Invalid component type."));
      auto style = vb::json::get_int(c, "style").value_or(0);
      const bool link = ctype == 2 && (style == 5 || style == 6);
      auto cid = vb::json::get_string(c, "custom_id");
      if (!link && (!cid || cid->empty() || cid->size() > 100))
        return std::make_pair(cat + ".custom_id", std::string("Must be between 1 and 100 in length."));
      if (ctype == 2 && (style < 1 || style > 6)) return std::make_pair(cat + ".style", std::string("Invalid style."));
    }
  }
  return std::nullopt;
}

}  // namespace

expected<message_fields, net::http_response> parse_message_body(const json::value& body, bool creating,
                                                               std::uint64_t allowed_flags) {
  if (!body.is_object()) return unexpected(discord_error(400, discord_code::invalid_json, "The request body contains invalid JSON."));
  auto& o = body.get_object();
  message_fields f;
  if (auto* v = vb::json::find(o, "content"); v && !v->is_null()) {
    if (!v->is_string()) return unexpected(form_error("content", "BASE_TYPE_STRING", "Must be a string."));
    std::string s(v->get_string());
    if (utf8_length(s) > max_content_chars)
      return unexpected(form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."));
    f.content = std::move(s);
  }
  if (auto* v = vb::json::find(o, "flags"); v && !v->is_null()) {
    auto flags = vb::json::get_int(o, "flags");
    if (!flags || *flags < 0) return unexpected(form_error("flags", "BASE_TYPE_INTEGER", "Must be an integer."));
    if (static_cast<std::uint64_t>(*flags) & ~allowed_flags)
      return unexpected(form_error("flags", "MESSAGE_FLAGS_INVALID", "Invalid flags."));
    f.flags = static_cast<std::uint64_t>(*flags);
  }
  if (auto* v = vb::json::find(o, "embeds"); v && !v->is_null()) {
    if (!v->is_array()) return unexpected(form_error("embeds", "BASE_TYPE_ARRAY", "Must be an array."));
    auto& arr = v->get_array();
    if (arr.size() > max_embeds) return unexpected(form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."));
    std::size_t total = 0;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_object()) return unexpected(form_error("embeds." + std::to_string(i), "MODEL_TYPE_CONVERT", "Must be an object."));
      if (auto err = check_embed(arr[i].get_object(), total))
        return unexpected(form_error("embeds." + std::to_string(i) + "." + err->first, "BASE_TYPE_MAX_LENGTH", err->second));
    }
    if (total > max_embed_total_chars)
      return unexpected(form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"));
    f.embeds = arr;
  }
  if (auto* v = vb::json::find(o, "components"); v && !v->is_null()) {
    if (!v->is_array()) return unexpected(form_error("components", "BASE_TYPE_ARRAY", "Must be an array."));
    const bool v2 = (f.flags.value_or(0) & flag_components_v2) != 0;
    if (auto err = check_components(v->get_array(), v2)) {
      std::string path = "components";
      if (!err->first.empty()) path += "." + err->first;
      return unexpected(form_error(path, "COMPONENT_INVALID", err->second));
    }
    f.components = v->get_array();
  }
  if (creating) {
    const bool has_content = f.content && !f.content->empty();
    const bool has_embeds = f.embeds && !f.embeds->empty();
    const bool has_components = f.components && !f.components->empty();
    const bool has_other = vb::json::find(o, "sticker_ids") || vb::json::find(o, "poll");
    if (!has_content && !has_embeds && !has_components && !has_other)
      return unexpected(discord_error(400, discord_code::empty_message, "Cannot send an empty message"));
  }
  return f;
}

void apply_message_fields(message& m, const message_fields& f) {
  if (f.content) m.content = *f.content;
  if (f.embeds) m.embeds = *f.embeds;
  if (f.components) m.components = *f.components;
  if (f.flags) m.flags = (m.flags & (message_flag_ephemeral | message_flag_loading)) | *f.flags;
}

}  // namespace vb::fake::detail
