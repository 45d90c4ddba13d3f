#pragma once
// Internal: the control API (HTTP under /control/v1, docs/fake-discord.md): the same
// operations as the C++ test API, for scripts and people. JSON in and out; errors use the
// project's api_error shape. Runs on the strand.
#include <boost/json/value.hpp>

#include "core.hpp"
#include "vectobeat/common/net/http.hpp"

namespace vb::fake::detail {

class control_api {
 public:
  explicit control_api(core& c) : c_(c) {}
  // `req.path()` starts with /control/v1.
  task<net::http_response> handle(net::http_request req);

 private:
  task<net::http_response> interaction_call(const net::http_request& req, const std::string& kind,
                                            const boost::json::object& body);
  task<boost::json::value> wait_interaction(snowflake id, std::chrono::milliseconds wait);
  core& c_;
};

// JSON of the public model types (control API representations).
boost::json::object to_json(const guild& g);
boost::json::object to_json(const message& m);
boost::json::object to_json(const interaction& i);
boost::json::object to_json(const voice_connection_info& v);
boost::json::object to_json(const gateway_session_info& s);
boost::json::object to_json(const voice_state& v);

}  // namespace vb::fake::detail
