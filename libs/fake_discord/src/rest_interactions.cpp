// REST: interaction callbacks and the interaction webhooks (follow-ups, @original).
// No bot authorization: the interaction token in the path is the credential.
#include "interactions.hpp"
#include "rest_router.hpp"

namespace vb::fake::detail {

namespace {

net::http_response callback(core& c, const rest_request& r) {
  const bool with_response = r.http.query_param("with_response") == "true";
  return c.ix->callback(r.id("interaction_id"), r.param("interaction_token"), r.body, with_response);
}

net::http_response followup(core& c, const rest_request& r) {
  return c.ix->webhook(r.http.method, r.id("application_id"), r.param("webhook_token"), std::string(), r.body);
}

net::http_response webhook_message(core& c, const rest_request& r) {
  return c.ix->webhook(r.http.method, r.id("application_id"), r.param("webhook_token"), r.param("message"), r.body);
}

}  // namespace

void add_interaction_routes(std::vector<route_def>& r) {
  r.push_back({"POST", "/interactions/{interaction_id}/{interaction_token}/callback", "interaction-callback", 50, 1000,
               "interaction_id", false, true, callback});
  r.push_back({"POST", "/webhooks/{application_id}/{webhook_token}", "webhook", 10, 2000, "webhook_token", false, true, followup});
  for (const char* method : {"GET", "PATCH", "DELETE"})
    r.push_back({method, "/webhooks/{application_id}/{webhook_token}/messages/{message}", "webhook", 10, 2000,
                 "webhook_token", false, true, webhook_message});
}

}  // namespace vb::fake::detail
