#include "vectobeat/discord/message.hpp"

#include "json_read.hpp"

namespace vb::discord {

using detail::char_count;

namespace {

model_failure too_long(std::string field, std::size_t max) {
  return {model_error::limit_exceeded, std::move(field), "longer than " + std::to_string(max) + " characters"};
}
model_failure bad(std::string field, std::string detail) {
  return {model_error::limit_exceeded, std::move(field), std::move(detail)};
}

std::string at(std::string_view where, std::string_view field) {
  std::string s(where);
  s += '.';
  s += field;
  return s;
}

validation check_len(const std::optional<std::string>& s, std::size_t max, std::string_view where, std::string_view f) {
  if (s && char_count(*s) > max) return unexpected(too_long(at(where, f), max));
  return {};
}

validation validate_custom_id(const std::string& id, const std::string& where) {
  if (id.empty() || char_count(id) > limits::custom_id) return unexpected(bad(where + ".custom_id", "must be 1-100 characters"));
  return {};
}

validation validate_select(const select_menu& s, const std::string& where) {
  if (auto v = validate_custom_id(s.custom_id, where); !v) return v;
  if (s.type == select_type::string) {
    if (s.options.empty() || s.options.size() > limits::select_options)
      return unexpected(bad(where + ".options", "a string select needs 1-25 options"));
    for (std::size_t i = 0; i < s.options.size(); ++i) {
      const auto& o = s.options[i];
      const std::string w = where + ".options[" + std::to_string(i) + "]";
      if (o.label.empty() || char_count(o.label) > limits::select_option_text) return unexpected(bad(w + ".label", "must be 1-100 characters"));
      if (o.value.empty() || char_count(o.value) > limits::select_option_text) return unexpected(bad(w + ".value", "must be 1-100 characters"));
      if (auto v = check_len(o.description, limits::select_option_text, w, "description"); !v) return v;
    }
  } else if (!s.options.empty()) {
    return unexpected(bad(where + ".options", "only string selects have options"));
  }
  if (auto v = check_len(s.placeholder, limits::select_placeholder, where, "placeholder"); !v) return v;
  if (s.min_values < 0 || s.min_values > 25 || s.max_values < 1 || s.max_values > 25 || s.min_values > s.max_values)
    return unexpected(bad(where + ".min_values", "need 0 <= min <= max <= 25, max >= 1"));
  if (s.type == select_type::string && static_cast<std::size_t>(s.max_values) > s.options.size())
    return unexpected(bad(where + ".max_values", "more than the number of options"));
  return {};
}

boost::json::object emoji_json(const partial_emoji& e) {
  boost::json::object o;
  if (e.id) o["id"] = e.id->str();
  o["name"] = e.name;
  if (e.animated) o["animated"] = true;
  return o;
}

boost::json::object component_json(const component& c) {
  boost::json::object o;
  if (auto* b = std::get_if<button>(&c)) {
    o["type"] = 2;
    o["style"] = static_cast<int>(b->style);
    if (!b->label.empty()) o["label"] = b->label;
    if (b->style == button_style::link) o["url"] = b->url.value_or("");
    else o["custom_id"] = b->custom_id;
    if (b->emoji) o["emoji"] = emoji_json(*b->emoji);
    if (b->disabled) o["disabled"] = true;
  } else if (auto* s = std::get_if<select_menu>(&c)) {
    o["type"] = static_cast<int>(s->type);
    o["custom_id"] = s->custom_id;
    if (s->type == select_type::string) {
      boost::json::array opts;
      for (const auto& so : s->options) {
        boost::json::object jo{{"label", so.label}, {"value", so.value}};
        if (so.description) jo["description"] = *so.description;
        if (so.emoji) jo["emoji"] = emoji_json(*so.emoji);
        if (so.is_default) jo["default"] = true;
        opts.push_back(std::move(jo));
      }
      o["options"] = std::move(opts);
    }
    if (s->placeholder) o["placeholder"] = *s->placeholder;
    o["min_values"] = s->min_values;
    o["max_values"] = s->max_values;
    if (s->disabled) o["disabled"] = true;
  } else if (auto* t = std::get_if<text_input>(&c)) {
    o["type"] = 4;
    o["custom_id"] = t->custom_id;
    o["label"] = t->label;
    o["style"] = t->style;
    if (t->min_length) o["min_length"] = *t->min_length;
    if (t->max_length) o["max_length"] = *t->max_length;
    o["required"] = t->required;
    if (t->value) o["value"] = *t->value;
    if (t->placeholder) o["placeholder"] = *t->placeholder;
  }
  return o;
}

boost::json::array rows_json(const std::vector<action_row>& rows) {
  boost::json::array a;
  for (const auto& r : rows) {
    boost::json::array comps;
    for (const auto& c : r.components) comps.push_back(component_json(c));
    a.push_back(boost::json::object{{"type", 1}, {"components", std::move(comps)}});
  }
  return a;
}

boost::json::object embed_json(const embed& e) {
  boost::json::object o;
  if (e.title) o["title"] = *e.title;
  if (e.description) o["description"] = *e.description;
  if (e.url) o["url"] = *e.url;
  if (e.timestamp) o["timestamp"] = *e.timestamp;
  if (e.color) o["color"] = *e.color;
  if (e.footer) {
    boost::json::object f{{"text", e.footer->text}};
    if (e.footer->icon_url) f["icon_url"] = *e.footer->icon_url;
    o["footer"] = std::move(f);
  }
  if (e.image_url) o["image"] = boost::json::object{{"url", *e.image_url}};
  if (e.thumbnail_url) o["thumbnail"] = boost::json::object{{"url", *e.thumbnail_url}};
  if (e.author) {
    boost::json::object a{{"name", e.author->name}};
    if (e.author->url) a["url"] = *e.author->url;
    if (e.author->icon_url) a["icon_url"] = *e.author->icon_url;
    o["author"] = std::move(a);
  }
  if (!e.fields.empty()) {
    boost::json::array fs;
    for (const auto& f : e.fields)
      fs.push_back(boost::json::object{{"name", f.name}, {"value", f.value}, {"inline", f.is_inline}});
    o["fields"] = std::move(fs);
  }
  return o;
}

boost::json::object message_json(const message_payload& m) {
  boost::json::object o;
  if (m.content) o["content"] = *m.content;
  if (m.embeds) {
    boost::json::array a;
    for (const auto& e : *m.embeds) a.push_back(embed_json(e));
    o["embeds"] = std::move(a);
  }
  if (m.components) o["components"] = rows_json(*m.components);
  if (m.mentions) {
    boost::json::object am;
    boost::json::array parse;
    for (const auto& p : m.mentions->parse) parse.push_back(boost::json::value(p));
    am["parse"] = std::move(parse);
    if (!m.mentions->users.empty()) {
      boost::json::array u;
      for (auto id : m.mentions->users) u.push_back(boost::json::value(id.str()));
      am["users"] = std::move(u);
    }
    if (!m.mentions->roles.empty()) {
      boost::json::array r;
      for (auto id : m.mentions->roles) r.push_back(boost::json::value(id.str()));
      am["roles"] = std::move(r);
    }
    am["replied_user"] = m.mentions->replied_user;
    o["allowed_mentions"] = std::move(am);
  }
  if (m.flags) o["flags"] = *m.flags;
  if (m.tts) o["tts"] = true;
  return o;
}

}  // namespace

std::size_t embed::total_chars() const {
  std::size_t n = 0;
  if (title) n += char_count(*title);
  if (description) n += char_count(*description);
  for (const auto& f : fields) n += char_count(f.name) + char_count(f.value);
  if (footer) n += char_count(footer->text);
  if (author) n += char_count(author->name);
  return n;
}

validation validate(const embed& e, std::string_view where) {
  if (auto v = check_len(e.title, limits::embed_title, where, "title"); !v) return v;
  if (auto v = check_len(e.description, limits::embed_description, where, "description"); !v) return v;
  if (e.fields.size() > limits::embed_fields)
    return unexpected(bad(at(where, "fields"), "more than 25 fields"));
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    const std::string w = at(where, "fields[" + std::to_string(i) + "]");
    const auto& f = e.fields[i];
    if (f.name.empty() || char_count(f.name) > limits::field_name) return unexpected(bad(w + ".name", "must be 1-256 characters"));
    if (f.value.empty() || char_count(f.value) > limits::field_value) return unexpected(bad(w + ".value", "must be 1-1024 characters"));
  }
  if (e.footer && char_count(e.footer->text) > limits::footer_text) return unexpected(too_long(at(where, "footer.text"), limits::footer_text));
  if (e.author && char_count(e.author->name) > limits::author_name) return unexpected(too_long(at(where, "author.name"), limits::author_name));
  if (e.color && *e.color > 0xFFFFFF) return unexpected(bad(at(where, "color"), "above 0xFFFFFF"));
  if (e.total_chars() > limits::embed_total) return unexpected(bad(std::string(where), "more than 6000 characters in total"));
  return {};
}

validation validate(const action_row& row, std::string_view where) {
  const std::string w(where);
  if (row.components.empty()) return unexpected(bad(w, "an action row needs at least one component"));
  std::size_t buttons = 0, selects = 0;
  for (std::size_t i = 0; i < row.components.size(); ++i) {
    const std::string cw = w + ".components[" + std::to_string(i) + "]";
    const auto& c = row.components[i];
    if (auto* b = std::get_if<button>(&c)) {
      ++buttons;
      if (char_count(b->label) > limits::button_label) return unexpected(too_long(cw + ".label", limits::button_label));
      if (b->label.empty() && !b->emoji) return unexpected(bad(cw, "a button needs a label or an emoji"));
      if (b->style == button_style::link) {
        if (!b->url || b->url->empty()) return unexpected(bad(cw + ".url", "a link button needs a url"));
        if (!b->custom_id.empty()) return unexpected(bad(cw + ".custom_id", "a link button has no custom_id"));
      } else {
        if (b->url) return unexpected(bad(cw + ".url", "only link buttons have a url"));
        if (auto v = validate_custom_id(b->custom_id, cw); !v) return v;
      }
    } else if (auto* s = std::get_if<select_menu>(&c)) {
      ++selects;
      if (auto v = validate_select(*s, cw); !v) return v;
    } else if (auto* t = std::get_if<text_input>(&c)) {
      if (auto v = validate_custom_id(t->custom_id, cw); !v) return v;
      if (t->label.empty() || char_count(t->label) > limits::modal_title)
        return unexpected(bad(cw + ".label", "must be 1-45 characters"));
      if (t->style != 1 && t->style != 2) return unexpected(bad(cw + ".style", "must be 1 or 2"));
    }
  }
  if (buttons > limits::buttons_per_row) return unexpected(bad(w, "more than 5 buttons in a row"));
  if (selects > 1 || (selects == 1 && row.components.size() > 1))
    return unexpected(bad(w, "a select menu must be alone in its row"));
  return {};
}

namespace {
validation validate_rows(const std::vector<action_row>& rows, std::string_view where) {
  if (rows.size() > limits::action_rows) return unexpected(bad(std::string(where), "more than 5 action rows"));
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (auto v = validate(rows[i], std::string(where) + "[" + std::to_string(i) + "]"); !v) return v;
  return {};
}
}  // namespace

validation validate(const message_payload& m) {
  if (m.content && char_count(*m.content) > limits::content) return unexpected(too_long("content", limits::content));
  if (m.embeds) {
    if (m.embeds->size() > limits::embeds) return unexpected(bad("embeds", "more than 10 embeds"));
    std::size_t total = 0;
    for (std::size_t i = 0; i < m.embeds->size(); ++i) {
      if (auto v = validate((*m.embeds)[i], "embeds[" + std::to_string(i) + "]"); !v) return v;
      total += (*m.embeds)[i].total_chars();
    }
    if (total > limits::embed_total) return unexpected(bad("embeds", "more than 6000 characters in total"));
  }
  if (m.components)
    if (auto v = validate_rows(*m.components, "components"); !v) return v;
  return {};
}

validation validate(const interaction_response& r) {
  switch (r.type) {
    case callback_type::pong:
    case callback_type::deferred_update_message: return {};
    case callback_type::deferred_channel_message:
      if (r.message && r.message->flags && (*r.message->flags & ~message_flags::ephemeral))
        return unexpected(bad("data.flags", "a deferred reply takes only the ephemeral flag"));
      return {};
    case callback_type::channel_message:
    case callback_type::update_message:
      if (!r.message) return unexpected(detail::missing("data"));
      return validate(*r.message);
    case callback_type::autocomplete_result:
      if (r.choices.size() > limits::autocomplete_choices) return unexpected(bad("data.choices", "more than 25 choices"));
      for (std::size_t i = 0; i < r.choices.size(); ++i) {
        const auto& c = r.choices[i];
        const std::string w = "data.choices[" + std::to_string(i) + "]";
        if (c.name.empty() || char_count(c.name) > 100) return unexpected(bad(w + ".name", "must be 1-100 characters"));
        if (auto* s = std::get_if<std::string>(&c.value); s && char_count(*s) > 100)
          return unexpected(too_long(w + ".value", 100));
      }
      return {};
    case callback_type::modal:
      if (!r.modal) return unexpected(detail::missing("data"));
      if (auto v = validate_custom_id(r.modal->custom_id, "data"); !v) return v;
      if (r.modal->title.empty() || char_count(r.modal->title) > limits::modal_title)
        return unexpected(bad("data.title", "must be 1-45 characters"));
      if (r.modal->components.empty()) return unexpected(bad("data.components", "a modal needs 1-5 rows"));
      return validate_rows(r.modal->components, "data.components");
  }
  return unexpected(detail::invalid("type"));
}

interaction_response interaction_response::defer(bool ephemeral) {
  interaction_response r{callback_type::deferred_channel_message, {}, {}, {}};
  if (ephemeral) {
    r.message.emplace();
    r.message->flags = message_flags::ephemeral;
  }
  return r;
}

expected<boost::json::object, model_failure> to_json(const message_payload& m) {
  if (auto v = validate(m); !v) return unexpected(v.error());
  return message_json(m);
}

expected<boost::json::object, model_failure> to_json(const interaction_response& r) {
  if (auto v = validate(r); !v) return unexpected(v.error());
  boost::json::object o;
  o["type"] = static_cast<int>(r.type);
  switch (r.type) {
    case callback_type::pong:
    case callback_type::deferred_update_message: break;
    case callback_type::deferred_channel_message:
    case callback_type::channel_message:
    case callback_type::update_message:
      if (r.message) o["data"] = message_json(*r.message);
      break;
    case callback_type::autocomplete_result: {
      boost::json::array choices;
      for (const auto& c : r.choices) {
        boost::json::object jc{{"name", c.name}};
        std::visit([&](const auto& v) { jc["value"] = v; }, c.value);
        choices.push_back(std::move(jc));
      }
      o["data"] = boost::json::object{{"choices", std::move(choices)}};
      break;
    }
    case callback_type::modal:
      o["data"] = boost::json::object{
          {"custom_id", r.modal->custom_id}, {"title", r.modal->title}, {"components", rows_json(r.modal->components)}};
      break;
  }
  return o;
}

}  // namespace vb::discord
