// gateway_frame_parser::parse_typed(): the hot dispatches decoded without a document must
// give exactly what parse() + the parse_* functions give, and everything else (malformed,
// adversarial, unusual) must fall back to parse() with its results and errors.
#include "vectobeat/discord/gateway_payload.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <functional>
#include <string>
#include <vector>

#include "sample_payloads.hpp"

namespace vb::discord {
namespace {

namespace bj = boost::json;
namespace t = test;

// What the document path makes of a hot dispatch frame: the typed event or the error.
struct expected_outcome {
  bool frame_ok = false;
  model_error frame_error{};
  typed_dispatch event;       // monostate when the typed parse refused the payload
  bool event_refused = false;
};

expected_outcome through_document(std::string_view text) {
  gateway_frame_parser p;
  expected_outcome out;
  auto f = p.parse(text);
  if (!f) {
    out.frame_error = f.error().code;
    return out;
  }
  out.frame_ok = true;
  if (f->op != 0 || !f->d->is_object()) return out;
  const auto& d = f->d->get_object();
  if (f->t == "VOICE_STATE_UPDATE") {
    auto e = parse_voice_state_update(d);
    if (e) out.event = std::move(*e);
    else out.event_refused = true;
  } else if (f->t == "INTERACTION_CREATE") {
    auto e = parse_interaction_create(d);
    if (e) out.event = std::move(*e);
    else out.event_refused = true;
  } else if (f->t == "GUILD_CREATE") {
    auto e = parse_guild_create(d);
    if (e) out.event = std::move(*e);
    else out.event_refused = true;
  }
  return out;
}

// Returns true when parse_typed() decoded the frame itself (false: it fell back).
bool expect_same(std::string_view text) {
  SCOPED_TRACE(std::string(text.substr(0, 300)));
  const expected_outcome want = through_document(text);
  gateway_frame_parser typed_parser;
  gateway_frame_parser doc_parser;
  auto got = typed_parser.parse_typed(text);
  auto doc = doc_parser.parse(text);
  EXPECT_EQ(static_cast<bool>(got), want.frame_ok);
  if (!got) {
    EXPECT_EQ(got.error().code, want.frame_error);
    return false;
  }
  if (got->typed) {
    EXPECT_FALSE(want.event_refused);
    EXPECT_EQ(got->op, 0);
    EXPECT_EQ(got->s, doc->s);
    EXPECT_EQ(got->t, doc->t);
    EXPECT_TRUE(got->d->is_null());
    EXPECT_NE(got->typed->index(), 0u);
    EXPECT_TRUE(*got->typed == want.event) << "typed decoding differs from the document path";
    return true;
  }
  // Fallback: exactly the document frame.
  EXPECT_EQ(got->op, doc->op);
  EXPECT_EQ(got->s, doc->s);
  EXPECT_EQ(got->t, doc->t);
  EXPECT_TRUE(*got->d == *doc->d);
  return false;
}

std::string frame(const std::string& name, const std::string& d) { return t::dispatch(name, 7, d); }

std::string voice_update(bool member = true) {
  return frame("VOICE_STATE_UPDATE", t::voice_state_json(t::guild_id(3), t::channel_id(3, 14), t::user_id(3, 21), true, member));
}
std::string play_interaction() { return frame("INTERACTION_CREATE", t::interaction_json(3, 1, t::play_command_data(3))); }

TEST(TypedDispatch, DecodesTheHotEventsExactlyLikeTheDocumentPath) {
  EXPECT_TRUE(expect_same(voice_update(true)));
  EXPECT_TRUE(expect_same(voice_update(false)));
  EXPECT_TRUE(expect_same(play_interaction()));
  EXPECT_TRUE(expect_same(frame("GUILD_CREATE", t::guild_create_json(5))));
  EXPECT_TRUE(expect_same(frame("GUILD_CREATE", t::guild_create_json(6, 40, 30, 12))));
  // `op` and `s` before `t` (what the scripted test gateway sends) decode too.
  EXPECT_TRUE(expect_same(R"({"op":0,"s":12,"t":"VOICE_STATE_UPDATE","d":{"guild_id":"1","user_id":"2"}})"));
  EXPECT_TRUE(expect_same(R"({ "op": 0, "t": "GUILD_CREATE", "d": {"id":"1"}, "s": 3 })") == false);  // spaces: document path
}

TEST(TypedDispatch, DecodedEventsCarryTheFieldsTheBotUses) {
  gateway_frame_parser p;
  auto f = p.parse_typed(voice_update());
  ASSERT_TRUE(f && f->typed);
  EXPECT_EQ(f->t, "VOICE_STATE_UPDATE");
  EXPECT_EQ(f->s, 7);
  const auto& vs = std::get<voice_state_update_event>(*f->typed).state;
  EXPECT_EQ(vs.guild_id.value(), t::guild_id(3));
  EXPECT_EQ(vs.channel_id.value(), t::channel_id(3, 14));
  EXPECT_EQ(vs.user_id.value(), t::user_id(3, 21));
  EXPECT_TRUE(vs.self_mute);
  ASSERT_TRUE(vs.member_info && vs.member_info->user_info);
  EXPECT_EQ(vs.member_info->user_id, vs.user_id);

  auto g = p.parse_typed(frame("GUILD_CREATE", t::guild_create_json(5)));
  ASSERT_TRUE(g && g->typed);
  const auto& guild = std::get<guild_create_event>(*g->typed).g;
  EXPECT_EQ(guild.channels.size(), 20u);
  EXPECT_EQ(guild.roles.size(), 10u);
  EXPECT_EQ(guild.voice_states.size(), 3u);
  EXPECT_EQ(guild.voice_states[0].guild_id, guild.id);  // implied inside GUILD_CREATE
  EXPECT_EQ(guild.channels[3].guild_id, guild.id);

  auto i = p.parse_typed(play_interaction());
  ASSERT_TRUE(i && i->typed);
  const auto& in = std::get<interaction_create_event>(*i->typed).in;
  ASSERT_TRUE(in.command());
  EXPECT_EQ(in.command()->option("query")->as_string(), "never gonna give you up");
  EXPECT_EQ(in.user_id().value(), t::user_id(3, 10));

  // The next parse replaces the previous frame, typed or not.
  auto hello = p.parse_typed(R"({"op":10,"d":{"heartbeat_interval":41250}})");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->typed, nullptr);
  EXPECT_EQ(hello->d->as_object().at("heartbeat_interval").as_int64(), 41250);
}

TEST(TypedDispatch, InteractionShapesAgree) {
  const std::uint64_t g = 4;
  const std::vector<std::string> datas = {
      // sub-command group > sub-command > options of every value type
      R"({"type":1,"name":"playlist","id":"1100000000000000003","options":[{"type":2,"name":"manage","options":[{"type":1,"name":"add","options":[{"name":"n","type":4,"value":12},{"name":"x","type":10,"value":1.5},{"name":"b","type":5,"value":true},{"name":"u","type":6,"value":"1100000000000000009"},{"name":"i","type":4,"value":3.0}]}]}]})",
      R"({"type":1,"name":"play","id":"1100000000000000003","options":[{"name":"query","type":3,"value":"nev","focused":true}]})",
      R"({"type":1,"name":"volume","id":"1100000000000000003","options":[{"focused":true,"name":"level","type":4,"value":"5"}]})",
      R"({"type":1,"name":"volume","id":"1100000000000000003","options":[{"name":"level","type":4,"value":"5"}]})",  // refused
      R"({"type":1,"name":"volume","options":[{"name":"level","type":4}],"guild_id":null,"target_id":"12"})",
      R"({"type":1,"name":"x","options":[1]})",                                              // refused
      R"({"type":1,"name":"x","options":[{"name":"a","type":12}]})",                         // refused
      R"({"type":1,"name":"x","options":[{"name":"a","type":1,"options":[{"name":"b","type":1,"options":[{"name":"c","type":1,"options":[]}]}]}]})",
      R"({"type":1,"name":"x","resolved":{"users":{"5":{"id":"5","username":"u"}}}})",        // resolved: document path
      R"({"type":1,"name":"","id":"1"})",                                                     // refused
      R"({"custom_id":"queue:next","component_type":2})",
      R"({"custom_id":"pick","component_type":3,"values":["a","b",3,null,"c"]})",
      R"({"custom_id":"","component_type":2})",
      R"({"custom_id":"modal","components":[{"type":1,"components":[{"type":4,"custom_id":"name","value":"v"}]}]})",
  };
  for (int type = 1; type <= 6; ++type)
    for (const auto& d : datas) expect_same(frame("INTERACTION_CREATE", t::interaction_json(g, 9, d, type)));
  // A DM interaction: `user` instead of `member`.
  expect_same(frame("INTERACTION_CREATE",
                    R"({"id":"11","application_id":"12","type":2,"token":"tok","user":{"id":"13","username":"dm"},"channel":{"id":"14"},"data":{"name":"play"},"message":{"id":"15"}})"));
  expect_same(frame("INTERACTION_CREATE",
                    R"({"id":"11","application_id":"12","type":1,"token":"tok","user":{"username":"no id"},"version":"2"})"));
}

TEST(TypedDispatch, MalformedAndAdversarialInputFallsBackWithTheSameErrors) {
  const std::vector<std::string> inputs = {
      R"({"d":{"guild_id":"1","user_id":"2"},"t":"VOICE_STATE_UPDATE","op":0})",      // d before t
      R"({"t":"VOICE_STATE_UPDATE","op":1,"d":{"guild_id":"1","user_id":"2"}})",       // not a dispatch
      R"({"t":"VOICE_STATE_UPDATE","d":{"guild_id":"1","user_id":"2"}})",              // no op
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":[1]})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":null})",
      R"({"t":"VOICE_STATE_UPDATE","op":0})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"user_id":"2"}})",                      // no guild_id
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1"}})",                     // no user_id
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":{}}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","user_id":"3"}})",  // duplicate key
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","member":{"nick":"a"},"member":7}})",
      R"({"t":"VOICE_STATE_UPDATE","t":"GUILD_CREATE","op":0,"d":{"guild_id":"1","user_id":"2"}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2"},"d":{"guild_id":"1","user_id":"3"}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","x":1,"x":2}})",  // ignored duplicate
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":18446744073709551615,"user_id":"18446744073709551616"}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":1e400,"user_id":"2"}})",        // huge number
      R"({"t":"VOICE_STATE_UPDATE","op":0,"s":1e300,"d":{"guild_id":-5,"user_id":2.0}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","session_id":"\u00e9\n\"x\""}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","self_mute":"yes","deaf":1}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","member":{"user":{"id":"2"},"roles":["3",4,"x",{},[]]}}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2","a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}})",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2"})",            // truncated
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2"}} x)",         // trailing data
      "{\"t\":\"VOICE_STATE_UPDATE\",\"op\":0,\"d\":{\"guild_id\":\"1\",\"user_id\":\"2\",\"session_id\":\"\xff\"}}",
      R"({"t":"VOICE_STATE_UPDATE","op":0,"d":{"guild_id":"1","user_id":"2"},"extra":{"deep":[{"t":1}]}})",
      R"({"t":"INTERACTION_CREATE","op":0,"d":{"id":"1","application_id":"2","type":9,"token":"x"}})",
      R"({"t":"INTERACTION_CREATE","op":0,"d":{"id":"1","application_id":"2","type":1}})",
      R"({"t":"GUILD_CREATE","op":0,"d":{"name":"no id"}})",
      R"({"t":"GUILD_CREATE","op":0,"d":{"id":"1","unavailable":true}})",
      R"({"t":"GUILD_CREATE","op":0,"d":{"id":"1","member_count":null,"approximate_member_count":5,"roles":{},"channels":[1,{"id":"2"},{"id":"3","type":2,"permission_overwrites":[{"id":"4"},{"id":"5","type":"role"},{"id":"6","type":3},{"id":"7","type":1.0,"allow":"x"}]}],"voice_states":[{"user_id":"9","guild_id":"8"},{"channel_id":"3"}],"members":[{},[]],"roles":[{"id":"1","permissions":"8"},{"id":"2"},{"id":"3","permissions":-1}]}})",
      R"({"t":"GUILD_CREATE","op":0,"d":{"id":"1","channels":[{"id":"2","type":0,"id":"3"}]}})",
      R"({"t":"READY","op":0,"d":{}})",
      R"({"t":"VOICE_STATE_UPDATEX","op":0,"d":{"guild_id":"1","user_id":"2"}})",
      R"({"t":"VOICE_STATE_UPDATE")",
      "",
      "[]",
  };
  for (const auto& in : inputs) expect_same(in);
  // Nesting deeper than the frame limit is refused with the same error on both paths.
  gateway_frame_parser p({1u << 20, 8});
  const std::string deep = R"({"t":"GUILD_CREATE","op":0,"d":{"id":"1","x":[[[[[[[[[[1]]]]]]]]]]}})";
  auto a = p.parse_typed(deep);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, model_error::invalid_json);
  // Oversized frames too.
  gateway_frame_parser small({64, 32});
  auto b = small.parse_typed(voice_update());
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, model_error::invalid_json);
}

// Every value of every sample payload replaced by values of each JSON type, or removed:
// both paths must still agree.
void mutate_everywhere(const std::string& name, const std::string& d_text) {
  const bj::value original = bj::parse(d_text);
  const std::vector<bj::value> replacements = {nullptr, bj::object(), bj::array(), 0, -1, 1.5,
                                               std::uint64_t(18446744073709551615ULL), "x", "12", true, bj::array({1, "2"})};
  std::vector<std::function<void(bj::value&)>> edits;
  int decoded = 0, total = 0;
  std::function<void(const bj::value&, std::vector<std::variant<std::string, std::size_t>>)> walk =
      [&](const bj::value& v, std::vector<std::variant<std::string, std::size_t>> path) {
        auto at = [](bj::value& root, const std::vector<std::variant<std::string, std::size_t>>& p) -> bj::value* {
          bj::value* cur = &root;
          for (const auto& step : p) {
            if (auto* k = std::get_if<std::string>(&step)) cur = &cur->as_object()[*k];
            else cur = &cur->as_array()[std::get<std::size_t>(step)];
          }
          return cur;
        };
        if (!path.empty()) {
          for (const auto& r : replacements) {
            bj::value copy = original;
            *at(copy, path) = r;
            ++total;
            decoded += expect_same(frame(name, bj::serialize(copy)));
          }
          if (auto* k = std::get_if<std::string>(&path.back())) {  // removal
            bj::value copy = original;
            auto parent_path = path;
            parent_path.pop_back();
            at(copy, parent_path)->as_object().erase(*k);
            ++total;
            decoded += expect_same(frame(name, bj::serialize(copy)));
          }
        }
        if (v.is_object())
          for (const auto& kv : v.get_object()) {
            auto p = path;
            p.emplace_back(std::string(kv.key()));
            walk(kv.value(), p);
          }
        else if (v.is_array())
          for (std::size_t i = 0; i < v.get_array().size(); ++i) {
            auto p = path;
            p.emplace_back(i);
            walk(v.get_array()[i], p);
          }
      };
  walk(original, {});
  // Most mutations of ignored fields keep the fast path; refusals fall back.
  EXPECT_GT(decoded, total / 3) << name;
}

TEST(TypedDispatch, EveryFieldMutatedAgrees) {
  mutate_everywhere("VOICE_STATE_UPDATE", t::voice_state_json(t::guild_id(1), t::channel_id(1, 14), t::user_id(1, 3), true, true));
  mutate_everywhere("INTERACTION_CREATE", t::interaction_json(1, 2, t::play_command_data(1)));
  mutate_everywhere("INTERACTION_CREATE",
                    t::interaction_json(1, 2, R"({"custom_id":"pick","component_type":3,"values":["a","b"]})", 3));
  mutate_everywhere("GUILD_CREATE", t::guild_create_json(2, 6, 3, 2));
}

}  // namespace
}  // namespace vb::discord
