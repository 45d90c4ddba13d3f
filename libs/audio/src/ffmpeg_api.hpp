#pragma once
// FFmpeg, loaded on first use. The binary does not link FFmpeg: libavformat, libavcodec,
// libswresample and libavutil (and the ~120 libraries Debian's builds pull in: codecs, GnuTLS,
// librsvg, glib, ...) are dlopen'ed by the first decoder that opens, so processes that never
// decode (`vectobeat bot`, `panel`, an idle node) do not map them: ~20 MB of RSS and the start-up
// time of resolving them. Every FFmpeg call in this library goes through `ff::name(...)`.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
#include <libswresample/swresample.h>
}

#include <string>
#include <utility>

// X(library, function) for every FFmpeg function this library calls.
#define VB_FFMPEG_FUNCTIONS(X)               \
  X(avutil, av_channel_layout_compare)       \
  X(avutil, av_channel_layout_copy)          \
  X(avutil, av_channel_layout_default)       \
  X(avutil, av_channel_layout_uninit)        \
  X(avutil, av_dict_get)                     \
  X(avutil, av_frame_alloc)                  \
  X(avutil, av_frame_free)                   \
  X(avutil, av_frame_unref)                  \
  X(avutil, av_free)                         \
  X(avutil, av_freep)                        \
  X(avutil, av_log_format_line2)             \
  X(avutil, av_log_get_level)                \
  X(avutil, av_log_set_callback)             \
  X(avutil, av_log_set_level)                \
  X(avutil, av_malloc)                       \
  X(avutil, av_rescale)                      \
  X(avutil, av_rescale_q)                    \
  X(avutil, av_strdup)                       \
  X(avutil, av_strerror)                     \
  X(swresample, swr_alloc_set_opts2)         \
  X(swresample, swr_close)                   \
  X(swresample, swr_convert)                 \
  X(swresample, swr_free)                    \
  X(swresample, swr_get_out_samples)         \
  X(swresample, swr_init)                    \
  X(swresample, swr_set_matrix)              \
  X(avcodec, av_packet_alloc)                \
  X(avcodec, av_packet_free)                 \
  X(avcodec, av_packet_unref)                \
  X(avcodec, avcodec_alloc_context3)         \
  X(avcodec, avcodec_flush_buffers)          \
  X(avcodec, avcodec_free_context)           \
  X(avcodec, avcodec_get_name)               \
  X(avcodec, avcodec_open2)                  \
  X(avcodec, avcodec_parameters_to_context)  \
  X(avcodec, avcodec_receive_frame)          \
  X(avcodec, avcodec_send_packet)            \
  X(avformat, av_find_best_stream)           \
  X(avformat, av_find_input_format)          \
  X(avformat, av_read_frame)                 \
  X(avformat, av_seek_frame)                 \
  X(avformat, avformat_alloc_context)        \
  X(avformat, avformat_close_input)          \
  X(avformat, avformat_find_stream_info)     \
  X(avformat, avformat_open_input)           \
  X(avformat, avformat_seek_file)            \
  X(avformat, avio_alloc_context)            \
  X(avformat, avio_context_free)

namespace vb::audio::detail {

struct ffmpeg_api {
#define VB_FFMPEG_MEMBER(lib, name) decltype(&::name) name = nullptr;
  VB_FFMPEG_FUNCTIONS(VB_FFMPEG_MEMBER)
#undef VB_FFMPEG_MEMBER
};

// Loads the four libraries (by the sonames of the headers this was built with) and resolves
// every function, once per process; thread-safe. False when a library or a symbol is missing
// (logged once, naming it). decoder::open, the only entry into FFmpeg, calls it first.
bool load_ffmpeg();

// The resolved table; only valid after load_ffmpeg() returned true.
extern ffmpeg_api ffmpeg_table;

}  // namespace vb::audio::detail

// Call-site spelling: ff::av_read_frame(fmt, pkt) calls through the table.
namespace vb::audio::ff {
#define VB_FFMPEG_FORWARD(lib, name)                             \
  template <class... A>                                         \
  inline auto name(A&&... a) {                                  \
    return ::vb::audio::detail::ffmpeg_table.name(std::forward<A>(a)...); \
  }
VB_FFMPEG_FUNCTIONS(VB_FFMPEG_FORWARD)
#undef VB_FFMPEG_FORWARD
}  // namespace vb::audio::ff
