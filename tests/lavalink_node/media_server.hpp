#pragma once
// A small HTTP/1.1 media server for the node's tests (plain Asio, one request per connection):
// fixed bodies with Range support, redirects and error statuses, bodies without a length,
// ICY (Shoutcast/Icecast) metadata interleaving, endless paced streams and stalls. Runs on its
// own thread; bound to 127.0.0.1 on a free port.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vb::node::test {

struct media_route {
  std::string content_type = "application/octet-stream";
  std::string body;
  int status = 200;
  std::string location;        // with a 3xx status
  bool accept_ranges = true;
  bool send_length = true;     // false: no Content-Length; the body ends when the server closes
  std::size_t icy_metaint = 0;  // > 0: interleave ICY metadata when the client asks (Icy-MetaData: 1)
  std::string icy_title;
  std::string icy_name;
  bool endless = false;              // repeat the body forever (a live stream)
  std::size_t bytes_per_second = 0;  // pacing; 0: as fast as the socket takes it
  std::size_t stall_after_bytes = static_cast<std::size_t>(-1);  // then send nothing more (keeps the connection)
  bool no_response = false;  // read the request, then answer nothing at all (keeps the connection)
};

class media_server {
 public:
  media_server();
  ~media_server();
  media_server(const media_server&) = delete;
  media_server& operator=(const media_server&) = delete;

  void add(std::string path, media_route route);
  std::string url(std::string_view path) const;  // "http://127.0.0.1:<port><path>"
  std::uint16_t port() const;
  int requests(std::string_view path) const;
  std::vector<std::string> ranges(std::string_view path) const;  // Range headers received

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::node::test
