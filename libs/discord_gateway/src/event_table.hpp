#pragma once
// Internal: the dispatch-name -> handler table.
#include <boost/json/object.hpp>

#include <string_view>
#include <unordered_map>

#include "vectobeat/discord/event_dispatcher.hpp"

namespace vb::discord::detail {

using event_handler = void (*)(event_dispatcher& self, const boost::json::object& d, const event_context& ctx);
using event_table = std::unordered_map<std::string_view, event_handler>;

// Each family registers its handlers (src/events/<family>.cpp).
void register_session_events(event_table& t);
void register_guild_events(event_table& t);
void register_channel_events(event_table& t);
void register_voice_events(event_table& t);
void register_interaction_events(event_table& t);
void register_member_events(event_table& t);

const event_table& table();

// Parses with `parse`, then runs `apply` on success; counts and logs a failure.
template <class Parse, class Apply>
void handle(event_dispatcher& self, std::string_view name, const boost::json::object& d, const event_context& ctx,
            Parse parse, Apply apply) {
  auto e = parse(d);
  if (!e) {
    self.count_failure(name, e.error(), ctx);
    return;
  }
  apply(*e);
}

}  // namespace vb::discord::detail
