#include "lavalink_node/fake_spotify.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

#include "vectobeat/common/base64.hpp"
#include "vectobeat/common/net/http_server.hpp"

namespace vb::node::test {

namespace {
std::string track_json(const std::string& base, const std::string& id, const std::string& name, bool with_album) {
  std::string album = R"("album":{"name":"Whenever You Need Somebody","images":[{"url":"https://i.scdn.co/image/album.jpg"}],)"
                      R"("external_urls":{"spotify":"https://open.spotify.com/album/alb0"}},)";
  (void)base;
  return R"({"id":")" + id + R"(","name":")" + name +
         R"(","artists":[{"name":"Rick Astley","external_urls":{"spotify":"https://open.spotify.com/artist/ra"}}],)" +
         (with_album ? album : std::string()) +
         R"("duration_ms":213573,"external_ids":{"isrc":"GBARL9300135"},"external_urls":{"spotify":"https://open.spotify.com/track/)" +
         id + R"("},"preview_url":null})";
}
}  // namespace

struct fake_spotify::impl {
  asio::io_context ctx;
  asio::executor_work_guard<asio::io_context::executor_type> guard{ctx.get_executor()};
  std::unique_ptr<net::http_server> http;
  std::thread thread;
  std::string id, secret;
  std::atomic<int> tokens{0};

  std::string base() const { return "http://127.0.0.1:" + std::to_string(http->port()); }

  net::http_response handle(const net::http_request& req) {
    const auto path = std::string(req.path());
    if (path == "/api/token") {
      if (req.method != "POST" || req.body != "grant_type=client_credentials") return net::http_response::json(400, "{}");
      if (req.headers.get("Authorization") != "Basic " + base64_encode(id + ":" + secret))
        return net::http_response::json(400, R"({"error":"invalid_client"})");
      ++tokens;
      return net::http_response::json(200, R"({"access_token":"tok-123","token_type":"Bearer","expires_in":3600})");
    }
    if (req.headers.get("Authorization") != "Bearer tok-123") return net::http_response::json(401, "{}");
    const auto b = base();
    if (path == "/v1/tracks/4uLU6hMCjMI75M1A2tKUQC")
      return net::http_response::json(200, track_json(b, "4uLU6hMCjMI75M1A2tKUQC", "Never Gonna Give You Up", true));
    if (path == "/v1/albums/alb1")
      return net::http_response::json(
          200, R"({"name":"Test Album","images":[{"url":"https://i.scdn.co/image/album.jpg"}],"tracks":{"items":[)" +
                   track_json(b, "t1", "Album Track 1", false) + "," + track_json(b, "t2", "Album Track 2", false) +
                   R"(],"next":")" + b + R"(/v1/albums/alb1/tracks?offset=2&limit=2"}})");
    if (path == "/v1/albums/alb1/tracks")
      return net::http_response::json(200, R"({"items":[)" + track_json(b, "t3", "Album Track 3", false) + R"(],"next":null})");
    if (path == "/v1/playlists/pl1")
      return net::http_response::json(200, R"({"name":"Test Playlist","tracks":{"items":[{"track":)" +
                                               track_json(b, "p1", "Playlist Track", true) +
                                               R"(},{"track":{"id":null,"name":"local file","is_local":true}}],"next":null}})");
    if (path == "/v1/search" && req.query_param("type") == "track")
      return net::http_response::json(200, R"({"tracks":{"items":[)" + track_json(b, "s1", "Found", true) + "]}}");
    return net::http_response::json(404, R"({"error":{"status":404,"message":"Not found"}})");
  }
};

fake_spotify::fake_spotify(std::string client_id, std::string client_secret) : impl_(std::make_shared<impl>()) {
  impl_->id = std::move(client_id);
  impl_->secret = std::move(client_secret);
  auto* self = impl_.get();
  auto handler = [self](net::http_request& req) -> task<net::http_response> { co_return self->handle(req); };
  impl_->http = std::make_unique<net::http_server>(impl_->ctx.get_executor(), net::server_options{}, std::move(handler));
  impl_->http->listen("127.0.0.1", 0);
  impl_->thread = std::thread([self] { self->ctx.run(); });
}

fake_spotify::~fake_spotify() {
  impl_->http->stop();
  impl_->guard.reset();
  impl_->ctx.stop();
  impl_->thread.join();
}

std::string fake_spotify::base() const { return impl_->base(); }
int fake_spotify::token_requests() const { return impl_->tokens.load(); }

}  // namespace vb::node::test
