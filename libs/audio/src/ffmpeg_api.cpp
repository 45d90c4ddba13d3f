#include "ffmpeg_api.hpp"

#include <dlfcn.h>

#include <mutex>

#include "vectobeat/common/log.hpp"

extern "C" {
#include <libavcodec/version.h>
#include <libavformat/version.h>
#include <libavutil/macros.h>
#include <libavutil/version.h>
#include <libswresample/version.h>
}

namespace vb::audio::detail {

ffmpeg_api ffmpeg_table;

namespace {

struct load_state {
  std::once_flag once;
  bool ok = false;
  std::string error;
};

load_state& state() {
  static load_state s;
  return s;
}

// Never closed: FFmpeg keeps global state (codec tables, the log callback) for the process.
void* open_library(const char* soname, std::string& error) {
  void* h = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* why = ::dlerror();
    error = std::string("cannot load ") + soname + ": " + (why != nullptr ? why : "unknown error") +
            " (install FFmpeg 5.1: apt-get install libavformat59 libavcodec59 libswresample4 libavutil57)";
  }
  return h;
}

bool load(std::string& error) {
  // Dependencies first, so a missing one is named rather than reported through its dependant.
  void* avutil = open_library("libavutil.so." AV_STRINGIFY(LIBAVUTIL_VERSION_MAJOR), error);
  if (avutil == nullptr) return false;
  void* swresample = open_library("libswresample.so." AV_STRINGIFY(LIBSWRESAMPLE_VERSION_MAJOR), error);
  if (swresample == nullptr) return false;
  void* avcodec = open_library("libavcodec.so." AV_STRINGIFY(LIBAVCODEC_VERSION_MAJOR), error);
  if (avcodec == nullptr) return false;
  void* avformat = open_library("libavformat.so." AV_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR), error);
  if (avformat == nullptr) return false;
  ffmpeg_api api;
  bool ok = true;
#define VB_FFMPEG_RESOLVE(lib, name)                                                    \
  api.name = reinterpret_cast<decltype(api.name)>(::dlsym(lib, #name));               \
  if (api.name == nullptr && ok) {                                                     \
    error = "lib" #lib " has no symbol " #name " (an FFmpeg other than the one built against?)"; \
    ok = false;                                                                        \
  }
  VB_FFMPEG_FUNCTIONS(VB_FFMPEG_RESOLVE)
#undef VB_FFMPEG_RESOLVE
  if (ok) ffmpeg_table = api;
  return ok;
}

}  // namespace

bool load_ffmpeg() {
  auto& s = state();
  std::call_once(s.once, [&s] {
    s.ok = load(s.error);
    if (!s.ok) {
      static const vb::log::logger lg("audio.ffmpeg");
      lg.error("media decoding is unavailable: {}", s.error);
    }
  });
  return s.ok;
}

}  // namespace vb::audio::detail
