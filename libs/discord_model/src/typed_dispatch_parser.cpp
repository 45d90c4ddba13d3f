#include "typed_dispatch_parser.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "typed_dispatch_fields.hpp"

namespace vb::discord::detail {

namespace {

using namespace typed_fields;

struct handler {
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  typed_dispatch* out = nullptr;
  std::string_view name;
  std::optional<std::int64_t> seq;
  std::optional<std::int64_t> op;
  bool have_d = false;
  bool done = false;
  std::vector<entry> stack;
  std::size_t skip = 0;  // depth inside a skipped value
  int key = -1;          // the current key's id in the innermost object
  std::string key_buf, str_buf;
  jv option_value[max_option_depth + 1];  // per nesting level (strings are kept in the option itself)
  data_fields data;
  interaction_fields ia;
  guild_fields gf;

  void reset() {
    name = {};
    seq.reset();
    op.reset();
    have_d = done = false;
    stack.clear();
    skip = 0;
    key = -1;
    key_buf.clear();
    str_buf.clear();
    data = data_fields{};
    ia = interaction_fields{};
    gf = guild_fields{};
  }

  static bool refuse(json_ec& ec) {
    ec = boost::json::error::syntax;  // any error: the caller parses the document
    return false;
  }

  // ---- scalars (and containers read as scalars)
  bool scalar(const jv& v, json_ec& ec) {
    if (stack.empty()) return refuse(ec);  // the frame is not an object
    entry& e = stack.back();
    switch (e.k) {
      case kind::frame:
        if (key == 0) {
          static constexpr std::string_view hot[] = {"VOICE_STATE_UPDATE", "INTERACTION_CREATE", "GUILD_CREATE"};
          for (auto h : hot)
            if (v.kind == jv::str && v.s == h) name = h;
          if (name.empty()) return refuse(ec);
        } else if (key == 1) {
          seq = int_jv(v);
        } else if (key == 2) {
          op = int_jv(v);
        } else if (key == 3) {
          return refuse(ec);  // `d` that is not an object
        }
        return true;
      case kind::voice_state: {
        auto& s = *static_cast<voice_state*>(e.target);
        switch (key) {
          case 0: s.guild_id = snow_jv(v); break;
          case 1: s.channel_id = snow_jv(v); break;
          case 2: s.user_id = snow_jv(v); break;
          case 3: s.session_id = std::string(str_jv(v)); break;
          case 4: s.deaf = bool_jv(v); break;
          case 5: s.mute = bool_jv(v); break;
          case 6: s.self_deaf = bool_jv(v); break;
          case 7: s.self_mute = bool_jv(v); break;
          case 8: s.self_stream = bool_jv(v); break;
          case 9: s.self_video = bool_jv(v); break;
          case 10: s.suppress = bool_jv(v); break;
          default: break;  // member that is not an object: absent
        }
        return true;
      }
      case kind::member: {
        auto& m = *static_cast<member*>(e.target);
        switch (key) {
          case 1: m.nick = opt_str_jv(v); break;
          case 3: m.perms = perms_jv(v); break;
          case 4: m.deaf = bool_jv(v); break;
          case 5: m.mute = bool_jv(v); break;
          default: break;  // user / roles that are not an object / array
        }
        return true;
      }
      case kind::user: {
        auto& u = *static_cast<user*>(e.target);
        switch (key) {
          case 0: u.id = snow_jv(v); break;
          case 1: u.username = std::string(str_jv(v)); break;
          case 2: u.global_name = opt_str_jv(v); break;
          case 3: u.avatar = opt_str_jv(v); break;
          case 4: u.bot = bool_jv(v); break;
          default: break;
        }
        return true;
      }
      case kind::snowflake_list:
        if (auto id = snow_jv(v)) static_cast<std::vector<snowflake>*>(e.target)->push_back(id);
        return true;
      case kind::interaction: {
        auto& in = *static_cast<interaction*>(e.target);
        switch (key) {
          case 0: in.id = snow_jv(v); break;
          case 1: in.application_id = snow_jv(v); break;
          case 2: ia.type = int_jv(v); break;
          case 3: in.token = std::string(str_jv(v)); break;
          case 4: in.version = static_cast<int>(int_jv(v).value_or(1)); break;
          case 5: in.guild_id = snow_jv(v); break;
          case 6: in.channel_id = snow_jv(v); break;
          case 10: in.app_permissions = perms_jv(v).value_or(permissions()); break;
          case 11: in.locale = std::string(str_jv(v)); break;
          case 12: in.guild_locale = std::string(str_jv(v)); break;
          default: break;  // channel / member / user / message / data that are not objects
        }
        return true;
      }
      case kind::id_holder:
        if (key == 0) *static_cast<snowflake*>(e.target) = snow_jv(v);
        return true;
      case kind::command_data:
        switch (key) {
          case 0: data.id = snow_jv(v); break;
          case 1: data.name = std::string(str_jv(v)); break;
          case 2: data.type = static_cast<int>(int_jv(v).value_or(1)); break;
          case 5: data.guild_id = snow_jv(v); break;
          case 6: data.target_id = snow_jv(v); break;
          case 7: data.custom_id = std::string(str_jv(v)); break;
          case 8: data.component_type = static_cast<int>(int_jv(v).value_or(0)); break;
          default: break;
        }
        return true;
      case kind::option_list: return refuse(ec);  // an option that is not an object
      case kind::option: {
        auto& o = *static_cast<interaction_option*>(e.target);
        switch (key) {
          case 0: o.name = std::string(str_jv(v)); break;
          case 1: e.type = int_jv(v); break;
          case 2: o.focused = bool_jv(v); break;
          case 3:
            option_value[e.depth] = v;
            if (v.kind == jv::str) o.value = std::string(v.s);
            break;
          default: break;
        }
        return true;
      }
      case kind::string_list: {
        auto& vals = *static_cast<std::vector<std::string>*>(e.target);
        if (v.kind == jv::str && vals.size() < max_component_values) vals.emplace_back(v.s);
        return true;
      }
      case kind::guild: {
        auto& g = *static_cast<guild*>(e.target);
        switch (key) {
          case 0: g.id = snow_jv(v); break;
          case 1: g.unavailable = bool_jv(v); break;
          case 2: g.name = std::string(str_jv(v)); break;
          case 3: g.owner_id = snow_jv(v); break;
          case 4: g.large = bool_jv(v); break;
          case 5: gf.member_count = int_jv(v); break;
          case 6: gf.approximate_member_count = int_jv(v); break;
          case 7: g.icon = opt_str_jv(v); break;
          case 8: g.preferred_locale = std::string(str_jv(v)); break;
          default: break;
        }
        return true;
      }
      case kind::role: {
        auto& r = *static_cast<role*>(e.target);
        switch (key) {
          case 0: r.id = snow_jv(v); break;
          case 1: r.name = std::string(str_jv(v)); break;
          case 2: r.color = static_cast<std::uint32_t>(int_jv(v).value_or(0)); break;
          case 3: r.managed = bool_jv(v); break;
          case 4: r.position = static_cast<int>(int_jv(v).value_or(0)); break;
          case 5: e.perms = perms_jv(v); break;
          default: break;
        }
        return true;
      }
      case kind::channel: {
        auto& c = *static_cast<channel*>(e.target);
        switch (key) {
          case 0: c.id = snow_jv(v); break;
          case 1: e.type = int_jv(v); break;
          case 2: c.name = std::string(str_jv(v)); break;
          case 3: c.bitrate = static_cast<int>(int_jv(v).value_or(0)); break;
          case 4: c.guild_id = snow_jv(v); break;
          case 5: c.position = static_cast<int>(int_jv(v).value_or(0)); break;
          case 6: c.parent_id = snow_jv(v); break;
          case 7: c.user_limit = static_cast<int>(int_jv(v).value_or(0)); break;
          default: break;
        }
        return true;
      }
      case kind::overwrite: {
        auto& ow = *static_cast<permission_overwrite*>(e.target);
        switch (key) {
          case 0: ow.id = snow_jv(v); break;
          case 1:
            if (auto t = int_jv(v)) {
              e.ow = *t == 0 ? overwrite_state::role : *t == 1 ? overwrite_state::member : overwrite_state::invalid;
            } else {
              const auto s = str_jv(v);  // older payloads sent "role"/"member"
              e.ow = s == "role" ? overwrite_state::role : s == "member" ? overwrite_state::member : overwrite_state::invalid;
            }
            break;
          case 2: ow.allow = perms_jv(v).value_or(permissions()); break;
          case 3: ow.deny = perms_jv(v).value_or(permissions()); break;
          default: break;
        }
        return true;
      }
      case kind::role_list: case kind::channel_list: case kind::overwrite_list: case kind::voice_state_list:
      case kind::member_list:
        return true;  // elements that are not objects are skipped
    }
    return true;
  }

  // ---- containers: push the object/array being decoded, or false to skip it
  bool open(bool array, json_ec& ec, bool& pushed) {
    pushed = false;
    if (stack.empty()) {
      if (array) return refuse(ec);
      stack.push_back({kind::frame, nullptr, keys_of(kind::frame)});
      pushed = true;
      return true;
    }
    entry& e = stack.back();
    auto push = [&](kind k, void* target, int depth = 0) {
      stack.push_back({k, target, keys_of(k)});
      stack.back().depth = depth;
      pushed = true;
    };
    switch (e.k) {
      case kind::frame:
        if (key != 3) return true;
        if (array || name.empty()) return refuse(ec);  // `d` before `t`, or not an object
        have_d = true;
        if (name == "VOICE_STATE_UPDATE") push(kind::voice_state, &out->emplace<voice_state_update_event>().state);
        else if (name == "INTERACTION_CREATE") push(kind::interaction, &out->emplace<interaction_create_event>().in);
        else push(kind::guild, &out->emplace<guild_create_event>().g);
        return true;
      case kind::voice_state:
        if (key == 11 && !array) push(kind::member, &static_cast<voice_state*>(e.target)->member_info.emplace());
        return true;
      case kind::member: {
        auto& m = *static_cast<member*>(e.target);
        if (key == 0 && !array) push(kind::user, &m.user_info.emplace());
        else if (key == 2 && array) push(kind::snowflake_list, &m.roles);
        return true;
      }
      case kind::interaction: {
        auto& in = *static_cast<interaction*>(e.target);
        if (array) return true;
        if (key == 7) push(kind::id_holder, &ia.channel_object_id);
        else if (key == 8) push(kind::member, &in.member_info.emplace());
        else if (key == 9) push(kind::user, &ia.top_user.emplace());
        else if (key == 13) push(kind::id_holder, &in.message_id);
        else if (key == 14) {
          data.present = true;
          push(kind::command_data, &data);
        }
        return true;
      }
      case kind::command_data:
        if (key == 3 && array) push(kind::option_list, &data.options, 1);
        else if (key == 4 && !array) return refuse(ec);  // resolved data: the document path
        else if (key == 9 && array) push(kind::string_list, &data.values);
        return true;
      case kind::option_list: {
        auto& list = *static_cast<std::vector<interaction_option>*>(e.target);
        if (array || list.size() >= max_options_per_level) return refuse(ec);
        const int depth = e.depth;  // `e` may move when the stack grows
        option_value[depth] = jv{};
        push(kind::option, &list.emplace_back(), depth);
        return true;
      }
      case kind::option:
        if (key == 4 && array) {
          if (e.depth >= max_option_depth) return refuse(ec);
          push(kind::option_list, &static_cast<interaction_option*>(e.target)->options, e.depth + 1);
        }
        return true;
      case kind::guild: {
        auto& g = *static_cast<guild*>(e.target);
        if (!array) return true;
        if (key == 9) push(kind::role_list, &g.roles);
        else if (key == 10) push(kind::channel_list, &g.channels);
        else if (key == 11) push(kind::voice_state_list, &g.voice_states);
        else if (key == 12) push(kind::member_list, &g.members);
        return true;
      }
      case kind::role_list:
        if (!array) push(kind::role, &static_cast<std::vector<role>*>(e.target)->emplace_back());
        return true;
      case kind::channel_list:
        if (!array) push(kind::channel, &static_cast<std::vector<channel>*>(e.target)->emplace_back());
        return true;
      case kind::channel:
        if (key == 8 && array) push(kind::overwrite_list, &static_cast<channel*>(e.target)->overwrites);
        return true;
      case kind::overwrite_list:
        if (!array) push(kind::overwrite, &static_cast<std::vector<permission_overwrite>*>(e.target)->emplace_back());
        return true;
      case kind::voice_state_list:
        if (!array) push(kind::voice_state, &static_cast<std::vector<voice_state>*>(e.target)->emplace_back());
        return true;
      case kind::member_list:
        if (!array) push(kind::member, &static_cast<std::vector<member>*>(e.target)->emplace_back());
        return true;
      default: return true;
    }
  }

  // ---- the end of a decoded object/array: validate as the typed parsers do
  bool close(json_ec& ec) {
    entry* parent = stack.size() > 1 ? &stack[stack.size() - 2] : nullptr;
    const bool ok = finish(stack.back(), parent, ec);
    stack.pop_back();
    return ok;
  }

  bool finish(entry& e, entry* parent, json_ec& ec) {
    switch (e.k) {
      case kind::frame:
        done = true;
        if (!have_d || op != 0) return refuse(ec);
        return true;
      case kind::voice_state: {
        auto& s = *static_cast<voice_state*>(e.target);
        if (parent->k == kind::voice_state_list) {
          if (!s.user_id) static_cast<std::vector<voice_state>*>(parent->target)->pop_back();
        } else if (!s.user_id || !s.guild_id) {
          return refuse(ec);  // VOICE_STATE_UPDATE needs both: the document path reports which
        }
        return true;
      }
      case kind::user:
        if (parent->k == kind::member) {
          auto& m = *static_cast<member*>(parent->target);
          if (!m.user_info->id) m.user_info.reset();
          else m.user_id = m.user_info->id;
        } else if (!ia.top_user->id) {  // the interaction's `user`
          ia.top_user.reset();
        }
        return true;
      case kind::interaction: return finish_interaction(*static_cast<interaction*>(e.target), ec);
      case kind::option: return finish_option(e, ec);
      case kind::guild: return finish_guild(*static_cast<guild*>(e.target), ec);
      case kind::role:
        if (!static_cast<role*>(e.target)->id || !e.perms) static_cast<std::vector<role>*>(parent->target)->pop_back();
        else static_cast<role*>(e.target)->perms = *e.perms;
        return true;
      case kind::channel: {
        auto& c = *static_cast<channel*>(e.target);
        if (!c.id || !e.type) static_cast<std::vector<channel>*>(parent->target)->pop_back();
        else c.type = to_channel_type(*e.type);
        return true;
      }
      case kind::overwrite: {
        auto& ow = *static_cast<permission_overwrite*>(e.target);
        if (!ow.id || e.ow == overwrite_state::invalid)
          static_cast<std::vector<permission_overwrite>*>(parent->target)->pop_back();
        else ow.type = e.ow == overwrite_state::role ? overwrite_type::role : overwrite_type::member;
        return true;
      }
      default: return true;
    }
  }

  bool finish_option(entry& e, json_ec& ec) {
    auto& o = *static_cast<interaction_option*>(e.target);
    if (o.name.empty() || !e.type || *e.type < 1 || *e.type > 11) return refuse(ec);
    o.type = static_cast<option_type>(*e.type);
    jv v = option_value[e.depth];
    if (v.kind == jv::str) v.s = std::get<std::string>(o.value);  // the token text is gone; the option kept it
    if (v.kind == jv::null) {
      o.value = std::monostate();
      return true;
    }
    if (o.focused && v.kind == jv::str) return true;  // autocomplete: partial input as typed (already stored)
    switch (o.type) {
      case option_type::string:
        return v.kind == jv::str || refuse(ec);
      case option_type::integer:
        if (auto i = int_jv(v)) o.value = *i;
        else return refuse(ec);
        return true;
      case option_type::number:
        if (auto d = number_jv(v)) o.value = *d;
        else return refuse(ec);
        return true;
      case option_type::boolean:
        if (v.kind != jv::boolean) return refuse(ec);
        o.value = v.b;
        return true;
      case option_type::user: case option_type::channel: case option_type::role: case option_type::mentionable:
      case option_type::attachment: {
        auto id = snow_jv(v);
        if (!id) return refuse(ec);
        o.value = id;
        return true;
      }
      case option_type::sub_command: case option_type::sub_command_group:
        o.value = std::monostate();
        return true;
    }
    return true;
  }

  bool finish_interaction(interaction& in, json_ec& ec) {
    if (!in.id || !in.application_id || !ia.type || *ia.type < 1 || *ia.type > 5 || in.token.empty()) return refuse(ec);
    in.type = static_cast<interaction_type>(*ia.type);
    if (!in.channel_id) in.channel_id = ia.channel_object_id;
    if (in.member_info && in.member_info->user_info) in.user_info = in.member_info->user_info;
    if (!in.user_info && ia.top_user) in.user_info = std::move(ia.top_user);
    switch (in.type) {
      case interaction_type::ping: break;
      case interaction_type::application_command:
      case interaction_type::autocomplete: {
        if (!data.present || data.name.empty()) return refuse(ec);
        command_data c;
        c.id = data.id;
        c.name = std::move(data.name);
        c.type = data.type;
        c.options = std::move(data.options);
        c.guild_id = data.guild_id;
        c.target_id = data.target_id;
        in.data = std::move(c);
        break;
      }
      case interaction_type::message_component: {
        if (!data.present || data.custom_id.empty()) return refuse(ec);
        component_data c;
        c.custom_id = std::move(data.custom_id);
        c.component_type = data.component_type;
        c.values = std::move(data.values);
        in.data = std::move(c);
        break;
      }
      case interaction_type::modal_submit: return refuse(ec);  // the document path
    }
    return true;
  }

  bool finish_guild(guild& g, json_ec& ec) {
    if (!g.id) return refuse(ec);
    g.member_count = static_cast<int>(gf.member_count.value_or(gf.approximate_member_count.value_or(0)));
    for (auto& c : g.channels)
      if (!c.guild_id) c.guild_id = g.id;
    for (auto& s : g.voice_states)
      if (!s.guild_id) s.guild_id = g.id;
    return true;
  }

  // ---- basic_parser events
  bool on_document_begin(json_ec&) { return true; }
  bool on_document_end(json_ec& ec) { return done || refuse(ec); }
  bool begin(bool array, json_ec& ec) {
    if (skip) {
      ++skip;
      return true;
    }
    const int k = key;
    bool pushed = false;
    if (!open(array, ec, pushed)) return false;
    if (pushed) return true;
    if (!stack.empty() && (k >= 0 || !stack.back().keys)) {  // arrays: elements read as values
      jv other;
      other.kind = jv::other;
      if (!scalar(other, ec)) return false;
    }
    skip = 1;
    return true;
  }
  bool on_object_begin(json_ec& ec) { return begin(false, ec); }
  bool on_array_begin(json_ec& ec) { return begin(true, ec); }
  bool end(json_ec& ec) {
    if (skip) {
      --skip;
      return true;
    }
    return close(ec);
  }
  bool on_object_end(std::size_t, json_ec& ec) { return end(ec); }
  bool on_array_end(std::size_t, json_ec& ec) { return end(ec); }
  bool on_key_part(boost::json::string_view s, std::size_t, json_ec&) {
    if (!skip) key_buf.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, json_ec& ec) {
    if (skip) return true;
    std::string_view k(s.data(), s.size());
    if (!key_buf.empty()) {
      key_buf.append(s.data(), s.size());
      k = key_buf;
    }
    entry& e = stack.back();
    key = e.keys ? e.keys->find(k) : -1;
    key_buf.clear();
    if (key >= 0) {
      const std::uint64_t bit = 1ULL << key;
      if (e.seen & bit) return refuse(ec);  // duplicate key: the document keeps the last one
      e.seen |= bit;
    }
    return true;
  }
  bool value(const jv& v, json_ec& ec) {
    if (skip) return true;
    if (!stack.empty() && key < 0 && stack.back().keys) return true;  // a field nobody reads
    return scalar(v, ec);
  }
  bool on_string_part(boost::json::string_view s, std::size_t, json_ec&) {
    if (!skip) str_buf.append(s.data(), s.size());
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, json_ec& ec) {
    if (skip) return true;
    jv v;
    v.kind = jv::str;
    v.s = std::string_view(s.data(), s.size());
    if (!str_buf.empty()) {
      str_buf.append(s.data(), s.size());
      v.s = str_buf;
    }
    const bool ok = value(v, ec);
    str_buf.clear();
    return ok;
  }
  bool on_number_part(boost::json::string_view, json_ec&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view, json_ec& ec) {
    jv v;
    v.kind = jv::i64;
    v.i = i;
    return value(v, ec);
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, json_ec& ec) {
    jv v;
    v.kind = jv::u64;
    v.u = u;
    return value(v, ec);
  }
  bool on_double(double d, boost::json::string_view, json_ec& ec) {
    jv v;
    v.kind = jv::dbl;
    v.d = d;
    return value(v, ec);
  }
  bool on_bool(bool b, json_ec& ec) {
    jv v;
    v.kind = jv::boolean;
    v.b = b;
    return value(v, ec);
  }
  bool on_null(json_ec& ec) { return value(jv{}, ec); }
  bool on_comment_part(boost::json::string_view, json_ec&) { return true; }
  bool on_comment(boost::json::string_view, json_ec&) { return true; }
};

boost::json::parse_options options_for(std::size_t max_depth) {
  boost::json::parse_options o;
  o.max_depth = max_depth;
  return o;
}

}  // namespace

struct typed_dispatch_parser::impl {
  explicit impl(std::size_t max_depth) : parser(options_for(max_depth)) {
    parser.handler().stack.reserve(max_depth + 2);
  }
  boost::json::basic_parser<handler> parser;
};

typed_dispatch_parser::typed_dispatch_parser(std::size_t max_depth) : impl_(std::make_unique<impl>(max_depth)) {}
typed_dispatch_parser::~typed_dispatch_parser() = default;

bool typed_dispatch_parser::parse(std::string_view text, typed_dispatch& out, std::string_view& name,
                                  std::optional<std::int64_t>& seq) {
  auto& p = impl_->parser;
  auto& h = p.handler();
  p.reset();
  h.reset();
  h.out = &out;
  json_ec ec;
  const std::size_t used = p.write_some(false, text.data(), text.size(), ec);
  if (ec || !h.done || used != text.size()) {  // trailing data is an error for the document path
    out.emplace<std::monostate>();
    return false;
  }
  name = h.name;
  seq = h.seq;
  return true;
}

}  // namespace vb::discord::detail
