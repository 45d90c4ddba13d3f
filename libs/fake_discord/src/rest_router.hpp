#pragma once
// Internal: REST v10 (discord.md §4): one table of routes; the router checks the
// User-Agent, authentication and rate limits, parses path ids and the JSON body once,
// then calls the handler. Strand only.
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::fake::detail {

struct rest_request {
  const net::http_request& http;
  std::map<std::string, std::string, std::less<>> params;  // raw path segments by name
  std::map<std::string, snowflake, std::less<>> ids;       // params ending in "_id", parsed
  boost::json::value body;                                 // null without a body

  snowflake id(std::string_view name) const {
    auto it = ids.find(name);
    return it == ids.end() ? 0 : it->second;
  }
  std::string param(std::string_view name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

using rest_handler = net::http_response (*)(core&, const rest_request&);

struct route_def {
  const char* method;
  const char* pattern;  // "/channels/{channel_id}/messages"
  const char* bucket;   // routes sharing a bucket name share limits
  int limit;            // per window and major parameter
  int window_ms;
  const char* major;    // parameter that scopes the bucket ("" for none)
  bool auth;            // "Authorization: Bot <token>" required
  bool interaction;     // exempt from the global limit
  rest_handler fn;
};

void add_general_routes(std::vector<route_def>& r);
void add_message_routes(std::vector<route_def>& r);
void add_command_routes(std::vector<route_def>& r);
void add_interaction_routes(std::vector<route_def>& r);

class rest_router {
 public:
  explicit rest_router(core& c);
  // `req.path()` starts with /api/v10 (the prefix is stripped here).
  net::http_response handle(const net::http_request& req);

 private:
  struct compiled {
    route_def def;
    std::vector<std::string> segments;
    std::string key;  // "POST /channels/{channel_id}/messages"
  };
  core& c_;
  std::vector<compiled> routes_;
};

// Helpers for handlers.
const guild_rec* bot_guild(core& c, snowflake id);  // null unless the bot is a member
net::http_response unknown_guild();
net::http_response unknown_channel();

}  // namespace vb::fake::detail
