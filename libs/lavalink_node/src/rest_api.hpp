#pragma once
// Internal: Lavalink v4's REST routes and WebSocket handshake over common's http_server.
#include <memory>

#include "node_state.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::node::detail {

// Every route of lavalink-v4.md §3 (auth: 401 without Authorization, 403 when wrong).
task<net::http_response> handle_rest(std::shared_ptr<node_state> st, net::http_request& req);
// GET /v4/websocket (auth: 401; User-Id required; Session-Id resumes).
task<net::upgrade_result> handle_upgrade(std::shared_ptr<node_state> st, net::http_request& req);

}  // namespace vb::node::detail
