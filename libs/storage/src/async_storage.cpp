#include "vectobeat/storage/async_storage.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

#include "vectobeat/common/log.hpp"

namespace vb::storage {

namespace {

log::logger& logger() {
  static log::logger l("storage");
  return l;
}

}  // namespace

async_storage::async_storage(stores s) : stores_(std::move(s)) {
  thread_ = std::thread([this] { thread_main(); });
}

async_storage::~async_storage() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void async_storage::post(std::function<void()> job) {
  {
    std::lock_guard lk(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void async_storage::thread_main() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) break;  // stopping, and everything queued has run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      logger().error("storage job threw: {}", e.what());
    }
  }
  write_pending_queues();  // states saved after the last job
}

task<void> async_storage::run_erased(std::function<void()> job) {
  // The completion handler is resumed through its own executor (the awaiting coroutine's).
  auto initiate = [this, job = std::move(job)](auto handler) mutable {
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    post([job = std::move(job), h]() mutable {
      job();
      asio::post(std::move(*h));
    });
  };
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(std::move(initiate), asio::use_awaitable);
}

void async_storage::save_queue(queue_state q) {
  bool post_job = false;
  {
    std::lock_guard lk(mu_);
    pending_[q.guild_id] = std::move(q);
    post_job = !queue_job_posted_;
    queue_job_posted_ = true;
  }
  if (post_job) post([this] { write_pending_queues(); });
}

void async_storage::remove_queue(std::uint64_t guild_id) {
  bool post_job = false;
  {
    std::lock_guard lk(mu_);
    pending_[guild_id] = std::nullopt;
    post_job = !queue_job_posted_;
    queue_job_posted_ = true;
  }
  if (post_job) post([this] { write_pending_queues(); });
}

void async_storage::write_pending_queues() {
  std::map<std::uint64_t, std::optional<queue_state>> batch;
  {
    std::lock_guard lk(mu_);
    batch.swap(pending_);
    queue_job_posted_ = false;
  }
  for (auto& [guild, state] : batch) {
    auto r = state ? stores_.queues->put(*state) : stores_.queues->remove(guild);
    std::lock_guard lk(mu_);
    if (r) {
      ++written_;
    } else {
      ++failed_;
      logger().error("[guild {}] cannot save the queue ({}): {}", guild, to_string(r.error().code), r.error().message);
    }
  }
}

task<void> async_storage::flush() {
  auto nothing = [](stores&) {};
  co_await run(nothing);
}

std::uint64_t async_storage::failed_writes() const noexcept {
  std::lock_guard lk(mu_);
  return failed_;
}

std::uint64_t async_storage::queue_writes() const noexcept {
  std::lock_guard lk(mu_);
  return written_;
}

}  // namespace vb::storage
