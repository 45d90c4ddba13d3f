// The fake Discord's REST entry point with untrusted bodies: the first byte picks a route,
// the rest is the JSON body (message create/edit, command overwrite/create/edit,
// interaction callback, follow-up). Nothing may crash, hang or grow without bound, and
// every answer is a Discord-shaped one: a status below 500 and a JSON body (or none).
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "actions.hpp"
#include "core.hpp"
#include "interactions.hpp"
#include "rest_router.hpp"
#include "world.hpp"
#include "vectobeat/common/clock.hpp"
#include "vectobeat/common/json.hpp"
#include "vectobeat/common/log.hpp"

namespace {

void require(bool ok, const char* what, const std::string& detail) {
  if (ok) return;
  std::fprintf(stderr, "fake_discord_rest: %s: %s\n", what, detail.c_str());
  std::abort();
}

// What every REST answer must satisfy, whatever the body was.
void check_response(const vb::net::http_response& r, const std::string& route) {
  require(r.status >= 200 && r.status < 500, "status outside 2xx-4xx", std::to_string(r.status) + " " + route);
  if (r.body.empty()) {
    require(r.status == 204, "empty body without 204", std::to_string(r.status) + " " + route);
    return;
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  require(!ec, "body is not JSON", route + " -> " + r.body.substr(0, 200));
  if (r.status >= 400) require(v.is_object() && v.as_object().contains("message"), "error without message", r.body.substr(0, 200));
}

struct harness {
  boost::asio::io_context io;
  vb::manual_clock clk;
  vb::fake::detail::core core{io.get_executor(), clk, [] {
                                vb::fake::server_options o;
                                o.token = "fuzz-token";
                                o.interaction_deadline = std::chrono::minutes(1);
                                o.interaction_token_lifetime = std::chrono::minutes(5);
                                return o;
                              }()};
  std::string general, message, app, guild;
  vb::fake::command_invocation inv;

  harness() {
    vb::log::options lo;
    lo.default_level = vb::log::level::off;
    vb::log::configure(lo);
    core.act->create_bot_user();
    core.demo = core.act->create_demo();
    general = std::to_string(core.demo->general);
    app = std::to_string(core.w.application_id);
    guild = std::to_string(core.demo->guild);
    seed_message();
    request("PUT", "/applications/" + app + "/guilds/" + guild + "/commands", R"([{"name":"play","description":"Play"}])");
    inv.guild_id = core.demo->guild;
    inv.channel_id = core.demo->general;
    inv.user_id = core.demo->alice;
    inv.name = "play";
  }

  // The message case 1 edits; recreated once older messages pushed it out of the channel.
  void seed_message() {
    if (!message.empty())
      if (auto id = vb::json::parse_u64(message); id && core.w.find_message(*id)) return;
    auto r = request("POST", "/channels/" + general + "/messages", R"({"content":"seed"})");
    require(r.status == 200, "seed message not created", r.body);
    message = std::string(boost::json::parse(r.body).as_object().at("id").as_string());
  }

  // A new /play interaction. Inputs may overwrite or redefine the commands, so /play is
  // registered again (globally) when it can no longer be invoked.
  vb::fake::interaction fresh_interaction() {
    auto i = core.ix->start_command(inv, vb::fake::interaction_type::application_command);
    if (!i) {
      auto r = request("PUT", "/applications/" + app + "/commands", R"([{"name":"play","description":"Play"}])");
      require(r.status == 200, "cannot register /play again", r.body);
      i = core.ix->start_command(inv, vb::fake::interaction_type::application_command);
    }
    require(i.has_value(), "the registered command cannot be invoked", "play");
    return *i;
  }
  std::string callback_route(const vb::fake::interaction& i) {
    return "/interactions/" + std::to_string(i.id) + "/" + i.token + "/callback";
  }

  vb::net::http_response request(const std::string& method, const std::string& route, std::string body) {
    vb::net::http_request req;
    req.method = method;
    req.target = "/api/v10" + route;
    req.headers.set("Authorization", "Bot fuzz-token");
    req.headers.set("User-Agent", "DiscordBot (fuzz, 1)");
    req.headers.set("Content-Type", "application/json");
    req.body = std::move(body);
    auto r = core.rest->handle(req);
    check_response(r, method + " " + route.substr(0, 200));
    return r;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static harness h;
  if (size == 0) return 0;
  // Past every rate-limit window and interaction deadline; the expired deadline timers
  // complete in poll(), so nothing accumulates between inputs.
  h.clk.advance(std::chrono::minutes(10));
  h.io.poll();
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0: h.request("POST", "/channels/" + h.general + "/messages", body); break;
    case 1:
      h.seed_message();
      h.request("PATCH", "/channels/" + h.general + "/messages/" + h.message, body); break;
    case 2: h.request("PUT", "/applications/" + h.app + "/guilds/" + h.guild + "/commands", body); break;
    case 3: h.request("POST", "/applications/" + h.app + "/commands", body); break;
    case 4: h.request("POST", h.callback_route(h.fresh_interaction()), body); break;
    case 5: {
      auto i = h.fresh_interaction();
      h.request("POST", h.callback_route(i), R"({"type":5})");
      h.request("POST", "/webhooks/" + h.app + "/" + i.token, body);
      break;
    }
    case 6: {
      auto i = h.fresh_interaction();
      h.request("POST", h.callback_route(i), R"({"type":4,"data":{"content":"x"}})");
      h.request("PATCH", "/webhooks/" + h.app + "/" + i.token + "/messages/@original", body);
      break;
    }
    default: h.request("GET", "/" + body, {}); break;  // arbitrary paths
  }
  // Stored state stays bounded however many messages the inputs create.
  static unsigned runs = 0;
  if (++runs % 512 == 0) {
    const auto kept = h.core.w.channel_messages(h.core.demo->general).size();
    require(kept <= vb::fake::detail::max_messages_per_channel, "messages unbounded", std::to_string(kept));
  }
  return 0;
}
