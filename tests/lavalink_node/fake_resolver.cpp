// A stand-in for yt-dlp in the node's tests: prints yt-dlp-shaped JSON for the identifiers the
// tests use, with media URLs on the test's HTTP server.
//
//   node_fake_resolver --base http://127.0.0.1:PORT [--log FILE] <yt-dlp arguments> <identifier>
//
// Identifiers: ytsearchN:/scsearchN: queries (query "nothing" finds nothing), YouTube watch URLs
// (v=unavailable fails like yt-dlp, v=garbage prints non-JSON, v=slow hangs), a YouTube playlist
// URL (list=...), SoundCloud track URLs. With -f (the play step) the answer carries "url":
// <base>/yt/<id> and "http_headers". Every argv is appended to the log file, one per line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

std::string query_value(const std::string& url, const std::string& key) {
  auto p = url.find(key + "=");
  if (p == std::string::npos) return {};
  p += key.size() + 1;
  return url.substr(p, url.find('&', p) - p);
}

std::string video(const std::string& base, const std::string& id, bool with_url, const std::string& extractor) {
  const bool yt = extractor == "Youtube";
  std::string page = yt ? "https://www.youtube.com/watch?v=" + id : "https://soundcloud.com/artist/" + id;
  std::string j = "{\"_type\":\"video\",\"id\":\"" + esc(id) + "\",\"title\":\"Video " + esc(id) +
                  "\",\"uploader\":\"Uploader " + esc(id) + "\",\"duration\":3.0,\"webpage_url\":\"" + esc(page) +
                  "\",\"thumbnail\":\"https://img.example/" + esc(id) + ".jpg\",\"extractor_key\":\"" + extractor +
                  "\",\"is_live\":false";
  if (with_url)
    j += ",\"url\":\"" + esc(base) + "/yt/" + esc(id) + "\",\"protocol\":\"https\",\"http_headers\":{\"X-Resolver\":\"fake\"}";
  return j + "}";
}

std::string entries(const std::string& kind, int n, const std::string& query) {
  std::string j = "[";
  for (int i = 0; i < n; ++i) {
    if (i) j += ",";
    const std::string id = "vid" + std::to_string(i);
    if (kind == "Soundcloud") {
      j += "{\"_type\":\"url\",\"ie_key\":\"Soundcloud\",\"id\":\"" + std::to_string(1000 + i) +
           "\",\"url\":\"https://soundcloud.com/artist/track-" + std::to_string(i) + "\",\"title\":\"" + esc(query) + " " +
           std::to_string(i) + "\",\"duration\":3.0,\"uploader\":\"Artist\"}";
    } else {
      j += "{\"_type\":\"url\",\"ie_key\":\"Youtube\",\"id\":\"" + id + "\",\"url\":\"https://www.youtube.com/watch?v=" + id +
           "\",\"title\":\"" + esc(query) + " " + std::to_string(i) + "\",\"duration\":3.0,\"channel\":\"Channel\"}";
    }
  }
  return j + "]";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string base, log;
  bool with_url = false;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--base" && i + 1 < args.size()) base = args[++i];
    else if (args[i] == "--log" && i + 1 < args.size()) log = args[++i];
    else if (args[i] == "-f" && i + 1 < args.size()) {
      with_url = true;
      ++i;
    } else rest.push_back(args[i]);
  }
  if (!log.empty()) {
    std::ofstream f(log, std::ios::app);
    for (int i = 1; i < argc; ++i) f << argv[i] << "\n";
    f << "--\n";
  }
  if (rest.empty()) return 2;
  const std::string id = rest.back();
  std::string out;
  if (id.rfind("ytsearch", 0) == 0 || id.rfind("scsearch", 0) == 0) {
    const auto colon = id.find(':');
    const std::string query = id.substr(colon + 1);
    const int n = query == "nothing" ? 0 : std::min(std::stoi("0" + id.substr(8, colon - 8)), 3);
    const std::string kind = id[0] == 's' ? "Soundcloud" : "Youtube";
    out = "{\"_type\":\"playlist\",\"id\":\"" + esc(query) + "\",\"title\":\"" + esc(query) +
          "\",\"extractor_key\":\"" + kind + "Search\",\"entries\":" + entries(kind, n, query) + "}";
  } else if (id.find("youtube.com/playlist") != std::string::npos) {
    out = "{\"_type\":\"playlist\",\"id\":\"PL1\",\"title\":\"Fake Playlist\",\"extractor_key\":\"YoutubeTab\",\"entries\":" +
          entries("Youtube", 2, "Playlist item") + "}";
  } else if (id.find("soundcloud.com/") != std::string::npos) {
    out = video(base, id.substr(id.rfind('/') + 1), with_url, "Soundcloud");
  } else if (id.find("youtube.com/watch") != std::string::npos || id.find("youtu.be/") != std::string::npos) {
    std::string v = query_value(id, "v");
    if (v.empty()) v = id.substr(id.rfind('/') + 1);
    if (v == "unavailable") {
      std::fprintf(stderr, "[youtube] unavailable: Downloading webpage\nERROR: [youtube] unavailable: Video unavailable\n");
      return 1;
    }
    if (v == "garbage") {
      std::printf("this is not json\n");
      return 0;
    }
    if (v == "slow") std::this_thread::sleep_for(std::chrono::seconds(60));
    out = video(base, v, with_url, "Youtube");
  } else {
    std::fprintf(stderr, "ERROR: Unsupported URL: %s\n", id.c_str());
    return 1;
  }
  std::printf("%s\n", out.c_str());
  return 0;
}
