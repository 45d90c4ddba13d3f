#pragma once
// Internal: interactions (discord.md §5): scripted users create them, the bot answers
// through the callback and webhook routes. Deadlines: the initial response within
// options.interaction_deadline (3 s), webhooks for interaction_token_lifetime (15 min).
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <unordered_map>

#include "core.hpp"
#include "vectobeat/common/expected.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::fake::detail {

struct interaction_rec {
  interaction pub;
  steady_time created{};
  snowflake source_message = 0;   // component interactions: the message carrying it
  snowflake modal_source = 0;     // modal submits: the interaction that opened the modal
  boost::json::object modal;      // the modal the bot opened (callback type 9)
  bool deferred = false;          // type 5 without a completed reply yet
};

// Interactions kept; beyond this, finished ones whose token expired are forgotten.
inline constexpr std::size_t max_interactions = 10000;

class interactions {
 public:
  explicit interactions(core& c) : c_(c) {}

  expected<interaction, std::error_code> start_command(const command_invocation& inv, interaction_type type);
  expected<interaction, std::error_code> start_component(const component_invocation& inv);
  expected<interaction, std::error_code> start_modal_submit(const modal_submission& m);

  const interaction_rec* find(snowflake id) const;
  interaction snapshot(const interaction_rec& r) const;
  bool expired(const interaction_rec& r) const;

  // POST /interactions/{id}/{token}/callback
  net::http_response callback(snowflake id, const std::string& token, const boost::json::value& body,
                              bool with_response);
  // /webhooks/{app}/{token}[/messages/{id|@original}]; `message` empty for the bare route.
  net::http_response webhook(const std::string& method, snowflake app, const std::string& token,
                             const std::string& message, const boost::json::value& body);
  void stop();  // cancels the pending deadline timers

 private:
  expected<interaction, std::error_code> create(interaction_rec r, snowflake guild, snowflake channel, snowflake user);
  task<void> run_deadline(snowflake id, steady_time at);
  net::http_response reject(interaction_rec& r, int status, int code, std::string message);
  interaction_rec* by_token(const std::string& token);

  core& c_;
  std::map<snowflake, std::unique_ptr<timer>> deadlines_;  // pending deadline timers
  std::map<snowflake, interaction_rec> by_id_;
  std::unordered_map<std::string, snowflake> tokens_;
};

}  // namespace vb::fake::detail
