#include "vectobeat/storage/async_storage.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "common/net_fixture.hpp"
#include "common/test_util.hpp"
#include "store_contract.hpp"
#include "vectobeat/storage/sqlite_storage.hpp"

namespace vb::storage::test {
namespace {

// A queue store that counts writes and can be told to fail.
class counting_queues final : public queue_store {
 public:
  result<std::optional<queue_state>> get(std::uint64_t g) override {
    std::lock_guard lk(mu);
    auto it = stored.find(g);
    if (it == stored.end()) return std::optional<queue_state>();
    return std::optional<queue_state>(it->second);
  }
  result<void> put(const queue_state& q) override {
    std::lock_guard lk(mu);
    ++writes;
    writer = std::this_thread::get_id();
    if (fail) return unexpected(storage_error{storage_errc::unavailable, "down"});
    stored[q.guild_id] = q;
    return {};
  }
  result<void> remove(std::uint64_t g) override {
    std::lock_guard lk(mu);
    stored.erase(g);
    return {};
  }
  result<std::vector<std::uint64_t>> guilds() override { return std::vector<std::uint64_t>(); }

  std::mutex mu;
  std::map<std::uint64_t, queue_state> stored;
  int writes = 0;
  bool fail = false;
  std::thread::id writer;
};

class AsyncStorageTest : public vb::test::io_fixture {};

TEST_F(AsyncStorageTest, RunsJobsOnTheStorageThreadAndResumesOnTheCaller) {
  vb::test::temp_dir dir;
  async_storage db(open_sqlite(dir.path() / "bot.db"));
  auto body = [](async_storage& d) -> task<void> {
    const auto caller = std::this_thread::get_id();
    std::thread::id worker;
    auto put = [&worker](stores& s) {
      worker = std::this_thread::get_id();
      guild_profile p;
      p.guild_id = 4;
      p.default_volume = 10;
      return s.profiles->put(p);
    };
    auto r = co_await d.run(put);
    EXPECT_TRUE(r);
    EXPECT_NE(worker, caller);
    auto get = [](stores& s) { return s.profiles->get(4); };
    auto p = co_await d.run(get);
    EXPECT_EQ(p->default_volume, 10);
    auto boom = [](stores&) -> int { throw std::runtime_error("bad job"); };
    EXPECT_THROW(co_await d.run(boom), std::runtime_error);
  };
  run(body(db));
}

TEST_F(AsyncStorageTest, QueueSavesAreCoalescedAndTheNewestWins) {
  auto queues = std::make_shared<counting_queues>();
  stores s;
  s.queues = queues;
  async_storage db(s);
  // Hold the storage thread so that the saves pile up behind a job.
  std::promise<void> release;
  std::promise<void> holding;
  auto hold = release.get_future().share();
  auto blocker = [hold, &holding](stores&) {
    holding.set_value();
    hold.wait();
  };
  auto pending = std::async(std::launch::async, [&] { run(db.run(blocker)); });
  holding.get_future().wait();  // the thread is busy: every save below waits behind the job
  for (int i = 0; i < 1000; ++i) {
    queue_state q;
    q.guild_id = static_cast<std::uint64_t>(1 + i % 2);
    q.position = i;
    db.save_queue(q);
  }
  release.set_value();
  pending.get();
  run(db.flush());
  std::lock_guard lk(queues->mu);
  EXPECT_EQ(queues->writes, 2);  // one per guild
  EXPECT_EQ(queues->stored.at(1).position, 998);
  EXPECT_EQ(queues->stored.at(2).position, 999);
  EXPECT_NE(queues->writer, std::this_thread::get_id());
}

TEST_F(AsyncStorageTest, TheDestructorWritesWhatIsPending) {
  vb::test::temp_dir dir;
  {
    async_storage db(open_sqlite(dir.path() / "bot.db"));
    queue_state q;
    q.guild_id = 3;
    q.current = queue_entry{sample_track("last"), 1};
    db.save_queue(q);
  }
  auto s = open_sqlite(dir.path() / "bot.db");
  auto q = s.queues->get(3);
  ASSERT_TRUE(q && q->has_value());
  EXPECT_EQ((*q)->current->track.info.identifier, "last");
}

TEST_F(AsyncStorageTest, FailedWritesAreCountedAndRetriedWithTheNextState) {
  auto queues = std::make_shared<counting_queues>();
  queues->fail = true;
  stores s;
  s.queues = queues;
  async_storage db(s);
  queue_state q;
  q.guild_id = 1;
  db.save_queue(q);
  run(db.flush());
  EXPECT_EQ(db.failed_writes(), 1u);
  {
    std::lock_guard lk(queues->mu);
    queues->fail = false;
  }
  q.position = 5;
  db.save_queue(q);
  run(db.flush());
  EXPECT_EQ(db.queue_writes(), 1u);
  std::lock_guard lk(queues->mu);
  EXPECT_EQ(queues->stored.at(1).position, 5);
}

}  // namespace
}  // namespace vb::storage::test
