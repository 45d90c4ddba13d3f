#pragma once
// An opened track: the decoder and, for network media, the feed that fills it.
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "vectobeat/audio/decoder.hpp"

namespace vb::node {

// Media arriving asynchronously (an HTTP body, HLS segments) behind a decoder's byte_source.
class media_feed {
 public:
  virtual ~media_feed() = default;
  // True when reading up to `gate` bytes would not wait (or the feed ended or failed).
  virtual bool ready(std::size_t gate) const = 0;
  // Stops the network side; pending and later reads end. Idempotent, any thread.
  virtual void close() = 0;
};

// A one-way latch over weakly held targets: trip() applies `act` to every target added before
// it, and add() after it applies `act` to the new target at once. Any thread; `act` runs outside
// the lock (closing a feed or cancelling an open may wake other threads).
template <class T>
class trip_latch {
 public:
  template <class Act>
  void add(const std::shared_ptr<T>& target, Act act) {
    if (!target) return;
    {
      std::lock_guard lk(mu_);
      if (!tripped_) {
        std::erase_if(targets_, [](const std::weak_ptr<T>& w) { return w.expired(); });
        targets_.push_back(target);
        return;
      }
    }
    act(*target);
  }
  // Idempotent: only the first call acts.
  template <class Act>
  void trip(Act act) {
    std::vector<std::weak_ptr<T>> all;
    {
      std::lock_guard lk(mu_);
      if (tripped_) return;
      tripped_ = true;
      all.swap(targets_);
    }
    for (auto& w : all)
      if (auto t = w.lock()) act(*t);
  }
  bool tripped() const {
    std::lock_guard lk(mu_);
    return tripped_;
  }

 private:
  mutable std::mutex mu_;
  bool tripped_ = false;
  std::vector<std::weak_ptr<T>> targets_;
};

// Cancels one open (or load probe) in progress: a replaced or stopped track, or a stopping
// node. Steps not yet started are skipped and the feeds opened so far are closed, so a blocking
// probe on the loader returns at once instead of waiting for its timeout. An HTTP request still
// waiting for its response header is not interrupted (it is bounded by the http timeouts); its
// result is closed and dropped.
// Threading: every member is safe from any thread.
class open_cancel {
 public:
  // Idempotent.
  void cancel();
  bool cancelled() const;
  // Closes `feed` with this open when it is cancelled (at once when it already is).
  void attach(std::shared_ptr<media_feed> feed);

 private:
  trip_latch<media_feed> feeds_;
};

// Default bytes that must be buffered before a worker decodes from a feed: about half a second
// of audio at the track's bitrate, within [4 KiB, 48 KiB].
std::size_t feed_gate_bytes(std::int64_t bitrate_bps) noexcept;

struct track_media {
  explicit track_media(audio::decoder d, std::shared_ptr<media_feed> f = nullptr)
      : decoder(std::move(d)), feed(std::move(f)), gate_bytes(feed_gate_bytes(decoder.info().bitrate)) {}
  ~track_media() {
    if (feed) feed->close();
  }
  track_media(const track_media&) = delete;
  track_media& operator=(const track_media&) = delete;

  audio::decoder decoder;
  std::shared_ptr<media_feed> feed;  // null: reads never wait on the network (local files)
  std::size_t gate_bytes;

  bool readable() const { return !feed || feed->ready(gate_bytes); }
};

}  // namespace vb::node
