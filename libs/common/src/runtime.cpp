#include "vectobeat/common/runtime.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "vectobeat/common/log.hpp"

namespace vb {

struct runtime::impl {
  unsigned threads;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watchdog;
  std::vector<std::function<void()>> hooks;
  std::atomic<bool> stopping{false};
  int exit_code = 0;
  std::chrono::milliseconds grace{5000};
  log::logger lg{"runtime"};

  explicit impl(unsigned n) : threads(n), ioc(static_cast<int>(n)) { work.emplace(ioc.get_executor()); }

  void begin_shutdown() {
    if (stopping.exchange(true)) return;
    signals.cancel();
    std::vector<std::function<void()>> hs;
    {
      std::lock_guard lk(mu);
      hs = hooks;
    }
    for (auto& h : hs) {
      try {
        h();
      } catch (const std::exception& e) {
        lg.error("shutdown hook failed: {}", e.what());
      }
    }
    work.reset();
    // Not a timer on the pool: that would keep run() alive for the whole grace period.
    watchdog = std::thread([this] {
      std::unique_lock lk(mu);
      if (!done_cv.wait_for(lk, grace, [this] { return done; })) {
        lg.warn("shutdown grace period ({} ms) elapsed; stopping remaining work", grace.count());
        ioc.stop();
      }
    });
  }
};

runtime::runtime(unsigned threads)
    : impl_(std::make_unique<impl>(threads ? threads : std::max(1u, std::thread::hardware_concurrency()))) {}

runtime::~runtime() = default;

asio::io_context& runtime::context() { return impl_->ioc; }
asio::any_io_executor runtime::executor() { return impl_->ioc.get_executor(); }
asio::any_io_executor runtime::make_strand() { return asio::make_strand(impl_->ioc); }
unsigned runtime::threads() const { return impl_->threads; }

void runtime::on_shutdown(std::function<void()> hook) {
  std::lock_guard lk(impl_->mu);
  impl_->hooks.push_back(std::move(hook));
}

void runtime::stop() {
  asio::post(impl_->ioc, [i = impl_.get()] { i->begin_shutdown(); });
}

int runtime::run(std::chrono::milliseconds grace) {
  impl_->grace = grace;
  impl_->signals.async_wait([i = impl_.get()](boost::system::error_code ec, int sig) {
    if (ec) return;
    i->lg.info("received signal {}, shutting down", sig);
    i->exit_code = 128 + sig;
    i->begin_shutdown();
  });
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < impl_->threads; ++k) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  {
    std::lock_guard lk(impl_->mu);
    impl_->done = true;
  }
  impl_->done_cv.notify_all();
  if (impl_->watchdog.joinable()) impl_->watchdog.join();
  return impl_->exit_code;
}

}  // namespace vb
