#pragma once
// A fake Spotify Web API and accounts service for the node's tests: the client-credentials
// token endpoint and the track, album (two pages), playlist (with a local file) and search
// endpoints the Spotify source uses. Runs on its own thread, 127.0.0.1, free port.
#include <atomic>
#include <memory>
#include <string>

namespace vb::node::test {

class fake_spotify {
 public:
  fake_spotify(std::string client_id, std::string client_secret);
  ~fake_spotify();
  std::string base() const;  // "http://127.0.0.1:<port>" (both API and accounts)
  int token_requests() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace vb::node::test
