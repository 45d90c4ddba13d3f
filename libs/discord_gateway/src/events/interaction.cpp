// INTERACTION_CREATE.
#include "../event_table.hpp"

namespace vb::discord::detail {

namespace {

void on_interaction(event_dispatcher& self, const boost::json::object& d, const event_context& ctx) {
  handle(self, "INTERACTION_CREATE", d, ctx, parse_interaction_create,
         [&](const interaction_create_event& e) { self.bus().publish(e, ctx); });
}

}  // namespace

void register_interaction_events(event_table& t) { t.emplace("INTERACTION_CREATE", on_interaction); }

}  // namespace vb::discord::detail
