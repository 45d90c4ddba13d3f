#include "scripted_gateway.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <optional>

#include "compressors.hpp"
#include "discord_model/sample_payloads.hpp"
#include "vectobeat/common/net/http_server.hpp"
#include "vectobeat/discord/snowflake.hpp"

namespace vb::discord::test {

int received_frame::op() const {
  const auto* v = frame.if_contains("op");
  return v && v->is_int64() ? static_cast<int>(v->get_int64()) : -1;
}

struct scripted_gateway::impl : std::enable_shared_from_this<impl> {
  impl(asio::any_io_executor e, scripted_gateway_options o) : ex(std::move(e)), opts(std::move(o)) {}

  struct connection {
    int id = 0;
    int shard = -1;
    std::shared_ptr<net::websocket> ws;
    std::string compress;
    std::unique_ptr<zlib_stream_compressor> zlib;
    std::unique_ptr<zstd_stream_compressor> zstd;
    std::string session;
  };
  struct session_state {
    int shard = 0;
    int shard_count = 1;
    std::int64_t seq = 0;
    std::vector<std::pair<std::int64_t, std::string>> log;  // every dispatch sent, for replay
  };

  asio::any_io_executor ex;
  scripted_gateway_options opts;
  std::unique_ptr<net::http_server> http;
  std::vector<std::shared_ptr<connection>> live;
  std::map<std::string, session_state> sessions;
  int connections = 0;
  int next_session = 1;
  std::vector<received_frame> frames;
  std::vector<std::string> targets;
  std::vector<std::uint16_t> client_closes;
  bool stopped = false;

  void send_raw(connection& c, const std::string& text) {
    if (c.zlib) c.ws->send_binary(c.zlib->compress(text));
    else if (c.zstd) c.ws->send_binary(c.zstd->compress(text));
    else c.ws->send_text(text);
  }

  void send_dispatch(connection& c, const std::string& t, const std::string& d) {
    auto& s = sessions[c.session];
    const auto seq = ++s.seq;
    const std::string text = R"({"op":0,"s":)" + std::to_string(seq) + R"(,"t":")" + t + R"(","d":)" + d + "}";
    s.log.emplace_back(seq, text);
    send_raw(c, text);
  }

  std::shared_ptr<connection> pick(int shard) {
    for (auto it = live.rbegin(); it != live.rend(); ++it)
      if (shard < 0 || (*it)->shard == shard) return *it;
    return nullptr;
  }

  void on_frame(const std::shared_ptr<connection>& c, const boost::json::object& f) {
    frames.push_back({c->id, c->shard, f});
    const auto* opv = f.if_contains("op");
    const int op = opv && opv->is_int64() ? static_cast<int>(opv->get_int64()) : -1;
    const auto* d = f.if_contains("d");
    if (op == 1) {
      if (opts.ack_heartbeats) send_raw(*c, R"({"op":11,"d":null})");
    } else if (op == 2) {
      const auto& o = d->as_object();
      if (o.at("token").as_string() != opts.token) {
        c->ws->close(4004, "Authentication failed");
        return;
      }
      const auto& shard = o.at("shard").as_array();
      c->shard = static_cast<int>(shard[0].as_int64());
      frames.back().shard = c->shard;
      const int count = static_cast<int>(shard[1].as_int64());
      c->session = "session-" + std::to_string(next_session++);
      sessions[c->session] = session_state{c->shard, count, 0, {}};
      std::string guilds = "[";
      std::vector<std::string> mine;
      for (const auto& g : opts.guilds) {
        auto id = parse_snowflake(boost::json::parse(g).as_object().at("id").as_string());
        if (id && id->shard_for(count) == c->shard) {
          guilds += (mine.empty() ? "" : ",") + std::string(R"({"id":")") + id->str() + R"(","unavailable":true})";
          mine.push_back(g);
        }
      }
      guilds += "]";
      // Resumes must come back on resume_gateway_url: a distinct path of this server.
      send_dispatch(*c, "READY", ready_json(c->shard, count, c->session, guilds,
                                            "ws://127.0.0.1:" + std::to_string(http->port()) + "/resume"));
      for (const auto& g : mine) send_dispatch(*c, "GUILD_CREATE", g);
    } else if (op == 6) {
      const auto& o = d->as_object();
      const std::string sid(o.at("session_id").as_string());
      auto it = sessions.find(sid);
      if (it == sessions.end() || o.at("token").as_string() != opts.token) {
        send_raw(*c, R"({"op":9,"d":false})");
        return;
      }
      c->session = sid;
      c->shard = it->second.shard;
      frames.back().shard = c->shard;
      const auto from = o.at("seq").as_int64();
      for (const auto& [s, text] : it->second.log)
        if (s > from) send_raw(*c, text);
      send_dispatch(*c, "RESUMED", "{}");
    }
  }

  task<void> run_session(std::shared_ptr<net::websocket> ws, std::string target, std::string compress) {
    auto c = std::make_shared<connection>();
    c->id = ++connections;
    c->ws = ws;
    c->compress = compress;
    if (compress == "zlib-stream") c->zlib = std::make_unique<zlib_stream_compressor>();
    if (compress == "zstd-stream") c->zstd = std::make_unique<zstd_stream_compressor>();
    targets.push_back(std::move(target));
    live.push_back(c);
    if (opts.send_hello)
      send_raw(*c, R"({"op":10,"s":null,"t":null,"d":{"heartbeat_interval":)" + std::to_string(opts.heartbeat_interval_ms) + "}}");
    for (;;) {
      auto m = co_await ws->read();
      if (!m) break;
      boost::system::error_code ec;
      auto v = boost::json::parse(m->data, ec);
      if (ec || !v.is_object()) {
        ws->close(4002, "Error while decoding payload");
        continue;
      }
      on_frame(c, v.get_object());
    }
    const auto ci = ws->close_info();
    if (ci.by_remote) client_closes.push_back(ci.code);
    std::erase(live, c);
  }
};

scripted_gateway::scripted_gateway(asio::any_io_executor ex, scripted_gateway_options opts)
    : impl_(std::make_shared<impl>(ex, std::move(opts))) {
  net::server_options so;
  so.name = "gateway-test";
  so.limits.max_ws_message_bytes = 4u << 20;
  std::weak_ptr<impl> weak = impl_;
  impl_->http = std::make_unique<net::http_server>(
      ex, so, [](net::http_request&) -> task<net::http_response> { co_return net::http_response::empty(404); },
      [weak](net::http_request& req) -> task<net::upgrade_result> {
        auto self = weak.lock();
        if (!self || req.query_param("v") != "10" || req.query_param("encoding") != "json")
          co_return net::http_response::error(400, "v=10&encoding=json required");
        net::ws_accept a;
        std::string target = req.target;
        std::string compress = req.query_param("compress").value_or("");
        a.run = [self, target, compress](std::shared_ptr<net::websocket> ws) {
          return self->run_session(std::move(ws), target, compress);
        };
        co_return a;
      });
  impl_->http->listen("127.0.0.1", 0);
}

scripted_gateway::~scripted_gateway() { stop(); }

void scripted_gateway::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->http->stop();
}

std::string scripted_gateway::url() const { return "ws://127.0.0.1:" + std::to_string(impl_->http->port()); }
scripted_gateway_options& scripted_gateway::options() { return impl_->opts; }

void scripted_gateway::dispatch(const std::string& t, const std::string& d, int shard) {
  if (auto c = impl_->pick(shard)) impl_->send_dispatch(*c, t, d);
}
void scripted_gateway::send_op(int op, const std::string& d, int shard) {
  if (auto c = impl_->pick(shard)) impl_->send_raw(*c, R"({"op":)" + std::to_string(op) + R"(,"d":)" + d + "}");
}
void scripted_gateway::record_missed(const std::string& t, const std::string& d) {
  if (impl_->sessions.empty()) return;
  auto& s = std::prev(impl_->sessions.end())->second;
  const auto seq = ++s.seq;
  s.log.emplace_back(seq, R"({"op":0,"s":)" + std::to_string(seq) + R"(,"t":")" + t + R"(","d":)" + d + "}");
}
void scripted_gateway::close_current(std::uint16_t code, int shard) {
  if (auto c = impl_->pick(shard)) c->ws->close(code, "scripted close");
}
void scripted_gateway::abort_current(int shard) {
  if (auto c = impl_->pick(shard)) c->ws->abort();
}

int scripted_gateway::connections() const { return impl_->connections; }
int scripted_gateway::live_connections() const { return static_cast<int>(impl_->live.size()); }
const std::vector<received_frame>& scripted_gateway::received() const { return impl_->frames; }
const std::vector<std::string>& scripted_gateway::targets() const { return impl_->targets; }
std::vector<std::uint16_t> scripted_gateway::client_close_codes() const { return impl_->client_closes; }

std::size_t scripted_gateway::count(int op, int shard) const {
  std::size_t n = 0;
  for (const auto& f : impl_->frames) n += f.op() == op && (shard < 0 || f.shard == shard);
  return n;
}

const received_frame* scripted_gateway::last(int op, int shard) const {
  for (auto it = impl_->frames.rbegin(); it != impl_->frames.rend(); ++it)
    if (it->op() == op && (shard < 0 || it->shard == shard)) return &*it;
  return nullptr;
}

}  // namespace vb::discord::test
