#pragma once
// A REST route: the template is the bucket key hint ("POST /channels/{channel_id}/messages"),
// the major parameter (channel, guild, or webhook id + token) splits rate limits per
// top-level resource (discord.md §4.3), and interaction routes are exempt from the
// global limit.
#include <initializer_list>
#include <string>
#include <string_view>

namespace vb::discord {

struct route {
  std::string method;         // "POST"
  std::string path_template;  // "/channels/{channel_id}/messages"
  std::string path;           // "/channels/123/messages" (arguments percent-encoded)
  std::string major;          // "123"; empty when the route has no major parameter
  bool global_exempt = false; // interaction callbacks and webhook follow-ups

  // "POST /channels/{channel_id}/messages"
  std::string key() const { return method + " " + path_template; }
};

// Substitutes the `{...}` placeholders of `path_template` in order with `args`. The
// major parameter is the value of {channel_id}, {guild_id} or {webhook_id}/{application_id}
// (+ the token) when the route starts with it. Throws std::invalid_argument when the
// argument count does not match (a programming error).
route make_route(std::string_view method, std::string_view path_template, std::initializer_list<std::string_view> args);

}  // namespace vb::discord
